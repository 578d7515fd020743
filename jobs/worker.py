"""The job worker: an RQ worker on Redis plus the relay that hands over due jobs.

``flask --app app jobs worker`` runs both: the relay thread wakes every second, hands
due and abandoned jobs to the queue (only one relay at a time, by a Redis lock), and hands
over inbound messages that no web process answered; RQ's ``SimpleWorker`` runs the jobs in
this process, each in its own application context.
"""

from __future__ import annotations

import logging
import threading
import time

import redis
from flask import Flask, current_app
from rq import SimpleWorker

from jobs.dispatch import QUEUE_NAME, get_dispatcher
from jobs.runner import registry_of, run_job

log = logging.getLogger(__name__)

RELAY_INTERVAL = 1.0
RECONNECT_DELAY = 2.0


def perform(job_id: int) -> str | None:
    """RQ's entry point for one outbox job (runs inside the worker's app context)."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    return run_job(app, job_id)


def relay_forever(app: Flask, stop: threading.Event, interval: float = RELAY_INTERVAL) -> None:
    """Relay due jobs and run the registered duties until ``stop`` is set."""
    dispatcher = get_dispatcher(app)
    while not stop.is_set():
        try:
            for duty in registry_of(app).duties:
                duty(app)
            dispatcher.relay_once()
        except Exception:  # Redis or the database down: keep trying
            log.warning("relay failed; retrying", exc_info=True)
        stop.wait(interval)


def work(app: Flask, burst: bool = False) -> None:
    """Run the relay thread and an RQ worker until stopped (or the queue is empty)."""
    url = app.config.get("REDIS_URL")
    if not url:
        raise RuntimeError("REDIS_URL is not set: jobs run inside the web process")
    # Its own connection: the dispatcher's short socket timeout would break RQ's blocking pop.
    connection = redis.Redis.from_url(url, health_check_interval=30)
    stop = threading.Event()
    relay = threading.Thread(target=relay_forever, args=(app, stop), daemon=True)
    relay.start()
    try:
        while True:
            try:
                worker = SimpleWorker([QUEUE_NAME], connection=connection)
                worker.work(burst=burst, logging_level="WARNING")
                return  # the queue is empty (burst), or SIGTERM/SIGINT asked to stop
            except redis.ConnectionError:
                log.warning("Redis unreachable; the worker waits and reconnects")
                time.sleep(RECONNECT_DELAY)
    finally:
        stop.set()
