"""Paid means the worker says so: the payment question, its answers, reopening, ratings.

Session functions (the caller commits). A resolved case stays resolved only when the worker
confirms; "没有" or "一部分" reopens it on a new investigation clock; no answer in
:data:`cases.notices.CONFIRM_DAYS` days leaves it "已解决（工人未确认）". Satisfaction is asked
only after the worker confirmed payment, and stored apart from the case's handler.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import ScalarSelect

from cases.deadlines import china_day, investigate_by
from cases.notices import CONFIRM_DAYS, PAID, PARTIAL, paid_text, reopened_text
from models import (
    CaseNotice,
    CaseRating,
    Complaint,
    PaymentConfirmation,
    StatusChange,
    case_work_of,
)

#: The status a reopened case goes back to: under investigation, in the staff's queue.
REOPENED_STATUS = "accepted"
#: Where the history names a change the worker caused (no staff member did it).
WORKER_NOTE = "工人反映{said}，案件重新办理（新的办结期限：{due}）"
PAYMENT_STATUS = {PAID: "paid", PARTIAL: "partial", "unpaid": "unpaid"}


@dataclass(frozen=True)
class Answer:
    """What an answer did: the reply to send the worker and whether satisfaction follows."""

    reply: str
    ask_satisfaction: bool = False


def ask_payment(session: Session, complaint: Complaint, now: datetime) -> PaymentConfirmation:
    """Open the payment question of a case just marked resolved (an older one is closed)."""
    session.execute(
        update(PaymentConfirmation)
        .where(
            PaymentConfirmation.complaint_id == complaint.id,
            PaymentConfirmation.status == "asked",
        )
        .values(status="unconfirmed")
    )
    question = PaymentConfirmation(complaint_id=complaint.id, status="asked", asked_at=now)
    session.add(question)
    return question


def open_question(session: Session, complaint_id: int) -> PaymentConfirmation | None:
    """The case's payment question still waiting for the worker, if any."""
    return session.scalar(
        select(PaymentConfirmation)
        .where(
            PaymentConfirmation.complaint_id == complaint_id,
            PaymentConfirmation.status == "asked",
        )
        .order_by(PaymentConfirmation.id.desc())
        .limit(1)
    )


def answer_payment(session: Session, complaint: Complaint, answer: str, now: datetime) -> Answer:
    """Record the worker's answer; anything but "all paid" reopens the case.

    Also taken while the case is still open (the worker wrote "钱拿到了"): then the case is
    not resolved by it, only the confirmation is recorded for staff.
    """
    question = open_question(session, complaint.id)
    if question is None:
        question = PaymentConfirmation(complaint_id=complaint.id, asked_at=now)
        session.add(question)
    question.status, question.answered_at = PAYMENT_STATUS[answer], now
    _answered(session, complaint.id, "payment", now)
    if answer == PAID:
        return Answer(paid_text(complaint.case_no), ask_satisfaction=True)
    return Answer(_reopen(session, complaint, answer, now))


def _reopen(session: Session, complaint: Complaint, answer: str, now: datetime) -> str:
    """Back to investigation with a note and a new 60-working-day clock from today."""
    due = investigate_by(china_day(now))
    said = "只拿到一部分钱" if answer == PARTIAL else "钱没有到账"
    if complaint.status == "resolved":
        session.add(
            StatusChange(
                complaint_id=complaint.id,
                from_status=complaint.status,
                to_status=REOPENED_STATUS,
                note=WORKER_NOTE.format(said=said, due=due.isoformat()),
                staff_id=None,
                created_at=now,
            )
        )
        complaint.status = REOPENED_STATUS
        complaint.investigate_by = due
        case_work_of(session, complaint.id).extended = False  # the new clock starts unextended
    return reopened_text(complaint.case_no, answer, due)


def expire_unconfirmed(session: Session, now: datetime) -> int:
    """Questions unanswered for CONFIRM_DAYS days: the case stays "已解决（工人未确认）"."""
    result = session.execute(
        update(PaymentConfirmation)
        .where(
            PaymentConfirmation.status == "asked",
            PaymentConfirmation.asked_at < now - timedelta(days=CONFIRM_DAYS),
        )
        .values(status="unconfirmed")
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def latest_answer() -> ScalarSelect[str]:
    """In a query of complaints: the status of each one's newest payment question (asked,
    paid, partial, unpaid, unconfirmed), or NULL when never asked."""
    return (
        select(PaymentConfirmation.status)
        .where(PaymentConfirmation.complaint_id == Complaint.id)
        .order_by(PaymentConfirmation.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def payment_confirmed(session: Session, complaint_id: int) -> bool | None:
    """True when the worker said all was paid, False for part or none, None when unknown."""
    status = session.scalar(
        select(PaymentConfirmation.status)
        .where(
            PaymentConfirmation.complaint_id == complaint_id,
            PaymentConfirmation.status.in_(("paid", "partial", "unpaid")),
        )
        .order_by(PaymentConfirmation.id.desc())
        .limit(1)
    )
    return None if status is None else status == "paid"


def rate(session: Session, complaint: Complaint, score: int, now: datetime) -> CaseRating | None:
    """Store the worker's rating once, with the handler and unit of that moment; only a
    case whose worker confirmed payment can be rated (None otherwise, or if already rated)."""
    if payment_confirmed(session, complaint.id) is not True:
        return None
    if session.scalar(select(CaseRating).where(CaseRating.complaint_id == complaint.id)):
        return None
    work = case_work_of(session, complaint.id)
    rating = CaseRating(
        complaint_id=complaint.id,
        worker_id=complaint.worker_id,
        score=score,
        handler_staff_id=work.assigned_staff_id,
        unit=work.transferred_to or "本局",
        created_at=now,
    )
    session.add(rating)
    _answered(session, complaint.id, "satisfaction", now)
    return rating


def satisfaction(session: Session, complaint_id: int) -> int | None:
    """The worker's rating of a case (1-3), or None."""
    return session.scalar(select(CaseRating.score).where(CaseRating.complaint_id == complaint_id))


def _answered(session: Session, complaint_id: int, kind: str, now: datetime) -> None:
    """Mark the case's open notices of ``kind`` answered (replies are read against them)."""
    kinds = ("resolved", "payment") if kind == "payment" else (kind,)
    session.execute(
        update(CaseNotice)
        .where(
            CaseNotice.complaint_id == complaint_id,
            CaseNotice.kind.in_(kinds),
            CaseNotice.answered_at.is_(None),
        )
        .values(answered_at=now)
        .execution_options(synchronize_session=False)
    )
