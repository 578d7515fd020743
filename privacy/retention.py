"""Retention: the personal data of cases closed long ago is deleted, their statistics kept.

A worker's transcript, conversation state and evidence are not per case but per worker, so a
worker is purged only when every case they filed is due: resolved, closed or rejected more
than ``days`` ago. Then their messages older than the cutoff, their conversation state if it
is that old too, and every evidence row of those messages or cases are deleted; the cases
keep status, dates, amounts, headcount, site, employer and group flag (the dashboard counts
them) and lose the complainant's name, phone, ID number, description, flags and staff notes.
A worker who wrote since the cutoff keeps those newer messages until they age too.

A worker who never filed a case (a half-filled form, a question, a request for a person) is
purged once their whole conversation is older than the cutoff: their last message and their
conversation state (the saved form, with name and phone) both. Their messages, state and
evidence go as above. Anonymised cases also get any phone or ID number masked in their
plaintext columns (rows written before ``models.masking`` existed).

:func:`plan_purge` only reads; :func:`apply_purge` writes in the caller's transaction; the
evidence files go after the commit (:func:`remove_files`), and a file another kept row
still uses (the same SHA-256) stays.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from cases.statuses import FINISHED
from models import (
    CaseNote,
    CaseNotice,
    CaseRating,
    Checkin,
    Complaint,
    ConversationState,
    Evidence,
    Message,
    MessageReview,
    StatusChange,
)
from models.complaint import FREE_TEXT_COLUMNS, ComplaintSource, masked_columns

#: Ids per IN (...) list: SQLite allows a limited number of bound values per statement.
CHUNK = 500


@dataclass
class Plan:
    """What a purge deletes: row ids by kind, and evidence files no kept row uses."""

    cutoff: datetime
    workers: list[int] = field(default_factory=list)
    caseless: list[int] = field(default_factory=list)  # of ``workers``: never filed a case
    complaints: list[int] = field(default_factory=list)  # to anonymise
    messages: list[int] = field(default_factory=list)
    states: list[int] = field(default_factory=list)
    evidence: list[int] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)


def plan_purge(session: Session, *, now: datetime, days: int, media_dir: Path) -> Plan:
    """Find what is due for deletion at ``now`` (read-only)."""
    plan = Plan(cutoff=now - timedelta(days=days))
    plan.caseless = _idle_workers_without_case(session, plan.cutoff)
    plan.workers = sorted(set(_workers_due(session, plan.cutoff)) | set(plan.caseless))
    for workers in _chunks(plan.workers):
        plan.complaints += session.scalars(
            select(Complaint.id).where(
                Complaint.worker_id.in_(workers),
                Complaint.status.in_(sorted(FINISHED)),
                Complaint.anonymised_at.is_(None),
            )
        )
        plan.messages += session.scalars(
            select(Message.id).where(
                Message.worker_id.in_(workers), Message.created_at < plan.cutoff
            )
        )
        plan.states += session.scalars(
            select(ConversationState.id).where(
                ConversationState.worker_id.in_(workers),
                ConversationState.updated_at < plan.cutoff,
            )
        )
    evidence = _evidence_of(session, plan.messages, plan.complaints)
    plan.evidence = sorted(evidence)
    plan.files = _unshared_files(session, evidence, media_dir)
    return plan


def apply_purge(session: Session, plan: Plan, now: datetime) -> None:
    """Delete and anonymise what ``plan`` names; the caller commits."""
    quiet = {"synchronize_session": False}
    for ids in _chunks(plan.messages):
        # Rows that point at a message go first (foreign keys), or lose the pointer.
        session.execute(
            delete(MessageReview).where(MessageReview.message_id.in_(ids)),
            execution_options=quiet,
        )
        session.execute(
            update(Message).where(Message.reply_to_id.in_(ids)).values(reply_to_id=None),
            execution_options=quiet,
        )
        # A check-in's answer and a case's notice history stay (figures, deadlines told).
        for table in (Checkin, CaseNotice):
            session.execute(
                update(table).where(table.message_id.in_(ids)).values(message_id=None),
                execution_options=quiet,
            )
    for ids in _chunks(plan.evidence):
        session.execute(delete(Evidence).where(Evidence.id.in_(ids)), execution_options=quiet)
    for ids in _chunks(plan.messages):
        session.execute(delete(Message).where(Message.id.in_(ids)), execution_options=quiet)
    for ids in _chunks(plan.states):
        session.execute(
            delete(ConversationState).where(ConversationState.id.in_(ids)),
            execution_options=quiet,
        )
    for ids in _chunks(plan.complaints):
        _anonymise(session, ids, now)


def remove_files(files: Sequence[Path]) -> int:
    """Delete evidence files after the commit; return how many were there to delete."""
    removed = 0
    for path in files:
        if path.is_file():
            path.unlink()
            removed += 1
    return removed


def _anonymise(session: Session, ids: list[int], now: datetime) -> None:
    quiet = {"synchronize_session": False}
    session.execute(delete(CaseNote).where(CaseNote.complaint_id.in_(ids)), execution_options=quiet)
    # The history stays (the dashboard measures time to acceptance and resolution from
    # it); its notes are staff's free text and go.
    session.execute(
        update(StatusChange).where(StatusChange.complaint_id.in_(ids)).values(note=None),
        execution_options=quiet,
    )
    session.execute(  # the worker's words about the outcome; the score stays for statistics
        update(CaseRating).where(CaseRating.complaint_id.in_(ids)).values(reason=None),
        execution_options=quiet,
    )
    session.execute(  # what a linked report said: names and numbers (cases/intake.py)
        update(ComplaintSource).where(ComplaintSource.complaint_id.in_(ids)).values(details={}),
        execution_options=quiet,
    )
    session.execute(
        update(Complaint)
        .where(Complaint.id.in_(ids))
        .values(
            contact_name=None,
            contact_phone=None,
            id_number=None,
            description=None,
            work_content=None,
            flags={},
            anonymised_at=now,
        ),
        execution_options=quiet,
    )
    _mask_free_text(session, ids)


def _mask_free_text(session: Session, ids: list[int]) -> None:
    """Mask phone and ID numbers left in the plaintext columns of rows stored unmasked."""
    columns = [getattr(Complaint, name) for name in FREE_TEXT_COLUMNS]
    for complaint_id, *values in session.execute(
        select(Complaint.id, *columns).where(Complaint.id.in_(ids))
    ):
        stored = dict(zip(FREE_TEXT_COLUMNS, values, strict=True))
        changed = {k: v for k, v in masked_columns(stored).items() if v != stored[k]}
        if changed:
            session.execute(
                update(Complaint).where(Complaint.id == complaint_id).values(**changed),
                execution_options={"synchronize_session": False},
            )


def _workers_due(session: Session, cutoff: datetime) -> list[int]:
    """Workers with at least one filed case, every one of them finished before ``cutoff``."""
    finished_at = _finished_at(session)
    due: dict[int, bool] = {}
    rows = session.execute(
        select(Complaint.id, Complaint.worker_id, Complaint.status, Complaint.updated_at).where(
            Complaint.status != "draft"
        )
    )
    for complaint_id, worker_id, status, updated_at in rows:
        ended = finished_at.get(complaint_id, updated_at)
        case_due = status in FINISHED and ended < cutoff
        due[worker_id] = due.get(worker_id, True) and case_due
    return sorted(worker_id for worker_id, ok in due.items() if ok)


def _idle_workers_without_case(session: Session, cutoff: datetime) -> list[int]:
    """Workers with no filed case whose last message and saved state are older than cutoff."""
    filed = select(Complaint.worker_id).where(Complaint.status != "draft")
    last = (
        select(Message.worker_id, func.max(Message.created_at).label("at"))
        .group_by(Message.worker_id)
        .subquery()
    )
    rows = session.scalars(
        select(last.c.worker_id)
        .outerjoin(ConversationState, ConversationState.worker_id == last.c.worker_id)
        .where(
            last.c.at < cutoff,
            last.c.worker_id.not_in(filed),
            # A form touched since the cutoff (a reminder, staff taking over) is still live.
            or_(ConversationState.id.is_(None), ConversationState.updated_at < cutoff),
        )
    )
    return sorted(rows)


def _finished_at(session: Session) -> dict[int, datetime]:
    """When each finished case entered its present status (its last move into it).

    Entries that keep the status (staff noting a phone call) do not count as the move.
    """
    rows = session.execute(
        select(StatusChange.complaint_id, func.max(StatusChange.created_at))
        .join(Complaint, Complaint.id == StatusChange.complaint_id)
        .where(
            Complaint.status.in_(sorted(FINISHED)),
            StatusChange.to_status == Complaint.status,
            or_(
                StatusChange.from_status.is_(None),
                StatusChange.from_status != StatusChange.to_status,
            ),
        )
        .group_by(StatusChange.complaint_id)
    )
    return {complaint_id: at for complaint_id, at in rows}


def _evidence_of(
    session: Session, messages: list[int], complaints: list[int]
) -> dict[int, tuple[str | None, str | None]]:
    """Evidence rows of these messages or cases: id -> (sha256, storage path)."""
    found: dict[int, tuple[str | None, str | None]] = {}
    columns = (Evidence.id, Evidence.sha256, Evidence.storage_path)
    for ids in _chunks(messages):
        for row in session.execute(select(*columns).where(Evidence.message_id.in_(ids))):
            found[row.id] = (row.sha256, row.storage_path)
    for ids in _chunks(complaints):
        for row in session.execute(select(*columns).where(Evidence.complaint_id.in_(ids))):
            found[row.id] = (row.sha256, row.storage_path)
    return found


def _unshared_files(
    session: Session, evidence: dict[int, tuple[str | None, str | None]], media_dir: Path
) -> list[Path]:
    """Files of the deleted evidence that no kept evidence row shares (by SHA-256)."""
    by_sha: dict[str, set[Path]] = {}
    root = media_dir.resolve()
    for sha, stored in evidence.values():
        # Only files inside the media folder: a stored path is never trusted further.
        if sha and stored and Path(stored).resolve().is_relative_to(root):
            by_sha.setdefault(sha, set()).add(Path(stored))
    kept: set[str] = set()
    for shas in _chunks(sorted(by_sha)):
        rows = session.execute(
            select(Evidence.id, Evidence.sha256).where(Evidence.sha256.in_(shas))
        )
        kept |= {sha for evidence_id, sha in rows if evidence_id not in evidence}
    return sorted(path for sha, paths in by_sha.items() if sha not in kept for path in paths)


def _chunks(ids: Sequence[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(ids), CHUNK):
        yield list(ids[start : start + CHUNK])
