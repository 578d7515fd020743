"""Running one outbox job: claim it, call its handler, then record done, retry or dead.

Handlers are registered by kind (``@handler("send_message")``). A handler signals how a
failure should be treated by raising :class:`RetryLater`, :class:`HoldForWorker` or
:class:`GiveUp`; any other exception is retried with backoff like a transient fault.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy.orm import Session

from jobs.outbox import claim
from models import OutboxJob, utcnow
from models.db import get_session

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
FIRST_BACKOFF = timedelta(seconds=15)
LONGEST_BACKOFF = timedelta(hours=1)
#: A job held for the worker waits at most as long as WeChat's reply window.
HOLD_FOR_WORKER = timedelta(hours=48)


class RetryLater(Exception):
    """A failure that may pass: try again at ``at`` (or after the usual backoff)."""

    def __init__(self, reason: str, at: datetime | None = None) -> None:
        super().__init__(reason)
        self.reason, self.at = reason, at


class HoldForWorker(Exception):
    """Cannot run until the worker writes again (their next message releases the job)."""


class GiveUp(Exception):
    """A failure that cannot pass: the job is dead and its ``on_dead`` hook runs."""


Handler = Callable[[Session, OutboxJob], None]


@dataclass(frozen=True)
class Kind:
    """What a kind of job does, and what is done when it dies."""

    run: Handler
    on_dead: Handler | None = None


KINDS: dict[str, Kind] = {}


def handler(kind: str, on_dead: Handler | None = None) -> Callable[[Handler], Handler]:
    """Register ``run`` as the handler of jobs of ``kind``."""

    def register(run: Handler) -> Handler:
        KINDS[kind] = Kind(run, on_dead)
        return run

    return register


def backoff(attempts: int) -> timedelta:
    """15 s, 30 s, 1 min, ... up to an hour between attempts."""
    return min(FIRST_BACKOFF * 2 ** max(attempts - 1, 0), LONGEST_BACKOFF)


def run_job(app: Flask, job_id: int) -> str | None:
    """Run one job if it is due and not taken; return its status afterwards (None: skipped)."""
    with app.app_context():
        session = get_session()
        job = claim(session, job_id)
        if job is None:
            return None
        kind = KINDS.get(job.kind)
        try:
            if kind is None:
                raise GiveUp(f"unknown job kind {job.kind!r}")
            kind.run(session, job)
        except Exception as exc:  # every failure is recorded; none may kill the worker
            session.rollback()
            job = session.get(OutboxJob, job_id, populate_existing=True)
            assert job is not None
            _record_failure(session, job, exc, kind)
        else:
            job.status, job.lease_until, job.last_error = "done", None, None
        session.commit()
        return job.status


def _record_failure(session: Session, job: OutboxJob, exc: Exception, kind: Kind | None) -> None:
    now = utcnow()
    job.last_error = f"{type(exc).__name__}: {exc}"[:300]
    job.status, job.lease_until = "pending", None
    if isinstance(exc, HoldForWorker):
        job.run_after = now + HOLD_FOR_WORKER
    elif isinstance(exc, RetryLater) and exc.at is not None:
        job.run_after = exc.at
    elif isinstance(exc, GiveUp) or job.attempts >= MAX_ATTEMPTS:
        job.status = "dead"
    else:
        if not isinstance(exc, RetryLater):
            log.error("job %s (%s) failed", job.id, job.kind, exc_info=exc)
        job.run_after = now + backoff(job.attempts)
    log.warning("job %s (%s) %s: %s", job.id, job.kind, job.status, job.last_error)
    if job.status == "dead" and kind is not None and kind.on_dead is not None:
        kind.on_dead(session, job)
