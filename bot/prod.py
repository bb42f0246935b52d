"""`make prod` refuses to start a production stack that would quietly fall back to development
defaults (SQLite, in-process store, the development token): each of those breaks as soon as
there is more than one process, or is a security hole. Run as `python -m bot.prod check`."""
from __future__ import annotations

import sys
from urllib.parse import urlparse

from .config import Config, DEV_WECHAT_TOKEN


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
        found.append("SECRET_KEY must be set to a long random value (python -c 'import secrets; print(secrets.token_urlsafe(48))')")
    if cfg.RASA_URL and not cfg.RASA_TOKEN:
        found.append("RASA_TOKEN must be set when RASA_URL is (the Rasa server's --auth-token)")
    return found


def processes(cfg: Config) -> list[str]:
    """The Procfile entries to start: the Rasa server only when RASA_URL points at this machine."""
    names = ["web", "worker"]
    if cfg.RASA_URL and urlparse(cfg.RASA_URL).hostname in ("127.0.0.1", "localhost"):
        names.append("nlu")
    return names


def main(argv: list[str]) -> int:
    cfg = Config()
    if argv[:1] == ["processes"]:
        print(" ".join(processes(cfg)))
        return 0
    found = problems(cfg)
    if found:
        print("make prod: refusing to start production with development defaults:", file=sys.stderr)
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
