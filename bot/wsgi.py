"""The WSGI entry point for gunicorn: one app per worker, the model loading in the background."""
from __future__ import annotations

import logging

from . import create_app

log = logging.getLogger("bot")
app = create_app()
_services = app.extensions["xiaoer"]
for line in _services.config.describe():
    log.info("using %s", line)
if _services.config.WECHAT_TOKEN_IS_DEV:
    log.warning("!!! WECHAT_TOKEN is not set: using the DEVELOPMENT token %r. Anyone who knows it can "
                "post to /wechat. Set WECHAT_TOKEN (and WECHAT_AES_KEY) before going live. !!!",
                _services.config.WECHAT_TOKEN)
_services.start()
_services.start_recovery()  # messages a dead process left unanswered (bot/wechat/recovery.py)
