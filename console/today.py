"""今日待办: what a hotline operator has to do today, in the order it should be done.

Overdue cases, cases due today, new group cases (with the members of urgent collective
cases), other new cases, and the taken-over chats where the worker wrote after staff last
replied. A case appears in one list only (the first that holds it), so the navigation
bar's counts add up to the work waiting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Subquery, func, select
from sqlalchemy.orm import Session, selectinload

from cases.columns import GroupPolicy
from cases.statuses import OPEN
from console.queue import CaseRow, case_rows, deadline_order, group_policy
from models import Complaint, ConversationState, Message

#: The lists of the home page, in the order shown: key and the label of the nav bar.
SECTIONS = (
    ("overdue", "逾期"),
    ("due", "今日到期"),
    ("new_group", "群体新案"),
    ("new", "新案"),
    ("chats", "工人回复"),
)


@dataclass(frozen=True)
class WaitingChat:
    """A taken-over conversation whose worker wrote after staff's last reply."""

    state: ConversationState
    unread: int
    case_no: str | None


@dataclass(frozen=True)
class Today:
    """The home page's lists."""

    overdue: list[CaseRow]
    due: list[CaseRow]
    new_group: list[CaseRow]
    new: list[CaseRow]
    chats: list[WaitingChat]

    def counts(self) -> list[tuple[str, str, int]]:
        """(key, label, count) for each list, in the page's order."""
        return [(key, label, len(getattr(self, key))) for key, label in SECTIONS]


def open_rows(session: Session, policy: GroupPolicy | None = None) -> list[CaseRow]:
    """Every open case with its clocks, soonest deadline first, urgent cases first on a tie."""
    complaints = session.scalars(
        select(Complaint)
        .where(Complaint.status.in_(OPEN))
        .options(selectinload(Complaint.site), selectinload(Complaint.worker))
    ).all()
    return sorted(case_rows(session, complaints, group_policy(policy)), key=deadline_order)


def today_lists(session: Session, today: date, policy: GroupPolicy | None = None) -> Today:
    """The five lists of 今日待办 for ``today`` (China's calendar day).

    A member of an urgent collective case is a new group case even when it is not one on
    its own. ``policy``: the group thresholds (default: the app's configuration).
    """
    overdue: list[CaseRow] = []
    due: list[CaseRow] = []
    new_group: list[CaseRow] = []
    new: list[CaseRow] = []
    for row in open_rows(session, policy):
        if row.clocks.overdue(today):
            overdue.append(row)
        elif row.clocks.due_today(today):
            due.append(row)
        elif row.complaint.status == "submitted":
            (new_group if row.urgent else new).append(row)
    return Today(overdue, due, new_group, new, waiting_chats(session))


def waiting_chats(session: Session) -> list[WaitingChat]:
    """Taken-over chats whose newest message is the worker's, sent after a staff reply.

    While staff hold a chat the bot is silent, so every outbound message then is staff's;
    a chat where staff have not replied yet is the handoff list's, not this one.
    """
    last_in = _last(Message.direction == "in")
    last_out = _last(Message.direction == "out")
    rows = session.execute(
        select(ConversationState, last_in.c.last_id)
        .join(last_in, last_in.c.worker_id == ConversationState.worker_id)
        .join(last_out, last_out.c.worker_id == ConversationState.worker_id)
        .where(
            ConversationState.held_by_staff_id.is_not(None),
            last_in.c.last_id > last_out.c.last_id,
        )
        .order_by(last_in.c.last_id)
    ).all()
    return [_waiting(session, state) for state, _last_id in rows]


def _last(direction: ColumnElement[bool]) -> Subquery:
    """Each worker's newest message id in one direction."""
    return (
        select(Message.worker_id, func.max(Message.id).label("last_id"))
        .where(direction)
        .group_by(Message.worker_id)
        .subquery()
    )


def _waiting(session: Session, state: ConversationState) -> WaitingChat:
    read = state.staff_read_message_id or 0
    unread = session.scalar(
        select(func.count(Message.id)).where(
            Message.worker_id == state.worker_id, Message.direction == "in", Message.id > read
        )
    )
    case_no = session.scalar(
        select(Complaint.case_no)
        .where(Complaint.worker_id == state.worker_id, Complaint.status != "draft")
        .order_by(Complaint.id.desc())
        .limit(1)
    )
    return WaitingChat(state, unread or 0, case_no)
