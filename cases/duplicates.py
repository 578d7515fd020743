"""Duplicate reports of one case: the same worker (phone or ID number) against the same
employer within ``DUPLICATE_DAYS``. A duplicate is linked to the case, not filed twice."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from cases.employers import merged_ids
from models import Complaint
from models.employer import Employer

#: The issue's rule: a report within 60 days of the first is the same case.
DUPLICATE_DAYS = 60


def _digits(value: str | None) -> str:
    return re.sub(r"\D", "", value or "")


def find_duplicate(
    session: Session,
    employer: Employer | None,
    phone: str | None,
    id_number: str | None,
    now: datetime,
) -> Complaint | None:
    """The filed case this report repeats, or None.

    Phone and ID numbers are encrypted at rest, so the employer's recent cases are read and
    compared here, not in SQL; an employer has few cases in 60 days.
    """
    phone, id_number = _digits(phone), (id_number or "").strip().upper()
    if employer is None or not (phone or id_number):
        return None
    since = now - timedelta(days=DUPLICATE_DAYS)
    candidates = session.scalars(
        select(Complaint)
        .where(
            Complaint.employer_id.in_(merged_ids(session, employer)),
            Complaint.status != "draft",
            Complaint.submitted_at >= since,
        )
        .order_by(Complaint.submitted_at, Complaint.id)
    )
    for case in candidates:
        if phone and _digits(case.contact_phone) == phone:
            return case
        if id_number and (case.id_number or "").upper() == id_number:
            return case
    return None
