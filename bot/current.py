"""Where code finds the services of the app it runs for: `current_services()` inside a request or a
CLI command, `services_for(key)` in a job (the key of the app that queued it)."""
from __future__ import annotations

import weakref

from flask import current_app

EXTENSION = "xiaoer"
_latest = None  # this process's most recent app's services (a worker has exactly one)
_by_key: "weakref.WeakValueDictionary" = weakref.WeakValueDictionary()


def current_services():
    """The services of the Flask app handling this request or command."""
    return current_app.extensions[EXTENSION]


def install(app, services) -> None:
    """Called once per app by the factory."""
    global _latest
    app.extensions[EXTENSION] = services
    _latest = services
    _by_key[services.key] = services


def services_for(key: str | None = None):
    """The services of the app that queued a job (`key`) when that app lives in this process (a
    test, or a web process running a job itself); otherwise this process's own app (a worker),
    None when this process has no app yet."""
    if key is not None and key in _by_key:
        return _by_key[key]
    return _latest
