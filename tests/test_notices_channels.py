"""Each status change reaches the worker through the best channel of that moment, with the
real client against the local fake WeChat API (issue 17, "How to show it")."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from jobs.notices import CUSTOMER_SERVICE, SUBSCRIPTION, TEMPLATE, Reach, plan, window_open
from models import CaseWork, Message, NoticeConsent, StatusChange, Worker, utcnow
from models.db import get_session
from tests.console_fixtures import add_complaint, add_staff, csrf_token, days_ago, login

CASE = "261120-0001"
OPENID = f"o_{CASE}"
URL = f"/console/complaints/{CASE}"
TEMPLATES = {
    "WECHAT_SUBSCRIBE_TEMPLATE_PROGRESS": "SUB_PROGRESS",
    "WECHAT_SUBSCRIBE_TEMPLATE_PAYMENT": "SUB_PAYMENT",
    "WECHAT_TEMPLATE_PROGRESS": "TPL_PROGRESS",
    "WECHAT_TEMPLATE_PAYMENT": "TPL_PAYMENT",
}


def act(client: FlaskClient, **data: str) -> str:
    """Post a case action as staff; return the page once the queued notices were sent."""
    data["csrf_token"] = csrf_token(client, URL)
    response = client.post(URL + "/action", data=data, follow_redirects=True)
    assert response.status_code == 200
    client.application.extensions["jobs"].wait()
    return response.get_data(as_text=True)


def fake(url: str, name: str, **spec: Any) -> None:
    requests.post(f"{url}/_fake/{name}", json=spec, timeout=5).raise_for_status()


def received(url: str) -> list[dict[str, Any]]:
    """Everything the fake accepted for the worker: customer-service messages and notices."""
    messages = requests.get(f"{url}/_fake/sent", timeout=5).json()["messages"]
    notices = requests.get(f"{url}/_fake/notices", timeout=5).json()["notices"]
    return [{"endpoint": "custom", **m} for m in messages] + notices


def consent(app: Flask, template_id: str, *, long_term: bool = True) -> None:
    """The worker accepted ``template_id`` (as the popup event or the link records it)."""
    with app.app_context():
        session = get_session()
        worker = session.scalar(select(Worker).where(Worker.openid == OPENID))
        assert worker is not None
        session.add(
            NoticeConsent(
                worker_id=worker.id, template_id=template_id, long_term=long_term, source="popup"
            )
        )
        session.commit()


def transcript(app: Flask) -> list[dict[str, Any]]:
    result = app.test_cli_runner().invoke(args=["transcript", OPENID, "--json"])
    assert result.exit_code == 0, result.output
    items: list[dict[str, Any]] = json.loads(result.output)
    return [item for item in items if item["direction"] == "out"]


def call_reason(app: Flask) -> str | None:
    with app.app_context():
        return get_session().scalar(select(CaseWork.call_worker_reason))


@pytest.fixture
def staff(app: Flask, client: FlaskClient, fake_wechat: str) -> str:
    """A logged-in hotline user and the notice templates configured; yields the fake's URL."""
    app.config.update(TEMPLATES)
    add_staff(app, "li", "hotline")
    login(client, "li")
    return fake_wechat


def test_plan_prefers_the_window_then_consent_then_template() -> None:
    assert plan(Reach(True, True, True, True)) == [CUSTOMER_SERVICE, SUBSCRIPTION, TEMPLATE]
    assert plan(Reach(False, True, True, True)) == [SUBSCRIPTION, TEMPLATE]
    assert plan(Reach(False, False, True, False)) == []  # a template needs a follower
    assert plan(Reach(False, False, False, True)) == []
    now = utcnow()
    assert window_open(now - timedelta(hours=47), 4, now)
    assert not window_open(now - timedelta(hours=47), 5, now)  # quota used up
    assert not window_open(now - timedelta(hours=49), 0, now)
    assert not window_open(None, 0, now)


def test_inside_the_window_a_customer_service_message(
    app: Flask, client: FlaskClient, staff: str
) -> None:
    add_complaint(app, CASE, last_inbound=days_ago(1 / 24))
    act(client, action="accept")
    assert [m["endpoint"] for m in received(staff)] == ["custom"]
    (out,) = transcript(app)
    assert (out["channel"], out["delivery"]) == ("customer_service", "sent")


def test_outside_the_window_with_a_subscription(
    app: Flask, client: FlaskClient, staff: str
) -> None:
    add_complaint(app, CASE, last_inbound=days_ago(5))
    consent(app, "SUB_PROGRESS")
    fake(staff, "consent", openid=OPENID, template_id="SUB_PROGRESS", long_term=True)
    act(client, action="accept")
    act(client, action="transfer", unit="市住建局")
    notices = received(staff)
    assert [n["endpoint"] for n in notices] == ["subscribe", "subscribe"]
    assert notices[1]["data"]["thing2"]["value"] == "已转交其他部门"
    assert notices[1]["data"]["thing4"]["value"] == "已转交市住建局处理"
    assert notices[1]["data"]["character_string1"]["value"] == CASE
    assert [(o["channel"], o["delivery"]) for o in transcript(app)] == [
        ("subscription", "sent")
    ] * 2
    assert call_reason(app) is None


def test_outside_the_window_without_a_subscription_a_template(
    app: Flask, client: FlaskClient, staff: str
) -> None:
    add_complaint(app, CASE, last_inbound=days_ago(5))
    act(client, action="reject", reason="不属于本部门管辖")
    (notice,) = received(staff)
    assert (notice["endpoint"], notice["template_id"]) == ("template", "TPL_PROGRESS")
    assert "不属于本部门管辖" in notice["data"]["thing4"]["value"]
    (out,) = transcript(app)
    assert (out["channel"], out["delivery"]) == ("template", "sent")
    assert "不属于本部门管辖" in out["content"]


def test_no_channel_at_all_asks_staff_to_phone(app: Flask, client: FlaskClient, staff: str) -> None:
    for name in TEMPLATES:
        app.config[name] = None  # an unset template: that channel is not available
    add_complaint(app, CASE, last_inbound=days_ago(5))
    page = act(client, action="accept")
    assert "请电话联系工人" in page and received(staff) == []
    (out,) = transcript(app)
    assert (out["channel"], out["delivery"]) == ("phone", "not_sent")
    assert "48小时" in (call_reason(app) or "") and "未订阅" in (call_reason(app) or "")


def test_quota_used_up_moves_on_to_the_subscription(
    app: Flask, client: FlaskClient, staff: str
) -> None:
    add_complaint(app, CASE, last_inbound=days_ago(1))
    consent(app, "SUB_PROGRESS")
    fake(staff, "consent", openid=OPENID, template_id="SUB_PROGRESS", long_term=True)
    act(client, action="accept")  # 1 of the window's 5
    with app.app_context():
        session = get_session()
        worker = session.scalar(select(Worker).where(Worker.openid == OPENID))
        assert worker is not None
        for n in range(4):  # staff replies on the same window: 5 of 5
            session.add(
                Message(
                    worker_id=worker.id,
                    direction="out",
                    msg_type="text",
                    content=f"回复{n}",
                    status="cs_sent",
                    payload={},
                    created_at=utcnow(),
                )
            )
        session.commit()
    act(client, action="mediate")  # the plan skips the spent window
    channels = [o["channel"] for o in transcript(app) if o["content"].startswith("您的案件")]
    assert channels == ["customer_service", "subscription"]


def test_45047_at_send_time_falls_through(app: Flask, client: FlaskClient, staff: str) -> None:
    add_complaint(app, CASE, last_inbound=days_ago(1))
    fake(staff, "fail", endpoint="message/custom/send", errcode=45047)
    act(client, action="accept")
    (out,) = transcript(app)
    assert (out["channel"], out["delivery"]) == ("template", "sent")
    assert [a["errcode"] for a in out["attempts"]] == [45047, 0]


def test_user_refused_revokes_the_consent_and_tries_the_template(
    app: Flask, client: FlaskClient, staff: str
) -> None:
    add_complaint(app, CASE, last_inbound=days_ago(5))
    consent(app, "SUB_PROGRESS")  # stored here, but refused in WeChat: 43101
    act(client, action="accept")
    (out,) = transcript(app)
    assert out["channel"] == "template"
    assert out["attempts"] == [
        {"channel": "subscription", "errcode": 43101},
        {"channel": "template", "errcode": 0},
    ]
    with app.app_context():
        assert get_session().scalar(select(NoticeConsent.revoked_at)) is not None


def test_account_not_verified_ends_with_a_phone_call(
    app: Flask, client: FlaskClient, staff: str
) -> None:
    add_complaint(app, CASE, last_inbound=days_ago(5))
    fake(staff, "account", verified=False)
    act(client, action="accept")
    (out,) = transcript(app)
    assert (out["channel"], out["delivery"]) == ("phone", "failed")
    assert "48001" in (call_reason(app) or "")


def test_a_one_time_consent_is_spent_by_one_notice(
    app: Flask, client: FlaskClient, staff: str
) -> None:
    app.config["WECHAT_TEMPLATE_PROGRESS"] = None
    add_complaint(app, CASE, last_inbound=days_ago(5))
    consent(app, "SUB_PROGRESS", long_term=False)
    fake(staff, "consent", openid=OPENID, template_id="SUB_PROGRESS")
    act(client, action="accept")
    act(client, action="mediate")
    assert [(o["channel"], o["delivery"]) for o in transcript(app)] == [
        ("subscription", "sent"),
        ("phone", "not_sent"),  # the consent was used: no channel left when written
    ]


def test_the_mediation_notice_gives_its_date_and_place(
    app: Flask, client: FlaskClient, staff: str
) -> None:
    add_complaint(app, CASE, last_inbound=days_ago(5))
    consent(app, "SUB_PROGRESS")
    fake(staff, "consent", openid=OPENID, template_id="SUB_PROGRESS", long_term=True)
    act(client, action="accept")
    act(client, action="mediate", when="12月10日上午9点 区调解室")
    notice = received(staff)[-1]
    assert notice["data"]["thing2"]["value"] == "调解中"
    assert notice["data"]["thing4"]["value"].startswith("调解时间：12月10日上午9点")
    assert len(notice["data"]["thing4"]["value"]) <= 20
    out = transcript(app)[-1]
    assert "调解时间：12月10日上午9点 区调解室，请按时参加。" in out["content"]
    with app.app_context():
        change = get_session().scalars(select(StatusChange).order_by(StatusChange.id)).all()[-1]
        assert change.note == "调解：调解时间：12月10日上午9点 区调解室"


def push_event(app: Flask, xml_tail: str, event: str) -> None:
    """WeChat's push of a delivery result for the case's worker."""
    from webhooks.simulator import WeChatSimulator

    simulator = WeChatSimulator(
        app.config["WECHAT_TOKEN"],
        app.config["WECHAT_APPID"],
        app.config["WECHAT_ENCODING_AES_KEY"],
    )
    simulator.openid = OPENID
    push = simulator.push(simulator.event(event).replace("</xml>", xml_tail + "</xml>"))
    response = app.test_client().post("/wechat", query_string=push.args, data=push.body)
    assert response.status_code == 200


def test_wechats_later_delivery_result_is_kept_and_a_failure_asks_for_a_call(
    app: Flask, client: FlaskClient, staff: str
) -> None:
    add_complaint(app, CASE, last_inbound=days_ago(5))
    consent(app, "SUB_PROGRESS")
    fake(staff, "consent", openid=OPENID, template_id="SUB_PROGRESS", long_term=True)
    act(client, action="accept")  # subscription notice: msgid 1 at the fake
    act(client, action="transfer", unit="市住建局")  # msgid 2
    push_event(
        app,
        "<SubscribeMsgSentEvent><List><TemplateId><![CDATA[SUB_PROGRESS]]></TemplateId>"
        "<MsgID>1</MsgID><ErrorCode>0</ErrorCode><ErrorStatus><![CDATA[success]]></ErrorStatus>"
        "</List></SubscribeMsgSentEvent>",
        "subscribe_msg_sent_event",
    )
    push_event(
        app,
        "<MsgID>2</MsgID><Status><![CDATA[failed:user block]]></Status>",
        "TEMPLATESENDJOBFINISH",
    )
    first, second = transcript(app)
    assert (first["channel"], first["delivered"]) == ("subscription", "success")
    assert (second["channel"], second["delivered"]) == ("phone", "failed:user block")
    assert "failed:user block" in (call_reason(app) or "")
