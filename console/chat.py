"""The worker's conversation: staff take it over (the bot goes silent), reply, release it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from console import audit
from jobs.messages import Delivery, notify
from models import StaffUser, Worker
from models.chat import conversation_of


class ChatError(ValueError):
    """A reply that cannot be sent (shown to staff; nothing is stored)."""


def take_over(session: Session, worker: Worker, staff: StaffUser, target: str) -> None:
    """Staff hold the conversation: the bot stays silent until released."""
    state = conversation_of(session, worker.id)
    state.held_by_staff_id = staff.id
    state.handoff_requested_at = None  # the request for a person is answered
    audit.record(session, "takeover", staff_id=staff.id, target=target)


def release(session: Session, worker: Worker, staff: StaffUser, target: str) -> None:
    """Hand the conversation back to the bot."""
    conversation_of(session, worker.id).held_by_staff_id = None
    audit.record(session, "release", staff_id=staff.id, target=target)


def reply(
    session: Session,
    worker: Worker,
    text: str,
    staff: StaffUser,
    now: datetime,
    *,
    target: str,
    case_no: str | None = None,
    complaint_id: int | None = None,
) -> Delivery:
    """Send staff's own words to the worker; only while this staff member holds the chat.

    A reply that cannot reach the worker marks the case (``complaint_id``) for a phone call,
    or else flags the conversation (``jobs.messages.cannot_reach``).
    """
    if not text.strip():
        raise ChatError("回复内容不能为空")
    if conversation_of(session, worker.id).held_by_staff_id != staff.id:
        raise ChatError("请先接管对话再回复")
    audit.record(session, "reply", staff_id=staff.id, target=target)
    payload: dict[str, object] = {"staff_id": staff.id}
    if case_no:
        payload["case_no"] = case_no
    return notify(
        session, worker, text.strip(), now=now, payload=payload, complaint_id=complaint_id
    )
