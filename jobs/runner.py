"""Running one outbox job: claim it, call its kind's handler, then record done, retry or dead.

Kinds are registered per app, explicitly, in ``init_app`` (``registry_of(app).kind(...)``);
nothing registers itself on import. A handler signals how a failure should be treated by
raising one of :mod:`jobs.failures`' exceptions; any other is retried with backoff.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from jobs.failures import GiveUp, HoldForWorker, RetryLater
from jobs.outbox import claim
from models import OutboxJob, utcnow
from models.db import get_session

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
FIRST_BACKOFF = timedelta(seconds=15)
LONGEST_BACKOFF = timedelta(hours=1)
#: A job held for the worker waits at most as long as WeChat's reply window.
HOLD_FOR_WORKER = timedelta(hours=48)

Handler = Callable[[Session, OutboxJob], None]
#: A periodic duty of the relay (e.g. answering inbound messages no delivery answered).
Duty = Callable[[Flask], object]


@dataclass(frozen=True)
class Kind:
    """What a kind of job does, and what is done when it dies."""

    run: Handler
    on_dead: Handler | None = None


@dataclass
class Registry:
    """The job kinds an app runs and the duties its relay performs, each registered once."""

    kinds: dict[str, Kind] = field(default_factory=dict)
    duties: list[Duty] = field(default_factory=list)

    def kind(self, name: str, run: Handler, on_dead: Handler | None = None) -> None:
        """Register the handler of jobs of kind ``name`` (and what to do when one dies)."""
        if name in self.kinds:
            raise ValueError(f"job kind {name!r} is registered twice")
        self.kinds[name] = Kind(run, on_dead)

    def duty(self, duty: Duty) -> None:
        """Add a duty the relay performs on each round (about once a second)."""
        if duty in self.duties:
            raise ValueError(f"duty {duty!r} is registered twice")
        self.duties.append(duty)


def periodically(
    app: Flask,
    name: str,
    every: timedelta,
    work: Callable[[Session, datetime], int],
    force: bool = False,
) -> int:
    """Run a relay duty's ``work`` in its own transaction, at most every ``every`` in this
    process (``force``: now); returns what ``work`` counted, 0 when it did not run.

    A unique-key conflict means another process did the same work at the same moment: its
    rows stand and the next round finds what is left. Any other database error is logged;
    the relay's other duties and its job hand-over must not wait on this one.
    """
    now = utcnow()
    last = app.extensions.get(f"{name}_ran_at")
    if not force and last is not None and now - last < every:
        return 0
    app.extensions[f"{name}_ran_at"] = now
    with app.app_context():
        session = get_session()
        try:
            done = work(session, now)
            session.commit()
        except IntegrityError:
            session.rollback()
            return 0
        except SQLAlchemyError:
            log.warning("%s failed; next round in %s", name, every, exc_info=True)
            session.rollback()
            return 0
    return done


def registry_of(app: Flask) -> Registry:
    """The app's job kinds and duties, kept by its dispatcher (``jobs.init_app``)."""
    registry: Registry = app.extensions["jobs"].registry
    return registry


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
        kind = registry_of(app).kinds.get(job.kind)
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
