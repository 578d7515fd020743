"""The dialogue's effects on the database, through the webhook: complaints, evidence,
case numbers, hand-off, and the complaints CLI."""

from __future__ import annotations

import hashlib
import json
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select, update

from cases.deadlines import china_today
from models import (
    Complaint,
    ConversationState,
    Evidence,
    OutboxJob,
    Site,
    StatusChange,
    utcnow,
)
from models.db import get_session
from webhooks.simulator import WeChatSimulator

from .scripts import TERSE


def say(client: FlaskClient, sim: WeChatSimulator, xml: str) -> str:
    push = sim.push(xml)
    response = client.post("/wechat", query_string=push.args, data=push.body)
    assert response.status_code == 200
    return sim.read_reply(response.data) or ""


def chat(client: FlaskClient, sim: WeChatSimulator, messages: list[str]) -> list[str]:
    return [say(client, sim, sim.text(text)) for text in messages]


def complaints(app: Flask) -> list[Complaint]:
    with app.app_context():
        session = get_session()
        found = list(session.scalars(select(Complaint).order_by(Complaint.id)))
        for complaint in found:
            _ = complaint.site, complaint.history, complaint.evidence  # load before closing
        return found


def test_a_confirmed_form_is_stored_as_a_submitted_complaint(
    app: Flask, client: FlaskClient, simulator: WeChatSimulator
) -> None:
    replies = chat(client, simulator, TERSE)
    [complaint] = complaints(app)
    assert complaint.case_no in replies[-1] and complaint.status == "submitted"
    assert complaint.amount_owed == Decimal(35000) and complaint.headcount == 5
    assert complaint.employer == "包工头老王" and complaint.contact_phone == "13912345678"
    assert complaint.consent_at is not None and complaint.accept_by is not None
    assert [(h.from_status, h.to_status) for h in complaint.history] == [(None, "submitted")]


def test_a_registered_site_scan_fills_the_project(
    app: Flask, client: FlaskClient, simulator: WeChatSimulator
) -> None:
    with app.app_context():
        session = get_session()
        session.add(
            Site(
                code="ZJY001",
                name="紫荆苑二期",
                address="钟楼区紫荆路8号",
                general_contractor="常州建工集团",
            )
        )
        session.commit()
    greeting = say(client, simulator, simulator.event("SCAN", "ZJY001"))
    assert "紫荆苑二期" in greeting
    chat(
        client,
        simulator,
        ["包工头老王欠我们5个人三万五，干了三个月", "木工", "张三 13912345678", "1"],
    )
    [complaint] = complaints(app)
    assert complaint.site is not None and complaint.site.code == "ZJY001"
    assert complaint.project_address == "钟楼区紫荆路8号"


def test_request_human_flags_and_staff_hold_silences_the_bot(
    app: Flask, client: FlaskClient, simulator: WeChatSimulator
) -> None:
    assert "12333" in chat(client, simulator, ["转人工"])[0]
    with app.app_context():
        session = get_session()
        conversation = session.scalars(select(ConversationState)).one()
        assert conversation.handoff_reason == "requested"
        assert conversation.handoff_requested_at is not None
        from models import StaffUser

        staff = StaffUser(username="hotline1", password_hash="x", role="hotline")
        session.add(staff)
        session.flush()
        conversation.held_by_staff_id = staff.id
        session.commit()
    assert chat(client, simulator, ["老板欠我钱"]) == [""]


def test_media_is_downloaded_after_the_reply_and_stored_by_hash(
    app: Flask,
    client: FlaskClient,
    simulator: WeChatSimulator,
    fake_wechat: str,
    tmp_path: Path,
) -> None:
    app.config["MEDIA_DIR"] = str(tmp_path)
    photo = b"\x89PNG fake photo of an IOU"
    requests.post(
        f"{fake_wechat}/_fake/media",
        params={"media_id": "iou-1", "content_type": "image/png"},
        data=photo,
        timeout=5,
    )
    chat(client, simulator, TERSE[:2])
    say(client, simulator, simulator.media("image", "iou-1", PicUrl="http://x.invalid/p"))
    chat(client, simulator, TERSE[2:])
    app.extensions["jobs"].wait()
    [complaint] = complaints(app)
    [evidence] = complaint.evidence
    digest = hashlib.sha256(photo).hexdigest()
    assert (evidence.download_status, evidence.sha256, evidence.size) == (
        "stored",
        digest,
        len(photo),
    )
    assert Path(evidence.storage_path or "").read_bytes() == photo


def test_a_failed_download_does_not_delay_the_reply_and_is_retried(
    app: Flask,
    client: FlaskClient,
    simulator: WeChatSimulator,
    fake_wechat: str,
    runner: FlaskCliRunner,
    tmp_path: Path,
) -> None:
    app.config["MEDIA_DIR"] = str(tmp_path)
    requests.post(
        f"{fake_wechat}/_fake/fail",
        json={"endpoint": "media/get", "count": 1, "status": 500},
        timeout=5,
    )
    requests.post(
        f"{fake_wechat}/_fake/media",
        params={"media_id": "v-1", "content_type": "audio/amr"},
        data=b"#!AMR voice",
        timeout=5,
    )
    reply = say(client, simulator, simulator.media("voice", "v-1", Format="amr"))
    assert "文字" in reply
    app.extensions["jobs"].wait()
    with app.app_context():
        evidence = get_session().scalars(select(Evidence)).one()
        assert (evidence.download_status, evidence.download_attempts) == ("pending", 1)
    with app.app_context():  # the backoff has passed
        get_session().execute(update(OutboxJob).values(run_after=utcnow()))
        get_session().commit()
    result = runner.invoke(args=["jobs", "relay"])
    assert "1 个任务" in result.output
    with app.app_context():
        assert get_session().scalars(select(Evidence)).one().download_status == "stored"


def test_complaints_cli_prints_the_contract_keys(
    app: Flask, client: FlaskClient, simulator: WeChatSimulator, runner: FlaskCliRunner
) -> None:
    chat(client, simulator, TERSE)
    listed = json.loads(
        runner.invoke(args=["complaints", "list", "--openid", simulator.openid, "--json"]).output
    )
    [item] = listed
    shown = json.loads(runner.invoke(args=["complaints", "show", item["case_no"], "--json"]).output)
    assert shown == item
    for key in (
        "case_no",
        "status",
        "openid",
        "site_code",
        "project_name",
        "employer",
        "work_type",
        "period_start",
        "period_end",
        "amount_owed",
        "headcount",
        "contact_name",
        "contact_phone",
        "description",
        "is_group",
        "evidence_count",
        "accept_by",
        "investigate_by",
        "created_at",
    ):
        assert key in item
    last_year = china_today().year - 1  # TERSE says "去年10月到今年1月"
    assert item["amount_owed"] == 35000 and item["period_start"] == f"{last_year}-10-01"
    assert item["openid"] == simulator.openid and item["status"] == "submitted"


def test_complaints_show_unknown_case_is_a_clear_error(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["complaints", "show", "000000-0000"])
    assert result.exit_code != 0 and "没有编号" in result.output


@pytest.mark.parametrize("messages", [["欠薪", "紫荆苑", "取消"], ["欠薪", "算了"]])
def test_cancel_leaves_no_complaint(
    app: Flask, client: FlaskClient, simulator: WeChatSimulator, messages: list[str]
) -> None:
    chat(client, simulator, messages)
    assert complaints(app) == []
    with app.app_context():
        assert get_session().scalars(select(StatusChange)).all() == []


@pytest.mark.parametrize(("how", "kind"), [("event", "scan"), ("text", "text")])
def test_a_site_code_by_scan_or_text_is_recorded_and_fills_the_site(
    app: Flask, client: FlaskClient, simulator: WeChatSimulator, how: str, kind: str
) -> None:
    from models import Scan

    with app.app_context():
        session = get_session()
        session.add(Site(code="ZJY001", name="紫荆苑二期", address="钟楼区紫荆路8号"))
        session.commit()
    xml = simulator.event("SCAN", "ZJY001") if how == "event" else simulator.text("工地 ZJY001")
    assert "紫荆苑二期" in say(client, simulator, xml)
    # A second scan a second later (the same second would be WeChat retrying the first).
    say(client, simulator, simulator.event("SCAN", "NOSUCH", create_time=int(time.time()) + 1))
    with app.app_context():
        scans = get_session().scalars(select(Scan).order_by(Scan.id)).all()
        assert [(s.kind, s.known) for s in scans] == [(kind, True), ("scan", False)]


def test_a_submitting_turn_runs_the_dialogue_step_once(
    app: Flask, client: FlaskClient, simulator: WeChatSimulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.service

    steps: list[str] = []
    real_step = bot.service.step

    def counted(*args: Any) -> Any:
        steps.append("step")
        return real_step(*args)

    monkeypatch.setattr(bot.service, "step", counted)
    replies = chat(client, simulator, TERSE)
    [complaint] = complaints(app)
    assert complaint.case_no in replies[-1] and "\x00" not in replies[-1]
    assert len(steps) == len(TERSE)


def test_a_site_code_is_read_once_and_the_site_not_looked_up_again_to_file(
    app: Flask, client: FlaskClient, simulator: WeChatSimulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.service
    from sites.scans import parse_site_command

    with app.app_context():
        session = get_session()
        session.add(Site(code="ZJY001", name="紫荆苑二期", address="钟楼区紫荆路8号"))
        session.commit()
    reads: list[str] = []

    def counted(text: str) -> str | None:
        reads.append(text)
        return parse_site_command(text)

    monkeypatch.setattr(bot.service, "parse_site_command", counted)
    messages = [
        "工地 ZJY001",
        "包工头老王欠我们5个人三万五，干了三个月",
        "木工",
        "张三 13912345678",
    ]
    chat(client, simulator, messages)
    assert reads == messages  # once per message
    with app.app_context():  # a new code: filing finds the site by the id the form kept
        session = get_session()
        session.execute(update(Site).values(code="RENAMED"))
        session.commit()
    chat(client, simulator, ["1"])
    [complaint] = complaints(app)
    assert complaint.site is not None and complaint.project_address == "钟楼区紫荆路8号"


def test_the_status_reply_gives_the_extended_investigation_date_without_the_60_days(
    app: Flask, client: FlaskClient, simulator: WeChatSimulator
) -> None:
    from cases.deadlines import filed_on, investigation_ends
    from models import CaseWork

    chat(client, simulator, TERSE)
    with app.app_context():
        session = get_session()
        complaint = session.scalars(select(Complaint)).one()
        complaint.status = "accepted"
        session.add(CaseWork(complaint_id=complaint.id, extended=True))
        session.commit()
        extended = investigation_ends(filed_on(complaint), complaint.investigate_by, True)
        assert extended != complaint.investigate_by
    [reply] = chat(client, simulator, ["查进度"])
    assert f"{extended.month}月{extended.day}日前办结" in reply
    assert "60个工作日内" not in reply and "延长" in reply
