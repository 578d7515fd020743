"""Outbound messages and the job registry: one rule, one sentence, explicit registration."""

from __future__ import annotations

import gc
import threading
import time
import weakref
from datetime import timedelta

import pytest
import requests
from flask import Flask
from sqlalchemy import select

from app import create_app
from jobs import checkins, linking, notices, registry_of
from jobs.messages import notify
from models import CaseWork, Complaint, ConversationState, Message, OutboxJob, Worker, utcnow
from models.chat import INBOUND_STATUSES, OUTBOUND_STATUSES
from models.db import get_session
from webhooks.delivery import recover_abandoned
from webhooks.simulator import WeChatSimulator

from .conftest import base_config
from .test_webhook import post

SENTENCE_START, SENTENCE_END = "微信消息无法送达（", "），请电话联系工人"


def add_case(app: Flask, openid: str, case_no: str, wrote_ago: timedelta) -> tuple[int, int]:
    """A worker who last wrote ``wrote_ago`` and their case; return (worker id, case id)."""
    with app.app_context():
        session = get_session()
        worker = Worker(openid=openid, last_inbound_at=utcnow() - wrote_ago)
        session.add(worker)
        session.flush()
        complaint = Complaint(case_no=case_no, worker_id=worker.id, status="submitted")
        session.add(complaint)
        session.commit()
        return worker.id, complaint.id


def notice(app: Flask, worker_id: int, complaint_id: int | None) -> str | None:
    """Send a notice through the one outbound door; return the problem it reported."""
    with app.app_context():
        session = get_session()
        worker = session.get(Worker, worker_id)
        assert worker is not None
        delivery = notify(
            session, worker, "您的案件有新进展", now=utcnow(), payload={},
            complaint_id=complaint_id,
        )  # fmt: skip
        session.commit()
    app.extensions["jobs"].wait()
    return delivery.problem


def call_reasons(app: Flask) -> dict[int, str | None]:
    with app.app_context():
        works = get_session().scalars(select(CaseWork))
        return {work.complaint_id: work.call_worker_reason for work in works}


def statuses(app: Flask) -> set[str]:
    with app.app_context():
        return set(get_session().scalars(select(Message.status)))


def test_job_kinds_and_duties_are_registered_by_each_apps_init(app: Flask) -> None:
    registry = registry_of(app)
    kinds = {"send_message", "download_media", "send_notice", "answer_message"}
    assert set(registry.kinds) == kinds
    duties = [notices.sweep, checkins.duty, linking.sweep, recover_abandoned]
    assert registry.duties == duties
    other = create_app(base_config(app.config["DATABASE_URL"]))
    try:
        assert registry_of(other) is not registry  # nothing is shared through a module
        # and nothing is doubled
        assert registry_of(other).duties == duties
    finally:
        other.extensions["db"].engine.dispose()
    with pytest.raises(ValueError, match="twice"):
        registry.kind("send_message", registry.kinds["download_media"].run)


def test_a_job_of_a_kind_never_registered_dies(app: Flask) -> None:
    from jobs.outbox import enqueue

    with app.app_context():
        session = get_session()
        job = enqueue(session, "no_such_kind", {})
        session.commit()  # pushed to the app's in-process runner
        job_id = job.id
    app.extensions["jobs"].wait()
    with app.app_context():
        job = get_session().get(OutboxJob, job_id)
        assert job is not None and job.status == "dead" and "no_such_kind" in (job.last_error or "")


def test_both_ways_a_message_fails_ask_for_a_call_in_one_sentence(
    app: Flask, fake_wechat: str
) -> None:
    _, closed = add_case(app, "o_silent", "261126-0001", wrote_ago=timedelta(days=3))
    worker_id, refused = add_case(app, "o_gone", "261126-0002", wrote_ago=timedelta(hours=1))
    requests.post(
        f"{fake_wechat}/_fake/fail",
        json={"endpoint": "message/custom/send", "errcode": 45015},
        timeout=5,
    ).raise_for_status()
    with app.app_context():
        silent = get_session().scalar(select(Worker.id).where(Worker.openid == "o_silent"))
    problem = notice(app, int(silent or 0), closed)  # the 48 h window was closed
    assert notice(app, worker_id, refused) is None  # queued; WeChat refuses it later
    reasons = call_reasons(app)
    assert reasons[closed] == problem
    for reason in (reasons[closed], reasons[refused]):
        assert reason and reason.startswith(SENTENCE_START) and reason.endswith(SENTENCE_END)
    assert "48小时" in (reasons[closed] or "") and "45015" in (reasons[refused] or "")


def test_a_reply_outside_the_window_without_a_case_flags_the_conversation(app: Flask) -> None:
    with app.app_context():
        session = get_session()
        worker = Worker(openid="o_old", last_inbound_at=utcnow() - timedelta(days=3))
        session.add(worker)
        session.flush()
        session.add(ConversationState(worker_id=worker.id, state={}))
        session.commit()
        worker_id = worker.id
    problem = notice(app, worker_id, None)
    assert problem and problem.endswith(SENTENCE_END)
    with app.app_context():
        session = get_session()
        state = session.scalars(select(ConversationState)).one()
        assert state.handoff_reason == "undelivered" and state.handoff_requested_at
        assert session.scalars(select(Message.status)).one() == "cs_window"


def test_every_message_status_written_is_declared(
    app: Flask, simulator: WeChatSimulator, fake_wechat: str
) -> None:
    client = app.test_client()
    post(client, simulator.push(simulator.text("你好")))  # handled, passive
    app.config["REPLY_BUDGET_SECONDS"] = 0.0
    post(client, simulator.push(simulator.text("老板欠我工资")))  # a late reply: cs_sent
    deadline = time.monotonic() + 10
    while "cs_sent" not in statuses(app) and time.monotonic() < deadline:
        app.extensions["jobs"].wait()
        time.sleep(0.05)
    _, case_id = add_case(app, "o_silent", "261126-0003", wrote_ago=timedelta(days=3))
    with app.app_context():
        silent = get_session().scalar(select(Worker.id).where(Worker.openid == "o_silent"))
    notice(app, int(silent or 0), case_id)  # cs_window
    with app.app_context():
        rows = get_session().execute(select(Message.direction, Message.status)).all()
    declared = {"in": INBOUND_STATUSES, "out": OUTBOUND_STATUSES}
    assert {status for _, status in rows} >= {"handled", "passive", "cs_sent", "cs_window"}
    assert all(status in declared[direction] for direction, status in rows), rows


def test_a_periodic_duty_runs_at_most_once_per_interval_and_survives_errors(app: Flask) -> None:
    from datetime import timedelta

    from sqlalchemy.exc import IntegrityError, OperationalError

    from jobs.runner import periodically

    calls: list[str] = []

    def work(session: object, now: object) -> int:
        calls.append("ran")
        return 3

    assert periodically(app, "probe", timedelta(hours=1), work) == 3
    assert periodically(app, "probe", timedelta(hours=1), work) == 0  # not again this hour
    assert periodically(app, "probe", timedelta(hours=1), work, force=True) == 3
    assert calls == ["ran", "ran"]

    def conflict(session: object, now: object) -> int:
        raise IntegrityError("INSERT", {}, Exception("unique"))

    def database_down(session: object, now: object) -> int:
        raise OperationalError("SELECT", {}, Exception("down"))

    assert periodically(app, "conflict", timedelta(hours=1), conflict) == 0
    assert periodically(app, "down", timedelta(hours=1), database_down) == 0


def test_an_app_dropped_after_use_is_freed_with_its_threads(
    database_urls: dict[str, str],
) -> None:
    """The jobs' commit hook must not keep its app alive: the test suite builds thousands
    of apps, and each one kept held its engine, pools and turn threads (over a gigabyte and
    long garbage-collection pauses by the end of a run)."""
    app = create_app(base_config(database_urls["sqlite"]))
    simulator = WeChatSimulator(
        app.config["WECHAT_TOKEN"],
        app.config["WECHAT_APPID"],
        app.config["WECHAT_ENCODING_AES_KEY"],
    )
    push = simulator.push(simulator.text("老板欠我三千块"))
    assert (
        app.test_client().post("/wechat", query_string=push.args, data=push.body).status_code == 200
    )
    app.extensions["jobs"].wait()
    app.extensions["db"].engine.dispose()
    turn_threads = [t for t in threading.enumerate() if t.name.startswith("turn")]
    dropped = weakref.ref(app)
    del app
    gc.collect()
    assert dropped() is None
    for thread in turn_threads:
        thread.join(timeout=5)  # an executor that is freed lets its threads end
    assert not any(thread.is_alive() for thread in turn_threads)
