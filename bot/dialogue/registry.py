"""One handler per intent, event and message kind, with explicit fallbacks instead of if/elif chains."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from ..nlu.result import NluResult
from .incoming import Incoming
from .state import ConversationState

if TYPE_CHECKING:  # the pipeline hands each handler the services of the app it runs for
    from ..services import Services


@dataclass
class Turn:
    """Everything a handler may use for one message; `answer` is what it returns."""

    incoming: Incoming
    services: "Services"
    state: ConversationState
    text: str = ""
    nlu: NluResult | None = None
    intent: str | None = None
    meta: dict = field(default_factory=dict)

    @property
    def openid(self) -> str:
        return self.incoming.openid

    def entity(self, name: str):
        """From this message first, then from what earlier turns of the conversation filled in."""
        value = self.nlu.first(name) if self.nlu else None
        return value if value is not None else self.state.slots.get(name)

    def ask(self, slot: str, question: str, accept: str | None = None, **slots) -> str:
        """Keep the question pending: the customer's next message is taken as its answer.
        `accept` is a regex of answers (「1」「西湖」) that never count as changing the subject."""
        self.state.ask(self.intent or "", slot, accept=accept, **slots)
        return question


Handler = Callable[[Turn], str]
Command = Callable[[Turn], "str | None"]


class Registry:
    def __init__(self) -> None:
        self.intents: dict[str, Handler] = {}
        self.events: dict[str, Handler] = {}
        self.kinds: dict[str, Handler] = {}
        self.observers: dict[str, list[Callable[[Turn], None]]] = {}
        self.followers: dict[str, list[Callable[[Turn, str], str]]] = {}
        self.commands: list[tuple[tuple[str, ...], str, Callable[[Turn], bool] | None]] = []
        self.awaiting: list[Callable[[Turn], bool]] = []
        self._early_interceptors: list[Callable[[Turn, bool], str | None]] = []
        self._late_interceptors: list[Callable[[Turn, bool], str | None]] = []
        self.pending_interceptors: list[Callable[[Turn, bool], str | None]] = []

    @staticmethod
    def _put(table: dict, name: str, fn) -> None:
        """One handler per name: a second one is a mistake, never a silent override."""
        if table.get(name, fn) is not fn:
            raise ValueError(f"{name!r} already has a handler ({table[name].__module__}.{table[name].__name__})")
        table[name] = fn

    def _add(self, table: dict, names: tuple[str, ...]):
        def decorate(fn: Handler) -> Handler:
            for name in names:
                self._put(table, name, fn)
            return fn
        return decorate

    def intent(self, *names: str):
        return self._add(self.intents, names)

    def event(self, *names: str):
        return self._add(self.events, names)

    def kind(self, *names: str):
        return self._add(self.kinds, names)

    def observe(self, *names: str):
        """Side work after an intent's handler answered (e.g. feedback records from complaints).
        Observers never change the answer; their failures are logged, not shown to the customer."""
        def decorate(fn):
            for name in names:
                self.observers.setdefault(name, []).append(fn)
            return fn
        return decorate

    def follow(self, *names: str):
        """Adds to an intent's answer when this message started it (not when it answers the intent's
        own question): `fn(turn, answer)` returns the answer to send, e.g. the merchant's policy
        after a complaint's ticket (bot/faq/policy.py)."""
        def decorate(fn):
            for name in names:
                self.followers.setdefault(name, []).append(fn)
            return fn
        return decorate

    def command(self, name: str, *prefixes: str, allowed: Callable[[Turn], bool] | None = None):
        """Fixed-form messages (a merchant's 「开团 ...」) read by rules before the NLU, when
        `allowed(turn)` agrees. The handler's pending questions come back to it the same way; it
        returns None for a message that is not for it, which then goes through the NLU as usual."""
        def decorate(fn: Command) -> Command:
            self._put(self.intents, name, fn)
            self.commands.append((prefixes, name, allowed))
            return fn
        return decorate

    def match_command(self, turn: Turn, pending_intent: str | None = None) -> str | None:
        names = {name for _, name, _ in self.commands}
        if pending_intent in names:
            return pending_intent
        for prefixes, name, allowed in self.commands:
            if turn.text.startswith(prefixes) and (allowed is None or allowed(turn)):
                return name
        return None

    def intercept(self, fn=None, *, last: bool = False, while_pending: bool = False):
        """Runs after the NLU and before any handler or clarification, unless a question is
        pending: `fn(turn, confident)` returns an answer to take the message, or None to pass.
        For conversations that own a customer's next messages (an open ticket, a rating).
        `last=True` runs after every other interceptor whatever the import order (the FAQ must
        not take a message an open ticket owns). `while_pending=True`: it may also answer while
        the bot waits for an order number, a phone number, a quantity or a product, when the
        message is none of those (「包邮吗」 after 「请把订单号发给我」 is a new question)."""
        def add(f):
            self._late_interceptors.append(f) if last else self._early_interceptors.append(f)
            if while_pending:
                self.pending_interceptors.append(f)
            return f
        return add(fn) if fn is not None else add

    def awaits_number(self, fn: Callable[[Turn], bool]) -> Callable[[Turn], bool]:
        """`fn(turn)` says a question sent outside the conversation (a ticket's rating, the receipt
        check) waits for a number: it outranks a menu shown earlier, so 「4」 is a score, not line 4."""
        self.awaiting.append(fn)
        return fn

    @property
    def interceptors(self) -> list[Callable[[Turn, bool], str | None]]:
        return self._early_interceptors + self._late_interceptors

    @property
    def while_pending(self) -> list[Callable[[Turn, bool], str | None]]:
        return [f for f in self.interceptors if f in self.pending_interceptors]

    def for_intent(self, name: str) -> Handler:
        return self.intents.get(name) or self.intents["out_of_scope"]

    def for_event(self, name: str | None) -> Handler:
        return self.events.get(name or "") or self.events["*"]

    def for_kind(self, name: str) -> Handler:
        return self.kinds.get(name) or self.kinds["*"]


registry = Registry()
