"""Legal deadlines of a case, in Chinese working days, with extensions applied.

- First contact within 3 working days: the promise of local services (Beijing, Daqing).
- Labour inspection accepts a complaint, or refuses it in writing, within 5 working days
  (《关于实施〈劳动保障监察条例〉若干规定》 art. 18).
- An investigation finishes within 60 working days of filing, extendable by 30
  (《劳动保障监察条例》, 国务院令第423号, art. 17).

Working days follow the State Council's holiday schedule as published in ``chinesecalendar``;
for a year it has no data for yet, weekends and the fixed-date holidays are skipped. Every
deadline counts from the filing day in China.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import chinese_calendar  # type: ignore[import-untyped]  # the package ships no types

from cases.statuses import FINAL, INVESTIGATING

if TYPE_CHECKING:
    from models import CaseWork, Complaint

CHINA = ZoneInfo("Asia/Shanghai")
FIRST_CONTACT_DAYS = 3
ACCEPT_DAYS = 5
INVESTIGATE_DAYS = 60
EXTENSION_DAYS = 30

# Holidays on fixed solar dates (元旦, 劳动节, 国庆); the lunar ones need published data.
_FIXED_HOLIDAYS = {(1, 1), (5, 1), (10, 1), (10, 2), (10, 3)}


def china_day(moment: datetime) -> date:
    """The calendar day in China of an aware datetime."""
    return moment.astimezone(CHINA).date()


def china_today() -> date:
    """Today's date in China (what "去年10月" or a deadline is read against)."""
    return datetime.now(CHINA).date()


@lru_cache(maxsize=4096)  # ~11 years of days; chinesecalendar's own check is slow
def is_workday(day: date) -> bool:
    """True when ``day`` is a working day in mainland China."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5 and (day.month, day.day) not in _FIXED_HOLIDAYS


def add_workdays(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (``start`` itself is not counted)."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_workday(current):
            remaining -= 1
    return current


def accept_by(filed: date) -> date:
    """Last day for labour inspection to accept or refuse a complaint filed on ``filed``."""
    return add_workdays(filed, ACCEPT_DAYS)


def investigate_by(filed: date) -> date:
    """Last day of the investigation as filed (before any extension)."""
    return add_workdays(filed, INVESTIGATE_DAYS)


def acceptance_ends(filed: date, stored: date | None) -> date:
    """When acceptance is due: the stored deadline, or counted from the filing day."""
    return stored or accept_by(filed)


def investigation_ends(filed: date, stored: date | None, extended: bool) -> date:
    """When the investigation ends: the deadline stored at filing (or counted from the
    filing day), plus the extension once staff have granted it.

    Every reader asks this one function: the worker in WeChat, the console, the API.
    """
    ends = stored or investigate_by(filed)
    return add_workdays(ends, EXTENSION_DAYS) if extended else ends


def filed_on(complaint: Complaint) -> date:
    """The day in China ``complaint`` was filed."""
    return china_day(complaint.submitted_at or complaint.created_at)


@dataclass(frozen=True)
class Clocks:
    """The deadlines of one case and the next one still to meet."""

    first_contact_by: date
    accept_by: date
    investigate_by: date
    next_label: str | None
    next_due: date | None
    #: Working days the investigation may take: 60, or 90 once extended.
    investigate_workdays: int = INVESTIGATE_DAYS

    def overdue(self, today: date) -> bool:
        """True when the next deadline has passed."""
        return self.next_due is not None and self.next_due < today

    def due_today(self, today: date) -> bool:
        """True when the next deadline is today."""
        return self.next_due == today


def case_clocks(complaint: Complaint, work: CaseWork | None) -> Clocks:
    """The clocks of ``complaint`` and the next one to meet, given its working state."""
    filed = filed_on(complaint)
    first = add_workdays(filed, FIRST_CONTACT_DAYS)
    accept = acceptance_ends(filed, complaint.accept_by)
    extended = work is not None and bool(work.extended)
    investigate = investigation_ends(filed, complaint.investigate_by, extended)
    pending: list[tuple[date, str]] = []
    if complaint.status not in FINAL:
        if work is None or work.first_contact_at is None:
            pending.append((first, "首次联系"))
        if complaint.status == "submitted":
            pending.append((accept, "受理"))
        if complaint.status in INVESTIGATING:
            pending.append((investigate, "办结"))
    due, label = min(pending) if pending else (None, None)
    workdays = INVESTIGATE_DAYS + (EXTENSION_DAYS if extended else 0)
    return Clocks(first, accept, investigate, label, due, workdays)
