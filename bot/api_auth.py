"""Bearer-token check for the JSON APIs under /api (helpdesk integrations).

With API_TOKEN unset every request is refused: an API open to anyone is never the default.
"""
from __future__ import annotations

import functools
import hmac

from flask import current_app, jsonify, request


def _token_ok() -> bool:
    expected = current_app.config.get("API_TOKEN") or ""
    header = request.headers.get("Authorization", "")
    scheme, _, sent = header.partition(" ")
    return bool(expected) and scheme.lower() == "bearer" and hmac.compare_digest(sent.strip().encode(), expected.encode())


def require_api_token(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if not _token_ok():
            response = jsonify(error="unauthorized", message="需要有效的 API_TOKEN（Authorization: Bearer ...）")
            response.status_code = 401
            response.headers["WWW-Authenticate"] = 'Bearer realm="xiaoer"'
            return response
        return view(*args, **kwargs)
    return wrapped
