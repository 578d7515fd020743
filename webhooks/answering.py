"""Answering a stored message: passively within WeChat's time, or later as a CS message.

WeChat waits 5 s for the passive reply. The bot's turn runs in a thread of its own; the
webhook waits for it up to ``REPLY_BUDGET_SECONDS`` (about 4 s). A turn that finishes in
time is answered passively. One that does not is answered ``success`` and, when it is
done, its reply goes out as a customer-service message (``jobs/messages.py``). Which of the
two happens is decided under one lock together with the turn's commit, so it is exactly one.
Who answers a message, and when, is ``webhooks/delivery.py``'s to decide.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from flask import Flask
from sqlalchemy.orm import Session

from bot.service import Outcome, handle_message, policy_from_config
from jobs.media import queue_download
from jobs.messages import send_late_reply
from jobs.notice_job import record_results
from models import Message
from models.db import get_session

log = logging.getLogger(__name__)


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
    record_results(session, message)  # WeChat's delivery result of a notice (an event)
    outcome = handle_message(
        session, message, app.extensions["nlu"], policy_from_config(app.config)
    )
    message.lease_until = None
    for evidence_id in outcome.evidence_to_download:
        queue_download(session, evidence_id, message.worker_id)
    return outcome


def send_later(session: Session, outcome: Outcome) -> None:
    """The reply missed the passive window: queue it as a customer-service message."""
    if outcome.reply_message is not None:
        send_late_reply(session, outcome.reply_message)


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
