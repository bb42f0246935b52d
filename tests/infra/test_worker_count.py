"""`make run` / `make prod` worker counts (python -m bot.prod workers): one per core with Redis,
bounded by memory for a model each; exactly one on the in-process store, whatever is asked."""
import subprocess
import sys

import pytest

from bot.config import ROOT, Config
from bot.prod import available_memory_gb, web_workers


def _config(monkeypatch, **env) -> Config:
    for name in ("REDIS_URL", "RASA_URL", "WEB_WORKERS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return Config()


@pytest.mark.parametrize("env, cores, memory, expected", [
    ({}, 8, 64.0, 1),  # in-process store: one process holds it
    ({"WEB_WORKERS": "4"}, 8, 64.0, 1),  # ... even when more are asked for
    ({"REDIS_URL": "redis://127.0.0.1:6379/0"}, 2, 16.0, 2),  # one per core
    ({"REDIS_URL": "redis://127.0.0.1:6379/0"}, 8, 3.5, 3),  # a model each must fit in memory
    ({"REDIS_URL": "redis://127.0.0.1:6379/0"}, 4, 0.4, 1),  # never fewer than one
    ({"REDIS_URL": "redis://127.0.0.1:6379/0", "RASA_URL": "http://127.0.0.1:5005"}, 4, 1.5, 4),  # no model here
    ({"REDIS_URL": "redis://127.0.0.1:6379/0", "WEB_WORKERS": "5"}, 2, 16.0, 5),  # the operator decides
])
def test_worker_count(monkeypatch, env, cores, memory, expected):
    assert web_workers(_config(monkeypatch, **env), n_cores=cores, memory_gb=memory) == expected


def test_available_memory_reads_meminfo(tmp_path):
    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemTotal:       16384000 kB\nMemAvailable:    2097152 kB\n")
    assert available_memory_gb(meminfo) == 2.0
    assert available_memory_gb(tmp_path / "missing") is None


def test_the_command_prints_a_number_and_says_why_it_ignored_a_request(monkeypatch):
    env = {k: v for k, v in __import__("os").environ.items() if k not in ("REDIS_URL", "RASA_URL")}
    out = subprocess.run([sys.executable, "-m", "bot.prod", "workers"], cwd=ROOT, capture_output=True, text=True,
                         env={**env, "WEB_WORKERS": "3"}, check=True)
    assert out.stdout.strip() == "1" and "REDIS_URL" in out.stderr
