"""Xiaoer (店小二): a WeChat customer-service bot for merchants. `create_app` is the factory."""
from __future__ import annotations

import logging

from flask import Flask

from .config import Config

log = logging.getLogger(__name__)


def create_app(test_config: dict | None = None) -> Flask:
    from . import current, handlers  # noqa: F401  (handlers: registers every handler)
    from .services import Services

    _register_jobs()
    config = Config().update(test_config or {})
    app = Flask(__name__, instance_path=config.INSTANCE_PATH)
    app.config.update(config.as_dict())
    app.config["MAX_CONTENT_LENGTH"] = config.MAX_BODY_BYTES
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("jieba").setLevel(logging.WARNING)
    services = Services(config)
    services.refresh_catalog()
    from .feedback import learned
    learned.load()  # the feedback sentiment model: read once here, never per message
    current.install(app, services)
    app.secret_key = config.SECRET_KEY
    from .wechat.webhook import WebhookPost
    app.wsgi_app = WebhookPost(app.wsgi_app, services)  # customer messages skip Flask's request context
    if config.TRUSTED_PROXIES > 0:
        # Behind load balancers the connecting address is the balancer's: per-address login limits
        # and logs need the client's, from exactly this many trusted X-Forwarded-For hops.
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = config.TRUSTED_PROXIES
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    _register_blueprints(app)

    from .cli import register
    register(app)
    return app


def _register_jobs() -> None:
    """The worker's registry imports no feature: the features' job modules are imported here (the
    minute sweep runs their `@every_minute` tasks in this order)."""
    from .tickets import jobs as ticket_jobs  # noqa: F401
    from .forecast import service as forecast_jobs  # noqa: F401
    from .rounds import notices, sweep  # noqa: F401
    from .shop import jobs as shop_jobs  # noqa: F401
    from .members import jobs as member_jobs  # noqa: F401
    from .wechat import jobs as wechat_jobs, recovery  # noqa: F401
    from .worker import scheduler  # noqa: F401


def _register_blueprints(app: Flask) -> None:
    from . import console
    from .faq.api import bp as faq_api_bp
    from .forecast.api import bp as forecast_api_bp
    from .feedback.api import bp as feedback_api_bp
    from .infra.health import bp as health_bp
    from .members.api import bp as members_api_bp
    from .rounds.api import bp as rounds_api_bp
    from .shop.webhook import bp as order_webhooks_bp
    from .tickets.api import bp as tickets_api_bp
    from .wechat.webhook import bp as wechat_bp

    for bp in (wechat_bp, health_bp, rounds_api_bp):
        app.register_blueprint(bp)
    console.init_app(app)
    for bp in (tickets_api_bp, feedback_api_bp, faq_api_bp, order_webhooks_bp, members_api_bp, forecast_api_bp):
        app.register_blueprint(bp)
