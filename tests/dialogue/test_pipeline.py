"""The dialogue pipeline's own promises: state loaded once and saved once, one handler per name,
the ticket image behaviour as an explicit wrapper, and WeChat reached only through outbound.send."""
import pytest

from bot.dialogue.incoming import Incoming
from bot.dialogue.pipeline import respond
from bot.dialogue.registry import Registry, registry
from bot.handlers import media, tickets
from bot.wechat.outbound import Outbound


class CountingStates:
    def __init__(self, states):
        self.states, self.loads, self.saves = states, 0, 0

    def load(self, openid):
        self.loads += 1
        return self.states.load(openid)

    def save(self, openid, state):
        self.saves += 1
        self.states.save(openid, state)


@pytest.mark.parametrize("incoming", [
    Incoming("o-pipe", "text", text="你好"),
    Incoming("o-pipe", "text", text="我要投诉，草莓坏了"),
    Incoming("o-pipe", "event", event="subscribe"),
    Incoming("o-pipe", "image", media_id="m-1"),
])
def test_state_is_loaded_once_and_saved_once(services, monkeypatch, incoming):
    counting = CountingStates(services.states)
    monkeypatch.setattr(services, "states", counting)
    assert respond(incoming, services, timeout=30).answer
    assert (counting.loads, counting.saves) == (1, 1)


def test_state_is_saved_even_when_a_handler_fails(services, monkeypatch):
    counting = CountingStates(services.states)
    monkeypatch.setattr(services, "states", counting)

    def broken(turn):
        turn.state.slots["seen"] = True
        raise RuntimeError("handler bug")
    monkeypatch.setitem(registry.events, "subscribe", broken)
    with pytest.raises(RuntimeError):
        respond(Incoming("o-pipe-fail", "event", event="subscribe"), services)
    assert counting.saves == 1 and services.states.load("o-pipe-fail").slots == {"seen": True}


def test_registry_refuses_a_second_handler_for_a_name():
    fresh = Registry()
    fresh.intent("greet")(lambda turn: "a")
    with pytest.raises(ValueError, match="greet"):
        fresh.intent("greet")(lambda turn: "b")
    with pytest.raises(ValueError, match="greet"):
        fresh.command("greet", "开团")(lambda turn: None)
    fresh.kind("image")(media.image)
    with pytest.raises(ValueError, match="image"):
        fresh.kind("image")(tickets.image)


def test_the_image_handler_is_the_ticket_wrapper_around_the_plain_answer(services):
    assert registry.for_kind("image") is tickets.image
    answer = respond(Incoming("o-no-ticket", "image", media_id="m-2"), services)
    assert answer.answer == media.image(None)


class RecordingClient:
    def __init__(self):
        self.sent = []

    def send_text(self, openid, text):
        self.sent.append(("text", openid, text))

    def send_template(self, openid, template_id, data):
        self.sent.append(("template", openid, template_id, data))


def test_outbound_chooses_template_or_text_and_sends_a_key_once(services):
    client = RecordingClient()
    with_template = Outbound(client, services.store, "tpl-1")
    assert with_template.send("o-1", "已发货", template={"first": "订单"}, key="k-out-1").ok
    assert with_template.send("o-1", "已发货", template={"first": "订单"}, key="k-out-1").already
    Outbound(client, services.store, None).send("o-2", "到货了", template={"first": "到货"})
    Outbound(client, services.store, "tpl-1").send("o-3", "只有文字")
    assert client.sent == [("template", "o-1", "tpl-1", {"first": {"value": "订单"}}),
                           ("text", "o-2", "到货了"), ("text", "o-3", "只有文字")]
