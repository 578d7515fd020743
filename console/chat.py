"""The worker's conversation: staff take it over (the bot goes silent), reply, release it."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from console import audit
from jobs.messages import Delivery, notify
from models import ConversationState, Message, StaffUser, Worker
from models.chat import conversation_of


class ChatError(ValueError):
    """A reply that cannot be sent (shown to staff; nothing is stored)."""


def take_over(session: Session, worker: Worker, staff: StaffUser, target: str) -> None:
    """Staff hold the conversation: the bot stays silent until released."""
    state = conversation_of(session, worker.id)
    state.held_by_staff_id = staff.id
    state.handoff_requested_at = None  # the request for a person is answered
    # What was on the page when staff took over has been read; what comes later is new.
    state.staff_read_message_id = _newest_id(session, worker.id)
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


class ReadMark(NamedTuple):
    """The chat's read mark as it was (None: nobody holds the chat), and whether it moved."""

    before: int | None
    moved: bool


def read_transcript(session: Session, worker_id: int, staff: StaffUser) -> ReadMark:
    """Mark a taken-over chat read by the staff member holding it; return the old mark.

    Messages after the old mark are the worker's new ones, shown highlighted this once. A
    chat nobody holds is the bot's: nothing is highlighted. Only the holder's view moves the
    mark, and only when something is new, so a colleague's look or a reload writes nothing
    (the view commits when the mark moved).
    """
    state = session.scalar(
        select(ConversationState).where(ConversationState.worker_id == worker_id)
    )
    if state is None or state.held_by_staff_id is None:
        return ReadMark(None, moved=False)
    before = state.staff_read_message_id or 0
    if state.held_by_staff_id == staff.id:
        newest = _newest_id(session, worker_id)
        if newest > before:
            state.staff_read_message_id = newest
            return ReadMark(before, moved=True)
    return ReadMark(before, moved=False)


def _newest_id(session: Session, worker_id: int) -> int:
    return session.scalar(select(func.max(Message.id)).where(Message.worker_id == worker_id)) or 0
