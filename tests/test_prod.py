"""`make prod` (python -m bot.prod check) refuses development defaults and weak settings, and every
refusal names the variable and says what to do."""
import subprocess
import sys

import pytest

from bot.config import ROOT, Config
from bot.prod import SECRETS, problems

STRONG = {
    "DATABASE_URL": "postgresql://xiaoer@db:5432/xiaoer", "REDIS_URL": "redis://redis:6379/0",
    "WECHAT_TOKEN": "t" * 32, "WECHAT_AES_KEY": "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR",
    "WECHAT_APP_SECRET": "a" * 32, "SECRET_KEY": "s" * 48, "DATA_KEY": "d" * 48,
}


def _problems(monkeypatch, **env):
    for name in (*SECRETS, "RASA_URL", "CONSOLE_SECURE_COOKIES", "WECHAT_MAX_CLOCK_SKEW", "WECHAT_DEV_OUTBOX",
                 "CONSOLE_SIMULATOR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in {**STRONG, **env}.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    return problems(Config())


def test_a_strong_configuration_passes(monkeypatch):
    assert _problems(monkeypatch) == []
    assert _problems(monkeypatch, API_TOKEN="x" * 32, API_TOKEN_FEEDBACK="f" * 40, METRICS_TOKEN="m" * 32) == []


@pytest.mark.parametrize("env,variable,advice", [
    ({"DATA_KEY": None}, "DATA_KEY", "set DATA_KEY to the current SECRET_KEY"),
    ({"SECRET_KEY": "short-secret"}, "SECRET_KEY", "at least 32"),
    ({"DATA_KEY": "d" * 31}, "DATA_KEY", "at least 32"),
    ({"WECHAT_TOKEN": "tok"}, "WECHAT_TOKEN", "WeChat console"),
    ({"WECHAT_APP_SECRET": "abc"}, "WECHAT_APP_SECRET", "AppSecret"),
    ({"API_TOKEN": "test-api-token"}, "API_TOKEN", "token_urlsafe"),
    ({"API_TOKEN_FEEDBACK": "short"}, "API_TOKEN_FEEDBACK", "at least 32"),
    ({"API_TOKEN_ROUNDS": "short"}, "API_TOKEN_ROUNDS", "at least 32"),
    ({"API_TOKEN_TICKETS": "short"}, "API_TOKEN_TICKETS", "at least 32"),
    ({"METRICS_TOKEN": "short"}, "METRICS_TOKEN", "at least 32"),
    ({"RASA_URL": "http://127.0.0.1:5005", "RASA_TOKEN": "short"}, "RASA_TOKEN", "at least 32"),
    ({"ORDER_SYSTEM_TOKEN": "short"}, "ORDER_SYSTEM_TOKEN", "at least 32"),
    ({"ORDER_WEBHOOK_SECRET": "short"}, "ORDER_WEBHOOK_SECRET", "at least 32"),
    ({"WECHAT_AES_KEY": None}, "WECHAT_AES_KEY", "safe mode"),
    ({"WECHAT_AES_KEY": "too-short"}, "WECHAT_AES_KEY", "43"),
    ({"CONSOLE_SECURE_COOKIES": "0"}, "CONSOLE_SECURE_COOKIES", "HTTPS"),
    ({"WECHAT_MAX_CLOCK_SKEW": "0"}, "WECHAT_MAX_CLOCK_SKEW", "positive"),
    ({"WECHAT_DEV_OUTBOX": "1"}, "WECHAT_DEV_OUTBOX", "remove it"),
    ({"CONSOLE_SIMULATOR": "1"}, "CONSOLE_SIMULATOR", "remove it"),
])
def test_each_weak_setting_is_refused_by_name_with_what_to_do(monkeypatch, env, variable, advice):
    found = _problems(monkeypatch, **env)
    assert len(found) == 1, found
    assert found[0].startswith(variable) and advice in found[0]


def test_the_check_exits_non_zero_and_prints_every_refusal(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "INSTANCE_PATH": str(tmp_path), **STRONG,
           "SECRET_KEY": "short", "CONSOLE_SIMULATOR": "1"}
    done = subprocess.run([sys.executable, "-m", "bot.prod", "check"], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 2
    assert "SECRET_KEY is 5 characters" in done.stderr and "CONSOLE_SIMULATOR=1" in done.stderr
    env.update(SECRET_KEY="s" * 48, CONSOLE_SIMULATOR="0")
    assert subprocess.run([sys.executable, "-m", "bot.prod", "check"], env=env, cwd=ROOT, capture_output=True,
                          timeout=60).returncode == 0
