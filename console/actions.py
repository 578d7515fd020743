"""Case work: status actions, notes, taking over the conversation, replying to the worker."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy.orm import Session

from cases.actions import ACTIONS, Action, history_note, notice_detail, notice_text
from cases.statuses import status_name
from console import audit, chat
from jobs.messages import Delivery
from jobs.notices import notify_step
from models import CaseNote, CaseWork, Complaint, StaffUser, StatusChange, case_work_of


class ActionError(ValueError):
    """A staff input the action cannot take (shown to staff, nothing is stored)."""


@dataclass(frozen=True)
class ActionInput:
    """What the action form sent."""

    action: str
    note: str = ""
    assignee_id: int | None = None
    unit: str = ""
    amount: str = ""
    reason: str = ""
    when: str = ""  # the mediation's date and place (optional)


def apply_action(
    session: Session, complaint: Complaint, data: ActionInput, staff: StaffUser, now: datetime
) -> Delivery | None:
    """Apply one action and record it; if the status changed, tell the worker (the message
    is queued in the same transaction, so it goes out exactly when the change is committed)."""
    action = ACTIONS.get(data.action)
    if action is None:
        raise ActionError("未知操作")
    if complaint.status not in action.allowed_from:
        raise ActionError(f"当前状态“{status_name(complaint.status)}”不能{action.label}")
    work = case_work_of(session, complaint.id)
    value = _take_field(session, complaint, action, data, work)
    from_status = complaint.status
    if action.to_status is not None:
        complaint.status = action.to_status
    if data.action == "extend":
        work.extended = True
    if data.action == "contacted":
        work.first_contact_at = work.first_contact_at or now
        work.call_worker_reason = None
    session.add(
        StatusChange(
            complaint_id=complaint.id,
            from_status=from_status,
            to_status=complaint.status,
            note=history_note(action, value, data.note.strip()),
            staff_id=staff.id,
            created_at=now,
        )
    )
    audit.record(session, f"case_{data.action}", staff_id=staff.id, target=complaint.case_no)
    text = notice_text(action, complaint.case_no, value)
    if text is None:
        return None
    # The best channel at this moment; a resolved case also asks whether the money arrived.
    detail = notice_detail(action, value)
    delivery = notify_step(
        session, complaint, detail, text, now=now, payload={"staff_id": staff.id}
    )
    _record(session, complaint, delivery, now)
    return delivery


def _take_field(
    session: Session, complaint: Complaint, action: Action, data: ActionInput, work: CaseWork
) -> object:
    """Check and store the field ``action`` needs; return its value as the texts show it."""
    if action.required is None:
        # An optional field (the mediation's date) is told to the worker when given.
        extra = str(getattr(data, action.optional, "") or "").strip() if action.optional else ""
        return extra or None
    raw = getattr(data, action.required)
    if raw is None or not str(raw).strip():
        raise ActionError(action.missing)
    if action.required == "assignee_id":
        assignee = session.get(StaffUser, raw)
        if assignee is None or assignee.role not in ("admin", "hotline"):
            raise ActionError(action.missing)
        if not assignee.active:
            # The form lists active accounts only; a stale or forged form must not win.
            raise ActionError(f"账号“{assignee.username}”已停用，不能分派案件，请选择其他办案人员")
        work.assigned_staff_id = assignee.id
        return assignee.username
    if action.required == "unit":
        work.transferred_to = str(raw).strip()
        return work.transferred_to
    if action.required == "amount":
        complaint.amount_recovered = _amount(str(raw))
        return complaint.amount_recovered
    return str(raw).strip()


def _amount(raw: str) -> Decimal:
    try:
        value = Decimal(raw.strip().replace(",", ""))
    except InvalidOperation:
        raise ActionError("追回金额请填数字（元）") from None
    if value < 0 or not value.is_finite():
        raise ActionError("追回金额不能为负数")
    return value.quantize(Decimal("0.01"))


def _record(session: Session, complaint: Complaint, delivery: Delivery, now: datetime) -> None:
    """A delivered message is the first contact; an undelivered one asks staff to phone."""
    work = case_work_of(session, complaint.id)
    if delivery.problem is None:
        work.first_contact_at = work.first_contact_at or now
    else:
        work.call_worker_reason = delivery.problem


def add_note(
    session: Session, complaint: Complaint, text: str, staff: StaffUser, now: datetime
) -> None:
    """Add a staff note to the case."""
    if not text.strip():
        raise ActionError("备注不能为空")
    session.add(
        CaseNote(complaint_id=complaint.id, staff_id=staff.id, text=text.strip(), created_at=now)
    )


def take_over(session: Session, complaint: Complaint, staff: StaffUser) -> None:
    """Staff hold the case's conversation: the bot stays silent until released."""
    chat.take_over(session, complaint.worker, staff, complaint.case_no)


def release(session: Session, complaint: Complaint, staff: StaffUser) -> None:
    """Hand the case's conversation back to the bot."""
    chat.release(session, complaint.worker, staff, complaint.case_no)


def reply(
    session: Session, complaint: Complaint, text: str, staff: StaffUser, now: datetime
) -> Delivery:
    """Reply to the case's worker; a reply that arrives counts as the first contact."""
    try:
        delivery = chat.reply(
            session,
            complaint.worker,
            text,
            staff,
            now,
            target=complaint.case_no,
            case_no=complaint.case_no,
            complaint_id=complaint.id,
        )
    except chat.ChatError as exc:
        raise ActionError(str(exc)) from None
    _record(session, complaint, delivery, now)
    return delivery
