"""Case work: status actions, notes, taking over the conversation, replying to the worker."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy.orm import Session

from bot.texts import STATUS_NAMES
from console import audit, chat
from console.notify import Delivery, deliver
from models import CaseNote, CaseWork, Complaint, StaffUser, StatusChange, case_work_of

ACTIVE = frozenset({"accepted", "assigned", "mediating"})


@dataclass(frozen=True)
class Action:
    """One thing staff can do to a case."""

    label: str
    to_status: str | None  # None: recorded in the history, status unchanged
    allowed_from: frozenset[str]


ACTIONS: dict[str, Action] = {
    "accept": Action("受理", "accepted", frozenset({"submitted"})),
    "assign": Action("分派", "assigned", ACTIVE),
    "transfer": Action("转交", "transferred", frozenset({"submitted"}) | ACTIVE),
    "mediate": Action("调解", "mediating", frozenset({"accepted", "assigned"})),
    "resolve": Action("已解决", "resolved", ACTIVE | {"transferred"}),
    "close": Action("结案", "closed", ACTIVE | {"resolved", "transferred"}),
    "reject": Action("不予受理", "rejected", frozenset({"submitted", "accepted"})),
    "extend": Action("延长调查期（30个工作日）", None, ACTIVE),
    "contacted": Action("已电话联系工人", None, frozenset(STATUS_NAMES)),
}


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


def apply_action(
    session: Session, complaint: Complaint, data: ActionInput, staff: StaffUser, now: datetime
) -> Delivery | None:
    """Apply one action and record it; if the status changed, tell the worker (the message
    is queued in the same transaction, so it goes out exactly when the change is committed)."""
    action = ACTIONS.get(data.action)
    if action is None:
        raise ActionError("未知操作")
    if complaint.status not in action.allowed_from:
        raise ActionError(f"当前状态“{STATUS_NAMES.get(complaint.status)}”不能{action.label}")
    work = case_work_of(session, complaint.id)
    note, extra = _prepare(session, complaint, data, work)
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
            note=f"{action.label}：{note}" if note else action.label,
            staff_id=staff.id,
            created_at=now,
        )
    )
    audit.record(session, f"case_{data.action}", staff_id=staff.id, target=complaint.case_no)
    if action.to_status is None:
        return None
    text = f"您的案件{complaint.case_no}有新进展：{STATUS_NAMES[complaint.status]}。{extra}"
    delivery = deliver(
        session,
        complaint.worker,
        text + "如有疑问，可直接回复本消息或拨打12333。",
        now=now,
        payload={"staff_id": staff.id, "case_no": complaint.case_no},
        complaint_id=complaint.id,
    )
    _record(session, complaint, delivery, now)
    return delivery


def _prepare(
    session: Session, complaint: Complaint, data: ActionInput, work: CaseWork
) -> tuple[str, str]:
    """Validate the action's own fields, store them; return (history note, worker text)."""
    note = data.note.strip()
    if data.action == "assign":
        assignee = session.get(StaffUser, data.assignee_id) if data.assignee_id else None
        if assignee is None or assignee.role not in ("admin", "hotline"):
            raise ActionError("请选择办案人员")
        if not assignee.active:
            # The form lists active accounts only; a stale or forged form must not win.
            raise ActionError(f"账号“{assignee.username}”已停用，不能分派案件，请选择其他办案人员")
        work.assigned_staff_id = assignee.id
        return f"分派给{assignee.username}" + (f"；{note}" if note else ""), ""
    if data.action == "transfer":
        unit = data.unit.strip()
        if not unit:
            raise ActionError("请填写转交单位")
        work.transferred_to = unit
        return f"转交{unit}" + (f"；{note}" if note else ""), f"已转交{unit}处理。"
    if data.action == "resolve":
        complaint.amount_recovered = _amount(data.amount)
        return f"追回{complaint.amount_recovered}元" + (f"；{note}" if note else ""), (
            f"追回金额{complaint.amount_recovered}元。"
        )
    if data.action == "reject":
        reason = data.reason.strip()
        if not reason:
            raise ActionError("请填写不予受理的理由")
        return f"理由：{reason}" + (f"；{note}" if note else ""), f"理由：{reason}。"
    return note, ""


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
