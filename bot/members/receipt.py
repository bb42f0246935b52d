"""收货反馈: when an order is signed for, its points are awarded and the customer is asked once how it was.

`on_signed` runs inside the order push's transaction: the order's points (source `order:<no>`) and
one receipt check per order (unique order number) are written with the push, so a replayed push, or
a second 已签收 for the same order, awards and asks nothing twice. The question goes out from the
worker after the commit (`ask`), as a customer-service message within 48 hours of the customer's
last message, else as a template message when WECHAT_TEMPLATE_ID is set, else not at all, with the
reason recorded on the check. A customer who said 「以后不用问了」 is not asked again.
"""
from __future__ import annotations

import datetime as dt
import logging
import math

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from ..infra.prepared import Prepared
from ..models import Customer, MessageLog, ReceiptCheck, utcnow
from . import points

log = logging.getLogger(__name__)
SERVICE_WINDOW = dt.timedelta(hours=48)  # WeChat: customer-service messages only this long after the customer's last
ANSWER_WINDOW = dt.timedelta(days=7)  # how long an answer to the question is taken as one
OUTSIDE_WINDOW = "顾客超过 48 小时没有发消息，微信不允许发客服消息，且未配置 WECHAT_TEMPLATE_ID（模板消息），所以没有询问。"


def signed_for(status: str | None) -> bool:
    return bool(status) and "签收" in status and "未签收" not in status and "拒" not in status


def question(product: str | None) -> str:
    what = f"这次的{product}" if product else "这次的商品"
    return f"收到啦～{what}怎么样？回复 1-5 分，也可以直接说说感受"


def on_signed(s: Session, config, order_no: str, member_id: str, total_cents: int | None,
              product: str | None) -> int | None:
    """In the push's transaction: the order's points and the receipt check. Returns the new check's
    id (to be asked after the commit), or None when this order was handled before."""
    customer = s.execute(select(Customer).where(Customer.member_id == member_id)).scalar()
    if customer is None:
        return None
    if total_cents and config.POINTS_PER_YUAN > 0:
        earned = math.floor(total_cents / 100 * config.POINTS_PER_YUAN)
        points.award(s, config, customer.id, earned, f"订单 {order_no} 签收", f"order:{order_no}")
    if s.execute(select(ReceiptCheck.id).where(ReceiptCheck.order_no == order_no)).first():
        return None
    check = ReceiptCheck(order_no=order_no, customer_id=customer.id, product=product, status="pending")
    s.add(check)
    s.flush()
    return check.id


def queue_ask(services, check_id: int | None) -> None:
    if check_id is not None:
        services.queue.enqueue("ask_receipt", check_id)


def _last_message(s: Session, openids: list[str]) -> tuple[str | None, dt.datetime | None]:
    """The customer's identity that last wrote to us, and when (events count: WeChat opens the
    window for menu clicks and follows too)."""
    if not openids:
        return None, None
    row = s.execute(select(MessageLog.openid, func.max(MessageLog.created_at)).where(MessageLog.openid.in_(openids))
                    .group_by(MessageLog.openid).order_by(func.max(MessageLog.created_at).desc()).limit(1)).first()
    return (row[0], row[1]) if row else (openids[0], None)


def _plan(s: Session, services, check: ReceiptCheck) -> tuple[str | None, str | None, str | None]:
    """(openid, channel, reason not asked)."""
    customer = s.get(Customer, check.customer_id) if check.customer_id else None
    if customer is None:
        return None, None, "订单的顾客不是会员，无法询问。"
    if customer.receipt_opt_out:
        return None, None, "顾客说过「以后不用问了」。"
    openid, last = _last_message(s, sorted(o.openid for o in customer.openids))
    if openid is None:
        return None, None, "会员没有绑定微信，无法询问。"
    if last is not None and utcnow() - last < SERVICE_WINDOW:
        return openid, "customer_service", None
    if services.config.WECHAT_TEMPLATE_ID:
        return openid, "template", None
    return None, None, OUTSIDE_WINDOW


def ask(services, check_id: int) -> str:
    """Ask one check's question (claimed first, so two workers ask once); returns its new status."""
    with services.db.session() as s:
        claimed = s.execute(update(ReceiptCheck).where(ReceiptCheck.id == check_id, ReceiptCheck.status == "pending")
                            .values(status="asking")).rowcount
        if not claimed:
            return "taken"
        check = s.get(ReceiptCheck, check_id)
        openid, channel, reason = _plan(s, services, check)
        if reason:
            check.status, check.skip_reason = "skipped", reason
            log.info("receipt check for %s not asked: %s", check.order_no, reason)
            return "skipped"
        text, order_no = question(check.product), check.order_no
    template = {"first": text, "keyword1": order_no, "keyword2": "已签收", "remark": "直接回复 1-5 分或说说感受即可。"}
    sent = services.outbound.send(openid, text, template=template if channel == "template" else None,
                                  key=f"receipt:{check_id}")
    with services.db.session() as s:
        check = s.get(ReceiptCheck, check_id)
        if sent.ok:
            check.status, check.openid, check.channel, check.asked_at = "asked", openid, channel, utcnow()
        elif sent.retryable:
            check.status = "pending"  # the queue tries again
        else:
            check.status, check.skip_reason = "skipped", f"微信拒绝了询问（{sent.detail}）：{sent.advice}"
        status = check.status
    sent.retry_later()
    return status


_ANY_ASKED = Prepared(select(ReceiptCheck.id).where(ReceiptCheck.openid == bindparam("openid"),
                                                     ReceiptCheck.status == "asked",
                                                     ReceiptCheck.asked_at >= bindparam("since")).limit(1))


def any_awaiting(engine, openid: str) -> bool:
    """Whether `awaiting` could find anything, as a prepared statement: it runs on every message,
    and almost every customer has no question open (issue 17: an ORM session per message for a
    look-up that finds nothing was most of this check's cost)."""
    return _ANY_ASKED.exists(engine, {"openid": openid, "since": utcnow() - ANSWER_WINDOW})


def awaiting(s: Session, openid: str) -> ReceiptCheck | None:
    """The check this customer's next words may answer: asked within ANSWER_WINDOW, not answered."""
    return s.execute(select(ReceiptCheck).where(ReceiptCheck.openid == openid, ReceiptCheck.status == "asked",
                                                ReceiptCheck.asked_at >= utcnow() - ANSWER_WINDOW)
                     .order_by(ReceiptCheck.asked_at.desc(), ReceiptCheck.id.desc()).limit(1)).scalar()


def pending_ids(s: Session, older_than: dt.timedelta = dt.timedelta(minutes=1)) -> list[int]:
    """Checks written but never asked (the queue was down when the push came): the sweep asks them."""
    return list(s.execute(select(ReceiptCheck.id).where(ReceiptCheck.status == "pending",
                                                        ReceiptCheck.created_at <= utcnow() - older_than)
                          .limit(100)).scalars())
