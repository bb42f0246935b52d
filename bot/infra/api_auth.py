"""Bearer-token check for the JSON APIs under /api: `Authorization: Bearer <token>`.

API_TOKEN opens every area (kept for existing integrations); a scoped token opens one area only,
so the supply chain's token (API_TOKEN_FEEDBACK: /api/feedback, /api/demand) cannot read tickets
with customer details or close rounds. Use `require_api_token(area=...)` on a view, or
`bp.before_request(require_api_token(...))` for a whole blueprint. With no token set for an area
every request to it is refused: an API that nobody configured must not be open to everyone.
"""
from __future__ import annotations

import hmac
from functools import partial, wraps

from flask import current_app, jsonify, request

# area -> the setting holding its scoped token
SCOPED_TOKENS = {"feedback": "API_TOKEN_FEEDBACK", "rounds": "API_TOKEN_ROUNDS", "tickets": "API_TOKEN_TICKETS"}


def _refusal(area: str | None):
    names = "API_TOKEN" + (f" or {SCOPED_TOKENS[area]}" if area in SCOPED_TOKENS else "")
    response = jsonify(error="unauthorized", message=f"missing or wrong bearer token (Authorization: Bearer <{names}>)")
    response.status_code = 401
    response.headers["WWW-Authenticate"] = 'Bearer realm="xiaoer"'
    return response


def _matches(given: bytes, expected: str | None) -> bool:
    return bool(expected) and hmac.compare_digest(given, expected.encode())


def check_api_token(area: str | None = None):
    """None when the request carries API_TOKEN or the area's scoped token, else the 401 to return."""
    cfg = current_app.config
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    # Compared as bytes: compare_digest refuses non-ASCII str, and a header may hold anything.
    given_bytes = given.strip().encode("utf-8", "surrogateescape")
    accepted = [cfg.get("API_TOKEN")] + ([cfg.get(SCOPED_TOKENS[area])] if area in SCOPED_TOKENS else [])
    matched = [_matches(given_bytes, expected) for expected in accepted]  # every compare, no early exit
    if scheme.lower() != "bearer" or not any(matched):
        return _refusal(area)
    return None


def guard(area: str | None = None):
    """For a whole blueprint: `bp.before_request(guard("rounds"))`."""
    return partial(check_api_token, area)


def require_api_token(view=None, *, area: str | None = None):
    """On one view: `@require_api_token` (API_TOKEN only) or `@require_api_token(area="tickets")`."""
    if view is None:
        return partial(require_api_token, area=area)

    @wraps(view)
    def wrapped(*args, **kwargs):
        return check_api_token(area) or view(*args, **kwargs)
    return wrapped
