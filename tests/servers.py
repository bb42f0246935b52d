"""Private, throw-away service instances for fault tests: killing these disturbs nobody else."""
from __future__ import annotations

import contextlib
import threading
from typing import Iterator

from werkzeug.serving import make_server

from bench.common import free_port  # noqa: F401  (re-exported for the fault tests)
from bench.stack import PrivateRedis, real_clock_env


@contextlib.contextmanager
def private_redis() -> Iterator[PrivateRedis]:
    server = PrivateRedis().start()
    try:
        yield server
    finally:
        server.stop()


POLL = 0.02  # werkzeug's default 0.5 s poll made every server's shutdown cost half a second


@contextlib.contextmanager
def serving(wsgi_app) -> Iterator[str]:
    """A real HTTP server for a WSGI app on a free port, for browsers and real clients."""
    server = make_server("127.0.0.1", 0, wsgi_app, threaded=True)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": POLL}, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


def launch_chromium(playwright):
    """Debian's chromium, headless. It is the customer's or the staff member's device, not the shop:
    it keeps the machine's clock when a moved-clock run preloads libfaketime (its timers stall there)."""
    return playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS,
                                      env=real_clock_env())
