"""Pay-day check-ins (issue 19): opting in through /wechat, a simulated month on a fixed
clock through the real send path (channel plan, outbox job, client, local fake WeChat API),
the answers, the form they start, the figures per site and the warnings staff see."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
import requests
from flask import Flask
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot import state
from cases.checkins import (
    OFFER,
    OPTED_IN,
    PAID,
    PARTIAL,
    STOPPED,
    UNPAID,
    due_on,
    month_key,
    pay_day_of,
    read_answer,
    wages_month,
    wants_checkins,
    wants_no_checkins,
)
from cases.deadlines import CHINA, china_today
from jobs.checkins import daytime, send_due
from models import (
    Checkin,
    CheckinOptIn,
    ConversationState,
    Message,
    OutboxJob,
    Scan,
    Worker,
    utcnow,
)
from models.db import get_session
from tests.console_fixtures import add_site, add_staff, login
from webhooks.simulator import WeChatSimulator

A, B = "ZJY001", "HLY002"
PAY_A, PAY_B = "每月15日前足额支付上月工资", "每月十号发放上月工资"
TEMPLATE = "TPL_CHECKIN"


@pytest.mark.parametrize(
    ("text", "day"),
    [
        (PAY_A, 15),
        (PAY_B, 10),
        ("每月25号", 25),
        ("次月5日前支付", 5),
        ("每月廿五日", 25),
        ("月底结清", 31),
        ("按月支付", None),
        ("", None),
        ("每月45日", None),
    ],
)
def test_the_pay_day_is_read_from_the_posters_words(text: str, day: int | None) -> None:
    assert pay_day_of(text) == day


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("1", PAID),
        ("2", UNPAID),
        ("３", None),  # full-width digits are not ours to guess here
        ("3", PARTIAL),
        ("发了", PAID),
        ("按时发了，谢谢", PAID),
        ("没发", UNPAID),
        ("还没发呢", UNPAID),
        ("只发了一部分", PARTIAL),
        ("发了一半", PARTIAL),
        ("没发全", PARTIAL),
        ("還沒發", UNPAID),  # traditional characters read the same
        ("到帳了", PAID),  # 帳, which OpenCC makes 帐, reads as 账
        ("只發了一部分", PARTIAL),
        ("4", None),
        ("老板跑了，我们五个人被欠了三个月工资，一共四万多，到现在一分钱没拿到", None),
    ],
)
def test_answers_are_read(text: str, answer: str | None) -> None:
    assert read_answer(text) == answer


def test_opt_in_and_stop_words() -> None:
    assert wants_checkins("每月发工资后问我一声")
    assert wants_checkins("发工资后问我")
    assert not wants_checkins("老板说发工资的时候再说")
    assert wants_no_checkins("不要再问了")
    assert wants_no_checkins("别问我了")
    assert not wants_no_checkins("别问我怎么知道的，反正老板就是不给钱，已经拖了半年了")


def test_due_day_and_wages_month() -> None:
    assert due_on(15, 2027, 1, 3) == date(2027, 1, 18)
    assert due_on(31, 2027, 2, 3) == date(2027, 3, 3)  # the 28th, three days on
    assert wages_month(PAY_A, "2027-01") == (2026, 12)
    assert wages_month("每月25日发放当月工资", "2027-01") == (2027, 1)


def test_never_at_night() -> None:
    config = {"CHECKIN_FROM_HOUR": 9, "CHECKIN_UNTIL_HOUR": 20}
    noon = datetime(2027, 1, 18, 12, 0, tzinfo=CHINA).astimezone(UTC)
    assert daytime(noon, config) == noon
    late = datetime(2027, 1, 18, 22, 30, tzinfo=CHINA).astimezone(UTC)
    early = datetime(2027, 1, 19, 6, 0, tzinfo=CHINA).astimezone(UTC)
    morning = datetime(2027, 1, 19, 9, 0, tzinfo=CHINA)
    assert daytime(late, config) == morning and daytime(early, config) == morning


# --- through /wechat ---------------------------------------------------------------------


def simulator(app: Flask, openid: str) -> WeChatSimulator:
    sim = WeChatSimulator(
        app.config["WECHAT_TOKEN"],
        app.config["WECHAT_APPID"],
        app.config["WECHAT_ENCODING_AES_KEY"],
    )
    sim.openid = openid
    return sim


def push(app: Flask, sim: WeChatSimulator, xml: str) -> str:
    signed = sim.push(xml)
    response = app.test_client().post("/wechat", query_string=signed.args, data=signed.body)
    assert response.status_code == 200
    app.extensions["jobs"].wait()
    return sim.read_reply(response.data) or ""


def scan_and_opt_in(app: Flask, openid: str, code: str) -> str:
    sim = simulator(app, openid)
    welcome = push(app, sim, sim.event("subscribe", f"qrscene_{code}"))
    assert OFFER in welcome  # the scan offers the check-ins
    return push(app, sim, sim.text("每月发工资后问我一声"))


def age_conversations(session: Session, days: int) -> None:
    """Move every conversation's last activity ``days`` back (what a worker did then)."""
    for row in session.scalars(select(ConversationState)):
        remembered = state.load(row.state)
        assert remembered.updated_at is not None
        row.state = state.dump(
            replace(remembered, updated_at=remembered.updated_at - timedelta(days=days))
        )


def clock_reaches(app: Flask, moment: datetime) -> None:
    """The jobs due by ``moment`` (a simulated time) are due now: the relay runs them."""
    with app.app_context():
        session = get_session()
        session.execute(
            update(OutboxJob)
            .where(OutboxJob.run_after <= moment, OutboxJob.status == "pending")
            .values(run_after=utcnow() - timedelta(seconds=1), lease_until=None)
        )
        session.commit()
    dispatcher = app.extensions["jobs"]
    dispatcher.relay_once()
    dispatcher.wait()


def first_of_next_month() -> date:
    """The simulated month: the one after today, so every opt-in is before its due day."""
    today = china_today()
    return (today.replace(day=28) + timedelta(days=4)).replace(day=1)


def at_ten(day: date) -> datetime:
    return datetime.combine(day, time(10), CHINA).astimezone(UTC)


@pytest.fixture
def month(app: Flask, fake_wechat: str) -> dict[str, Any]:
    """Three opted-in workers at site A, two at site B; check-ins sent on their due days."""
    add_site(app, A, name="紫荆苑工地", pay_day=PAY_A)
    add_site(app, B, name="和乐园项目", pay_day=PAY_B)
    app.config["WECHAT_TEMPLATE_CHECKIN"] = TEMPLATE
    requests.post(f"{fake_wechat}/_fake/account", json={"templates": [TEMPLATE]}, timeout=5)
    replies = {}
    for openid, code in (("a1", A), ("a2", A), ("a3", A), ("b1", B), ("b2", B)):
        replies[openid] = scan_and_opt_in(app, openid, code)
    first = first_of_next_month()
    sent = {}
    with app.app_context():
        session = get_session()
        age_conversations(session, days=10)  # the forms the scans opened have expired
        for code, pay_day in ((B, 10), (A, 15)):
            day = due_on(pay_day, first.year, first.month, app.config["CHECKIN_DELAY_DAYS"])
            sent[code] = send_due(session, day, at_ten(day))
            session.commit()
            clock_reaches(app, at_ten(day))
    return {"replies": replies, "sent": sent, "month": month_key(first), "fake": fake_wechat}


def test_opting_in_names_the_site_and_its_pay_day(app: Flask, month: dict[str, Any]) -> None:
    reply = month["replies"]["a1"]
    # The scan opened the form: opting in keeps it, and its question follows.
    assert reply.startswith(OPTED_IN.format(sites="紫荆苑工地", pay_day=PAY_A) + "\n\n还需要")
    with app.app_context():
        assert len(get_session().scalars(select(CheckinOptIn)).all()) == 5


def test_a_month_of_check_ins_reaches_each_worker_once(app: Flask, month: dict[str, Any]) -> None:
    assert month["sent"][A] == {A: 3} and month["sent"][B] == {B: 2}
    notices = requests.get(f"{month['fake']}/_fake/notices", timeout=5).json()["notices"]
    assert sorted(n["touser"] for n in notices) == ["a1", "a2", "a3", "b1", "b2"]
    assert {n["template_id"] for n in notices} == {TEMPLATE}
    assert {n["data"]["character_string1"]["value"] for n in notices} == {A, B}
    with app.app_context():
        session = get_session()
        rows = session.scalars(select(Checkin)).all()
        assert {(r.month, r.channel) for r in rows} == {(month["month"], "template")}
        # Asked again on the same day, or later in the month: nobody hears it twice.
        first = first_of_next_month()
        for day in (date(first.year, first.month, 18), date(first.year, first.month, 20)):
            assert send_due(session, day, at_ten(day)) == {}


def answer(app: Flask, openid: str, text: str) -> str:
    return push(app, simulator(app, openid), simulator(app, openid).text(text))


def form_of(app: Flask, openid: str) -> state.Form | None:
    with app.app_context():
        session = get_session()
        worker = session.scalar(select(Worker).where(Worker.openid == openid))
        assert worker is not None
        row = session.scalar(
            select(ConversationState).where(ConversationState.worker_id == worker.id)
        )
        assert row is not None
        return state.load(row.state).form


def test_answers_of_each_kind(app: Flask, month: dict[str, Any]) -> None:
    first = first_of_next_month()
    year, number = wages_month(PAY_A, month["month"])
    assert "发了就好" in answer(app, "a1", "1")
    assert form_of(app, "a1") is None

    reply = answer(app, "a2", "2")
    assert f"{year}年{number}月的工资没发" in reply and "紫荆苑工地" in reply
    form = form_of(app, "a2")
    assert form is not None and form.site is not None and form.site.code == A
    period = form.values["period"]
    assert isinstance(period, state.Period) and period.start is not None
    assert (period.start.year, period.start.month) == (year, number)
    assert form.values["site"] == "紫荆苑工地"
    assert "period" not in (form.asking or "")  # the month is not asked again

    assert "只发了一部分" in answer(app, "a3", "只发了一部分")
    assert form_of(app, "a3") is not None
    assert "没发" in answer(app, "b1", "还没发")
    # b2 does not answer.

    result = app.test_cli_runner().invoke(
        args=["checkins", "report", "--json", "--month", month["month"]]
    )
    assert result.exit_code == 0, result.output
    sites = {s["code"]: s for s in json.loads(result.output)["sites"]}
    a, b = sites[A], sites[B]
    assert (a["opted_in"], a["asked"], a["paid"], a["unpaid"], a["partial"]) == (3, 3, 1, 1, 1)
    assert a["answer_rate"] == 1.0 and a["unpaid_share"] == round(2 / 3, 3)
    assert a["flagged"] and a["flags"] == ["unpaid"]
    assert (b["asked"], b["unpaid"], b["unanswered"], b["answer_rate"]) == (2, 1, 1, 0.5)
    assert not b["flagged"]  # one worker's word is not yet a warning
    assert first.month == int(month["month"][5:])


def test_a_bare_number_is_an_answer_only_right_after_the_question(
    app: Flask, month: dict[str, Any]
) -> None:
    with app.app_context():
        session = get_session()
        worker = session.scalar(select(Worker).where(Worker.openid == "b2"))
        assert worker is not None
        # b2 wrote after the check-in went out: "2" is the menu's, not an answer.
        asked = session.scalar(select(Checkin.asked_at).where(Checkin.worker_id == worker.id))
        assert asked is not None
        session.add(
            Message(
                worker_id=worker.id,
                direction="in",
                msg_type="text",
                content="你好",
                created_at=asked + timedelta(hours=1),
                status="handled",
            )
        )
        session.commit()
    answer(app, "b2", "2")
    with app.app_context():
        row = get_session().scalar(select(Checkin).where(Checkin.worker_id == worker.id))
        assert row is not None and row.answer is None
    answer(app, "b2", "这个月工资没发")  # words still answer it
    with app.app_context():
        row = get_session().scalar(select(Checkin).where(Checkin.worker_id == worker.id))
        assert row is not None and row.answer == UNPAID


def test_stop_means_no_more_check_ins(app: Flask, month: dict[str, Any]) -> None:
    assert answer(app, "b2", "不要再问了") == STOPPED
    nxt = (first_of_next_month() + timedelta(days=32)).replace(day=1)
    day = due_on(10, nxt.year, nxt.month, 3)
    with app.app_context():
        session = get_session()
        assert send_due(session, day, at_ten(day)) == {B: 1}  # b1 only
        session.commit()
    assert answer(app, "b2", "不要再问了") == STOPPED  # said twice: still understood
    assert answer(app, "a1", "别问我了") == STOPPED
    assert "不要再问了" in answer(app, "x9", "不要再问了")  # never opted in: the dialogue's


def test_nobody_reachable_is_recorded_not_phoned(app: Flask) -> None:
    add_site(app, A, name="紫荆苑工地", pay_day=PAY_A)
    scan_and_opt_in(app, "c1", A)  # no template configured, the window long closed
    first = first_of_next_month()
    day = due_on(15, first.year, first.month, 3)
    with app.app_context():
        session = get_session()
        assert send_due(session, day, at_ten(day)) == {A: 1}
        session.commit()
        row = session.scalars(select(Checkin)).one()
        assert row.channel == "none" and row.message_id is None
        handoff = session.scalar(select(ConversationState.handoff_requested_at))
        assert handoff is None  # nobody is asked to phone about a check-in


def test_a_check_in_due_at_night_waits_for_the_morning(app: Flask) -> None:
    add_site(app, A, name="紫荆苑工地", pay_day=PAY_A)
    app.config["WECHAT_TEMPLATE_CHECKIN"] = TEMPLATE
    scan_and_opt_in(app, "n1", A)
    first = first_of_next_month()
    day = due_on(15, first.year, first.month, 3)
    night = datetime.combine(day, time(23, 30), CHINA).astimezone(UTC)
    with app.app_context():
        session = get_session()
        send_due(session, day, night)
        session.commit()
        job = session.scalars(select(OutboxJob).where(OutboxJob.kind == "send_notice")).one()
        run_after = job.run_after.astimezone(CHINA)
        assert (run_after.date(), run_after.hour) == (day + timedelta(days=1), 9)


def test_quiet_sites_are_flagged(app: Flask) -> None:
    long_ago = datetime.now(UTC) - timedelta(days=60)
    add_site(app, "OLD001", name="老工地", pay_day=PAY_A, created_at=long_ago)
    add_site(app, A, name="紫荆苑工地", pay_day=PAY_A, created_at=long_ago)
    scan_and_opt_in(app, "q1", A)
    result = app.test_cli_runner().invoke(args=["checkins", "report", "--json"])
    sites = {s["code"]: s for s in json.loads(result.output)["sites"]}
    assert sites["OLD001"]["flags"] == ["quiet"]  # no scan, no answer for 30 days
    assert sites[A]["flags"] == []
    with app.app_context():
        assert get_session().scalars(select(Scan)).all()


def test_staff_see_the_warning_site_managers_do_not(app: Flask, month: dict[str, Any]) -> None:
    answer(app, "a2", "2")
    answer(app, "a3", "3")
    add_staff(app, "li", "hotline")
    add_staff(app, "boss", "site_manager", (A,))
    client = app.test_client()
    login(client, "li")
    home = client.get("/console/").get_data(as_text=True)
    assert "工资发放预警（1）" in home and "紫荆苑工地" in home
    panel = client.get(f"/console/checkins?month={month['month']}").get_data(as_text=True)
    assert f'data-site="{A}"' in panel and "多名工人说工资没发" in panel
    assert "多名工人说工资没发" in client.get("/console/sites").get_data(as_text=True)
    assert client.get("/console/checkins?month=2026-13").status_code == 400

    manager = app.test_client()
    login(manager, "boss")
    assert manager.get("/console/checkins").status_code == 403
    sites_page = manager.get("/console/sites").get_data(as_text=True)
    assert "紫荆苑工地" in sites_page and "工资发放预警" not in sites_page


def test_due_command_prints_per_site(app: Flask, fake_wechat: str) -> None:
    add_site(app, A, name="紫荆苑工地", pay_day=PAY_A)
    scan_and_opt_in(app, "d1", A)
    first = first_of_next_month()
    day = due_on(15, first.year, first.month, 3)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["checkins", "due", "--date", day.isoformat()])
    assert result.exit_code == 0, result.output
    assert f"{A}\t1" in result.output and "共 1 条" in result.output
    again = runner.invoke(args=["checkins", "due", "--date", day.isoformat()])
    assert "共 0 条" in again.output
