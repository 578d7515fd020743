"""The case queue: filters shared by the console, the exports and the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session, selectinload

from console.clocks import CHINA, Clocks, case_clocks
from models import CaseWork, Complaint, Site


@dataclass(frozen=True)
class QueueFilter:
    """What the queue's form (or the API's query string) asks for."""

    status: str = ""
    site: str = ""
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
            district=args.get("district", "").strip(),
            group=args.get("group") in ("1", "on", "true"),
            overdue=args.get("overdue") in ("1", "on", "true"),
            date_from=_date(args.get("from")),
            date_to=_date(args.get("to")),
            q=args.get("q", "").strip(),
        )


@dataclass(frozen=True)
class CaseRow:
    """One case of the queue with its working state and clocks."""

    complaint: Complaint
    work: CaseWork | None
    clocks: Clocks


def work_for(session: Session, complaint: Complaint) -> CaseWork:
    """The case's working state, created on first use."""
    work = session.scalar(select(CaseWork).where(CaseWork.complaint_id == complaint.id))
    if work is None:
        work = CaseWork(complaint_id=complaint.id)
        session.add(work)
        session.flush()
    return work


def queue(session: Session, f: QueueFilter, today: date) -> list[CaseRow]:
    """Filed cases matching ``f``, soonest deadline first (cases with no clock last)."""
    complaints = session.scalars(_query(f)).all()
    works = {
        w.complaint_id: w
        for w in session.scalars(
            select(CaseWork).where(CaseWork.complaint_id.in_([c.id for c in complaints]))
        )
    }
    rows = [CaseRow(c, works.get(c.id), case_clocks(c, works.get(c.id))) for c in complaints]
    if f.overdue:
        rows = [r for r in rows if r.clocks.overdue(today)]
    return sorted(rows, key=lambda r: (r.clocks.next_due or date.max, r.complaint.id))


def _query(f: QueueFilter) -> Select[Complaint]:
    query = (
        select(Complaint)
        .outerjoin(Site, Complaint.site_id == Site.id)
        .where(Complaint.status != "draft")
        .options(selectinload(Complaint.site), selectinload(Complaint.worker))
    )
    if f.status:
        query = query.where(Complaint.status == f.status)
    if f.site:
        query = query.where(Site.code == f.site)
    if f.district:
        like = f"%{f.district}%"
        query = query.where(or_(Site.district.ilike(like), Complaint.project_address.ilike(like)))
    if f.group:
        query = query.where(Complaint.is_group.is_(True))
    if f.date_from:
        query = query.where(Complaint.created_at >= datetime.combine(f.date_from, time(), CHINA))
    if f.date_to:
        end = datetime.combine(f.date_to, time.max, CHINA)
        query = query.where(Complaint.created_at <= end)
    if f.q:
        like = f"%{f.q}%"
        columns = (
            Complaint.case_no,
            Complaint.employer,
            Complaint.contractor,
            Complaint.project_name,
            Complaint.contact_name,
            Complaint.contact_phone,
            Complaint.description,
            Complaint.work_content,
        )
        query = query.where(or_(*(column.ilike(like) for column in columns)))
    return query.order_by(Complaint.id)


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None
