"""Answering a stored message: passively within WeChat's time, or later as a CS message.

WeChat waits 5 s for the passive reply. The bot's turn runs in a thread of its own; the
webhook waits for it up to ``REPLY_BUDGET_SECONDS`` (about 4 s). A turn that finishes in
time is answered passively. One that does not is answered ``success`` and, when it is
done, its reply goes out as a customer-service message through the outbox. Which of the two
happens is decided under one lock together with the turn's commit, so it is exactly one.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import Flask, current_app
from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.orm import Session

from bot.service import Outcome, handle_message, policy_from_config
from jobs.outbox import enqueue
from jobs.runner import handler
from models import Message, OutboxJob, utcnow
from models.db import get_session

log = logging.getLogger(__name__)

#: After a message's lease expired this long ago, WeChat has stopped retrying it.
ABANDONED_AFTER = timedelta(seconds=30)


@dataclass
class _Ticket:
    """The meeting point of one waiting webhook request and its turn's thread."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    done: threading.Event = field(default_factory=threading.Event)
    gave_up: bool = False
    reply: str | None = None


class Answerer:
    """Runs turns in a bounded thread pool and waits for each up to the reply budget."""

    def __init__(self, app: Flask, threads: int = 8) -> None:
        self.app = app
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="turn")

    def answer(self, message_id: int) -> str | None:
        """The passive reply to a stored message, or None to answer ``success``."""
        self.app.extensions["jobs"].start_relay()  # no-op with Redis (its worker relays)
        ticket = _Ticket()
        self.pool.submit(self._run, message_id, ticket)
        if ticket.done.wait(float(self.app.config["REPLY_BUDGET_SECONDS"])):
            return ticket.reply
        with ticket.lock:
            if ticket.done.is_set():  # finished while we took the lock
                return ticket.reply
            ticket.gave_up = True
        log.warning("message %s not answered within the budget; the reply follows", message_id)
        return None

    def _run(self, message_id: int, ticket: _Ticket) -> None:
        with self.app.app_context():
            session = get_session()
            try:
                outcome = run_turn(session, message_id, self.app)
            except Exception:
                log.exception("bot failed on message %s; answering success", message_id)
                session.rollback()
                mark_failed(session, message_id)
                outcome = None
            with ticket.lock:
                try:
                    if outcome is not None and ticket.gave_up:
                        send_later(session, outcome)
                    session.commit()
                    ticket.reply = outcome.reply if outcome is not None else None
                except Exception:
                    log.exception("cannot store the answer to message %s", message_id)
                    session.rollback()
                    mark_failed(session, message_id)
                finally:
                    ticket.done.set()


def run_turn(session: Session, message_id: int, app: Flask) -> Outcome | None:
    """Run the bot on a stored message not yet answered; flushed, not committed."""
    message = session.get(Message, message_id)
    if message is None or message.status != "received":
        return None
    outcome = handle_message(
        session, message, app.extensions["nlu"], policy_from_config(app.config)
    )
    message.lease_until = None
    for evidence_id in outcome.evidence_to_download:
        enqueue(
            session, "download_media", {"evidence_id": evidence_id}, worker_id=message.worker_id
        )
    return outcome


def send_later(session: Session, outcome: Outcome) -> None:
    """The reply missed the passive window: queue it as a customer-service message."""
    reply = outcome.reply_message
    if reply is None:
        return
    reply.status = "queued"
    session.flush()
    enqueue(session, "send_message", {"message_id": reply.id}, worker_id=reply.worker_id)


def mark_failed(session: Session, message_id: int) -> None:
    """Keep a message the bot could not handle, marked for staff (never lost)."""
    try:
        message = session.get(Message, message_id)
        if message is not None:
            message.status, message.lease_until = "failed", None
            session.commit()
    except Exception:
        log.exception("cannot mark message %s failed", message_id)
        session.rollback()


def lease(app: Flask, now: datetime | None = None) -> datetime:
    """Until when a delivery that starts answering a message now owns it."""
    return (now or utcnow()) + timedelta(seconds=float(app.config["MESSAGE_LEASE_SECONDS"]))


def take_over(session: Session, message_id: int, app: Flask) -> bool:
    """Take an unanswered message whose first delivery's process died (its lease expired)."""
    session.rollback()  # a fresh transaction: SQLite cannot upgrade an old snapshot to write
    now = utcnow()
    taken = session.execute(
        update(Message)
        .where(Message.id == message_id, Message.status == "received", _lease_expired(now))
        .values(lease_until=lease(app, now))
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return bool(taken.rowcount == 1)  # type: ignore[attr-defined]


def recover_abandoned(app: Flask) -> int:
    """Answer, as customer-service messages, messages no delivery answered (worker duty)."""
    with app.app_context():
        session = get_session()
        cutoff = utcnow() - ABANDONED_AFTER
        ids = session.scalars(
            select(Message.id)
            .where(Message.status == "received", Message.lease_until < cutoff)
            .limit(100)
        ).all()
        recovered = 0
        for message_id in ids:
            # Leased for an hour, if no other sweep got there first: the job answers it.
            taken = session.execute(
                update(Message)
                .where(
                    Message.id == message_id,
                    Message.status == "received",
                    Message.lease_until < cutoff,
                )
                .values(lease_until=utcnow() + timedelta(hours=1))
                .execution_options(synchronize_session=False)
            )
            if taken.rowcount == 1:  # type: ignore[attr-defined]
                enqueue(session, "answer_message", {"message_id": message_id})
                recovered += 1
        session.commit()
        if recovered:
            log.warning("recovering %d unanswered messages", recovered)
        return recovered


def _answer_late(session: Session, job: OutboxJob) -> None:
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    outcome = run_turn(session, job.payload["message_id"], app)
    if outcome is not None:
        send_later(session, outcome)


def _answer_dead(session: Session, job: OutboxJob) -> None:
    mark_failed(session, job.payload["message_id"])


handler("answer_message", on_dead=_answer_dead)(_answer_late)


def _lease_expired(now: datetime) -> ColumnElement[bool]:
    return or_(Message.lease_until.is_(None), Message.lease_until < now)
