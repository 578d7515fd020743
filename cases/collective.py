"""Collective cases (群体性案件): complaints against one employer or one site for the same
months are linked into one case that staff read and work on together.

Each member keeps its own case number, status, notices and payment confirmation; the
collective case adds the totals (headcount, amount) and the group flag, which the totals
can raise even when no single member crosses the thresholds. Linking runs when a case is
filed (``link_new``) and, for cases filed elsewhere, in ``link_recent``; staff link and
unlink by hand, and a complaint they took out is never linked again automatically. Every
change of membership holds one lock (``lock_linking``), so linkings at the same moment
see each other; ``cases.collective_merge`` merges two collective cases.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import ColumnElement, or_, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, load_only

from cases.collective_urgent import sums_of
from cases.columns import GroupPolicy
from cases.deadlines import filed_on
from cases.employers import link, link_unlinked, merged_ids, resolve
from cases.statuses import OPEN
from models import CollectiveCase, CollectiveMember, Complaint, utcnow
from models.employer import Employer

log = logging.getLogger(__name__)

#: Two complaints of which one has no period overlap when filed this close together.
UNDATED_WINDOW = timedelta(days=60)
#: Statuses whose complaints are never linked: not filed yet, or finished without a finding.
NOT_LINKED = ("draft", "rejected", "closed")
#: The auto-linking sweep looks at cases filed this recently.
RECENT = timedelta(days=7)


#: The PostgreSQL advisory lock held while collective cases are linked (any fixed bigint;
#: these are the bytes of "anxin-q").
LINKING_LOCK = 0x616E78696E2D71


#: How long a filing waits for the linking lock; past it, the relay's sweep links the case.
FILING_WAIT = timedelta(seconds=1.5)


class LinkingBusy(RuntimeError):
    """Another linking held the lock longer than the filing could wait."""


class CollectiveError(ValueError):
    """A link or unlink staff asked for that cannot be done (shown to staff)."""


def lock_linking(session: Session, wait: timedelta | None = None) -> None:
    """Hold the linking lock until the transaction ends, so that one linking at a time reads
    the memberships and writes its own (it sees every earlier linking's rows committed).

    Without it two complaints filed at the same moment each read "no collective case yet"
    and each formed one. One lock for all linking rather than one per employer or site: a
    complaint may join through its site a case another complaint joins through its
    employer, and per-key locks taken in two orders could deadlock. Linking is a few
    queries and filings are minutes apart, so waiting is rare and short.
    PostgreSQL: an advisory transaction lock. SQLite: its database write lock, taken by a
    write that changes nothing (reads alone take no lock there).

    ``wait``: give up after this long (``LinkingBusy``), for a filing that must be answered
    within WeChat's seconds; None waits as long as it takes (staff, the sweep).
    """
    if session.get_bind().dialect.name == "postgresql":
        if wait is None:
            session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": LINKING_LOCK})
            return
        deadline = time.monotonic() + wait.total_seconds()
        try_lock = text("SELECT pg_try_advisory_xact_lock(:id)")
        while not session.scalar(try_lock, {"id": LINKING_LOCK}):
            if time.monotonic() >= deadline:
                raise LinkingBusy(f"linking lock held for over {wait}")
            time.sleep(0.05)
    else:
        session.execute(text("UPDATE collective_case SET id = id WHERE 1 = 0"))


@dataclass(frozen=True)
class Totals:
    """What a collective case adds up to."""

    members: int
    headcount: int
    amount_owed: Decimal
    is_group: bool


def _span(complaint: Complaint) -> tuple[date, date] | None:
    """The months owed as a date range; an open end runs to the filing day."""
    start = complaint.period_start or complaint.period_end
    if start is None:
        return None
    end = complaint.period_end or max(start, filed_on(complaint))
    return (start, end) if start <= end else (end, start)


def overlapping(a: Complaint, b: Complaint) -> bool:
    """Whether two complaints are about the same months.

    Both periods known: the ranges overlap. Either missing: filed within 60 days.
    """
    first, second = _span(a), _span(b)
    if first is None or second is None:
        return abs(filed_on(a) - filed_on(b)) <= UNDATED_WINDOW
    return first[0] <= second[1] and second[0] <= first[1]


def _employer_ids(session: Session, complaint: Complaint) -> list[int]:
    """The complaint's employer and every name merged with it (one employer, many names)."""
    if complaint.employer_id is None:
        return []
    employer = session.get(Employer, complaint.employer_id)
    return merged_ids(session, resolve(session, employer)) if employer else []


def _candidates(session: Session, complaint: Complaint) -> list[Complaint]:
    """Other linkable complaints against the same employer or at the same site."""
    shared: list[ColumnElement[bool]] = []
    employer_ids = _employer_ids(session, complaint)
    if employer_ids:
        shared.append(Complaint.employer_id.in_(employer_ids))
    if complaint.site_id is not None:
        shared.append(Complaint.site_id == complaint.site_id)
    if not shared:
        return []
    query = (
        select(Complaint)
        .where(or_(*shared), Complaint.id != complaint.id, Complaint.status.not_in(NOT_LINKED))
        # Only what the overlap rule reads: the rest is personal data, decrypted on load.
        .options(
            load_only(
                Complaint.case_no,
                Complaint.status,
                Complaint.site_id,
                Complaint.period_start,
                Complaint.period_end,
                Complaint.submitted_at,
                Complaint.created_at,
            )
        )
        .order_by(Complaint.id)
    )
    return list(session.scalars(query))


def membership(session: Session, complaint_id: int) -> CollectiveMember | None:
    """The complaint's current place in a collective case, if any."""
    return session.scalar(
        select(CollectiveMember).where(
            CollectiveMember.complaint_id == complaint_id, CollectiveMember.removed_at.is_(None)
        )
    )


def collective_of(session: Session, complaint_id: int) -> CollectiveCase | None:
    """The collective case the complaint belongs to now (None when alone)."""
    member = membership(session, complaint_id)
    return member.collective if member else None


def _taken_out(session: Session, complaint_id: int) -> bool:
    """Whether staff ever took the complaint out of a collective case by hand."""
    return (
        session.scalar(
            select(CollectiveMember.id).where(
                CollectiveMember.complaint_id == complaint_id,
                CollectiveMember.removed_at.is_not(None),
            )
        )
        is not None
    )


def find(session: Session, number: str) -> CollectiveCase | None:
    """The collective case of ``number`` ("Q261201-0001"), if there is one."""
    return session.scalar(
        select(CollectiveCase).where(CollectiveCase.collective_no == number.strip().upper())
    )


def members(session: Session, collective: CollectiveCase) -> list[Complaint]:
    """The collective case's current members, in the order they were filed."""
    query = (
        select(Complaint)
        .join(CollectiveMember, CollectiveMember.complaint_id == Complaint.id)
        .where(
            CollectiveMember.collective_id == collective.id, CollectiveMember.removed_at.is_(None)
        )
        .order_by(Complaint.id)
    )
    return list(session.scalars(query))


def totals(session: Session, collective: CollectiveCase, policy: GroupPolicy) -> Totals:
    """Members, workers and money owed across the collective case, and whether together
    they cross the group-case thresholds (or any member is a group case on its own)."""
    return Totals(*sums_of(session, collective.id, policy))


def _add(
    session: Session,
    collective: CollectiveCase,
    complaint: Complaint,
    *,
    staff_id: int | None,
    now: datetime,
) -> None:
    """Add one complaint, reviving its row if staff had taken it out of this one before."""
    row = session.scalar(
        select(CollectiveMember).where(
            CollectiveMember.collective_id == collective.id,
            CollectiveMember.complaint_id == complaint.id,
        )
    )
    if row is None:
        row = CollectiveMember(collective_id=collective.id, complaint_id=complaint.id)
        session.add(row)
    row.linked_by = "staff" if staff_id is not None else "auto"
    row.staff_id = staff_id
    row.created_at = now
    row.removed_at = None
    row.removed_by_staff_id = None


def _new_collective(
    session: Session, first: Complaint, staff_id: int | None, now: datetime
) -> CollectiveCase:
    """A new collective case named after its first member."""
    employer_ids = _employer_ids(session, first)
    number, taken = f"Q{first.case_no}", 1
    # A case taken out of the collective case named after it may start another one.
    while session.scalar(select(CollectiveCase.id).where(CollectiveCase.collective_no == number)):
        taken += 1
        number = f"Q{first.case_no}-{taken}"
    collective = CollectiveCase(
        collective_no=number,
        employer_id=employer_ids[0] if employer_ids else None,
        site_id=first.site_id,
        staff_id=staff_id,
        created_at=now,
    )
    session.add(collective)
    session.flush()
    return collective


def link_new(
    session: Session,
    complaint: Complaint,
    now: datetime | None = None,
    wait: timedelta | None = None,
) -> CollectiveCase | None:
    """Link a newly filed complaint with the others against the same employer or site for
    overlapping months: it joins their collective case, or forms one with them.

    Returns the collective case (None when the complaint stays alone). The caller commits.
    ``wait``: as for :func:`lock_linking`.
    """
    now = now or utcnow()
    if complaint.status in NOT_LINKED:
        return collective_of(session, complaint.id)
    lock_linking(session, wait)
    if membership(session, complaint.id) is not None:
        return collective_of(session, complaint.id)
    if _taken_out(session, complaint.id):
        return None
    if complaint.employer_id is None:
        # The bot files without the employer record: take it now, to match on it.
        link(session, complaint)
    candidates = [c for c in _candidates(session, complaint) if overlapping(complaint, c)]
    # Every candidate's memberships in one query: an employer may have many cases.
    rows = session.execute(
        select(
            CollectiveMember.complaint_id,
            CollectiveMember.collective_id,
            CollectiveMember.removed_at,
        ).where(CollectiveMember.complaint_id.in_([c.id for c in candidates]))
    ).all()
    taken_out = {row.complaint_id for row in rows if row.removed_at is not None}
    current = {row.complaint_id: row.collective_id for row in rows if row.removed_at is None}
    matching = [c for c in candidates if c.id not in taken_out]
    if not matching:
        return None
    joined = [current[c.id] for c in matching if c.id in current]
    if joined:
        # The oldest collective case it matches; separate ones are merged only by staff.
        collective = session.get_one(CollectiveCase, min(joined))
    else:
        # Named after the earliest filed of them (the sweep may link an older case last).
        first = min([complaint, *matching], key=lambda c: c.id)
        collective = _new_collective(session, first, None, now)
    for other in matching:
        if other.id not in current:
            _add(session, collective, other, staff_id=None, now=now)
    _add(session, collective, complaint, staff_id=None, now=now)
    session.flush()
    return collective


def open_for_site(session: Session, site_id: int) -> CollectiveCase | None:
    """The newest collective case with a member at the site still being worked on (the
    site-scan offer to join asks about this one), or None."""
    query = (
        select(CollectiveCase)
        .join(CollectiveMember, CollectiveMember.collective_id == CollectiveCase.id)
        .join(Complaint, Complaint.id == CollectiveMember.complaint_id)
        .where(
            CollectiveMember.removed_at.is_(None),
            Complaint.site_id == site_id,
            Complaint.status.in_(sorted(OPEN)),
        )
        .order_by(CollectiveCase.id.desc())
        .limit(1)
    )
    return session.scalar(query)


def employer_named(session: Session, collective: CollectiveCase) -> str:
    """Whom the collective case is against, as a worker may be told: its employer record's
    name, else the name its newest member gave, else ""."""
    if collective.employer_id is not None:
        employer = session.get(Employer, collective.employer_id)
        if employer is not None:
            return employer.name
    # Only the column: loading whole complaints would decrypt phones and ID numbers.
    named = session.scalar(
        select(Complaint.employer)
        .join(CollectiveMember, CollectiveMember.complaint_id == Complaint.id)
        .where(
            CollectiveMember.collective_id == collective.id,
            CollectiveMember.removed_at.is_(None),
            Complaint.employer.is_not(None),
            Complaint.employer != "",
        )
        .order_by(Complaint.id.desc())
        .limit(1)
    )
    return named or ""


def link_filed(session: Session, complaint: Complaint) -> CollectiveCase | None:
    """``link_new`` for a filing path: waiting at most FILING_WAIT for the lock; a failure
    to link is logged and never holds up the filing (the relay's sweep, and ``flask
    collective link``, link what was missed)."""
    try:
        with session.begin_nested():
            return link_new(session, complaint, wait=FILING_WAIT)
    except (SQLAlchemyError, LinkingBusy):
        log.exception("collective linking failed for %s; the sweep will retry", complaint.case_no)
        return None


def link_by_hand(
    session: Session,
    collective: CollectiveCase | None,
    complaint: Complaint,
    other: Complaint,
    staff_id: int,
    now: datetime | None = None,
) -> CollectiveCase:
    """Staff put ``other`` in the collective case of ``complaint`` (formed if it has none).

    ``collective`` is ``complaint``'s collective case, or None. The caller commits.
    """
    now = now or utcnow()
    lock_linking(session)
    current = membership(session, other.id)
    if current is not None and (collective is None or current.collective_id != collective.id):
        raise CollectiveError(
            f"案件{other.case_no}已在群体性案件{current.collective.collective_no}中"
        )
    if current is not None:
        raise CollectiveError(f"案件{other.case_no}已在本群体性案件中")
    if other.id == complaint.id or other.status == "draft":
        raise CollectiveError("不能关联该案件")
    if collective is None:
        collective = _new_collective(session, complaint, staff_id, now)
        _add(session, collective, complaint, staff_id=staff_id, now=now)
    _add(session, collective, other, staff_id=staff_id, now=now)
    session.flush()
    return collective


def unlink(
    session: Session,
    collective: CollectiveCase,
    complaint: Complaint,
    staff_id: int,
    now: datetime | None = None,
) -> None:
    """Staff take ``complaint`` out of the collective case; it stays out of automatic
    linking from now on. The caller commits."""
    lock_linking(session)
    row = membership(session, complaint.id)
    if row is None or row.collective_id != collective.id:
        raise CollectiveError(f"案件{complaint.case_no}不在本群体性案件中")
    row.removed_at = now or utcnow()
    row.removed_by_staff_id = staff_id
    session.flush()


def link_recent(session: Session, now: datetime | None = None, since: timedelta = RECENT) -> int:
    """Link every recently filed complaint that is in no collective case (those filed by a
    path that does not call ``link_new``); return how many were linked."""
    now = now or utcnow()
    link_unlinked(session)  # the bot's older cases get their employer records first
    alone = (
        select(Complaint)
        .where(
            Complaint.status.not_in(NOT_LINKED),
            Complaint.created_at >= now - since,
            ~select(CollectiveMember.id)
            .where(CollectiveMember.complaint_id == Complaint.id)
            .exists(),
        )
        .order_by(Complaint.id)
    )
    linked = 0
    for complaint in list(session.scalars(alone)):
        if membership(session, complaint.id) is None and link_new(session, complaint, now):
            linked += 1
    return linked
