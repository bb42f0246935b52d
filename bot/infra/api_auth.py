"""Bearer-token check for the JSON APIs under /api: `Authorization: Bearer <API_TOKEN>`.

Use `require_api_token` as a blueprint's before_request (or on one view). With API_TOKEN unset
every request is refused: an API that nobody configured must not be open to everyone.
"""
from __future__ import annotations

import hmac
from functools import wraps

from flask import current_app, jsonify, request


def _refusal():
    response = jsonify(error="unauthorized", message="missing or wrong bearer token (Authorization: Bearer <API_TOKEN>)")
    response.status_code = 401
    response.headers["WWW-Authenticate"] = 'Bearer realm="xiaoer"'
    return response


def check_api_token():
    """None when the request carries the right token, else the 401 response to return."""
    expected = current_app.config.get("API_TOKEN")
    header = request.headers.get("Authorization", "")
    scheme, _, given = header.partition(" ")
    if not expected or scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), expected.encode()):
        return _refusal()
    return None


def require_api_token(view=None):
    """`bp.before_request(check_api_token)` for a whole blueprint, or `@require_api_token` on a view."""
    if view is None:
        return check_api_token

    @wraps(view)
    def wrapped(*args, **kwargs):
        return check_api_token() or view(*args, **kwargs)
    return wrapped
