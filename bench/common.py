"""Shared by the benchmarks: a real server process, percentiles, memory readings."""
from __future__ import annotations

import http.client
import os
import socket
import threading
import statistics
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "bench-token-0123456789abcdefghij"  # 32 characters: what `make prod` requires
APP_ID = "wx-bench"
AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(env: dict, workers: int = 1, threads: int = 8, log: Path | None = None,
                 timeout: float = 180) -> tuple[subprocess.Popen, str]:
    """gunicorn serving the real app; returns once /healthz says the model is loaded."""
    port = free_port()
    out = open(log or os.devnull, "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--threads", str(threads), "bot.wsgi:app"],
        cwd=ROOT, env={**os.environ, "WECHAT_TOKEN": TOKEN, "WECHAT_APP_ID": APP_ID,
                       "WECHAT_AES_KEY": AES_KEY, **env}, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{url}/healthz", timeout=1).status_code == 200:
                return proc, url
        except requests.RequestException:
            pass
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}; see {log}")
        time.sleep(0.5)
    proc.terminate()
    raise SystemExit("server did not become healthy in time")


class KeepAliveTransport:
    """A lean HTTP client (one keep-alive connection per thread), so the figures measure the
    server rather than a heavyweight client library; plugs into Simulator(post=...)."""

    def __init__(self, url: str) -> None:
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        self.host, self.port, self.path = parts.hostname, parts.port, parts.path
        self._local = threading.local()

    def __call__(self, query: dict, body: bytes) -> tuple[int, str]:
        return self.send(self.target(query), body)

    def target(self, query: dict) -> str:
        from urllib.parse import urlencode

        return f"{self.path}?{urlencode(query)}"

    def send(self, target: str, body: bytes) -> tuple[int, str]:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            conn.request("POST", target, body=body,
                         headers={"Content-Type": "text/xml", "Content-Length": str(len(body))})
            response = conn.getresponse()
            return response.status, response.read().decode()
        except (OSError, http.client.HTTPException):
            self._local.conn = None
            conn.close()
            raise


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    q = statistics.quantiles(ordered, n=100, method="inclusive")
    return {"p50": statistics.median(ordered), "p95": q[94], "p99": q[98], "max": ordered[-1]}


def peak_rss_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of a process and its children, in MB."""
    total = 0.0
    pids = [pid] + [int(p) for p in subprocess.run(["pgrep", "-P", str(pid)], capture_output=True,
                                                   text=True).stdout.split()]
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total = max(total, int(line.split()[1]) / 1024)
        except FileNotFoundError:
            continue
    return total


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process and its children have used so far. Unlike wall-clock
    figures it barely moves when other work shares the machine: CPU per message is what decides
    throughput on a core of one's own."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pids = [pid] + [int(p) for p in subprocess.run(["pgrep", "-P", str(pid)], capture_output=True,
                                                   text=True).stdout.split()]
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
        except (FileNotFoundError, IndexError, ValueError):
            continue
    return total


def ms(value: float) -> str:
    return f"{value * 1000:.1f} ms"
