"""``flask retention purge``: what goes, what stays, and whose data is never touched."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from console.dashboard import figures
from models import (
    AuditEntry,
    CaseNote,
    CaseRating,
    Complaint,
    ConversationState,
    Evidence,
    Message,
    MessageReview,
    StatusChange,
    Worker,
)
from models.db import get_session


def ago(days: float) -> datetime:
    return datetime.now(UTC) - timedelta(days=days)


@dataclass
class World:
    """Ids and files of the stored cases."""

    old: int  # closed 400 days ago: purged
    busy: int  # closed 400 days ago, but the worker has an open case: kept
    recent: int  # closed 100 days ago: kept
    old_worker: int
    kept_message: int  # the old worker's message of last week
    shared_file: Path  # also evidence of the recent case
    own_file: Path


def add_case(
    session: Session, worker: Worker, case_no: str, status: str, finished_days: float | None
) -> Complaint:
    complaint = Complaint(
        case_no=case_no,
        worker=worker,
        status=status,
        contact_name="张三",
        contact_phone="13912345678",
        id_number="11010519491231002X",
        description="老板欠我们工资，电话13912345678",
        flags={"phone": "1391234567"},
        amount_owed=Decimal("35000"),
        headcount=12,
        is_group=True,
        employer="恒力劳务",
        created_at=ago(500),
    )
    session.add(complaint)
    session.flush()
    session.add(StatusChange(complaint=complaint, to_status="submitted", created_at=ago(500)))
    if finished_days is not None:
        session.add(
            StatusChange(
                complaint=complaint,
                from_status="accepted",
                to_status=status,
                note="已与工人电话13912345678联系",
                created_at=ago(finished_days),
            )
        )
    session.add(CaseNote(complaint_id=complaint.id, text="工人新号码13800001111"))
    if status in ("resolved", "closed"):
        session.add(
            CaseRating(
                complaint_id=complaint.id, worker_id=worker.id, score=3, reason="找过李科长没用"
            )
        )
    return complaint


def add_message(session: Session, worker: Worker, days: float, **fields: object) -> Message:
    message = Message(
        worker=worker, direction="in", created_at=ago(days), **{"msg_type": "text", **fields}
    )
    session.add(message)
    session.flush()
    return message


def add_evidence(
    session: Session, message: Message, complaint: Complaint, content: bytes, media: Path
) -> Path:
    sha = hashlib.sha256(content).hexdigest()
    path = media / sha[:2] / sha
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    session.add(
        Evidence(
            message_id=message.id,
            complaint_id=complaint.id,
            kind="image",
            sha256=sha,
            storage_path=str(path),
            download_status="stored",
        )
    )
    return path


@pytest.fixture
def world(app: Flask, tmp_path: Path) -> World:
    app.config["MEDIA_DIR"] = str(tmp_path)
    with app.app_context():
        session = get_session()
        a, b, c = Worker(openid="o_a"), Worker(openid="o_b"), Worker(openid="o_c")
        old = add_case(session, a, "A-1", "closed", 400)
        # Staff noted a phone call last week: the case did not close again then.
        session.add(
            StatusChange(complaint=old, from_status="closed", to_status="closed", created_at=ago(7))
        )
        first = add_message(session, a, 500, content="我电话13912345678", intent="other")
        reply = add_message(session, a, 500, content="好的", reply_to_id=first.id)
        session.add(MessageReview(message_id=first.id, intent="give_phone"))
        kept = add_message(session, a, 7, content="我的案子怎么样了", reply_to_id=reply.id)
        photo = add_message(session, a, 450, msg_type="image", media_id="m1")
        own_file = add_evidence(session, photo, old, b"own photo", tmp_path)
        shared = add_evidence(session, photo, old, b"shared photo", tmp_path)
        session.add(ConversationState(worker_id=a.id, state={"phone": "139"}, updated_at=ago(450)))

        busy = add_case(session, b, "B-1", "resolved", 400)
        add_case(session, b, "B-2", "accepted", None)
        add_message(session, b, 500, content="b的旧消息")

        recent = add_case(session, c, "C-1", "rejected", 100)
        recent_photo = add_message(session, c, 120, msg_type="image", media_id="m2")
        add_evidence(session, recent_photo, recent, b"shared photo", tmp_path)
        session.commit()
        return World(old.id, busy.id, recent.id, a.id, kept.id, shared, own_file)


def purge(runner: FlaskCliRunner, *args: str) -> str:
    result = runner.invoke(args=["retention", "purge", "--days", "365", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_an_old_case_loses_its_personal_data_and_keeps_its_statistics(
    app: Flask, runner: FlaskCliRunner, world: World
) -> None:
    output = purge(runner)
    assert "1 名工人：匿名化投诉 1 件，删除消息 3 条、会话状态 1 个、证据 2 条" in output
    with app.app_context():
        session = get_session()
        old = session.get(Complaint, world.old)
        assert old is not None and old.anonymised_at is not None
        personal = (old.contact_name, old.contact_phone, old.id_number, old.description)
        assert personal == (None, None, None, None) and old.flags == {}
        kept = (old.status, old.amount_owed, old.headcount, old.is_group, old.employer)
        assert kept == ("closed", Decimal("35000"), 12, True, "恒力劳务")
        assert [h.note for h in old.history] == [None, None, None]
        # The rating still counts; the worker's reason, which may name people, is gone.
        rating = session.scalar(select(CaseRating).where(CaseRating.complaint_id == world.old))
        assert rating is not None and rating.score == 3 and rating.reason is None
        busy = session.scalar(select(CaseRating).where(CaseRating.complaint_id == world.busy))
        assert busy is not None and busy.reason == "找过李科长没用"
        assert (
            session.scalar(
                select(func.count()).select_from(CaseNote).where(CaseNote.complaint_id == world.old)
            )
            == 0
        )
        messages = session.scalars(select(Message).where(Message.worker_id == world.old_worker))
        [left] = messages.all()
        assert left.id == world.kept_message and left.reply_to_id is None
        assert session.scalar(select(func.count()).select_from(MessageReview)) == 0
        assert session.scalar(select(ConversationState)) is None
        assert session.scalar(select(func.count()).select_from(Evidence)) == 1
        audit = session.scalars(select(AuditEntry)).one()
        assert audit.action == "retention_purge" and "complaints=1" in (audit.detail or "")
        # The dashboard still counts every case, the purged one included.
        assert sum(n for _, n in figures(session).by_status) == 4
    assert not world.own_file.exists()
    assert world.shared_file.exists()  # the recent case's evidence is the same file


def test_workers_with_an_open_or_recent_case_are_untouched(
    app: Flask, runner: FlaskCliRunner, world: World
) -> None:
    purge(runner)
    with app.app_context():
        session = get_session()
        for complaint_id in (world.busy, world.recent):
            complaint = session.get(Complaint, complaint_id)
            assert complaint is not None and complaint.anonymised_at is None
            assert complaint.contact_phone == "13912345678"
            assert complaint.history[-1].note == "已与工人电话13912345678联系"
        contents = set(session.scalars(select(Message.content)))
        assert "b的旧消息" in contents


def test_dry_run_changes_nothing_and_a_second_purge_finds_nothing(
    app: Flask, runner: FlaskCliRunner, world: World
) -> None:
    dry = purge(runner, "--dry-run")
    assert "试运行" in dry and "匿名化投诉 1 件" in dry and "证据文件 1 个" in dry
    with app.app_context():
        session = get_session()
        complaint = session.get(Complaint, world.old)
        assert complaint is not None and complaint.contact_phone == "13912345678"
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == 0
    assert world.own_file.exists()
    purge(runner)
    again = purge(runner)
    assert "匿名化投诉 0 件，删除消息 0 条、会话状态 0 个、证据 0 条" in again


def test_the_default_period_comes_from_the_setting(
    app: Flask, runner: FlaskCliRunner, world: World
) -> None:
    app.config["RETENTION_DAYS"] = 50  # the case closed 100 days ago is now due too
    result = runner.invoke(args=["retention", "purge", "--dry-run"])
    assert "2 名工人：匿名化投诉 2 件" in result.output and "50 天" in result.output
