"""The queue job that delivers late and long answers as customer-service messages."""
from __future__ import annotations

from ..worker.registry import job


def part_key(message_key: str | int | None, openid: str, index: int) -> str:
    """The idempotency key of part `index` (counted from the answer's first part) of an answer."""
    return f"delivered:{message_key}:{openid}:{index}"


@job
def deliver_text(services, row_id: int | None, openid: str, parts: list[str],
                 path: str = "customer_service", message_key: str | None = None, first: int = 0) -> None:
    """Customer-service messages for a late or long answer; refusals are recorded, not retried.

    `message_key` (the inbound message's dedup key) names this delivery even when the message
    could not be logged (row_id None), so a retry resumes where it stopped and no other
    delivery shares its parts' idempotency keys. `first` is the index of `parts[0]` in the whole
    answer (1 when the first part went out passively), so a part has one key whichever job or
    passive reply (`ReplyWindow`) takes it."""
    for i, part in enumerate(parts, first):
        sent = services.outbound.send(openid, part, key=part_key(message_key or row_id, openid, i))
        if not sent.ok:
            services.recorder.delivery(row_id, "failed", sent.detail)
            sent.retry_later()  # the queue tries again; the parts already sent are skipped
            return
    services.recorder.delivery(row_id, path)
