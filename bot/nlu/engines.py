"""Two ways to reach the Rasa model behind one interface: loaded in this process, or a Rasa server.

The in-process model is loaded once per process (it takes ~20 s and ~1 GB) in a background
thread, so the web server answers health checks while it loads; a reload swaps it atomically.
"""
from __future__ import annotations

import asyncio
import logging
import threading
import time
from pathlib import Path

import requests

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


_agents: dict[str, object] = {}
_agents_lock = threading.Lock()
_parse_lock = threading.Lock()


def _load_agent(model: Path):
    """One Agent per model file per process, however many apps the process creates."""
    key = str(model.resolve())
    with _agents_lock:
        if key not in _agents:
            from rasa.core.agent import Agent

            started = time.monotonic()
            _agents[key] = Agent.load(key)
            log.info("NLU model %s loaded in %.1f s", model.name, time.monotonic() - started)
        return _agents[key]


class LocalRasa:
    kind = "in-process"

    def __init__(self, model_path: str) -> None:
        self.model_path = model_path
        self.model: Path | None = None
        self._agent = None
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

    def _load(self) -> None:
        model = latest_model(self.model_path)
        if model is None:
            self.error = f"no trained model under {self.model_path}: run `make train`"
            log.error(self.error)
            return
        try:
            self._agent = _load_agent(model)
            self.model = model
            self._ready.set()
        except Exception as exc:  # a broken model file must not take the web server down
            self.error = f"model {model} failed to load: {exc}"
            log.exception("NLU model failed to load")

    def reload(self, model: str | Path | None = None) -> Path:
        """Load the newest (or given) model, then swap: requests keep using the old one meanwhile."""
        target = latest_model(model or self.model_path)
        if target is None:
            raise NluUnavailable(f"no model under {model or self.model_path}")
        agent = _load_agent(target)
        self._agent, self.model = agent, target
        self._ready.set()
        return target

    def parse(self, text: str, timeout: float | None = None) -> NluResult:
        if self.error and not self._ready.is_set():
            raise NluUnavailable(self.error)
        if not self._ready.wait(timeout):
            raise NluUnavailable(self.error or "model still loading")
        loop = getattr(self._loops, "loop", None)
        if loop is None:
            loop = self._loops.loop = asyncio.new_event_loop()
        # One parse at a time per process: the CRF entity extractor's tagger keeps per-call state,
        # and concurrent threads corrupted it (3 in 10,000 messages failed under bench/load.py at
        # concurrency 32 with "The position, N is out of range"). Parsing holds the GIL anyway.
        with _parse_lock:
            data = loop.run_until_complete(self._agent.parse_message(text))
        return NluResult.from_rasa(data, text)

    def describe(self) -> dict:
        return {"kind": self.kind, "ready": self.ready, "model": self.model.name if self.model else None,
                "error": self.error}


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
            raise NluUnavailable(f"Rasa server: {exc}") from exc

    def reload(self, model=None):
        raise NluUnavailable("the Rasa server reloads its own model (PUT /model)")

    def describe(self) -> dict:
        return {"kind": self.kind, "url": self.url, "ready": self.ready, "error": self.error}
