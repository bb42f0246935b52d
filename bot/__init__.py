"""Xiaoer (店小二): a WeChat customer-service bot for merchants. `create_app` is the factory."""
from __future__ import annotations

import logging
import weakref

from flask import Flask

from .config import Config

log = logging.getLogger(__name__)
_process_services = None
_services_by_key: "weakref.WeakValueDictionary" = weakref.WeakValueDictionary()


def create_app(test_config: dict | None = None) -> Flask:
    global _process_services
    from . import handlers  # noqa: F401  (registers every handler)
    from .services import Services

    config = Config().update(test_config or {})
    app = Flask(__name__, instance_path=config.INSTANCE_PATH)
    app.config.update(config.as_dict())
    app.config["MAX_CONTENT_LENGTH"] = config.MAX_BODY_BYTES
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("jieba").setLevel(logging.WARNING)
    services = Services(config)
    services.refresh_catalog()
    app.extensions["xiaoer"] = services
    _process_services = services
    _services_by_key[services.key] = services

    from webhooks.orders import bp as order_webhooks_bp
    from webhooks.wechat import bp as wechat_bp

    from .health import bp as health_bp
    from .preorders.api import bp as rounds_api_bp
    app.register_blueprint(wechat_bp)
    app.register_blueprint(health_bp)
    app.register_blueprint(rounds_api_bp)
    app.secret_key = config.SECRET_KEY

    from . import console
    from .tickets.api import bp as tickets_api_bp
    console.init_app(app)
    app.register_blueprint(tickets_api_bp)
    from .feedback.api import bp as feedback_api_bp
    app.register_blueprint(feedback_api_bp)
    from .faq.api import bp as faq_api_bp
    app.register_blueprint(faq_api_bp)
    app.register_blueprint(order_webhooks_bp)

    from .cli import register
    register(app)
    return app


def process_services(key: str | None = None):
    """The services of the app that queued a job (`key`) when that app lives in this process (a
    test, or a web process running a job itself); otherwise this process's own app (a worker)."""
    if key is not None and key in _services_by_key:
        return _services_by_key[key]
    if _process_services is None:
        create_app()
    return _process_services
