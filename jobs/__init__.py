"""Outbound work (customer-service messages, media downloads) through an outbox and RQ.

Code that needs outbound work calls :func:`jobs.outbox.enqueue` (or, for a message to the
worker, :mod:`jobs.messages`) inside its own transaction; the row is pushed to the queue
once that transaction commits. Job kinds and relay duties are registered here, in
``init_app``, and by other packages' ``init_app`` through :func:`registry_of`.
"""

from __future__ import annotations

from flask import Flask

from jobs import checkins, linking, media, messages, notice_job, notices
from jobs.checkins_cli import checkins_cli
from jobs.cli import jobs_cli
from jobs.dispatch import Dispatcher, push_after_commit
from jobs.runner import Registry, registry_of

__all__ = ["Registry", "init_app", "registry_of"]


def init_app(app: Flask) -> None:
    """Keep a dispatcher in ``app.extensions["jobs"]``, register the outbound job kinds,
    push after commits, add ``flask jobs``."""
    dispatcher = Dispatcher(app)
    app.extensions["jobs"] = dispatcher
    dispatcher.registry.kind(messages.KIND, messages.run_send, on_dead=messages.undelivered)
    dispatcher.registry.kind(media.KIND, media.download)
    dispatcher.registry.kind(notices.KIND, notice_job.run_notice, on_dead=notice_job.notice_dead)
    dispatcher.registry.duty(notices.sweep)
    dispatcher.registry.duty(checkins.duty)
    dispatcher.registry.duty(linking.sweep)
    push_after_commit(app.extensions["db"].sessions, dispatcher)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(checkins_cli)
