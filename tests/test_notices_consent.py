"""Consent to progress notices: stored with its template, case and time; withdrawn by the
worker or by WeChat's refusal; the one-time link's return checked before it is stored."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
from flask import Flask
from sqlalchemy import select

from cases.consents import (
    complaint_of_reserved,
    popup_choices,
    record_popup,
    reserved_for,
    withdraw,
)
from cases.notices import status_notice
from jobs.notices import send_notice
from models import Complaint, NoticeConsent, utcnow
from models.db import get_session
from tests.console_fixtures import add_complaint, days_ago
from wechat.subscribe import invite_link, one_time_link

CASE = "261120-0002"
OPENID = f"o_{CASE}"


def consents(app: Flask) -> list[NoticeConsent]:
    with app.app_context():
        return list(get_session().scalars(select(NoticeConsent).order_by(NoticeConsent.id)))


def test_popup_event_items_are_read_one_or_many() -> None:
    one = {
        "SubscribeMsgPopupEvent": {"List": {"TemplateId": "T1", "SubscribeStatusString": "accept"}}
    }
    many = {
        "SubscribeMsgChangeEvent": {
            "List": [
                {"TemplateId": "T1", "SubscribeStatusString": "reject"},
                {"TemplateId": "T2", "SubscribeStatusString": "accept"},
            ]
        }
    }
    assert popup_choices(one) == [("T1", "accept")]
    assert popup_choices(many) == [("T1", "reject"), ("T2", "accept")]
    assert popup_choices({"Event": "subscribe"}) == []


def test_accept_then_reject_then_stop_everything(app: Flask) -> None:
    complaint_id = add_complaint(app, CASE)
    with app.app_context():
        session = get_session()
        worker_id = session.get(Complaint, complaint_id).worker_id  # type: ignore[union-attr]
        now = utcnow()
        record_popup(
            session, worker_id, [("T1", "accept"), ("T2", "accept")], long_term=True, now=now
        )
        record_popup(session, worker_id, [("T1", "accept")], long_term=True, now=now)  # again
        session.commit()
        assert len(consents(app)) == 2  # not doubled
        record_popup(session, worker_id, [("T1", "reject")], long_term=True, now=now)
        session.commit()
    stored = {c.template_id: c for c in consents(app)}
    assert stored["T1"].revoked_at is not None and stored["T2"].revoked_at is None
    assert stored["T2"].long_term and stored["T2"].source == "popup"
    with app.app_context():
        session = get_session()
        assert withdraw(session, worker_id, utcnow()) == 1  # "不要再通知我"
        session.commit()
    assert all(c.revoked_at is not None for c in consents(app))


def test_reserved_is_bound_to_the_case_and_the_secret() -> None:
    reserved = reserved_for("s3cret", 42)
    assert reserved.isalnum() and len(reserved) <= 128
    assert complaint_of_reserved("s3cret", reserved) == 42
    assert complaint_of_reserved("other", reserved) is None
    assert complaint_of_reserved("s3cret", reserved.replace("42x", "43x")) is None


def one_time_return(app: Flask, complaint_id: int, **changes: Any) -> Any:
    link = one_time_link(app.config, complaint_id)
    assert link is not None
    query = {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}
    args = {
        "openid": OPENID,
        "template_id": query["template_id"],
        "action": "confirm",
        "scene": query["scene"],
        "reserved": query["reserved"],
        **changes,
    }
    return app.test_client().get("/notices/consent", query_string=args)


def test_one_time_link_round_trip_stores_one_consent(app: Flask) -> None:
    app.config["WECHAT_ONE_TIME_TEMPLATE"] = "ONE_TIME"
    complaint_id = add_complaint(app, CASE)
    link = one_time_link(app.config, complaint_id)
    assert link is not None and link.endswith("#wechat_redirect")
    assert "redirect_url=http%3A%2F%2F127.0.0.1%3A8000%2Fnotices%2Fconsent" in link
    assert one_time_return(app, complaint_id, action="cancel").status_code == 200
    assert consents(app) == []
    assert one_time_return(app, complaint_id, openid="o_someone_else").status_code == 400
    assert one_time_return(app, complaint_id, scene="9").status_code == 400
    assert one_time_return(app, complaint_id, reserved="1x00").status_code == 404
    page = one_time_return(app, complaint_id)
    assert page.status_code == 200 and "订阅成功" in page.get_data(as_text=True)
    (consent,) = consents(app)
    assert (consent.template_id, consent.complaint_id, consent.long_term) == (
        "ONE_TIME",
        complaint_id,
        False,
    )
    assert consent.source == "one_time_link" and consent.granted_at is not None


def test_subscribe_page_offers_the_button_and_the_link(app: Flask) -> None:
    app.config.update(
        WECHAT_SUBSCRIBE_TEMPLATE_PROGRESS="SUB_P",
        WECHAT_SUBSCRIBE_TEMPLATE_DEADLINE="SUB_D",
        WECHAT_ONE_TIME_TEMPLATE="ONE_TIME",
    )
    complaint_id = add_complaint(app, CASE)
    link = invite_link(app.config, complaint_id)
    page = app.test_client().get(urlsplit(link).path + "?" + urlsplit(link).query)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and CASE in text
    assert 'template="SUB_P,SUB_D"' in text and "mp.weixin.qq.com/mp/subscribemsg" in text
    assert app.test_client().get("/notices/subscribe?c=7x0").status_code == 404


def test_a_one_time_consent_sends_through_the_one_time_endpoint(
    app: Flask, fake_wechat: str
) -> None:
    app.config["WECHAT_ONE_TIME_TEMPLATE"] = "ONE_TIME"
    complaint_id = add_complaint(app, CASE, last_inbound=days_ago(9))
    scene = int(parse_qs(urlsplit(one_time_link(app.config, complaint_id) or "").query)["scene"][0])
    requests.post(
        f"{fake_wechat}/_fake/consent",
        json={"openid": OPENID, "template_id": "ONE_TIME", "scene": scene},
        timeout=5,
    ).raise_for_status()
    assert one_time_return(app, complaint_id).status_code == 200
    with app.app_context():
        session = get_session()
        complaint = session.get(Complaint, complaint_id)
        assert complaint is not None
        complaint.status = "accepted"
        notice = status_notice("accepted", CASE, "", f"您的案件{CASE}有新进展：已受理。")
        delivery = send_notice(session, complaint, notice, now=utcnow(), payload={})
        session.commit()
        assert delivery.problem is None
    app.extensions["jobs"].wait()
    notices = requests.get(f"{fake_wechat}/_fake/notices", timeout=5).json()["notices"]
    assert [(n["endpoint"], n["scene"], n["title"]) for n in notices] == [
        ("one_time", scene, "已受理，正在调查")
    ]
    (consent,) = consents(app)
    assert consent.used_at is not None  # spent: the next notice needs a new consent


def popup_xml(simulator: Any, event: str, block: str, items: list[tuple[str, str]]) -> str:
    """WeChat's push after the subscribe button (or a change in settings)."""
    listed = "".join(
        f"<List><TemplateId><![CDATA[{tid}]]></TemplateId>"
        f"<SubscribeStatusString><![CDATA[{status}]]></SubscribeStatusString>"
        f"<PopupScene>2</PopupScene></List>"
        for tid, status in items
    )
    base = simulator.event(event)
    return base.replace("</xml>", f"<{block}>{listed}</{block}></xml>")


def test_the_subscribe_buttons_events_store_and_withdraw_consent(app: Flask) -> None:
    from webhooks.simulator import WeChatSimulator

    app.config["WECHAT_SUBSCRIBE_LONG_TERM"] = True
    add_complaint(app, CASE)
    simulator = WeChatSimulator(
        app.config["WECHAT_TOKEN"],
        app.config["WECHAT_APPID"],
        app.config["WECHAT_ENCODING_AES_KEY"],
    )
    simulator.openid = OPENID
    client = app.test_client()
    accepted = popup_xml(
        simulator,
        "subscribe_msg_popup_event",
        "SubscribeMsgPopupEvent",
        [("SUB_P", "accept"), ("SUB_D", "reject")],
    )
    push = simulator.push(accepted)
    assert client.post("/wechat", query_string=push.args, data=push.body).status_code == 200
    (consent,) = consents(app)
    assert (consent.template_id, consent.long_term, consent.source) == ("SUB_P", True, "popup")
    switched_off = popup_xml(
        simulator, "subscribe_msg_change_event", "SubscribeMsgChangeEvent", [("SUB_P", "reject")]
    )
    push = simulator.push(switched_off)
    assert client.post("/wechat", query_string=push.args, data=push.body).status_code == 200
    (consent,) = consents(app)
    assert consent.revoked_at is not None
