"""Paid means the worker says so; satisfaction after payment only; replies to a notice answer
it (issue 17, items 3-6), through ``/wechat`` as WeChat pushes them."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from bot.notice_replies import Decision, Pending, read
from cases.actions import ACTIONS
from cases.deadlines import add_workdays, china_day
from cases.payment import expire_unconfirmed
from jobs.notices import sweep
from models import (
    CaseNotice,
    CaseRating,
    Complaint,
    NoticeConsent,
    PaymentConfirmation,
    StatusChange,
    utcnow,
)
from models.db import get_session
from models.notice import RatingLocked
from tests.console_fixtures import add_complaint, add_staff, csrf_token, days_ago, login
from webhooks.simulator import WeChatSimulator

CASE = "261120-0003"
OTHER = "261121-0004"
URL = f"/console/complaints/{CASE}"


@pytest.mark.parametrize(
    ("text", "pending", "decision"),
    [
        ("3", Pending("payment", CASE), Decision("payment", CASE, "unpaid")),
        ("2", Pending("payment", CASE), Decision("payment", CASE, "partial")),
        ("1", Pending("payment", CASE), Decision("payment", CASE, "paid")),
        ("还没到", Pending("payment", CASE), Decision("payment", CASE, "unpaid")),
        ("還沒到", Pending("payment", CASE), Decision("payment", CASE, "unpaid")),
        ("錢全部到帳了", Pending("payment", CASE), Decision("payment", CASE, "paid")),
        ("滿意", Pending("satisfaction", CASE), Decision("rate", CASE, 1)),
        # a reason is kept in the script the worker wrote it in
        ("2 辦得太慢", Pending("satisfaction", CASE), Decision("rate", CASE, 2, "辦得太慢")),
        ("辦事很快", Pending("reason", CASE), Decision("reason", CASE, reason="辦事很快")),
        ("只到了一部分", Pending(None, None, CASE), Decision("payment", CASE, "partial")),
        ("3", Pending(None, None, CASE), None),  # a bare digit only right after the question
        ("1", Pending("status", CASE), Decision("ack", CASE)),
        ("好的", Pending("status", CASE), Decision("ack", CASE)),
        ("什么时候能拿到钱？", Pending("status", CASE), Decision("ack", CASE)),
        ("老板欠我三千块", Pending("status", CASE), None),  # a new complaint: the dialogue
        ("1", Pending(), None),  # no notice pending: the menu
        ("3 拖得太久了", Pending("satisfaction", CASE), Decision("rate", CASE, 3, "拖得太久了")),
        ("满意", Pending("satisfaction", CASE), Decision("rate", CASE, 1)),
        ("办事很快", Pending("reason", CASE), Decision("reason", CASE, reason="办事很快")),
        ("不要再通知我了", Pending("status", CASE), Decision("stop")),
        ("钱拿到了，谢谢", Pending(open_cases=(CASE,)), Decision("paid_case", CASE)),
        ("钱拿到了，谢谢", Pending(open_cases=(CASE, OTHER)), Decision("ask_case")),
        ("2", Pending("which_case", CASE, open_cases=(CASE, OTHER)), Decision("paid_case", OTHER)),
    ],
)
def test_replies_are_read_against_what_is_pending(
    text: str, pending: Pending, decision: Decision | None
) -> None:
    assert read(text, pending) == decision


def worker(app: Flask, openid: str) -> WeChatSimulator:
    simulator = WeChatSimulator(
        app.config["WECHAT_TOKEN"],
        app.config["WECHAT_APPID"],
        app.config["WECHAT_ENCODING_AES_KEY"],
    )
    simulator.openid = openid
    return simulator


def say(app: Flask, simulator: WeChatSimulator, text: str) -> str:
    push = simulator.push(simulator.text(text))
    response = app.test_client().post("/wechat", query_string=push.args, data=push.body)
    assert response.status_code == 200
    return simulator.read_reply(response.data) or ""


def act(client: FlaskClient, **data: str) -> None:
    data["csrf_token"] = csrf_token(client, URL)
    assert client.post(URL + "/action", data=data).status_code in (200, 302)
    client.application.extensions["jobs"].wait()


def show(app: Flask, case_no: str = CASE) -> dict[str, Any]:
    result = app.test_cli_runner().invoke(args=["complaints", "show", case_no, "--json"])
    assert result.exit_code == 0, result.output
    shown: dict[str, Any] = json.loads(result.output)
    return shown


@pytest.fixture
def resolved(app: Flask, client: FlaskClient, fake_wechat: str) -> WeChatSimulator:
    """A case staff accepted and resolved; its worker wrote an hour before."""
    add_staff(app, "li", "hotline")
    add_complaint(app, CASE, last_inbound=days_ago(1 / 24))
    login(client, "li")
    act(client, action="accept")
    act(client, action="resolve", amount="35000")
    return worker(app, f"o_{CASE}")


def test_resolving_asks_whether_the_money_arrived(app: Flask, resolved: WeChatSimulator) -> None:
    assert show(app)["payment_confirmed"] is None and show(app)["satisfaction"] is None
    with app.app_context():
        question = get_session().scalars(select(PaymentConfirmation)).one()
        assert question.status == "asked"


def test_no_money_reopens_the_case_on_a_new_clock(app: Flask, resolved: WeChatSimulator) -> None:
    reply = say(app, resolved, "3")
    assert "已重新办理" in reply and "新的办结期限" in reply
    shown = show(app)
    assert shown["status"] == "accepted" and shown["payment_confirmed"] is False
    new_due = add_workdays(china_day(utcnow()), 60)
    assert shown["investigate_by"] == new_due.isoformat()
    with app.app_context():
        change = get_session().scalars(select(StatusChange).order_by(StatusChange.id)).all()[-1]
        assert (change.from_status, change.to_status, change.staff_id) == (
            "resolved",
            "accepted",
            None,
        )
        assert "钱没有到账" in (change.note or "")
    assert "已重新办理" not in say(app, resolved, "3")  # answered once: "3" is the menu again


def test_part_paid_reopens_too(app: Flask, resolved: WeChatSimulator) -> None:
    assert "只到了一部分" in say(app, resolved, "只到了一部分，还差一万")
    assert show(app)["status"] == "accepted"


def test_paid_then_one_rating_with_a_reason(app: Flask, resolved: WeChatSimulator) -> None:
    reply = say(app, resolved, "1")
    assert "全部到账" in reply and "对处理结果满意吗" in reply
    assert show(app)["payment_confirmed"] is True and show(app)["status"] == "resolved"
    assert "说说原因" in say(app, resolved, "2")
    assert say(app, resolved, "拖得有点久") == "已记下您的意见，谢谢。"
    assert show(app)["satisfaction"] == 2
    with app.app_context():
        rating = get_session().scalars(select(CaseRating)).one()
        assert (rating.score, rating.reason, rating.unit) == (2, "拖得有点久", "本局")


def test_staff_cannot_set_or_change_a_rating(
    app: Flask, client: FlaskClient, resolved: WeChatSimulator
) -> None:
    say(app, resolved, "1")
    say(app, resolved, "3 拖得太久")
    data = {"action": "rate", "score": "1", "csrf_token": csrf_token(client, URL)}
    page = client.post(URL + "/action", data=data, follow_redirects=True)
    assert "提交的内容不完整" in page.get_data(as_text=True)  # no such action exists
    assert not any("rate" in key or "satisf" in key for key in ACTIONS)
    with app.app_context():
        session = get_session()
        rating = session.scalars(select(CaseRating)).one()
        rating.score = 1
        with pytest.raises(RatingLocked):
            session.commit()
        session.rollback()
        rating = session.scalars(select(CaseRating)).one()
        rating.reason = "改过的理由"
        with pytest.raises(RatingLocked):
            session.commit()
    assert show(app)["satisfaction"] == 3


def test_no_rating_before_the_worker_confirmed(app: Flask, resolved: WeChatSimulator) -> None:
    with app.app_context():
        session = get_session()
        complaint = session.scalars(select(Complaint)).one()
        from cases.payment import rate

        assert rate(session, complaint, 1, utcnow()) is None  # asked, not answered


def test_unanswered_for_seven_days_stays_resolved_unconfirmed(
    app: Flask, resolved: WeChatSimulator
) -> None:
    with app.app_context():
        session = get_session()
        assert expire_unconfirmed(session, utcnow() + timedelta(days=6)) == 0
        assert expire_unconfirmed(session, utcnow() + timedelta(days=8)) == 1
        session.commit()
    shown = show(app)
    assert (shown["status"], shown["payment_confirmed"]) == ("resolved", None)
    # The worker asking is told the same: resolved, but not confirmed by them.
    assert "已解决（工人未确认）" in say(app, resolved, "我的案子进度怎么样了")


def test_ok_after_a_status_notice_answers_it_not_the_menu(
    app: Flask, client: FlaskClient, fake_wechat: str
) -> None:
    add_staff(app, "li", "hotline")
    add_complaint(app, CASE, last_inbound=days_ago(1 / 24))
    login(client, "li")
    act(client, action="accept")
    reply = say(app, worker(app, f"o_{CASE}"), "1")
    assert reply.startswith("收到。") and CASE in reply and "办结" in reply
    with app.app_context():
        assert get_session().scalar(select(CaseNotice.answered_at)) is not None


def test_money_received_while_open_asks_which_case(
    app: Flask, client: FlaskClient, fake_wechat: str
) -> None:
    add_complaint(app, CASE, openid="o_two")
    with app.app_context():
        session = get_session()
        first = session.scalars(select(Complaint)).one()
        session.add(Complaint(case_no=OTHER, worker_id=first.worker_id, status="accepted"))
        session.commit()
    simulator = worker(app, "o_two")
    assert "请回复序号" in say(app, simulator, "钱拿到了，谢谢")
    assert "全部到账" in say(app, simulator, "2")
    assert show(app, OTHER)["payment_confirmed"] is True
    assert show(app, CASE)["payment_confirmed"] is None
    assert show(app, OTHER)["status"] == "accepted"  # staff still close it


def test_stop_notices_withdraws_every_consent(app: Flask, fake_wechat: str) -> None:
    complaint_id = add_complaint(app, CASE)
    with app.app_context():
        session = get_session()
        worker_id = session.get(Complaint, complaint_id).worker_id  # type: ignore[union-attr]
        session.add(
            NoticeConsent(worker_id=worker_id, template_id="T", long_term=True, source="popup")
        )
        session.commit()
    assert "不再给您发送" in say(app, worker(app, f"o_{CASE}"), "不要再通知我")
    with app.app_context():
        assert get_session().scalar(select(NoticeConsent.revoked_at)) is not None


def test_status_query_shows_the_missed_deadline_and_the_invite(app: Flask) -> None:
    app.config["WECHAT_SUBSCRIBE_TEMPLATE_PROGRESS"] = "SUB_P"
    add_complaint(app, CASE, submitted=days_ago(20), accept_by=china_day(days_ago(12)))
    reply = say(app, worker(app, f"o_{CASE}"), "查询进度")
    assert CASE in reply and "期限已经过了" in reply and "12333" in reply
    assert "/notices/subscribe?c=" in reply and "不要再通知我" in reply


def test_a_missed_deadline_is_told_once(app: Flask, fake_wechat: str) -> None:
    app.config["WECHAT_TEMPLATE_DEADLINE"] = "TPL_D"
    add_complaint(app, CASE, submitted=days_ago(20), accept_by=china_day(days_ago(12)))
    assert sweep(app, force=True) == 1
    assert sweep(app, force=True) == 0
    app.extensions["jobs"].wait()
    with app.app_context():
        notice = get_session().scalars(select(CaseNotice)).one()
        assert notice.kind == "overdue" and notice.once_key and "受理" in notice.once_key


def test_the_sweep_is_a_command_too(app: Flask, fake_wechat: str) -> None:
    add_complaint(app, CASE, submitted=days_ago(20), accept_by=china_day(days_ago(12)))
    result = app.test_cli_runner().invoke(args=["jobs", "notices"])
    assert result.exit_code == 0 and "已发送 1 条期限提醒" in result.output
    again = app.test_cli_runner().invoke(args=["jobs", "notices"])
    assert "已发送 0 条期限提醒" in again.output


def test_the_case_page_shows_the_workers_word(
    app: Flask, client: FlaskClient, resolved: WeChatSimulator
) -> None:
    assert "已询问，等待工人回复" in client.get(URL).get_data(as_text=True)
    say(app, resolved, "1")
    say(app, resolved, "3 太慢了")
    page = client.get(URL).get_data(as_text=True)
    assert "工人确认全部到账" in page and "不满意" in page


def test_inside_a_form_ok_answers_the_form_not_the_notice(
    app: Flask, client: FlaskClient, fake_wechat: str
) -> None:
    from bot import notices
    from models import Message, Worker

    add_staff(app, "li", "hotline")
    add_complaint(app, CASE, last_inbound=days_ago(1 / 24))
    login(client, "li")
    act(client, action="accept")
    with app.app_context():
        session = get_session()
        worker = session.scalars(select(Worker)).one()
        message = Message(worker_id=worker.id, direction="in", msg_type="text", content="1")
        session.add(message)
        session.flush()
        assert notices.answer(session, message, (), utcnow(), in_form=True) is None
        assert (notices.answer(session, message, (), utcnow()) or "").startswith("收到。")


def test_submission_ends_with_the_invite_to_notices(app: Flask) -> None:
    from tests.scripts import TERSE

    app.config["WECHAT_SUBSCRIBE_TEMPLATE_PROGRESS"] = "SUB_P"
    simulator = worker(app, "o_new_worker")
    replies = [say(app, simulator, text) for text in TERSE]
    with app.app_context():
        case_no = get_session().scalars(select(Complaint.case_no)).one()
    assert case_no in replies[-1]
    assert replies[-1].splitlines()[-1].startswith("想在微信里收到办理进度提醒")
    assert "/notices/subscribe?c=" in replies[-1]


def test_no_invite_without_a_channel_to_subscribe_to(app: Flask) -> None:
    from tests.scripts import TERSE

    simulator = worker(app, "o_new_worker")
    replies = [say(app, simulator, text) for text in TERSE]
    assert "订阅" not in replies[-1]
