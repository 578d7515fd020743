"""Case numbers: ``YYMMDD-NNNN``, the day in China and its running count, read aloud easily.

Numbers are taken from one counter row per day; reading a number back out of a worker's
message uses the same format.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import CaseCounter, Complaint

#: How many numbers a submission tries before giving up (each taken one is skipped).
ATTEMPTS = 5
CASE_NO = re.compile(r"(?<!\d)(\d{6})\s*-?\s*(\d{4})(?!\d)")


def case_number_in(text: str) -> str | None:
    """A case number written in a message ("261126-0001", "2611260001").

    The first six digits must be a date, so a mistyped phone number is not taken for one.
    """
    for match in CASE_NO.finditer(text):
        try:
            datetime.strptime(match.group(1), "%y%m%d")
        except ValueError:
            continue
        return f"{match.group(1)}-{match.group(2)}"
    return None


def next_case_no(session: Session, today: date) -> str:
    """The day's next case number, taken from its counter.

    The UPDATE locks the counter's row until this transaction ends, so concurrent
    submissions take numbers one after another; a rolled-back one leaves a gap.
    """
    day = today.strftime("%y%m%d")
    for _attempt in range(2):
        last = session.scalar(
            update(CaseCounter)
            .where(CaseCounter.day == day)
            .values(last=CaseCounter.last + 1)
            .returning(CaseCounter.last)
        )
        if last is not None:
            return f"{day}-{last:04d}"
        try:
            with session.begin_nested():
                session.add(CaseCounter(day=day, last=_highest_number(session, day)))
        except IntegrityError:
            pass  # another submission started the day's counter at the same moment
    raise RuntimeError(f"cannot start the case counter of {day}")


def skip_taken(session: Session, case_no: str) -> None:
    """Move the day of ``case_no``'s counter past every number already used that day."""
    day = case_no.split("-")[0]
    highest = _highest_number(session, day)
    session.execute(
        update(CaseCounter)
        .where(CaseCounter.day == day, CaseCounter.last < highest)
        .values(last=highest)
    )


def is_taken_number(exc: IntegrityError) -> bool:
    """True when ``exc`` says the case number was already used (some other way: by hand,
    an import)."""
    # PostgreSQL names the constraint, SQLite the column.
    return any(name in str(exc.orig) for name in ("uq_complaint_case_no", "complaint.case_no"))


def _highest_number(session: Session, day: str) -> int:
    """The highest case number already used on ``day`` (cases filed before the counter)."""
    numbers = session.scalars(select(Complaint.case_no).where(Complaint.case_no.like(f"{day}-%")))
    return max((int(case_no.split("-")[1]) for case_no in numbers), default=0)
