"""Case work in the console: the case page, actions, notifications, take-over and reply."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from models import (
    AuditEntry,
    CaseWork,
    Complaint,
    ConversationState,
    Evidence,
    Message,
    StatusChange,
    Worker,
)
from models.db import get_session
from tests.console_fixtures import add_complaint, add_staff, csrf_token, days_ago, login
from webhooks.simulator import WeChatSimulator

CASE = "AX20261120001"
URL = f"/console/complaints/{CASE}"


@pytest.fixture
def hotline(app: Flask, client: FlaskClient) -> int:
    """A logged-in hotline user with one recent case whose worker wrote an hour ago."""
    user_id = add_staff(app, "li", "hotline")
    add_complaint(app, CASE, last_inbound=days_ago(1 / 24))
    login(client, "li")
    return user_id


def post(client: FlaskClient, path: str, **data: str) -> str:
    """POST a console form with its CSRF token; return the page it redirects to once the
    WeChat messages it queued have been sent."""
    data["csrf_token"] = csrf_token(client, URL)
    response = client.post(URL + path, data=data, follow_redirects=True)
    assert response.status_code == 200
    client.application.extensions["jobs"].wait()
    return response.get_data(as_text=True)


def sent(url: str) -> list[dict[str, object]]:
    """Customer-service messages the fake WeChat API accepted."""
    messages: list[dict[str, object]] = requests.get(f"{url}/_fake/sent", timeout=5).json()[
        "messages"
    ]
    return messages


def test_case_page_shows_fields_transcript_and_masked_numbers(
    client: FlaskClient, hotline: int
) -> None:
    page = client.get(URL).get_data(as_text=True)
    assert "常州恒力劳务有限公司" in page and "新城花园三期" in page and "35000" in page
    assert "138****5678" in page and "13812345678" not in page
    assert "320***********1234" in page and "320402199001011234" not in page
    assert "老板欠我们五个人三万五" in page and "report_arrears" in page and "0.93" in page


def test_revealing_a_phone_is_audited(app: Flask, client: FlaskClient, hotline: int) -> None:
    token = csrf_token(client, URL)
    page = client.post(URL + "/reveal/contact_phone", data={"csrf_token": token})
    assert "13812345678" in page.get_data(as_text=True)
    with app.app_context():
        entry = get_session().scalar(select(AuditEntry).where(AuditEntry.action == "reveal"))
        assert entry is not None and entry.staff_id == hotline
        assert (entry.target, entry.detail) == (CASE, "contact_phone")


def test_accept_notifies_worker_inside_the_window(
    app: Flask, client: FlaskClient, hotline: int, fake_wechat: str
) -> None:
    page = post(client, "/action", action="accept", note="材料齐全")
    assert "正在通过微信通知工人" in page
    messages = sent(fake_wechat)
    assert len(messages) == 1 and messages[0]["touser"] == f"o_{CASE}"
    assert "已受理" in str(messages[0]["text"])
    with app.app_context():
        session = get_session()
        complaint = session.scalar(select(Complaint).where(Complaint.case_no == CASE))
        assert complaint is not None and complaint.status == "accepted"
        change = complaint.history[-1]
        assert (change.staff_id, change.to_status) == (hotline, "accepted")
        assert change.note == "受理：材料齐全"
        out = session.scalar(select(Message).where(Message.direction == "out"))
        assert out is not None and out.status == "cs_sent" and "已受理" in (out.content or "")
        work = session.scalar(select(CaseWork))
        assert work is not None and work.first_contact_at is not None


def test_outside_the_48h_window_staff_are_asked_to_call(
    app: Flask, client: FlaskClient, fake_wechat: str
) -> None:
    add_staff(app, "li", "hotline")
    add_complaint(app, CASE, last_inbound=days_ago(3))
    login(client, "li")
    page = post(client, "/action", action="reject", reason="不属于本部门管辖")
    assert "请电话联系工人" in page
    assert sent(fake_wechat) == []
    with app.app_context():
        session = get_session()
        out = session.scalar(select(Message).where(Message.direction == "out"))
        assert out is not None and out.status == "cs_window" and "不属于本部门管辖" in out.content
        work = session.scalar(select(CaseWork))
        assert work is not None and "48小时" in (work.call_worker_reason or "")


def test_errcode_45015_marks_the_case_for_a_call(
    app: Flask, client: FlaskClient, hotline: int, fake_wechat: str
) -> None:
    requests.post(
        f"{fake_wechat}/_fake/fail",
        json={
            "endpoint": "message/custom/send",
            "errcode": 45015,
            "errmsg": "response out of time limit",
        },
        timeout=5,
    )
    post(client, "/action", action="accept")
    assert "45015" in client.get(URL).get_data(as_text=True)  # the case asks for a call
    with app.app_context():
        out = get_session().scalar(select(Message).where(Message.direction == "out"))
        assert out is not None and out.status == "cs_failed" and out.payload["errcode"] == 45015


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"action": "reject"}, "请填写不予受理的理由"),
        ({"action": "mediate"}, "不能调解"),  # a submitted case must be accepted first
        ({"action": "transfer"}, "请填写转交单位"),
    ],
)
def test_invalid_actions_change_nothing(
    app: Flask, client: FlaskClient, hotline: int, fields: dict[str, str], error: str
) -> None:
    page = post(client, "/action", **fields)
    assert error in page
    with app.app_context():
        session = get_session()
        assert session.scalar(select(Complaint.status)) == "submitted"
        assert len(session.scalars(select(StatusChange)).all()) == 1


def test_full_path_assign_mediate_resolve_close(
    app: Flask, client: FlaskClient, hotline: int, fake_wechat: str
) -> None:
    post(client, "/action", action="accept")
    post(client, "/action", action="assign", assignee=str(hotline))
    post(client, "/action", action="mediate")
    post(client, "/action", action="resolve", amount="30,000.5")
    post(client, "/action", action="close", note="工人确认收到")
    with app.app_context():
        complaint = get_session().scalar(select(Complaint))
        assert complaint is not None and complaint.status == "closed"
        assert complaint.amount_recovered == Decimal("30000.50")
        steps = [(h.from_status, h.to_status) for h in complaint.history]
        assert steps[1:] == [
            ("submitted", "accepted"),
            ("accepted", "assigned"),
            ("assigned", "mediating"),
            ("mediating", "resolved"),
            ("resolved", "closed"),
        ]
    texts = [str(m["text"]) for m in sent(fake_wechat)]
    assert len(texts) == 5 and "追回金额30000.50元" in texts[3]


def test_transfer_names_the_unit(
    app: Flask, client: FlaskClient, hotline: int, fake_wechat: str
) -> None:
    post(client, "/action", action="transfer", unit="钟楼区住建局")
    assert "已转交钟楼区住建局处理" in str(sent(fake_wechat)[0]["text"])
    with app.app_context():
        work = get_session().scalar(select(CaseWork))
        assert work is not None and work.transferred_to == "钟楼区住建局"


def test_take_over_reply_and_release(
    app: Flask, client: FlaskClient, hotline: int, fake_wechat: str
) -> None:
    assert "请先接管对话再回复" in post(client, "/reply", text="您好")
    assert sent(fake_wechat) == []
    page = post(client, "/takeover")
    assert "机器人暂停回复" in page and "回复工人" in page
    post(client, "/reply", text="您好，我是热线工作人员小李。")
    assert [m["text"] for m in sent(fake_wechat)] == [{"content": "您好，我是热线工作人员小李。"}]
    with app.app_context():
        session = get_session()
        state = session.scalar(select(ConversationState))
        assert state is not None and state.held_by_staff_id == hotline
        out = session.scalar(select(Message).where(Message.direction == "out"))
        assert out is not None and out.payload["staff_id"] == hotline
    post(client, "/release")
    with app.app_context():
        state = get_session().scalar(select(ConversationState))
        assert state is not None and state.held_by_staff_id is None


def test_notes_are_kept_with_author(app: Flask, client: FlaskClient, hotline: int) -> None:
    page = post(client, "/note", text="工人说下周一来窗口补材料")
    assert "工人说下周一来窗口补材料" in page and "li" in page


def test_extend_and_contacted_do_not_change_status(
    app: Flask, client: FlaskClient, hotline: int, fake_wechat: str
) -> None:
    post(client, "/action", action="accept")
    before = client.get(URL).get_data(as_text=True)
    post(client, "/action", action="extend")
    after = client.get(URL).get_data(as_text=True)
    assert "90个工作日，已延长" in after and "60个工作日）" in before
    with app.app_context():
        complaint = get_session().scalar(select(Complaint))
        assert complaint is not None and complaint.status == "accepted"
        assert complaint.history[-1].note == "延长调查期（30个工作日）"


def test_unknown_case_is_404(client: FlaskClient, hotline: int) -> None:
    assert client.get("/console/complaints/AX00000000000").status_code == 404


def test_front_page_lists_overdue_and_calls(app: Flask, client: FlaskClient) -> None:
    add_staff(app, "li", "hotline")
    add_complaint(app, "AX20260105001", submitted=datetime(2026, 1, 5, 2, tzinfo=UTC))
    add_complaint(app, "AX20261126009", submitted=datetime.now(UTC) - timedelta(minutes=5))
    login(client, "li")
    page = client.get("/console/").get_data(as_text=True)
    overdue = page.split("已逾期（")[1].split("今天到期")[0]
    assert "AX20260105001" in overdue and "AX20261126009" not in overdue


def test_bot_is_silent_while_staff_hold_the_chat(
    app: Flask, client: FlaskClient, hotline: int, simulator: WeChatSimulator
) -> None:
    simulator.openid = f"o_{CASE}"
    post(client, "/takeover")
    push = simulator.push(simulator.text("还有人在吗"))
    response = client.post("/wechat", query_string=push.args, data=push.body)
    assert response.status_code == 200 and not simulator.read_reply(response.data)
    assert "还有人在吗" in client.get(URL).get_data(as_text=True)
    post(client, "/release")
    push = simulator.push(simulator.text("你好", msg_id=2))
    response = client.post("/wechat", query_string=push.args, data=push.body)
    assert simulator.read_reply(response.data)  # the bot answers again


def test_evidence_is_shown_and_voice_playable(
    app: Flask, client: FlaskClient, hotline: int, tmp_path: Path
) -> None:
    app.config["MEDIA_DIR"] = str(tmp_path)
    (tmp_path / "a.jpg").write_bytes(b"\xff\xd8jpeg")
    (tmp_path / "b.amr").write_bytes(b"#!AMR\n")
    with app.app_context():
        session = get_session()
        complaint = session.scalar(select(Complaint))
        message = session.scalar(select(Message))
        assert complaint is not None and message is not None
        for kind, name, mime in (("image", "a.jpg", "image/jpeg"), ("voice", "b.amr", "audio/amr")):
            session.add(
                Evidence(
                    complaint_id=complaint.id,
                    message_id=message.id,
                    kind=kind,
                    storage_path=str(tmp_path / name),
                    content_type=mime,
                    download_status="stored",
                )
            )
        session.add(
            Evidence(
                complaint_id=complaint.id,
                message_id=message.id,
                kind="image",
                download_status="failed",
            )
        )
        session.commit()
    page = client.get(URL).get_data(as_text=True)
    assert '<img src="/console/evidence/1"' in page
    assert '<audio controls preload="none" src="/console/evidence/2"' in page
    assert "下载失败" in page and "证据（3）" in page
    response = client.get("/console/evidence/2")
    assert response.mimetype == "audio/amr" and response.get_data() == b"#!AMR\n"
    response.close()


def test_a_worker_in_crisis_heads_the_list_of_requests_for_a_person(
    app: Flask, client: FlaskClient, hotline: int
) -> None:
    with app.app_context():
        session = get_session()
        for openid, reason, hours_ago in (("o_asked", "requested", 3), ("o_crisis", "crisis", 1)):
            worker = Worker(openid=openid)
            session.add(worker)
            session.flush()
            session.add(
                ConversationState(
                    worker_id=worker.id,
                    handoff_requested_at=datetime.now(UTC) - timedelta(hours=hours_ago),
                    handoff_reason=reason,
                )
            )
        session.commit()
    front = client.get("/console/").get_data(as_text=True)
    assert "流露轻生念头" in front and "主动要求" in front
    assert front.index("流露轻生念头") < front.index("主动要求")  # though asked later


def test_worker_without_a_case_who_asks_for_a_person(
    app: Flask,
    client: FlaskClient,
    hotline: int,
    simulator: WeChatSimulator,
    fake_wechat: str,
) -> None:
    push = simulator.push(simulator.text("转人工"))
    client.post("/wechat", query_string=push.args, data=push.body)
    with app.app_context():
        worker = get_session().scalar(select(Worker).where(Worker.openid == simulator.openid))
        assert worker is not None
        path = f"/console/workers/{worker.id}"
    front = client.get("/console/").get_data(as_text=True)
    assert f'href="{path}"' in front and "主动要求" in front
    page = client.get(path).get_data(as_text=True)
    assert "转人工" in page and "尚未提交投诉" in page
    token = csrf_token(client, path)
    client.post(path + "/takeover", data={"csrf_token": token})
    client.post(path + "/reply", data={"csrf_token": token, "text": "您好，请讲。"})
    app.extensions["jobs"].wait()
    assert [m["touser"] for m in sent(fake_wechat)] == [simulator.openid]
    assert f'href="{path}"' not in client.get("/console/").get_data(as_text=True)
    client.post(path + "/release", data={"csrf_token": token})
    with app.app_context():
        state = get_session().scalar(
            select(ConversationState).where(ConversationState.worker_id == worker.id)
        )
        assert state is not None and state.held_by_staff_id is None
