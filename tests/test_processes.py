"""Several real server processes on one Redis: dedup and state are shared, not per process."""
import concurrent.futures as cf
import os
import subprocess
import sys
import time

import pytest
import redis as redis_lib
import requests

from bot.config import ROOT
from bot.wechat.simulator import Simulator, message_xml
from tests.helpers import APP_ID, TOKEN, clean_database, free_port, real_redis_server, redis_url_for_tests


AES = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"


@pytest.fixture(scope="module")
def redis_for_servers():
    url = redis_url_for_tests(real_redis_server())
    redis_lib.Redis.from_url(url).flushdb()
    return url


@pytest.fixture(scope="module")
def two_servers(database_url, redis_for_servers, nlu_engine, tmp_path_factory):
    """Two gunicorn processes on one Redis and database. The first never trusts the model
    (it always asks which intent was meant), so if both handled a message the answers differ."""
    clean_database(database_url)
    tmp_path = tmp_path_factory.mktemp("servers")
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_for_servers,
           "MODEL_PATH": str(nlu_engine.model), "WECHAT_TOKEN": TOKEN, "WECHAT_APP_ID": APP_ID,
           "WECHAT_AES_KEY": AES, "INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "test-secret"}
    procs, urls = [], []
    for i, threshold in enumerate(("1.01", "0.45")):
        port = free_port()
        log = open(tmp_path / f"server{i}.log", "w")
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1",
             "--threads", "8", "bot.wsgi:app"], cwd=ROOT, env={**env, "NLU_THRESHOLD": threshold},
            stdout=log, stderr=subprocess.STDOUT))
        urls.append(f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + 300  # each process loads the model; CI's 2 cores may be busy
    for url in urls:
        while True:
            try:
                if requests.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                pass
            assert time.monotonic() < deadline, (tmp_path / "server0.log").read_text()[-3000:]
            time.sleep(0.5)
    yield urls
    for p in procs:  # both stop at once: gunicorn drains its threads first, which takes seconds
        p.terminate()
    for p in procs:
        try:
            p.wait(30)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(10)


def test_retries_spread_over_two_processes_are_handled_once(two_servers, redis_for_servers):
    sims = [Simulator(TOKEN, APP_ID, AES, url=f"{u}/wechat") for u in two_servers]
    messages = [message_xml(f"o-multi-{i % 5}", "text", Content=text, msg_id=880000 + i)
                for i, text in enumerate(["你好", "谢谢", "你能做什么", "再见", "转人工"] * 4)]

    def deliver_to_both(xml):
        with cf.ThreadPoolExecutor(2) as pool:
            return [f.result()[2] for f in [pool.submit(s.deliver, xml) for s in sims]]

    metrics = redis_lib.Redis.from_url(redis_for_servers, decode_responses=True)
    before = {k: float(v) for k, v in metrics.hgetall("metrics").items()}
    with cf.ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(deliver_to_both, messages))
    assert all(a[0] == a[1] and a[0] for a in answers), answers
    after = {k: float(v) for k, v in metrics.hgetall("metrics").items()}
    for counter in ("xiaoer_requests_total|kind=text", "xiaoer_dedup_hits_total"):
        assert after[counter] - before.get(counter, 0) == len(messages)


def test_conversation_continues_on_the_other_process(two_servers):
    """A question asked by one worker is answered by the next message on another worker."""
    asking, answering = (Simulator(TOKEN, APP_ID, AES, url=f"{u}/wechat") for u in two_servers)
    question = asking.say("o-hop", "转人工客服")
    assert "回复数字" in question and "转人工客服" in question
    choice = next(line[0] for line in question.splitlines() if line.endswith("转人工客服"))
    assert "人工客服" in answering.say("o-hop", choice)


def test_chat_command_talks_to_the_running_webhook(two_servers, tmp_path):
    env = {**os.environ, "WECHAT_TOKEN": TOKEN, "WECHAT_APP_ID": APP_ID, "WECHAT_AES_KEY": AES,
           "INSTANCE_PATH": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "bot", "chat", "--openid", "o-chat", "--url", f"{two_servers[1]}/wechat"],
        input="你好\n谢谢\n/quit\n", capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "小二> 您好，欢迎光临" in result.stdout and "不客气" in result.stdout


def test_rate_limit_is_counted_across_both_processes(two_servers):
    """One openid's budget (20 a minute by default) is shared: alternating servers does not double it."""
    from bot.wechat.reply_window import TOO_FAST

    sims = [Simulator(TOKEN, APP_ID, AES, url=f"{u}/wechat") for u in two_servers]
    # 41 messages: however a minute boundary splits them, one window holds at least 21
    answers = [sims[i % 2].deliver(message_xml("o-flood2", "text", Content="谢谢", msg_id=990000 + i))
               for i in range(41)]
    assert all(status == 200 for status, _, _ in answers)
    limited = [i for i, (_, _, answer) in enumerate(answers) if answer == TOO_FAST]
    assert 1 <= len(limited) <= 21 and {i % 2 for i in limited} <= {0, 1}
    assert answers[0][2] != TOO_FAST


_TOKEN_USER = """
import sys, threading
from bot import create_app
svc = create_app({"WECHAT_APP_SECRET": "s", "WECHAT_API_BASE": sys.argv[1]}).extensions["xiaoer"]
threads = [threading.Thread(target=svc.wechat.send_text, args=(f"o-{sys.argv[2]}-{i}", "hi")) for i in range(8)]
[t.start() for t in threads]; [t.join() for t in threads]
"""


def test_access_token_is_fetched_once_under_a_lock_shared_by_processes(redis_for_servers, database_url, tmp_path):
    """Two processes sending at once: one fetches the token (under the Redis lock), both use it."""
    from .fakes.wechat_server import FakeWeChat

    fake = FakeWeChat().start()
    try:
        env = {**os.environ, "REDIS_URL": redis_for_servers, "DATABASE_URL": database_url,
               "INSTANCE_PATH": str(tmp_path), "WECHAT_APP_ID": APP_ID, "NLU_LOAD_IN_BACKGROUND": "1"}
        procs = [subprocess.Popen([sys.executable, "-c", _TOKEN_USER, fake.url, str(n)], cwd=ROOT, env=env,
                                  stderr=subprocess.PIPE, text=True) for n in range(2)]
        for p in procs:
            assert p.wait(120) == 0, p.stderr.read()[-2000:]
        assert len(fake.tokens_issued) == 1
        assert len(fake.received["message/custom/send"]) == 16
    finally:
        fake.stop()
