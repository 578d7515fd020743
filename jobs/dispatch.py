"""Handing committed outbox jobs to whoever runs them.

With ``REDIS_URL`` set, job ids go onto an RQ queue on Redis and ``flask jobs worker``
processes run them. Without Redis (the embedded default), a small thread pool in the web
process runs them. Either way the database row is the truth: if Redis is down the push is
skipped, and the relay hands the job over again once it is due (``relay_once``).
"""

from __future__ import annotations

import logging
import threading
import weakref
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Any

import redis
from flask import Flask
from rq import Queue
from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from jobs.outbox import NEW_JOBS, due_job_ids, mark_pushed, release_held
from jobs.runner import Registry, run_job
from models.db import get_session

log = logging.getLogger(__name__)

QUEUE_NAME = "anxin"
#: Without Redis, how often the web process itself relays due jobs (retries, recovery).
IN_PROCESS_RELAY_INTERVAL = 5.0
RELAY_LOCK = "anxin:outbox-relay"
#: Redis must answer fast or not at all: the push happens on the webhook's path.
REDIS_TIMEOUT = 0.5


class Dispatcher:
    """Pushes job ids after each commit and, on demand, relays jobs that are due; keeps the
    app's registry of job kinds and relay duties."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.registry = Registry()
        url = app.config.get("REDIS_URL")
        self.redis = (
            redis.Redis.from_url(
                url, socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT
            )
            if url
            else None
        )
        self.queue = Queue(QUEUE_NAME, connection=self.redis) if self.redis else None
        self.pool: ThreadPoolExecutor | None = None
        self.futures: list[Future[str | None]] = []
        self._lock = threading.Lock()
        self._relaying = False

    def start_relay(self) -> None:
        """Without Redis there is no job worker: relay in this process (once, lazily, so
        that commands such as ``flask db upgrade`` never start it; never under tests)."""
        if self.redis is not None or self.app.config.get("TESTING"):
            return
        with self._lock:
            if self._relaying:
                return
            self._relaying = True
        from jobs.worker import relay_forever

        threading.Thread(
            target=relay_forever,
            args=(self.app, threading.Event(), IN_PROCESS_RELAY_INTERVAL),
            daemon=True,
            name="jobs-relay",
        ).start()

    def push(self, job_ids: list[int]) -> None:
        """Hand jobs over; a failure is logged and left to the relay (the rows stay)."""
        if not job_ids:
            return
        if self.queue is None:
            self._run_in_process(job_ids)
            return
        try:
            with self.queue.connection.pipeline() as pipe:
                for job_id in job_ids:
                    self.queue.enqueue_call(
                        "jobs.worker.perform",
                        args=(job_id,),
                        job_id=f"outbox-{job_id}",
                        result_ttl=0,
                        failure_ttl=86400,
                        pipeline=pipe,
                    )
                pipe.execute()
        except redis.RedisError as exc:
            log.warning("cannot push jobs %s to Redis (%s); the relay will", job_ids, exc)

    def relay_once(self) -> int:
        """Hand over every due job not handed recently; return how many were handed."""
        lock = self.redis.lock(RELAY_LOCK, timeout=30, blocking=False) if self.redis else None
        if lock is not None and not lock.acquire():
            return 0  # another process is relaying
        try:
            with self.app.app_context():
                session = get_session()
                release_held(session)
                job_ids = due_job_ids(session)
                mark_pushed(session, job_ids)
                session.commit()
            self.push(job_ids)
            return len(job_ids)
        finally:
            if lock is not None:
                lock.release()

    def wait(self, timeout: float = 30) -> None:
        """Block until the in-process jobs handed so far are done (tests, shutdown)."""
        while True:
            with self._lock:
                pending = [f for f in self.futures if not f.done()]
                self.futures = pending
            if not pending:
                return
            wait(pending, timeout=timeout)

    def _run_in_process(self, job_ids: list[int]) -> None:
        self.start_relay()
        with self._lock:
            if self.pool is None:
                self.pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="jobs")
            for job_id in job_ids:
                self.futures.append(self.pool.submit(self._safe_run, job_id))

    def _safe_run(self, job_id: int) -> str | None:
        try:
            return run_job(self.app, job_id)
        except Exception:  # a background thread must not die silently
            log.exception("job %s crashed", job_id)
            return None


def push_after_commit(sessions: sessionmaker[Session], dispatcher: Dispatcher) -> None:
    """Push each session's new jobs once its transaction has committed (never before)."""
    # SQLAlchemy keeps these listeners in a map keyed weakly by the sessionmaker's own
    # Session class. A strong reference from a listener to the dispatcher would lead back to
    # that key (dispatcher -> app -> sessionmaker -> class) and keep every app ever built
    # alive, with its engine and threads: thousands of them in one test run.
    dispatcher_ref = weakref.ref(dispatcher)

    @event.listens_for(sessions, "after_commit")
    def _push(session: Session) -> None:
        jobs = session.info.pop(NEW_JOBS, [])
        current = dispatcher_ref()
        if current is not None:
            # A job added inside a savepoint that rolled back has no row: claiming it is a
            # no-op.
            current.push([job.id for job in jobs if job.id is not None])

    @event.listens_for(sessions, "after_rollback")
    def _forget(session: Session) -> None:
        session.info.pop(NEW_JOBS, None)


def get_dispatcher(app: Any) -> Dispatcher:
    """The app's dispatcher (``app.extensions["jobs"]``)."""
    dispatcher: Dispatcher = app.extensions["jobs"]
    return dispatcher
