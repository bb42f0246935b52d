"""Two ways to reach the Rasa model behind one interface: loaded in this process, or a Rasa server.

The in-process model is loaded once per process (it takes ~20 s and ~1 GB) in a background
thread, so the web server answers health checks while it loads; a reload swaps it atomically.
A watcher thread polls the model path, so a newly trained (or touched) model file is picked up by
every running web process without a restart: the new model loads beside the old one, requests keep
using the old one until a single reference swap, and a model that fails to load is never swapped in.
"""
from __future__ import annotations

import asyncio
import logging
import threading
import time
import weakref
from collections import OrderedDict
from pathlib import Path

import requests

from ..infra.redact import redact
from .result import NluResult

log = logging.getLogger(__name__)


class NluUnavailable(Exception):
    """The model is not loaded yet or the NLU server does not answer."""


def latest_model(path: str | Path) -> Path | None:
    path = Path(path)
    if path.is_file():
        return path
    models = sorted(path.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime) if path.is_dir() else []
    return models[-1] if models else None


_agents: dict[tuple[str, int], object] = {}
_agents_lock = threading.Lock()


def _version(model: Path) -> tuple[str, int]:
    """A model file is identified by path and mtime: retraining to the same name is a new model."""
    return str(model.resolve()), model.stat().st_mtime_ns


def _quiet_rasa() -> None:
    """Rasa logs every parsed message (the customer's text) at debug level through structlog, which
    prints everything unless configured: keep warnings only, unless the host configured it."""
    import structlog

    if not structlog.is_configured():
        structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))


def _load_agent(model: Path):
    """(Agent, its parse lock), one per model version per process, however many apps use it."""
    key = _version(model)
    with _agents_lock:
        if key not in _agents:
            from rasa.core.agent import Agent

            from .graph import run_in_order  # imports Rasa: only where a model is loaded

            _quiet_rasa()
            started = time.monotonic()
            # Each agent gets a lock: CRFEntityExtractor's crfsuite tagger keeps per-call state, so
            # two threads parsing at once corrupt each other (seen under gunicorn --threads).
            agent = Agent.load(key[0])
            run_in_order(agent)  # the same components without dask's scheduler around each parse
            _agents[key] = (agent, threading.Lock())
            log.info("NLU model %s loaded in %.1f s", model.name, time.monotonic() - started)
        return _agents[key]


def _forget_agent(key: tuple[str, int]) -> None:
    """Drop a replaced model from the cache; requests still holding it finish with it."""
    with _agents_lock:
        _agents.pop(key, None)


def _watch(ref: "weakref.ref[LocalRasa]", interval: float, stop: threading.Event) -> None:
    """Holds the engine weakly so an engine nobody uses any more ends its watcher."""
    while not stop.wait(interval):
        engine = ref()
        if engine is None:
            return
        try:
            engine.check_for_new_model()
        except Exception:  # a half-written or broken model file: keep serving the old one
            log.exception("NLU model reload failed; still serving %s", engine.model)
        del engine


class ParseCache:
    """The model's raw answers for recent texts, keyed by (model version, text).

    Customers repeat themselves (「你好」「谢谢」「转人工」「我的订单到哪了」) and a parse is most of a
    message's CPU (issue 17: ~3 ms of Rasa's Message/featurizer work against ~0.01 ms for a hit).
    The LR + CRF model is deterministic, so a hit is exactly what parsing again would give; the
    version in the key means a reloaded model never answers from the old one's entries. Raw dicts
    are cached, not NluResults: postprocess edits entities in place, so every hit builds new ones."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[tuple, dict] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: tuple) -> dict | None:
        if self.size <= 0:
            return None
        with self._lock:
            data = self._entries.get(key)
            if data is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return data

    def put(self, key: tuple, data: dict) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._entries[key] = data
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)


class LocalRasa:
    kind = "in-process"

    def __init__(self, model_path: str, watch_interval: float = 0, cache_size: int = 4096) -> None:
        self.model_path = model_path
        self.watch_interval = watch_interval
        self.cache = ParseCache(cache_size)
        self._current: tuple = (None, None, None)  # (agent, model path, version): swapped as one
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._started = False
        self._start_lock = threading.Lock()
        self._loops = threading.local()
        self.error: str | None = None

    @property
    def ready(self) -> bool:
        return self._ready.is_set()

    def start(self, background: bool = True) -> None:
        with self._start_lock:
            if self._started:
                return
            self._started = True
        if background:
            threading.Thread(target=self._load, name="nlu-load", daemon=True).start()
        else:
            self._load()
        if self.watch_interval > 0:
            threading.Thread(target=_watch, args=(weakref.ref(self), self.watch_interval, self._stop),
                             name="nlu-watch", daemon=True).start()

    def stop(self) -> None:
        self._stop.set()

    @property
    def model(self) -> Path | None:
        return self._current[1]

    def _load(self) -> None:
        model = latest_model(self.model_path)
        if model is None:
            self.error = f"no trained model under {self.model_path}: run `make train`"
            log.error(self.error)
            return
        try:
            self._current = (_load_agent(model), model, _version(model))
            self._ready.set()
        except Exception as exc:  # a broken model file must not take the web server down
            self.error = f"model {model} failed to load: {exc}"
            log.exception("NLU model failed to load")

    def reload(self, model: str | Path | None = None) -> Path:
        """Load the newest (or given) model, then swap: requests keep using the old one meanwhile."""
        target = latest_model(model or self.model_path)
        if target is None:
            raise NluUnavailable(f"no model under {model or self.model_path}")
        version = _version(target)
        agent = _load_agent(target)
        old = self._current[2]
        self._current = (agent, target, version)
        self._ready.set()
        self.error = None
        if old and old != version:
            _forget_agent(old)
        log.info("NLU now serving %s", target.name)
        return target

    def check_for_new_model(self) -> Path | None:
        """The watcher's step: reload when the newest model file differs from the one served."""
        target = latest_model(self.model_path)
        if target is None or (self._current[2] and _version(target) == self._current[2]):
            return None
        return self.reload(target)

    def parse(self, text: str, timeout: float | None = None) -> NluResult:
        if self.error and not self._ready.is_set():
            raise NluUnavailable(self.error)
        if not self._ready.wait(timeout):
            raise NluUnavailable(self.error or "model still loading")
        (agent, lock), _, version = self._current  # one read: a swap mid-request does not mix two models
        key = (version, text)
        data = self.cache.get(key)
        if data is None:
            if _running_loop() is None:
                data = self._parse_on_own_loop(agent, lock, text)
            else:  # this thread already runs an event loop (an async caller): parse beside it
                data = _beside().submit(self._parse_on_own_loop, agent, lock, text).result()
            self.cache.put(key, data)
        return NluResult.from_rasa(data, text)

    def _parse_on_own_loop(self, agent, lock, text: str) -> dict:
        loop = getattr(self._loops, "loop", None)
        if loop is None:
            loop = self._loops.loop = asyncio.new_event_loop()
        # One parse at a time per model: the CRF entity extractor's tagger keeps per-call state,
        # and concurrent threads corrupted it (3 in 10,000 messages failed under bench/load.py at
        # concurrency 32 with "The position, N is out of range"). Parsing holds the GIL anyway.
        with lock:
            return loop.run_until_complete(agent.parse_message(text))

    def describe(self) -> dict:
        return {"kind": self.kind, "ready": self.ready, "model": self.model.name if self.model else None,
                "error": self.error, "cache": {"size": self.cache.size, "hits": self.cache.hits,
                                               "misses": self.cache.misses}}


class RemoteRasa:
    """`rasa run --enable-api --auth-token T -m models/`, reached over POST /model/parse."""

    kind = "rasa-server"

    def __init__(self, url: str, token: str | None = None, timeout: float = 2.0) -> None:
        self.url = url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self._http = requests.Session()
        self.error: str | None = None

    def start(self, background: bool = True) -> None:
        """Nothing to load here; the server owns the model."""

    @property
    def ready(self) -> bool:
        try:
            r = self._http.get(f"{self.url}/status", params=self._params(), timeout=self.timeout)
            self.error = None if r.ok else f"Rasa server answered {r.status_code}"
            return r.ok
        except requests.RequestException as exc:
            self.error = f"Rasa server unreachable: {exc.__class__.__name__}"
            return False

    def _params(self) -> dict:
        return {"token": self.token} if self.token else {}

    def parse(self, text: str, timeout: float | None = None) -> NluResult:
        try:
            r = self._http.post(f"{self.url}/model/parse", params=self._params(), json={"text": text},
                                timeout=min(timeout or self.timeout, self.timeout))
            r.raise_for_status()
            return NluResult.from_rasa(r.json(), text)
        except (requests.RequestException, ValueError) as exc:
            # The message holds the URL with ?token=; `from None` keeps the original (and its
            # traceback, which logs would print) out of the chain.
            raise NluUnavailable(redact(f"Rasa server: {exc}", self.token)) from None

    def reload(self, model=None):
        raise NluUnavailable("the Rasa server reloads its own model (PUT /model)")

    def describe(self) -> dict:
        return {"kind": self.kind, "url": self.url, "ready": self.ready, "error": self.error}


def _running_loop():
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


_BESIDE: list = []
_BESIDE_LOCK = threading.Lock()


def _beside():
    """One thread for parses asked from a thread that runs an event loop of its own (the dialogue
    runs on the request's thread, bot/wechat/inline.py, and an async caller's loop cannot be nested)."""
    with _BESIDE_LOCK:
        if not _BESIDE:
            from concurrent.futures import ThreadPoolExecutor
            _BESIDE.append(ThreadPoolExecutor(max_workers=1, thread_name_prefix="nlu-beside"))
        return _BESIDE[0]
