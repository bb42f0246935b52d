"""The outbound WeChat client against a local stand-in of WeChat's API servers."""
import json
import threading

import pytest

from bot.infra.store import MemoryStore, RedisStore
from bot.wechat.api import WeChatAPI, WeChatError


@pytest.fixture(params=["memory", "redis"])
def store(request):
    return MemoryStore() if request.param == "memory" else RedisStore(request.getfixturevalue("real_redis_url"))


def api(fake, store):
    return WeChatAPI("wx-app", "secret", fake.url, store)


def test_token_is_fetched_once_and_shared_by_every_client(fake_wechat, store):
    first, second = api(fake_wechat, store), api(fake_wechat, store)  # two processes, one store
    first.send_text("o-1", "你好")
    second.send_text("o-2", "你好")
    assert len(fake_wechat.tokens_issued) == 1
    assert fake_wechat.texts_to("o-1") == ["你好"] and fake_wechat.texts_to("o-2") == ["你好"]


def test_concurrent_first_use_fetches_exactly_one_token(fake_wechat, store):
    clients = [api(fake_wechat, store) for _ in range(8)]
    errors = []

    def send(i, client):
        try:
            client.send_text(f"o-{i}", "hi")
        except Exception as exc:  # collected: any failure fails the test below
            errors.append(exc)
    threads = [threading.Thread(target=send, args=(i, c)) for i, c in enumerate(clients)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert errors == [] and len(fake_wechat.tokens_issued) == 1
    assert len(fake_wechat.received["message/custom/send"]) == 8


def test_invalid_token_refreshes_and_retries_once(fake_wechat, store):
    client = api(fake_wechat, store)
    client.send_text("o-1", "one")
    fake_wechat.tokens_issued.append("rotated-elsewhere")  # WeChat no longer accepts our token
    client.send_text("o-1", "two")
    assert fake_wechat.texts_to("o-1") == ["one", "two"]
    fake_wechat.fail("message/custom/send", 40001, 40001)
    with pytest.raises(WeChatError) as exc:
        client.send_text("o-1", "three")  # still refused after one refresh: give up, do not loop
    assert exc.value.code == 40001 and not exc.value.retryable


@pytest.mark.parametrize("outcome,code,retryable", [(45015, 45015, False), (45047, 45047, False),
                                                    (("http", 502), None, True), (-1, -1, True)])
def test_errors_map_to_clear_outcomes(fake_wechat, store, outcome, code, retryable):
    client = api(fake_wechat, store)
    fake_wechat.fail("message/custom/send", outcome)
    with pytest.raises(WeChatError) as exc:
        client.send_text("o-1", "x")
    assert exc.value.code == code and exc.value.retryable is retryable
    if code in (45015, 45047):
        assert "客服消息" in exc.value.message or "窗口" in exc.value.message


def test_unreachable_wechat_is_retryable(store):
    client = WeChatAPI("wx-app", "secret", "http://127.0.0.1:9/cgi-bin/", store, timeout=0.5)
    with pytest.raises(WeChatError) as exc:
        client.send_text("o-1", "x")
    assert exc.value.retryable


def test_no_secret_means_a_clear_refusal(fake_wechat, store):
    with pytest.raises(WeChatError) as exc:
        WeChatAPI("wx-app", None, fake_wechat.url, store).send_text("o-1", "x")
    assert "WECHAT_APP_SECRET" in exc.value.message


def test_template_message(fake_wechat, store):
    api(fake_wechat, store).send_template("o-1", "tpl-1", {"first": {"value": "已成团"}}, url="https://x")
    sent = fake_wechat.received["message/template/send"][0]
    assert sent["touser"] == "o-1" and sent["template_id"] == "tpl-1" and sent["data"]["first"]["value"] == "已成团"


def test_menu_sync_command_publishes_the_repo_menu(wechat_app, fake_wechat):
    result = wechat_app.test_cli_runner().invoke(args=["menu", "sync"])
    assert result.exit_code == 0, result.output
    menu = fake_wechat.received["menu/create"][0]
    with open("menu.json", encoding="utf-8") as fh:
        assert menu == json.load(fh)


@pytest.mark.parametrize("menu,problem", [
    ({"button": []}, "1 to 3"),
    ({"button": [{"name": "a"}] * 4}, "1 to 3"),
    ({"button": [{"name": "这个菜单名字实在是太长了"}]}, "16 bytes"),
    ({"button": [{"name": "a", "sub_button": [{"type": "click", "name": "b", "key": ""}]}]}, "key"),
    ({"button": [{"name": "a", "sub_button": [{"type": "click", "name": "b", "key": "k"}] * 6}]}, "5 sub-buttons"),
])
def test_menu_sync_refuses_menus_wechat_would_reject(wechat_app, fake_wechat, tmp_path, menu, problem):
    path = tmp_path / "menu.json"
    path.write_text(json.dumps(menu, ensure_ascii=False), encoding="utf-8")
    result = wechat_app.test_cli_runner().invoke(args=["menu", "sync", "--file", str(path)])
    assert result.exit_code != 0 and problem in result.output
    assert fake_wechat.received["menu/create"] == []
