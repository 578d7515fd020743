"""Outbound work (customer-service messages, media downloads) through an outbox and RQ.

Code that needs outbound work calls :func:`jobs.outbox.enqueue` inside its own transaction;
the row is pushed to the queue once that transaction commits.
"""

from __future__ import annotations

from flask import Flask

from jobs import tasks  # noqa: F401  (registers the handlers)
from jobs.cli import jobs_cli
from jobs.dispatch import Dispatcher, push_after_commit


def init_app(app: Flask) -> None:
    """Keep a dispatcher in ``app.extensions["jobs"]``, push after commits, add ``flask jobs``."""
    dispatcher = Dispatcher(app)
    app.extensions["jobs"] = dispatcher
    push_after_commit(app.extensions["db"].sessions, dispatcher)
    app.cli.add_command(jobs_cli)
