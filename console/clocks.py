"""Deadline clocks of a case, in Chinese working days.

- First contact within 3 working days: the promise of local services (Beijing, Daqing).
- Acceptance within 5 working days (《关于实施〈劳动保障监察条例〉若干规定》 art. 18).
- Investigation within 60 working days, extendable by 30 (《劳动保障监察条例》 art. 17).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from bot.deadlines import ACCEPT_DAYS, EXTENSION_DAYS, INVESTIGATE_DAYS, add_workdays
from models import CaseWork, Complaint

FIRST_CONTACT_DAYS = 3
CHINA = timezone(timedelta(hours=8), "CST")
#: Statuses whose investigation clock runs here (a transferred case runs on another unit's).
INVESTIGATING = frozenset({"accepted", "assigned", "mediating"})
FINAL = frozenset({"resolved", "closed", "rejected", "transferred"})


@dataclass(frozen=True)
class Clocks:
    """The deadlines of one case and the next one still to meet."""

    first_contact_by: date
    accept_by: date
    investigate_by: date
    next_label: str | None
    next_due: date | None

    def overdue(self, today: date) -> bool:
        """True when the next deadline has passed."""
        return self.next_due is not None and self.next_due < today

    def due_today(self, today: date) -> bool:
        """True when the next deadline is today."""
        return self.next_due == today


def china_today(now: datetime) -> date:
    """The calendar day in China of an aware datetime."""
    return now.astimezone(CHINA).date()


def case_clocks(complaint: Complaint, work: CaseWork | None) -> Clocks:
    """The clocks of ``complaint``, counted from the day it was submitted (China time)."""
    filed = china_today(complaint.submitted_at or complaint.created_at)
    first = add_workdays(filed, FIRST_CONTACT_DAYS)
    accept = complaint.accept_by or add_workdays(filed, ACCEPT_DAYS)
    investigate = complaint.investigate_by or add_workdays(filed, INVESTIGATE_DAYS)
    if work is not None and work.extended:
        investigate = add_workdays(investigate, EXTENSION_DAYS)
    pending: list[tuple[date, str]] = []
    if complaint.status not in FINAL:
        if work is None or work.first_contact_at is None:
            pending.append((first, "首次联系"))
        if complaint.status == "submitted":
            pending.append((accept, "受理"))
        if complaint.status in INVESTIGATING:
            pending.append((investigate, "办结"))
    due, label = min(pending) if pending else (None, None)
    return Clocks(first, accept, investigate, label, due)
