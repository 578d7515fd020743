"""The bot's side of case notices: what a message may answer, and carrying out the answer.

``bot/notice_replies.py`` decides (pure); this module reads what is pending from the
database and does what was decided through ``cases/`` (payment, rating, consents). The
service calls :func:`answer` before the dialogue step; a message it answers never reaches
the dialogue, so "1" after a notice does not start a complaint from the menu.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot import notice_replies
from bot.notice_replies import PAYMENT, REASON, SATISFACTION, STATUS, WHICH_CASE, Decision, Pending
from bot.status import describe
from bot.types import CaseSummary, Policy
from cases import payment
from cases.consents import record_popup, reserved_for, withdraw
from cases.notices import INVITE, PAID, SATISFACTION_QUESTION, STOPPED
from cases.statuses import OPEN
from models import (
    CaseNotice,
    CaseRating,
    Complaint,
    Message,
    NoticeConsent,
    PaymentConfirmation,
)

#: The kinds of notices whose replies are read by their own rule; any other is a status.
_KINDS = {"resolved": PAYMENT, "satisfaction": SATISFACTION, "reason": REASON}
THANKS = "谢谢您的评价！"
ASK_REASON = "如果愿意，可以接着说说原因（直接回复文字即可）。"
REASON_KEPT = "已记下您的意见，谢谢。"
NOT_RATED = "已收到。案件{case_no}的钱确认到账后才能评价。"
WHICH = "您有{count}件正在办理的案件，钱是哪件案件的？请回复序号：\n{items}"
ACK = "收到。{status}\n如有疑问，可以直接回复或拨打12333。"


def answer(
    session: Session,
    message: Message,
    cases: tuple[CaseSummary, ...],
    now: datetime,
    in_form: bool = False,
) -> str | None:
    """The reply to ``message`` when it answers a notice (or stops notices), else None.

    While the worker fills in a form, "1", "好的" or "钱拿到了" answers the form's question,
    not a status notice that arrived meanwhile; the questions we asked (payment, rating)
    still take their answers.
    """
    if message.msg_type != "text":
        return None
    pending = pending_for(session, message)
    decision = notice_replies.read(message.content or "", pending)
    if decision is None or (in_form and decision.action in ("ack", "ask_case", "paid_case")):
        return None
    return _carry_out(session, message, decision, pending, cases, now)


def record_consents(session: Session, message: Message, policy: Policy, now: datetime) -> None:
    """Store the templates the worker accepted or rejected on the subscribe button (or
    later in WeChat's settings), as ``webhooks/inbound.py`` kept them."""
    choices = (message.payload or {}).get("subscribe") if message.msg_type == "event" else None
    if choices:
        pairs = [(str(template_id), str(status)) for template_id, status in choices]
        source = "change_event" if message.event == "subscribe_msg_change_event" else "popup"
        record_popup(
            session,
            message.worker_id,
            pairs,
            long_term=policy.long_term_consent,
            now=now,
            source=source,
        )


def pending_for(session: Session, message: Message) -> Pending:
    """What the worker's message may answer (see :class:`Pending`)."""
    worker_id = message.worker_id
    previous = session.scalar(
        select(Message.created_at)
        .where(Message.worker_id == worker_id, Message.direction == "in", Message.id < message.id)
        .order_by(Message.id.desc())
        .limit(1)
    )
    latest = session.execute(
        select(CaseNotice.kind, CaseNotice.created_at, Complaint.case_no)
        .join(Complaint, Complaint.id == CaseNotice.complaint_id)
        .where(CaseNotice.worker_id == worker_id, CaseNotice.answered_at.is_(None))
        .order_by(CaseNotice.id.desc())
        .limit(1)
    ).first()
    kind = case_no = None
    if latest is not None and (previous is None or latest.created_at > previous):
        kind, case_no = _KINDS.get(latest.kind, STATUS), latest.case_no
        if latest.kind == "which_case":
            kind = WHICH_CASE
    asked = session.scalar(
        select(Complaint.case_no)
        .join(PaymentConfirmation, PaymentConfirmation.complaint_id == Complaint.id)
        .where(Complaint.worker_id == worker_id, PaymentConfirmation.status == "asked")
        .order_by(PaymentConfirmation.id.desc())
        .limit(1)
    )
    if kind == PAYMENT and asked != case_no:
        kind = STATUS  # the question was answered or closed: the notice is news only
    open_cases = session.scalars(
        select(Complaint.case_no)
        .where(Complaint.worker_id == worker_id, Complaint.status.in_(sorted(OPEN)))
        .order_by(Complaint.id)
    ).all()
    return Pending(kind, case_no, asked, tuple(open_cases))


def _carry_out(
    session: Session,
    message: Message,
    decision: Decision,
    pending: Pending,
    cases: tuple[CaseSummary, ...],
    now: datetime,
) -> str:
    if decision.action == "stop":
        withdraw(session, message.worker_id, now)
        return STOPPED
    if decision.action == "ask_case":
        return _ask_case(session, message, pending, now)
    complaint = session.scalar(
        select(Complaint).where(
            Complaint.case_no == decision.case_no, Complaint.worker_id == message.worker_id
        )
    )
    assert complaint is not None  # every case number pending came from the worker's cases
    _mark_answered(session, message.worker_id, now)
    if decision.action in ("payment", "paid_case"):
        said = PAID if decision.action == "paid_case" else str(decision.value)
        result = payment.answer_payment(session, complaint, said, now)
        if result.ask_satisfaction:
            _pend(session, complaint, "satisfaction", now)
        return result.reply
    if decision.action == "rate":
        return _rate(session, complaint, int(decision.value or 0), decision.reason, now)
    if decision.action == "reason":
        _add_reason(session, complaint.id, decision.reason or "")
        return REASON_KEPT
    case = next((c for c in cases if c.case_no == complaint.case_no), None)
    return ACK.format(status=describe(case) if case else "")


def _rate(
    session: Session, complaint: Complaint, score: int, reason: str | None, now: datetime
) -> str:
    rating = payment.rate(session, complaint, score, now)
    if rating is None:
        return NOT_RATED.format(case_no=complaint.case_no)
    if reason:
        rating.reason = reason
        return THANKS
    _pend(session, complaint, "reason", now)
    return f"{THANKS}{ASK_REASON}"


def _add_reason(session: Session, complaint_id: int, reason: str) -> None:
    rating = session.scalar(select(CaseRating).where(CaseRating.complaint_id == complaint_id))
    if rating is not None and rating.reason is None:
        rating.reason = reason


def _ask_case(session: Session, message: Message, pending: Pending, now: datetime) -> str:
    first = session.scalar(select(Complaint).where(Complaint.case_no == pending.open_cases[0]))
    assert first is not None
    _pend(session, first, "which_case", now)
    items = "\n".join(f"{i}. {case_no}" for i, case_no in enumerate(pending.open_cases, 1))
    return WHICH.format(count=len(pending.open_cases), items=items)


def _pend(session: Session, complaint: Complaint, kind: str, now: datetime) -> None:
    """A question asked in this reply: the worker's next message is read against it."""
    session.add(
        CaseNotice(
            complaint_id=complaint.id, worker_id=complaint.worker_id, kind=kind, created_at=now
        )
    )


def _mark_answered(session: Session, worker_id: int, now: datetime) -> None:
    """The worker answered: no older notice or question of theirs is pending any more."""
    for notice in session.scalars(
        select(CaseNotice).where(
            CaseNotice.worker_id == worker_id, CaseNotice.answered_at.is_(None)
        )
    ):
        notice.answered_at = now


def subscribed(session: Session, worker_id: int) -> bool:
    """True when the worker holds a consent still usable (no invite is offered then)."""
    found = session.scalar(
        select(NoticeConsent.id)
        .where(
            NoticeConsent.worker_id == worker_id,
            NoticeConsent.revoked_at.is_(None),
            or_(NoticeConsent.long_term.is_(True), NoticeConsent.used_at.is_(None)),
        )
        .limit(1)
    )
    return found is not None


def invite_line(session: Session, case_no: str, policy: Policy) -> str | None:
    """The one line inviting the worker to progress notices of a case (None: no channel
    configured to subscribe to)."""
    if not policy.invite_base or not policy.invite_key:
        return None
    complaint_id = session.scalar(select(Complaint.id).where(Complaint.case_no == case_no))
    if complaint_id is None:
        return None
    reserved = reserved_for(policy.invite_key, complaint_id)
    return INVITE.format(link=f"{policy.invite_base}/notices/subscribe?c={reserved}")


__all__ = ["SATISFACTION_QUESTION", "answer", "invite_line", "pending_for"]
