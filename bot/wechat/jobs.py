"""The queue job that delivers late and long answers as customer-service messages."""
from __future__ import annotations

from ..worker.registry import job


@job
def deliver_text(services, row_id: int | None, openid: str, parts: list[str],
                 path: str = "customer_service", message_key: str | None = None) -> None:
    """Customer-service messages for a late or long answer; refusals are recorded, not retried.

    `message_key` (the inbound message's dedup key) names this delivery even when the message
    could not be logged (row_id None), so a retry resumes where it stopped and no other
    delivery shares its parts' idempotency keys."""
    for i, part in enumerate(parts):
        sent = services.outbound.send(openid, part, key=f"delivered:{message_key or row_id}:{openid}:{i}")
        if not sent.ok:
            services.recorder.delivery(row_id, "failed", sent.detail)
            sent.retry_later()  # the queue tries again; the parts already sent are skipped
            return
    services.recorder.delivery(row_id, path)
