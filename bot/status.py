"""Answers about complaints already filed: status, last update and the next deadline."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from bot import texts
from bot.state import Choice, Conversation, Offer
from bot.types import CaseSummary, Turn
from cases.notices import OVERDUE_NEXT, UNCONFIRMED
from cases.numbering import case_number_in
from cases.statuses import INVESTIGATING, status_name

__all__ = ["case_number_in", "describe", "status_turn"]

MAX_LISTED = 5


def _status_shown(case: CaseSummary) -> str:
    # Staff marked it resolved but the worker never said the money arrived.
    if case.status == "resolved" and case.payment == "unconfirmed":
        return UNCONFIRMED
    return status_name(case.status)


def describe(case: CaseSummary) -> str:
    """One case: status, dates and the next legal deadline."""
    reply = texts.CASE_STATUS.format(
        case_no=case.case_no,
        status=_status_shown(case),
        created=_day(case.created_on),
        updated=_day(case.updated_on),
    )
    if case.status == "submitted" and case.accept_by:
        reply += texts.NEXT_ACCEPT.format(date=_day(case.accept_by))
    elif case.status in INVESTIGATING and case.investigate_by:
        # After an extension the date is no longer "within 60 working days".
        line = texts.NEXT_INVESTIGATE_EXTENDED if case.extended else texts.NEXT_INVESTIGATE
        reply += line.format(date=_day(case.investigate_by))
    if case.overdue:
        reply += "\n" + OVERDUE_NEXT
    if case.invite:
        reply += "\n" + case.invite
    return reply


def status_turn(
    state: Conversation, cases: tuple[CaseSummary, ...], case_no: str | None = None
) -> Turn:
    """Answer a status question: one case, a numbered list, or how to start."""
    if case_no is not None:
        case = next((c for c in cases if c.case_no == case_no), None)
        # Only the worker's own cases are shown: a stranger's number finds nothing.
        reply = describe(case) if case else texts.CASE_NOT_FOUND.format(case_no=case_no)
        return Turn(state, (reply,))
    if not cases:
        offer = Offer((Choice("report"),), "yes")
        return Turn(replace(state, offered=offer), (texts.NO_CASES,))
    if len(cases) == 1:
        return Turn(state, (describe(cases[0]),))
    listed = cases[:MAX_LISTED]
    items = "\n".join(
        f"{i}. {c.case_no} {c.employer or ''} {_status_shown(c)}" for i, c in enumerate(listed, 1)
    )
    offered = Offer(tuple(Choice("case", c.case_no) for c in listed))
    return Turn(
        replace(state, offered=offered), (texts.CASE_LIST.format(count=len(cases), items=items),)
    )


def _day(day: date) -> str:
    return f"{day.month}月{day.day}日"
