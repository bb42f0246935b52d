"""The one way out to WeChat: every proactive message (late answers, staff replies, round notices,
order and stock news) goes through `Outbound.send`, the only caller of WeChat's send API.

`send` chooses a template message or a customer-service message, skips a message whose
idempotency key says it already went out, and turns WeChat's errors into one `Sent` result with
the advice staff need. The access-token refresh happens inside `api.WeChatAPI`; giving up or
retrying is decided here (`Sent.retryable`), and the caller only records the result on its own row
and calls `Sent.retry_later()` so the queue tries again.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from .api import WeChatError

log = logging.getLogger(__name__)
REMEMBER_SENT = 7 * 86400  # seconds a key keeps a retried job from sending twice
ADVICE = {
    45015: "顾客超过 48 小时没有发消息，微信不允许再主动发客服消息。请等顾客下次发消息后再回复，或电话联系顾客。",
    45047: "发给这位顾客的客服消息已达微信的条数上限。请等顾客回复后再发，重要内容请电话联系。",
    43004: "顾客已取消关注公众号，消息无法送达。请通过订单上的电话联系顾客。",
    None: "公众号未配置 WECHAT_APP_SECRET 或无法连接微信，消息没有发出。请管理员检查配置后点「重新发送」。",
}


@dataclass(frozen=True)
class Sent:
    """What became of one message: sent (now or by an earlier try) or refused with `error`."""

    error: WeChatError | None = None
    already: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def retryable(self) -> bool:
        return self.error is not None and self.error.retryable

    @property
    def detail(self) -> str | None:
        """`code: message`, as recorded on message-log rows, ticket messages and notices."""
        return None if self.error is None else f"{self.error.code}: {self.error.message}"

    @property
    def advice(self) -> str | None:
        """What staff can do about a failure, in their words."""
        if self.error is None:
            return None
        return ADVICE.get(self.error.code) or (
            "微信暂时不可用，系统会自动重试。" if self.error.retryable else "微信拒绝了这条消息，请换种方式联系顾客。")

    def retry_later(self) -> None:
        """Raise the error when trying again can help: the queue's retry runs the job again."""
        if self.retryable:
            raise self.error


class Outbound:
    """`client` is `api.WeChatAPI` or `api.DevOutbox`; `store` remembers idempotency keys."""

    def __init__(self, client, store, template_id: str | None = None) -> None:
        self.client, self.store, self.template_id = client, store, template_id

    def send(self, openid: str, text: str, template: dict | None = None, key: str | None = None) -> Sent:
        """A template message when WECHAT_TEMPLATE_ID is set and `template` fields are given, else a
        customer-service message with `text`. With `key`, a message is sent at most once: the key is
        claimed before the call (two workers running the same job cannot both send) and released
        only when WeChat refused, so a retry may try again. A process killed during the call leaves
        the claim in place: the message may be missing, it is never sent twice."""
        done = f"sent:{key}" if key else None
        if done and not self.store.set_nx(done, "sending", REMEMBER_SENT):
            return Sent(already=True)
        try:
            if self.template_id and template:
                self.client.send_template(openid, self.template_id,
                                          {k: {"value": v} for k, v in template.items()})
            else:
                self.client.send_text(openid, text)
        except WeChatError as exc:
            log.warning("message to %s not sent (%s): %s", openid,
                        "retried later" if exc.retryable else "refused", exc)
            self._release(done)
            return Sent(error=exc)
        except Exception:
            self._release(done)
            raise
        if done:
            self.store.set(done, "1", REMEMBER_SENT)
        return Sent()

    def reserve_passive(self, key: str) -> bool:
        """Claim `key` for a passive reply (WeChat's retry of the message is answered with this part
        instead): True when the part was not sent and is not being sent as a message. A passive
        reply may be repeated to further retries (WeChat shows one reply per message)."""
        done = f"sent:{key}"
        return self.store.set_nx(done, "passive", REMEMBER_SENT) or self.store.get(done) == "passive"

    def _release(self, done: str | None) -> None:
        if done:
            try:
                self.store.delete(done)
            except Exception:  # the store is gone too: the claim expires with REMEMBER_SENT
                log.warning("could not release %s", done)
