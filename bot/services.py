"""The objects one process shares between requests, built once from the config."""
from __future__ import annotations

import logging
import uuid

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from . import clock
from .dialogue.pipeline import respond
from .dialogue.state import StateStore
from .faq.matching import FaqBook
from .infra.db import Database
from .infra.message_log import MessageRecorder
from .infra.metrics import Metrics
from .infra.ratelimit import RateLimiter
from .infra.spool import Spool
from .infra.redact import register as register_secret
from .infra.store import make_store
from .models import Product, configure_data_key
from .nlu import Understanding, make_engine
from .nlu.catalog_sync import alias_map
from .shop.commerce import make_commerce
from .wechat.api import DevOutbox, WeChatAPI
from .wechat.codec import Codec
from .wechat.inline import InlinePolicy
from .wechat.outbound import Outbound
from .wechat.reply_window import ReplyWindow
from .worker.queue import make_queue
from .worker.registry import run_with

_CATALOG = select(Product.name, Product.aliases)  # built once: read per stock question (issue 17)

log = logging.getLogger(__name__)


class Services:
    def __init__(self, config) -> None:
        self.config = config
        configure_data_key(config.DATA_KEY or config.SECRET_KEY)
        register_secret(config.RASA_TOKEN)
        clock.configure(config.TIMEZONE)
        self.db = Database(config.DATABASE_URL)
        self.store = make_store(config.REDIS_URL)
        self.key = uuid.uuid4().hex  # names this app's jobs (bot.current.services_for)
        self.queue = make_queue(config.REDIS_URL, self.run_job, self.key)
        self.states = StateStore(self.store, config.CONVERSATION_TTL)
        self.engine = make_engine(config)
        self.understanding = Understanding(self.engine, order_id_pattern=config.ORDER_ID_PATTERN)
        if config.WECHAT_DEV_OUTBOX:
            self.wechat = DevOutbox(self.store)
        else:
            self.wechat = WeChatAPI(config.WECHAT_APP_ID, config.WECHAT_APP_SECRET, config.WECHAT_API_BASE,
                                    self.store)
        self.codec = Codec(config.WECHAT_TOKEN, config.WECHAT_APP_ID, config.WECHAT_AES_KEY,
                           config.WECHAT_AES_KEY_PREVIOUS, config.WECHAT_MAX_CLOCK_SKEW)
        self.metrics = Metrics(self.store)
        self.spool = Spool(self.db, self.store, config.INSTANCE_PATH)
        self.recorder = MessageRecorder(self.db, self.spool, config.RECOVERY_GRACE)
        self.limiter = RateLimiter(self.store)
        self.outbound = Outbound(self.wechat, self.store, config.WECHAT_TEMPLATE_ID)
        self.commerce = make_commerce(config, self.db)  # orders and stock: SQL store or HTTP
        inline = InlinePolicy(config.INLINE_DIALOGUE, self._waits_on_nothing_else, config.ANSWER_BUDGET)
        self.reply_window = ReplyWindow(lambda msg: respond(msg, self, timeout=config.NLU_WAIT), config=config,
                                        store=self.store, recorder=self.recorder, limiter=self.limiter,
                                        metrics=self.metrics, queue=self.queue, outbound=self.outbound,
                                        inline=inline)
        self.faq = FaqBook(self.db, config.FAQ_REFRESH_SECONDS, self.product_words)

    def _waits_on_nothing_else(self) -> bool:
        """The dialogue can wait only on our own database and store: the model is loaded in this
        process (not a Rasa server across the network) and orders and stock are in the SQL store,
        not behind an external order system."""
        return self.engine.kind == "in-process" and self.engine.ready and self.commerce.kind == "sql"

    def run_job(self, name: str, *args):
        return run_with(self, name, *args)

    def start(self, background: bool = True) -> None:
        """Start what loads slowly (the NLU model), in the background by default; safe to repeat.
        The WSGI entry point calls it at boot; the first message or health check otherwise."""
        self.engine.start(background=background)

    def start_recovery(self):
        """The web process's lost-message recovery loop (bot/wechat/recovery.py); the WSGI entry
        point starts it at boot."""
        from .wechat import recovery

        return recovery.start(self)

    def understand(self, text: str, timeout: float | None = None):
        """The NLU on normalised text, started on first use; waits at most `timeout` for the model."""
        self.start()
        return self.understanding.parse_normalised(text, timeout=timeout)

    def nlu_status(self) -> dict:
        """What /healthz reports about the NLU; asking starts it."""
        self.start()
        return self.engine.describe()

    def catalog(self) -> list[tuple[str, list[str]]]:
        # Two columns on a plain connection, not Product objects in an ORM session: stock questions
        # and feedback read it per message (issue 17).
        with self.db.engine.connect() as conn:
            return [(name, list(aliases or [])) for name, aliases in conn.execute(_CATALOG)]

    def product_words(self) -> list[str]:
        return [word for name, aliases in self.catalog() for word in (name, *aliases)]

    def refresh_catalog(self) -> None:
        """Product names for entity clean-up; a database without tables yet just means none."""
        try:
            self.understanding.product_aliases = alias_map(self.catalog())
        except SQLAlchemyError:
            log.warning("catalog not readable yet (run `flask --app bot db upgrade`)")
