"""Counters in the shared store, so /metrics sums every worker, rendered as Prometheus text."""
from __future__ import annotations

import bisect
import logging

from bot.infra.store import StoreUnavailable

log = logging.getLogger(__name__)

KEY = "metrics"
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 4.5, 10.0)
HELP = {
    "xiaoer_requests_total": "Webhook messages by kind",
    "xiaoer_intents_total": "Answered messages by intent",
    "xiaoer_dedup_hits_total": "WeChat retries answered from the dedup store",
    "xiaoer_deadline_fallbacks_total": "Answers not ready in the budget, sent as customer-service messages",
    "xiaoer_handler_errors_total": "Handlers that failed (the customer got an apology)",
    "xiaoer_rejected_total": "Requests refused before handling, by reason",
    "xiaoer_rate_limited_total": "Messages answered with the slow-down notice (per-openid limit)",
    "xiaoer_answer_latency_seconds": "Time from request to answer decision",
}


class Metrics:
    def __init__(self, store) -> None:
        self.store = store

    def count(self, name: str, amount: float = 1, **labels: str) -> None:
        self._add({_field(name, labels): amount})

    def _add(self, fields: dict) -> None:
        """Counting must never fail a message: with the store down, the counts are lost, not the answer."""
        try:
            self.store.hincr_many(KEY, fields)
        except StoreUnavailable as exc:
            log.warning("metrics not counted: %s", exc)

    def message(self, kind: str, intent: str | None, seconds: float) -> None:
        """Everything one answered message adds, in one round trip to the store."""
        i = bisect.bisect_left(BUCKETS, seconds)
        fields = {
            _field("xiaoer_requests_total", {"kind": kind}): 1,
            _field("xiaoer_answer_latency_seconds_count", {}): 1,
            _field("xiaoer_answer_latency_seconds_sum", {}): round(seconds, 6),
        }
        if i < len(BUCKETS):
            fields[_field("xiaoer_answer_latency_seconds_bucket", {"le": str(BUCKETS[i])})] = 1
        if intent:
            fields[_field("xiaoer_intents_total", {"intent": intent})] = 1
        self._add(fields)

    def render(self) -> str:
        raw = {k: float(v) for k, v in self.store.hgetall(KEY).items()}
        lines: list[str] = []
        for name, text in HELP.items():
            kind = "histogram" if name.endswith("_seconds") else "counter"
            lines += [f"# HELP {name} {text}", f"# TYPE {name} {kind}"]
            if kind == "histogram":
                running = 0.0
                for le in BUCKETS:
                    running += raw.get(_field(f"{name}_bucket", {"le": str(le)}), 0)
                    lines.append(f'{name}_bucket{{le="{le}"}} {_fmt(running)}')
                count = raw.get(_field(f"{name}_count", {}), 0)
                lines.append(f'{name}_bucket{{le="+Inf"}} {_fmt(count)}')
                lines.append(f"{name}_sum {raw.get(_field(f'{name}_sum', {}), 0)}")
                lines.append(f"{name}_count {_fmt(count)}")
                continue
            series = sorted(k for k in raw if k.split("|", 1)[0] == name)
            for key in series or [name]:
                lines.append(f"{_labels(key)} {_fmt(raw.get(key, 0))}")
        return "\n".join(lines) + "\n"


def _field(name: str, labels: dict) -> str:
    return name + "".join(f"|{k}={v}" for k, v in sorted(labels.items()))


def _labels(key: str) -> str:
    name, *pairs = key.split("|")
    if not pairs:
        return name
    inner = ",".join(f'{k}="{v}"' for k, v in (p.split("=", 1) for p in pairs))
    return f"{name}{{{inner}}}"


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
