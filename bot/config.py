"""Every setting comes from the environment here, so the app runs with none set."""
from __future__ import annotations

import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
DEV_WECHAT_TOKEN = "xiaoer-dev-token"
WECHAT_API_DEFAULT = "https://api.weixin.qq.com/cgi-bin/"
DEFAULT_ORDER_ID_PATTERN = r"DD\d{11}|\d{10,20}"  # our DD numbers and platform orders' long digits


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def _regex(name: str, default: str) -> str:
    import re

    value = _env(name, default)
    try:
        re.compile(value)
    except re.error as exc:
        raise SystemExit(f"{name} must be a regular expression, got {value!r}: {exc}")
    return value


def _float(name: str, default: float) -> float:
    try:
        return float(_env(name, str(default)))
    except ValueError:
        raise SystemExit(f"{name} must be a number, got {os.environ.get(name)!r}")


class Config:
    """Read once at app creation; tests pass overrides to create_app instead of patching."""

    def __init__(self) -> None:
        instance = Path(_env("INSTANCE_PATH", str(ROOT / "instance")))
        self.INSTANCE_PATH = str(instance)
        self.WECHAT_TOKEN = _env("WECHAT_TOKEN")
        self.WECHAT_TOKEN_IS_DEV = self.WECHAT_TOKEN is None
        if self.WECHAT_TOKEN is None:
            self.WECHAT_TOKEN = DEV_WECHAT_TOKEN
        self.WECHAT_APP_ID = _env("WECHAT_APP_ID", "wx-dev-appid")
        self.WECHAT_APP_SECRET = _env("WECHAT_APP_SECRET")
        self.WECHAT_AES_KEY = _env("WECHAT_AES_KEY")
        self.WECHAT_AES_KEY_PREVIOUS = _env("WECHAT_AES_KEY_PREVIOUS")
        self.WECHAT_API_BASE = _env("WECHAT_API_BASE", WECHAT_API_DEFAULT)
        self.WECHAT_TEMPLATE_ID = _env("WECHAT_TEMPLATE_ID")
        # Where customers place orders (a mini-program or shop page): told to 「怎么下单」. Unset: the
        # bot says orders go through staff (「人工」).
        self.SHOP_URL = _env("SHOP_URL")
        # Development only: keep outbound messages in the store for `make chat` instead of
        # calling WeChat (`make run` turns it on when WECHAT_APP_SECRET is unset).
        self.WECHAT_DEV_OUTBOX = _env("WECHAT_DEV_OUTBOX", "0") == "1"
        # Seconds a signed request's timestamp may differ from our clock; 0 turns the check off.
        self.WECHAT_MAX_CLOCK_SKEW = _float("WECHAT_MAX_CLOCK_SKEW", 300)
        self.DATABASE_URL = _env("DATABASE_URL", f"sqlite:///{instance / 'xiaoer.sqlite3'}")
        self.REDIS_URL = _env("REDIS_URL")
        self.RASA_URL = _env("RASA_URL")
        self.RASA_TOKEN = _env("RASA_TOKEN")
        self.MODEL_PATH = _env("MODEL_PATH", str(ROOT / "models"))
        self.SECRET_KEY = _env("SECRET_KEY", "dev-secret-key-change-me")
        # Bearer tokens for /api: API_TOKEN opens every area; the scoped ones open one area each
        # (feedback: /api/feedback and /api/demand; rounds: /api/rounds; tickets: /api/tickets).
        self.API_TOKEN = _env("API_TOKEN")
        self.API_TOKEN_FEEDBACK = _env("API_TOKEN_FEEDBACK")
        self.API_TOKEN_ROUNDS = _env("API_TOKEN_ROUNDS")
        self.API_TOKEN_TICKETS = _env("API_TOKEN_TICKETS")
        # /metrics answers only `Authorization: Bearer $METRICS_TOKEN` (404 while unset).
        self.METRICS_TOKEN = _env("METRICS_TOKEN")
        # Reverse proxies in front of the app whose X-Forwarded-For/-Proto to trust (0: none, so
        # request.remote_addr is the connecting address; 1 behind one load balancer).
        self.TRUSTED_PROXIES = int(_float("TRUSTED_PROXIES", 0))
        # Key for personal data at rest; derived from SECRET_KEY when unset. Changing it makes
        # earlier encrypted fields unreadable, so set it once and keep it with your backups.
        self.DATA_KEY = _env("DATA_KEY")
        self.ANSWER_BUDGET = _float("ANSWER_BUDGET", 4.5)
        # auto: a dialogue that waits on nothing outside our database and store runs on the request's
        # thread (bot/wechat/inline.py); off: every message goes to the handler pool.
        self.INLINE_DIALOGUE = _env("INLINE_DIALOGUE", "auto")
        if self.INLINE_DIALOGUE not in ("auto", "off"):
            raise SystemExit(f"INLINE_DIALOGUE must be auto or off, got {self.INLINE_DIALOGUE!r}")
        self.MAX_BODY_BYTES = int(_float("MAX_BODY_BYTES", 64 * 1024))
        self.DEDUP_TTL = int(_float("DEDUP_TTL", 300))
        # Lost-message recovery (bot/wechat/recovery.py): a message still unanswered this many seconds
        # after its handler stopped renewing its lease (the process died) is handled again by another
        # process, every RECOVERY_INTERVAL seconds (0: never); a late answer recorded but still not
        # delivered after RECOVERY_DELIVERY_GRACE seconds is queued again; after
        # RECOVERY_MAX_ATTEMPTS takeovers the customer gets the apology instead.
        self.RECOVERY_GRACE = _float("RECOVERY_GRACE", 20)
        self.RECOVERY_INTERVAL = _float("RECOVERY_INTERVAL", 10)
        self.RECOVERY_DELIVERY_GRACE = _float("RECOVERY_DELIVERY_GRACE", 300)
        self.RECOVERY_MAX_ATTEMPTS = int(_float("RECOVERY_MAX_ATTEMPTS", 3))
        # Rate limits as hits/seconds ("0" turns one off): messages per openid on the webhook,
        # console login attempts per account and per client address.
        self.RATE_LIMIT_MESSAGES = _env("RATE_LIMIT_MESSAGES", "20/60")
        self.RATE_LIMIT_LOGIN = _env("RATE_LIMIT_LOGIN", "10/300")
        self.RATE_LIMIT_LOGIN_IP = _env("RATE_LIMIT_LOGIN_IP", "50/300")
        self.CONVERSATION_TTL = int(_float("CONVERSATION_TTL", 1800))
        # Days message-log rows are kept; the worker's housekeeping deletes older ones (0: keep all).
        self.MESSAGE_RETENTION_DAYS = int(_float("MESSAGE_RETENTION_DAYS", 180))
        # Chosen from data (bench/nlu_pipelines.md): the pair that maximises right minus wrong
        # answers over held-out and cross-validation predictions of the chosen pipeline. Below the
        # threshold, or when the top two intents are closer than the margin, the bot asks instead.
        self.NLU_THRESHOLD = _float("NLU_THRESHOLD", 0.3)
        self.NLU_MARGIN = _float("NLU_MARGIN", 0.0)
        # The merchant's FAQ (bot/faq): a match at FAQ_ANSWER_SCORE or above answers before the NLU's
        # intent; below it, for a message the NLU calls out_of_scope or is unsure of, FAQ_SUGGEST_SCORE
        # answers or offers the close entries. When the NLU is sure of another intent, the FAQ also
        # needs FAQ_NLU_MARGIN more than the NLU's confidence. All measured in bench/faq_quality.py.
        self.FAQ_ANSWER_SCORE = _float("FAQ_ANSWER_SCORE", 0.5)
        self.FAQ_SUGGEST_SCORE = _float("FAQ_SUGGEST_SCORE", 0.4)
        self.FAQ_NLU_MARGIN = _float("FAQ_NLU_MARGIN", 0.1)
        # an entry's answer after the act it explains (bot/faq/policy.py) needs this score, before the cut
        # for a report (bench/faq_quality.md, ninth round)
        self.FAQ_POLICY_SCORE = _float("FAQ_POLICY_SCORE", 0.5)
        self.FAQ_REFRESH_SECONDS = _float("FAQ_REFRESH_SECONDS", 2.0)
        # Seconds between checks for a newly trained model file (0: never; reload by restart).
        # While the bot waits for an answer, only this confident a different intent leaves it.
        self.NLU_SWITCH_THRESHOLD = _float("NLU_SWITCH_THRESHOLD", 0.6)
        # ... and while it waits for an order number, a phone, a quantity or a product, a message
        # carrying none of them needs only this much (「积分能干嘛」 is no order number).
        self.NLU_SWITCH_STRUCTURED = _float("NLU_SWITCH_STRUCTURED", 0.5)
        self.NLU_WATCH_INTERVAL = _float("NLU_WATCH_INTERVAL", 5)
        # How long a message may wait for a model that is still loading (its answer then goes
        # out as a customer-service message); a model that failed to load is not waited for.
        self.NLU_WAIT = _float("NLU_WAIT", 60)
        # Parses of recent identical texts kept per process (bot/nlu/engines.py ParseCache; 0: off).
        self.NLU_CACHE_SIZE = int(_float("NLU_CACHE_SIZE", 4096))
        self.NLU_LOAD_IN_BACKGROUND = _env("NLU_LOAD_IN_BACKGROUND", "1") == "1"
        # Tickets: SLA targets in business hours per priority ("first response/resolution"),
        # the shop's opening hours and days (ISO weekdays, 1 = Monday) and its time zone.
        self.SLA_TARGETS = _env("SLA_TARGETS", "urgent=1/8,high=4/24,normal=8/48")
        self.BUSINESS_HOURS = _env("BUSINESS_HOURS", "09:00-18:00")
        self.BUSINESS_DAYS = _env("BUSINESS_DAYS", "123456")
        self.TIMEZONE = _env("TIMEZONE", "Asia/Shanghai")
        self.PHOTO_WINDOW = _float("PHOTO_WINDOW", 600)  # seconds after a complaint that photos attach to it
        # Console cookies are Secure unless this says otherwise (a plain-HTTP dev setup).
        self.CONSOLE_SECURE_COOKIES = _env("CONSOLE_SECURE_COOKIES", "1") == "1"
        # The console's chat simulator signs messages with the real Token, so it exists only when
        # switched on (`make run` does; `make prod` refuses it) and speaks only as o-sim-* openids.
        self.CONSOLE_SIMULATOR = _env("CONSOLE_SIMULATOR", "0") == "1"
        # Orders and stock: the merchant's own order system, when there is one.
        self.ORDER_SYSTEM_URL = _env("ORDER_SYSTEM_URL")
        self.ORDER_SYSTEM_TOKEN = _env("ORDER_SYSTEM_TOKEN")
        self.ORDER_SYSTEM_TIMEOUT = _float("ORDER_SYSTEM_TIMEOUT", 2.0)
        self.ORDER_WEBHOOK_SECRET = _env("ORDER_WEBHOOK_SECRET")
        # The merchant's order-number format (a regular expression, matched case-insensitively as a
        # whole token): what the NLU takes for an order id and what order pushes must carry.
        self.ORDER_ID_PATTERN = _regex("ORDER_ID_PATTERN", DEFAULT_ORDER_ID_PATTERN)
        # Order lookups per openid per window: enough for a customer, too few to enumerate ids.
        self.ORDER_LOOKUP_LIMIT = int(_float("ORDER_LOOKUP_LIMIT", 10))
        self.ORDER_LOOKUP_WINDOW = int(_float("ORDER_LOOKUP_WINDOW", 600))
        self.BIND_MAX_FAILURES = int(_float("BIND_MAX_FAILURES", 5))
        self.BIND_LOCKOUT_SECONDS = int(_float("BIND_LOCKOUT_SECONDS", 3600))
        # At or below this many units a warehouse shows 「仅剩 N 斤」 instead of 「充足」.
        self.LOW_STOCK_THRESHOLD = _float("LOW_STOCK_THRESHOLD", 10)
        # Points (积分): per yuan of a signed-for order, for feedback after receipt (once per order),
        # for joining a round that succeeds; earned points expire after POINTS_EXPIRE_DAYS.
        self.POINTS_PER_YUAN = _float("POINTS_PER_YUAN", 1)
        self.POINTS_FOR_FEEDBACK = int(_float("POINTS_FOR_FEEDBACK", 10))
        self.POINTS_FOR_ROUND = int(_float("POINTS_FOR_ROUND", 5))
        self.POINTS_EXPIRE_DAYS = int(_float("POINTS_EXPIRE_DAYS", 365))
        # Restock suggestions (bot/forecast/replenish.py): days until an order placed now arrives, and
        # the share of lead times that should not run out (safety stock).
        self.RESTOCK_LEAD_DAYS = _float("RESTOCK_LEAD_DAYS", 2)
        self.RESTOCK_SERVICE_LEVEL = _float("RESTOCK_SERVICE_LEVEL", 0.95)
        if not 0.5 <= self.RESTOCK_SERVICE_LEVEL < 1 or self.RESTOCK_LEAD_DAYS < 0:
            raise SystemExit("RESTOCK_SERVICE_LEVEL must be in [0.5, 1) and RESTOCK_LEAD_DAYS at least 0")
        self.TESTING = False

    @property
    def message_limit(self):
        from .infra.ratelimit import parse_limit

        return parse_limit(self.RATE_LIMIT_MESSAGES)

    @property
    def order_lookup_limit(self):
        from .infra.ratelimit import Limit

        return Limit(self.ORDER_LOOKUP_LIMIT, self.ORDER_LOOKUP_WINDOW)

    @property
    def login_limits(self):
        from .infra.ratelimit import parse_limit

        return parse_limit(self.RATE_LIMIT_LOGIN), parse_limit(self.RATE_LIMIT_LOGIN_IP)

    def update(self, overrides: dict) -> "Config":
        for key, value in overrides.items():
            setattr(self, key, value)
        return self

    def as_dict(self) -> dict:
        return {k: v for k, v in vars(self).items() if k.isupper()}

    def describe(self) -> list[str]:
        """Human lines for the start-up banner: what this process is using, secrets hidden."""
        db = self.DATABASE_URL.split("@")[-1]
        return [
            f"database: {db}",
            f"store and queue: {'redis ' + self.REDIS_URL.split('@')[-1] if self.REDIS_URL else 'in-process (no REDIS_URL)'}",
            f"NLU: {'Rasa server ' + self.RASA_URL if self.RASA_URL else 'in-process model from ' + self.MODEL_PATH}",
            f"WeChat: token {'DEVELOPMENT (set WECHAT_TOKEN!)' if self.WECHAT_TOKEN_IS_DEV else 'set'}, "
            f"encryption {'on' if self.WECHAT_AES_KEY else 'off (plaintext mode)'}, API {self.WECHAT_API_BASE}",
        ]
