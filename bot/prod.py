"""`make prod` refuses to start a production stack that would quietly fall back to development
defaults (SQLite, in-process store, the development token) or run with weak settings (short
secrets, plaintext WeChat mode, insecure cookies, no replay window, the dev outbox, the chat
simulator): each of those breaks as soon as there is more than one process, or is a security hole.
Every refusal names the variable and what to do. Run as `python -m bot.prod check`.
`python -m bot.prod workers` prints how many web workers this machine takes (`make run`, `make prod`)."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import urlparse

from .config import Config, DEV_WECHAT_TOKEN


MIN_SECRET = 32
GENERATE = "python -c 'import secrets; print(secrets.token_urlsafe(48))'"
# Every secret or token `make prod` reads, with where its value comes from when it is not ours to pick.
SECRETS = {
    "SECRET_KEY": None, "DATA_KEY": None, "API_TOKEN": None, "API_TOKEN_FEEDBACK": None,
    "API_TOKEN_ROUNDS": None, "API_TOKEN_TICKETS": None, "METRICS_TOKEN": None, "RASA_TOKEN": None,
    "ORDER_SYSTEM_TOKEN": None, "ORDER_WEBHOOK_SECRET": None,
    "WECHAT_TOKEN": "choose a 32-character Token (WeChat's maximum) and save it in the WeChat console too",
    "WECHAT_APP_SECRET": "copy the 32-character AppSecret from the WeChat console",
}


def problems(cfg: Config) -> list[str]:
    found = []
    if not cfg.DATABASE_URL.startswith("postgresql"):
        found.append("DATABASE_URL must point at PostgreSQL, e.g. postgresql://xiaoer@db-host:5432/xiaoer "
                     "(SQLite cannot be shared by several workers and machines)")
    if not cfg.REDIS_URL:
        found.append("REDIS_URL must be set, e.g. redis://redis-host:6379/0 (dedup, conversation state, "
                     "tokens, locks, rate limits and the job queue are shared through it)")
    if cfg.WECHAT_TOKEN_IS_DEV or cfg.WECHAT_TOKEN == DEV_WECHAT_TOKEN:
        found.append("WECHAT_TOKEN must be set to the Token from the WeChat console")
    if cfg.SECRET_KEY == "dev-secret-key-change-me":
        found.append(f"SECRET_KEY must be set to a long random value ({GENERATE})")
    if not cfg.DATA_KEY:
        found.append(f"DATA_KEY must be set, so that rotating SECRET_KEY never makes encrypted data unreadable "
                     f"({GENERATE}). If this database already holds data written without DATA_KEY, set DATA_KEY to "
                     f"the current SECRET_KEY (the key that data was encrypted with), then give SECRET_KEY a new value")
    for name, how in SECRETS.items():
        value = getattr(cfg, name, None)
        if value and len(value) < MIN_SECRET and not (name == "WECHAT_TOKEN" and cfg.WECHAT_TOKEN_IS_DEV):
            found.append(f"{name} is {len(value)} characters; it must be at least {MIN_SECRET}: "
                         f"{how or 'generate one with ' + GENERATE}")
    if cfg.RASA_URL and not cfg.RASA_TOKEN:
        found.append("RASA_TOKEN must be set when RASA_URL is (the Rasa server's --auth-token)")
    if not cfg.WECHAT_AES_KEY:
        found.append("WECHAT_AES_KEY must be set: switch the account to safe mode (安全模式) in the WeChat console "
                     "(公众平台 → 设置与开发 → 基本配置) and copy its EncodingAESKey; plaintext mode lets whoever "
                     "sees one signed URL post any message")
    elif len(cfg.WECHAT_AES_KEY) != 43:
        found.append(f"WECHAT_AES_KEY is {len(cfg.WECHAT_AES_KEY)} characters; an EncodingAESKey has 43: "
                     "copy it again from the WeChat console")
    if not cfg.CONSOLE_SECURE_COOKIES:
        found.append("CONSOLE_SECURE_COOKIES=0 sends console sessions over plain HTTP: remove it and serve the "
                     "console over HTTPS")
    if not cfg.WECHAT_MAX_CLOCK_SKEW:
        found.append("WECHAT_MAX_CLOCK_SKEW=0 accepts signed requests replayed at any time: remove it "
                     "(default 300 seconds) or set a positive number of seconds")
    if cfg.WECHAT_DEV_OUTBOX:
        found.append("WECHAT_DEV_OUTBOX=1 keeps customers' messages in a development outbox instead of sending "
                     "them: remove it and set WECHAT_APP_SECRET")
    if cfg.CONSOLE_SIMULATOR:
        found.append("CONSOLE_SIMULATOR=1 lets console staff send messages signed with the real Token: remove it "
                     "(the chat simulator is for `make run` only)")
    return found


def processes(cfg: Config) -> list[str]:
    """The Procfile entries to start: the Rasa server only when RASA_URL points at this machine."""
    names = ["web", "worker"]
    if cfg.RASA_URL and urlparse(cfg.RASA_URL).hostname in ("127.0.0.1", "localhost"):
        names.append("nlu")
    return names


# A web worker holds its own NLU model: ~0.8 GB resident measured by `make bench` (issue 17).
WORKER_MEMORY_GB = 1.0


def cores() -> int:
    """Cores this process may run on (a container's CPU set, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def available_memory_gb(meminfo: Path = Path("/proc/meminfo")) -> float | None:
    try:
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) / 1024 / 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def web_workers(cfg: Config, n_cores: int | None = None, memory_gb: float | None = None) -> int:
    """gunicorn workers that use the machine: one per core, as many as memory holds a model for.

    A worker is one Python process, so one core at most (the GIL); its threads overlap waiting,
    not computing. Without REDIS_URL the dedup, conversation state, rate limits and queue live in
    that process's memory, so there must be exactly one worker: more would each keep their own
    and a retry landing on another worker would be handled twice."""
    asked = os.environ.get("WEB_WORKERS", "").strip()
    if not cfg.REDIS_URL:
        if asked not in ("", "1"):
            print(f"WEB_WORKERS={asked} ignored: without REDIS_URL the store lives in one process's "
                  "memory, so one worker serves (set REDIS_URL to run several)", file=sys.stderr)
        return 1
    if asked.isdigit() and int(asked) > 0:
        return int(asked)
    n = n_cores if n_cores is not None else cores()
    memory = memory_gb if memory_gb is not None else available_memory_gb()
    if memory is not None and not cfg.RASA_URL:  # with a Rasa server the workers hold no model
        n = min(n, int(memory // WORKER_MEMORY_GB))
    return max(n, 1)


def main(argv: list[str]) -> int:
    cfg = Config()
    if argv[:1] == ["processes"]:
        print(" ".join(processes(cfg)))
        return 0
    if argv[:1] == ["workers"]:
        print(web_workers(cfg))
        return 0
    found = problems(cfg)
    if found:
        print("make prod: refusing to start production with development defaults or weak settings:",
              file=sys.stderr)
        for line in found:
            print(f"  - {line}", file=sys.stderr)
        print("Set them in the environment (or a .env file honcho reads); `make run` needs none of them.",
              file=sys.stderr)
        return 2
    for line in cfg.describe():
        print(f"make prod: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
