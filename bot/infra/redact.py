"""Secrets that travel in URLs (the Rasa server's auth token is a `?token=` query parameter) end
up in exception messages, hence in logs and in message_log.error: they are cut out here first."""
from __future__ import annotations

import re

_QUERY_SECRET = re.compile(r"(?i)([?&](?:token|access_token|secret)=)[^&\s'\")]+")
_known: set[str] = set()


def register(*secrets: str | None) -> None:
    """Values to cut wherever they appear (e.g. RASA_TOKEN, set by create_app)."""
    _known.update(s for s in secrets if s and len(s) >= 4)


def redact(text: str | None, *secrets: str | None) -> str | None:
    if not text:
        return text
    text = _QUERY_SECRET.sub(r"\1***", text)
    for secret in sorted({*_known, *(s for s in secrets if s and len(s) >= 4)}, key=len, reverse=True):
        text = text.replace(secret, "***")
    return text
