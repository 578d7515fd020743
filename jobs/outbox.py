"""Writing, claiming and finishing outbox rows: plain SQLAlchemy, no Flask, no Redis.

A job is claimed by one atomic UPDATE, so two processes handed the same id (a push from the
web request and one from the relay, or a retry after a crash) never both run it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from models import OutboxJob, Worker, utcnow

#: How long a job handed to the queue is left alone before the relay hands it again.
PUSH_LEASE = timedelta(seconds=30)
#: How long a running job may take before its process is presumed dead.
RUN_LEASE = timedelta(minutes=5)
#: Jobs created in a session, pushed to the queue once that session commits.
NEW_JOBS = "anxin_new_jobs"


def enqueue(
    session: Session,
    kind: str,
    payload: dict[str, Any],
    *,
    worker_id: int | None = None,
    now: datetime | None = None,
    run_after: datetime | None = None,
) -> OutboxJob:
    """Record a job in the caller's transaction; it is pushed to the queue after the commit
    and runs from ``run_after`` (default: now) on."""
    now = now or utcnow()
    job = OutboxJob(
        kind=kind,
        payload=payload,
        worker_id=worker_id,
        run_after=run_after or now,
        lease_until=now + PUSH_LEASE,
        created_at=now,
    )
    session.add(job)
    session.info.setdefault(NEW_JOBS, []).append(job)
    return job


def claim(session: Session, job_id: int, now: datetime | None = None) -> OutboxJob | None:
    """Take a due job for this process (committed), or None if it is not ours to run."""
    now = now or utcnow()
    taken = session.execute(
        update(OutboxJob)
        .where(OutboxJob.id == job_id, OutboxJob.run_after <= now, _claimable(now))
        .values(status="running", attempts=OutboxJob.attempts + 1, lease_until=now + RUN_LEASE)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        return None
    return session.get(OutboxJob, job_id, populate_existing=True)


def due_job_ids(session: Session, now: datetime | None = None, limit: int = 500) -> list[int]:
    """Jobs the relay should hand to the queue: due and not handed recently, or abandoned."""
    now = now or utcnow()
    rows = session.scalars(
        select(OutboxJob.id)
        .where(
            OutboxJob.run_after <= now,
            _claimable(now),
            or_(OutboxJob.lease_until.is_(None), OutboxJob.lease_until < now),
        )
        .order_by(OutboxJob.run_after)
        .limit(limit)
    )
    return list(rows)


def mark_pushed(session: Session, job_ids: list[int], now: datetime | None = None) -> None:
    """Leave jobs just handed to the queue alone for :data:`PUSH_LEASE`."""
    if job_ids:
        session.execute(
            update(OutboxJob)
            .where(OutboxJob.id.in_(job_ids), OutboxJob.status == "pending")
            .values(lease_until=(now or utcnow()) + PUSH_LEASE)
            .execution_options(synchronize_session=False)
        )


def release_held(session: Session, now: datetime | None = None) -> None:
    """Jobs held until their worker wrote again (45047 quota) may run now if they have."""
    now = now or utcnow()
    wrote_since = (
        select(Worker.id)
        .where(Worker.id == OutboxJob.worker_id, Worker.last_inbound_at > OutboxJob.updated_at)
        .exists()
    )
    session.execute(
        update(OutboxJob)
        .where(OutboxJob.status == "pending", OutboxJob.run_after > now, wrote_since)
        .values(run_after=now, lease_until=None)
        .execution_options(synchronize_session=False)
    )


def _claimable(now: datetime) -> Any:
    return or_(
        OutboxJob.status == "pending",
        and_(OutboxJob.status == "running", OutboxJob.lease_until < now),
    )
