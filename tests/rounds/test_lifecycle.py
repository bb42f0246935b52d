"""Deadlines, the sweep (by hand, twice, concurrently), notices exactly once, templates, scheduling."""
import datetime as dt
import threading

from sqlalchemy import select

from bot.models import Round, RoundNotification
from bot.rounds.joining import join
from bot.rounds.lifecycle import sweep
from tests.helpers import round_id, run_jobs, set_deadline


STRAWBERRY, EGGS = "丹东草莓 第3期", "散养土鸡蛋 拼单"


def _status(svc, rid):
    with svc.db.session() as s:
        return s.get(Round, rid).status


def test_cli_sweep_cancels_below_minimum_and_closes_confirmed_rounds(rounds_app, fake_wechat):
    svc = rounds_app.extensions["xiaoer"]
    berries, eggs = round_id(svc, STRAWBERRY), round_id(svc, EGGS)
    join(svc.db, berries, "o-demo-alice", 3, "西湖自提点")
    join(svc.db, berries, "o-demo-bob", 2, "滨江自提点")
    for i in range(3):
        join(svc.db, eggs, f"o-egg-{i}", 10, "西湖自提点")  # 30: confirmed
    run_jobs(svc)
    set_deadline(svc, berries, dt.timedelta(minutes=-1))
    set_deadline(svc, eggs, dt.timedelta(minutes=-1))
    result = rounds_app.test_cli_runner().invoke(args=["rounds", "sweep"])
    assert result.exit_code == 0, result.output
    assert "2 round(s) ended" in result.output
    assert (_status(svc, berries), _status(svc, eggs)) == ("cancelled", "closed")
    again = rounds_app.test_cli_runner().invoke(args=["rounds", "sweep"])
    assert "0 round(s) ended" in again.output
    run_jobs(svc)
    for openid in ("o-demo-alice", "o-demo-bob"):
        assert [t for t in fake_wechat.texts_to(openid) if "未成团" in t and "5/20" in t] == fake_wechat.texts_to(openid)
        assert len(fake_wechat.texts_to(openid)) == 1
    for i in range(3):
        texts = fake_wechat.texts_to(f"o-egg-{i}")
        assert sum("成团通知" in t for t in texts) == 1 and sum("截单通知" in t for t in texts) == 1


def test_concurrent_sweeps_and_notice_jobs_tell_everyone_once(rounds_app, fake_wechat):
    from bot.rounds.notices import send_round_notices

    svc = rounds_app.extensions["xiaoer"]
    rid = round_id(svc, STRAWBERRY)
    people = [f"o-p-{i}" for i in range(6)]
    for p in people:
        join(svc.db, rid, p, 1, "西湖自提点")
    set_deadline(svc, rid, dt.timedelta(seconds=-5))
    barrier = threading.Barrier(4)

    def worker():
        barrier.wait()
        sweep(svc.db)
        send_round_notices(svc, rid)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    send_round_notices(svc, rid)
    for p in people:
        assert len(fake_wechat.texts_to(p)) == 1, fake_wechat.texts_to(p)
    with svc.db.session() as s:
        rows = s.execute(select(RoundNotification).where(RoundNotification.round_id == rid)).scalars().all()
        assert sorted((r.openid, r.event, r.status) for r in rows) == [(p, "cancelled", "sent") for p in people]


def test_retryable_failure_is_sent_later_not_twice(rounds_app, fake_wechat):
    from bot.rounds.notices import send_round_notices
    from bot.wechat.api import WeChatError

    svc = rounds_app.extensions["xiaoer"]
    rid = round_id(svc, STRAWBERRY)
    join(svc.db, rid, "o-r-1", 1, "西湖自提点")
    set_deadline(svc, rid, dt.timedelta(seconds=-5))
    sweep(svc.db)
    fake_wechat.fail("message/custom/send", ("http", 503))
    try:
        send_round_notices(svc, rid)
        raise AssertionError("a 503 must make the job fail so the queue retries")
    except WeChatError as exc:
        assert exc.retryable
    assert send_round_notices(svc, rid) == 1
    assert send_round_notices(svc, rid) == 0
    assert len(fake_wechat.texts_to("o-r-1")) == 1


def test_template_message_when_configured(make_app, fake_wechat):
    from bot.demo import seed

    app = make_app(WECHAT_API_BASE=fake_wechat.url, WECHAT_APP_SECRET="s", WECHAT_TEMPLATE_ID="tpl-round")
    svc = app.extensions["xiaoer"]
    seed(svc)
    rid = round_id(svc, STRAWBERRY)
    for i in range(4):
        join(svc.db, rid, f"o-t-{i}", 5, "西湖自提点")
    run_jobs(svc)
    from bot.rounds.notices import send_round_notices
    send_round_notices(svc, rid)
    sent = fake_wechat.received["message/template/send"]
    assert sorted(m["touser"] for m in sent) == [f"o-t-{i}" for i in range(4)]
    assert all(m["template_id"] == "tpl-round" and "成团通知" in m["data"]["remark"]["value"] for m in sent)
    assert fake_wechat.received["message/custom/send"] == []


def test_joins_after_the_deadline_are_refused(rounds_app):
    svc = rounds_app.extensions["xiaoer"]
    rid = round_id(svc, STRAWBERRY)
    set_deadline(svc, rid, dt.timedelta(seconds=-1))
    out = join(svc.db, rid, "o-late", 1, "西湖自提点")
    assert out.outcome == "refused" and "截止" in out.reason


def test_sweep_is_booked_once_per_slot_on_redis(make_app, real_redis_url):
    from rq.registry import ScheduledJobRegistry

    from bot.worker.scheduler import book_next_sweep

    app = make_app(REDIS_URL=real_redis_url)
    svc = app.extensions["xiaoer"]
    now = 1_800_000_000.0
    first = book_next_sweep(svc, now)
    second = book_next_sweep(svc, now + 1)  # a second worker starting in the same minute
    assert first == second
    registry = ScheduledJobRegistry(queue=svc.queue.queue)
    assert registry.get_job_ids() == [first]
    assert book_next_sweep(svc, now + 60) != first
