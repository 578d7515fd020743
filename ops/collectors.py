"""Gauges read from the database at scrape time: the job queue, complaints, overdue cases.

Counted when Prometheus asks rather than kept in process memory, so every gunicorn worker
and host reports the same figures and nothing drifts after a restart.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.elements import ColumnElement

from cases.deadlines import (
    ACCEPT_DAYS,
    CHINA,
    EXTENSION_DAYS,
    FIRST_CONTACT_DAYS,
    INVESTIGATE_DAYS,
    add_workdays,
    china_day,
)
from cases.statuses import INVESTIGATING, OPEN, STATUSES
from models import CaseWork, Complaint, OutboxJob, utcnow
from models.outbox import OUTBOX_STATUSES

log = logging.getLogger(__name__)

#: The clock labels of cases/deadlines.py, as metric label values.
CLOCK_LABELS = {"首次联系": "first_contact", "受理": "accept", "办结": "investigate"}


class DatabaseCollector(Collector):
    """Collects ``anxin_outbox_*``, ``anxin_complaints`` and ``anxin_complaints_overdue``."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def describe(self) -> list[Metric]:
        """Nothing up front: registering must not query the database."""
        return []

    def collect(self) -> Iterator[Metric]:
        """Query the figures; a database fault yields ``anxin_metrics_database_up 0``."""
        up = GaugeMetricFamily(
            "anxin_metrics_database_up", "1 when the database answered this scrape's queries."
        )
        try:
            with self.sessions() as session:
                families = list(_outbox(session)) + list(_complaints(session, utcnow()))
        except SQLAlchemyError as exc:
            log.warning("metrics: database query failed: %s", type(exc).__name__)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from families


def _count_by(session: Session, column: Any) -> dict[str, int]:
    rows = session.execute(select(column, func.count()).group_by(column)).all()
    return {str(value): int(count) for value, count in rows}


def _outbox(session: Session) -> Iterator[Metric]:
    counts = _count_by(session, OutboxJob.status)
    jobs = GaugeMetricFamily(
        "anxin_outbox_jobs", "Outbox jobs by status (dead: gave up).", labels=["status"]
    )
    for status in OUTBOX_STATUSES:
        jobs.add_metric([status], counts.get(status, 0))
    yield jobs
    pending = OutboxJob.status == "pending"
    retrying = session.scalar(select(func.count()).where(pending, OutboxJob.attempts > 0)) or 0
    yield GaugeMetricFamily(
        "anxin_outbox_retrying_jobs", "Pending jobs that failed at least once.", value=retrying
    )
    now = utcnow()
    oldest: datetime | None = session.scalar(
        select(func.min(OutboxJob.run_after)).where(pending, OutboxJob.run_after <= now)
    )
    yield GaugeMetricFamily(
        "anxin_outbox_oldest_due_seconds",
        "How long the oldest due pending job has waited (0 when none): the queue's lag.",
        value=max(0.0, (now - oldest).total_seconds()) if oldest else 0.0,
    )


def _complaints(session: Session, now: datetime) -> Iterator[Metric]:
    counts = _count_by(session, Complaint.status)
    by_status = GaugeMetricFamily("anxin_complaints", "Complaints by status.", labels=["status"])
    for status in STATUSES:
        by_status.add_metric([status], counts.get(status, 0))
    yield by_status
    overdue = GaugeMetricFamily(
        "anxin_complaints_overdue",
        "Open cases whose next deadline has passed, by that deadline (cases/deadlines.py).",
        labels=["clock"],
    )
    for clock, count in overdue_counts(session, now).items():
        overdue.add_metric([clock], count)
    yield overdue


def overdue_counts(session: Session, now: datetime) -> dict[str, int]:
    """Open filed cases past their next deadline, counted by the clock that ran out.

    One SQL count on the deadline columns, with the rules of ``cases.deadlines.case_clocks``:
    a scrape never loads a complaint, whose personal columns would all be decrypted. A
    case's first-contact clock (3 working days) always ends before its acceptance and
    investigation clocks, so it is the next one while the worker has not been contacted.
    """
    today = china_day(now)
    filed = func.coalesce(Complaint.submitted_at, Complaint.created_at)
    contacted = CaseWork.first_contact_at.is_not(None)
    open_case = Complaint.status.in_(sorted(OPEN))
    clocks = {
        "first_contact": and_(
            open_case, ~contacted, filed < filed_before(today, FIRST_CONTACT_DAYS)
        ),
        "accept": and_(Complaint.status == "submitted", contacted, _accept_overdue(today, filed)),
        "investigate": and_(
            Complaint.status.in_(sorted(INVESTIGATING)), contacted, _investigation_overdue(today)
        ),
    }
    query = select(*(func.count(case((test, 1))) for test in clocks.values())).outerjoin(
        CaseWork, CaseWork.complaint_id == Complaint.id
    )
    row = session.execute(query.select_from(Complaint)).one()
    return {label: int(count or 0) for label, count in zip(clocks, row, strict=True)}


def _accept_overdue(today: date, filed: Any) -> ColumnElement[bool]:
    # Cases filed without a stored deadline count it from the filing day, as the console does.
    return or_(
        and_(Complaint.accept_by.is_not(None), Complaint.accept_by < today),
        and_(Complaint.accept_by.is_(None), filed < filed_before(today, ACCEPT_DAYS)),
    )


def _investigation_overdue(today: date) -> ColumnElement[bool]:
    filed = func.coalesce(Complaint.submitted_at, Complaint.created_at)
    stored, extended = Complaint.investigate_by, CaseWork.extended.is_(True)
    return or_(
        and_(stored.is_not(None), ~extended, stored < today),
        and_(stored.is_not(None), extended, stored <= last_start_overdue(today, EXTENSION_DAYS)),
        and_(stored.is_(None), ~extended, filed < filed_before(today, INVESTIGATE_DAYS)),
        and_(
            stored.is_(None),
            extended,
            filed < filed_before(today, INVESTIGATE_DAYS + EXTENSION_DAYS),
        ),
    )


def last_start_overdue(today: date, days: int) -> date:
    """The last day from which ``days`` working days end before ``today``.

    ``add_workdays`` never decreases as its start moves later, so a deadline counted from
    any day up to this one has passed, and from any later day it has not.
    """
    low = today - timedelta(days=2 * days + 30)
    while add_workdays(low, days) >= today:  # long holidays: look further back
        low -= timedelta(days=days + 30)
    high = today  # add_workdays(today, days) is after today: never overdue
    while high - low > timedelta(days=1):
        middle = low + (high - low) // 2
        if add_workdays(middle, days) < today:
            low = middle
        else:
            high = middle
    return low


def filed_before(today: date, days: int) -> datetime:
    """The instant before which a case was filed if ``days`` working days from it have passed.

    Deadlines count from the filing day in China; this is the start of the day after the
    last such day, China time.
    """
    last = last_start_overdue(today, days)
    return datetime.combine(last + timedelta(days=1), time(), tzinfo=CHINA).astimezone(UTC)
