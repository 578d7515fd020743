"""Legal deadlines counted in Chinese working days.

- Labour inspection accepts a complaint, or refuses it in writing, within 5 working days
  (《关于实施〈劳动保障监察条例〉若干规定》 art. 18).
- An investigation finishes within 60 working days of filing, extendable by 30
  (《劳动保障监察条例》, 国务院令第423号, art. 17).
Working days follow the State Council's holiday schedule as published in ``chinesecalendar``;
for a year it has no data for yet, weekends and the fixed-date holidays are skipped.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar

ACCEPT_DAYS = 5
INVESTIGATE_DAYS = 60
EXTENSION_DAYS = 30

# Holidays on fixed solar dates (元旦, 劳动节, 国庆); the lunar ones need published data.
_FIXED_HOLIDAYS = {(1, 1), (5, 1), (10, 1), (10, 2), (10, 3)}


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


def accept_by(submitted: date) -> date:
    """Last day for labour inspection to accept or refuse the complaint."""
    return add_workdays(submitted, ACCEPT_DAYS)


def investigate_by(submitted: date) -> date:
    """Last day of the investigation (counted from submission, before any extension)."""
    return add_workdays(submitted, INVESTIGATE_DAYS)
