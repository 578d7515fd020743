"""The case queue: filters shared by the console, the exports and the API."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from flask import current_app
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session, selectinload

from cases.collective_urgent import urgent_collectives, urgent_member_ids
from cases.columns import GroupPolicy, GroupThresholds
from cases.deadlines import CHINA, Clocks, case_clocks
from models import CaseWork, Complaint, Site
from models.complaint import ComplaintSource


@dataclass(frozen=True)
class QueueFilter:
    """What the queue's form (or the API's query string) asks for."""

    status: str = ""
    site: str = ""
    channel: str = ""  # its own channel or a linked report's (models.complaint.CHANNELS)
    district: str = ""
    group: bool = False
    overdue: bool = False
    date_from: date | None = None
    date_to: date | None = None
    q: str = ""

    @classmethod
    def from_args(cls, args: Any) -> QueueFilter:
        """Read the filter from request arguments; unreadable dates are ignored."""
        return cls(
            status=args.get("status", "").strip(),
            site=args.get("site", "").strip().upper(),
            channel=args.get("channel", "").strip(),
            district=args.get("district", "").strip(),
            group=args.get("group") in ("1", "on", "true"),
            overdue=args.get("overdue") in ("1", "on", "true"),
            date_from=_date(args.get("from")),
            date_to=_date(args.get("to")),
            q=args.get("q", "").strip(),
        )


@dataclass(frozen=True)
class CaseRow:
    """One case of the queue with its working state and clocks.

    ``collective_no``: the urgent collective case (群体性案件) it belongs to, if any; such a
    case is urgent even when it is not a group case on its own.
    """

    complaint: Complaint
    work: CaseWork | None
    clocks: Clocks
    collective_no: str | None = None

    @property
    def urgent(self) -> bool:
        """A group case on its own or a member of an urgent collective case."""
        return self.complaint.is_group or self.collective_no is not None


def group_policy(policy: GroupPolicy | None = None) -> GroupPolicy:
    """``policy``, or the app's configured group thresholds."""
    return policy or GroupThresholds.from_config(current_app.config)


def case_rows(
    session: Session, complaints: Sequence[Complaint], policy: GroupPolicy
) -> list[CaseRow]:
    """Rows of ``complaints`` with their working state and urgent collective case: two
    queries for the whole page, none per case."""
    ids = [c.id for c in complaints]
    works = {
        w.complaint_id: w
        for w in session.scalars(select(CaseWork).where(CaseWork.complaint_id.in_(ids)))
    }
    collectives = urgent_collectives(session, ids, policy)
    return [
        CaseRow(c, works.get(c.id), case_clocks(c, works.get(c.id)), collectives.get(c.id))
        for c in complaints
    ]


def queue(
    session: Session, f: QueueFilter, today: date, policy: GroupPolicy | None = None
) -> list[CaseRow]:
    """Filed cases matching ``f`` in :func:`deadline_order`.

    ``policy``: the group thresholds (default: the app's configuration).
    """
    policy = group_policy(policy)
    complaints: Sequence[Complaint] = session.scalars(_query(f, policy)).all()
    if f.q:
        complaints = [c for c in complaints if matches_text(c, f.q)]
    rows = case_rows(session, complaints, policy)
    if f.overdue:
        rows = [r for r in rows if r.clocks.overdue(today)]
    return sorted(rows, key=deadline_order)


def deadline_order(row: CaseRow) -> tuple[date, bool, int]:
    """Sort key: soonest deadline first (none last); on the same day urgent cases first."""
    return (row.clocks.next_due or date.max, not row.urgent, row.complaint.id)


def _query(f: QueueFilter, policy: GroupPolicy) -> Select[Complaint]:
    query = (
        select(Complaint)
        .outerjoin(Site, Complaint.site_id == Site.id)
        .where(Complaint.status != "draft")
        .options(
            selectinload(Complaint.site),
            selectinload(Complaint.worker),
            selectinload(Complaint.sources),
        )
    )
    if f.status:
        query = query.where(Complaint.status == f.status)
    if f.site:
        query = query.where(Site.code == f.site)
    if f.channel:
        linked = Complaint.sources.any(ComplaintSource.channel == f.channel)
        query = query.where(or_(Complaint.channel == f.channel, linked))
    if f.district:
        like = f"%{f.district}%"
        query = query.where(or_(Site.district.ilike(like), Complaint.project_address.ilike(like)))
    if f.group:
        # Group cases and the members of urgent collective cases (群体性案件).
        query = query.where(
            or_(Complaint.is_group.is_(True), Complaint.id.in_(urgent_member_ids(policy)))
        )
    if f.date_from:
        query = query.where(Complaint.created_at >= datetime.combine(f.date_from, time(), CHINA))
    if f.date_to:
        end = datetime.combine(f.date_to, time.max, CHINA)
        query = query.where(Complaint.created_at <= end)
    return query.order_by(Complaint.id)


def matches_text(complaint: Complaint, q: str) -> bool:
    """The free-text search: a part of any searched field, any case; phones by digits.

    It runs in Python because the complainant's name, phone and the description are
    encrypted at rest; the other filters have already narrowed the rows in SQL.
    """
    needle = q.casefold()
    fields = (
        complaint.case_no,
        complaint.employer,
        complaint.contractor,
        complaint.project_name,
        complaint.contact_name,
        complaint.contact_phone,
        complaint.description,
        complaint.work_content,
    )
    if any(needle in value.casefold() for value in fields if value):
        return True
    # "139 0000 1111" and "139-0000-1111" find 13900001111.
    digits = re.sub(r"[\s\-+()]", "", q)
    phone = re.sub(r"\D", "", complaint.contact_phone or "")
    return len(digits) >= 4 and digits.isdigit() and digits in phone


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None
