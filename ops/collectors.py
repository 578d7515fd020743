"""Gauges read from the database at scrape time: the job queue, complaints, overdue cases.

Counted when Prometheus asks rather than kept in process memory, so every gunicorn worker
and host reports the same figures and nothing drifts after a restart.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from console.clocks import FINAL, case_clocks, china_today
from models import STATUSES, CaseWork, Complaint, OutboxJob, utcnow
from models.outbox import OUTBOX_STATUSES

log = logging.getLogger(__name__)

#: The clock labels of console/clocks.py, as metric label values.
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
        "Open cases whose next deadline has passed, by that deadline (console/clocks.py).",
        labels=["clock"],
    )
    for clock, count in overdue_counts(session, now).items():
        overdue.add_metric([clock], count)
    yield overdue


def overdue_counts(session: Session, now: datetime) -> dict[str, int]:
    """Open filed cases past their next deadline, counted by the clock that ran out."""
    counts = dict.fromkeys(CLOCK_LABELS.values(), 0)
    today = china_today(now)
    open_cases = select(Complaint, CaseWork).outerjoin(
        CaseWork, CaseWork.complaint_id == Complaint.id
    )
    open_cases = open_cases.where(Complaint.status.not_in([*FINAL, "draft"]))
    for complaint, work in session.execute(open_cases):
        clocks = case_clocks(complaint, work)
        if clocks.overdue(today) and clocks.next_label in CLOCK_LABELS:
            counts[CLOCK_LABELS[clocks.next_label]] += 1
    return counts
