"""A stored inbound message's life: who answers it, when, and what WeChat's retries get.

WeChat delivers a message up to three times, 5 s apart, until it gets an answer. Once the
first delivery has stored it (``webhooks/inbound.py``), this module decides:

- **the lease**: the storing delivery owns the answering for ``MESSAGE_LEASE_SECONDS``;
- **flood refusal**: over ``RATE_LIMIT`` a sender's message is kept but answered with
  :data:`TOO_FAST`, and never reaches the NLU;
- **a retry** gets the first delivery's passive reply, waiting briefly while it is made,
  and only within :data:`RETRY_HORIZON_SECONDS` (later, a duplicate is a replay);
- **take-over**: a retry that finds the lease expired (its first process died) answers the
  message itself;
- **recovery**: a message no retry took over is answered by the job worker
  (:func:`recover_abandoned`, the ``answer_message`` job) as a customer-service message.

Statuses: :data:`models.chat.INBOUND_STATUSES`.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta

from flask import Flask, current_app
from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter
from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from jobs.outbox import enqueue
from models import Message, OutboxJob, utcnow
from models.db import get_session
from webhooks.answering import mark_failed, run_turn, send_later
from webhooks.inbound import Inbound, Stored, store_inbound

log = logging.getLogger(__name__)

#: How long after a message was stored a duplicate of it may still be WeChat's retry and
#: get the stored passive reply. WeChat waits 5 s per delivery and retries three times
#: (about 20 s in all); 15 s per attempt x 3 leaves room for slow networks and queues.
#: Later, a duplicate is a replay: it is answered "success" and never with the reply.
RETRY_HORIZON_SECONDS = 15 * 3
#: After a message's lease expired this long ago, WeChat has stopped retrying it.
ABANDONED_AFTER = timedelta(seconds=30)
#: Refusal sent instead of the bot's answer; the message itself is kept in the transcript.
TOO_FAST = "您发消息太快了，请过一分钟再发。刚才的消息已经记下，工作人员能看到。"
#: The job that answers a recovered message.
ANSWER_KIND = "answer_message"


class SenderLimit:
    """Allows each OpenID ``rate`` messages (e.g. ``"20/minute"``), so that a flood from one
    sender cannot slow anyone else.

    Counted in Redis when ``redis_url`` is set (shared by every web process), else in
    memory. It fails open: if Redis is down, messages are answered rather than refused.
    """

    def __init__(self, rate: str, redis_url: str | None) -> None:
        self.item: RateLimitItem = parse(rate)
        storage = (
            storage_from_string(redis_url, socket_timeout=0.2, socket_connect_timeout=0.2)
            if redis_url
            else storage_from_string("memory://")
        )
        self.limiter = FixedWindowRateLimiter(storage)

    def allow(self, openid: str) -> bool:
        """Count one message from ``openid``; False once it is over the limit."""
        try:
            return bool(self.limiter.hit(self.item, "wechat", openid))
        except Exception as exc:  # the limiter must never cost a message
            log.warning("rate limiter unavailable (%s); letting the message through", exc)
            return True


def lease(app: Flask, now: datetime | None = None) -> datetime:
    """Until when a delivery that starts answering a message now owns it."""
    return (now or utcnow()) + timedelta(seconds=float(app.config["MESSAGE_LEASE_SECONDS"]))


def store(session: Session, inbound: Inbound) -> Stored:
    """Store a pushed message, leased to this delivery (raises ``SQLAlchemyError``)."""
    return store_inbound(session, inbound, lease_until=lease(current_app))


def respond(session: Session, stored: Stored, openid: str) -> str | None:
    """The passive reply to a stored message, or None to answer ``success``.

    From here on no fault may lose the message or turn into a 500.
    """
    if stored.duplicate:
        return _reply_to_retry(session, stored.message_id)
    if not current_app.extensions["sender_limit"].allow(openid):
        return _refuse_flood(session, stored.message_id)
    return _answer(stored.message_id)


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
    """Answer, as customer-service messages, messages no delivery answered (a relay duty)."""
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
                enqueue(session, ANSWER_KIND, {"message_id": message_id})
                recovered += 1
        session.commit()
        if recovered:
            log.warning("recovering %d unanswered messages", recovered)
        return recovered


def answer_late(session: Session, job: OutboxJob) -> None:
    """The ``answer_message`` job: run the turn and send its reply as a CS message."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    outcome = run_turn(session, job.payload["message_id"], app)
    if outcome is not None:
        send_later(session, outcome)


def answer_dead(session: Session, job: OutboxJob) -> None:
    """The ``answer_message`` job died: keep the message, marked for staff."""
    mark_failed(session, job.payload["message_id"])


def _answer(message_id: int) -> str | None:
    return current_app.extensions["answerer"].answer(message_id)  # type: ignore[no-any-return]


def _refuse_flood(session: Session, message_id: int) -> str | None:
    try:
        session.execute(
            update(Message)
            .where(Message.id == message_id)
            .values(status="limited", lease_until=None)
        )
        session.commit()
    except SQLAlchemyError:
        log.exception("cannot mark message %s as over the limit", message_id)
        session.rollback()
    return TOO_FAST


def _reply_to_retry(session: Session, message_id: int) -> str | None:
    """A retry gets the first delivery's passive reply, waiting briefly if it is still
    being made, or answers the message itself if the first delivery's process died.

    The dedup key holds the sender, so the stored reply goes only to its own sender; and
    only within WeChat's retry horizon (a later duplicate is not WeChat retrying).
    """
    try:
        if not _within_retry_horizon(session, message_id):
            log.warning("duplicate of message %s past the retry horizon: no reply", message_id)
            return None
        return _wait_for_reply(session, message_id)
    except SQLAlchemyError:
        log.exception("cannot read the reply of message %s", message_id)
        session.rollback()
        return None


def _within_retry_horizon(session: Session, message_id: int) -> bool:
    first = session.get(Message, message_id)
    horizon = timedelta(seconds=RETRY_HORIZON_SECONDS)
    return first is not None and utcnow() - first.created_at <= horizon


def _wait_for_reply(session: Session, message_id: int) -> str | None:
    deadline = time.monotonic() + float(current_app.config["DUPLICATE_WAIT_SECONDS"])
    while True:
        # End the transaction so each look sees the other delivery's commits (SQLite's
        # WAL readers keep their snapshot until the transaction ends).
        session.rollback()
        first = session.get(Message, message_id)
        if first is None or first.status != "received":
            break
        expired = first.lease_until is None or first.lease_until < utcnow()
        if expired and take_over(session, message_id, current_app):
            return _answer(message_id)
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.1)
    # Only a passive reply is repeated: one sent as a customer-service message is on its way.
    return session.scalar(
        select(Message.content)
        .where(
            Message.reply_to_id == message_id,
            Message.direction == "out",
            Message.status == "passive",
        )
        .order_by(Message.id)
        .limit(1)
    )


def _lease_expired(now: datetime) -> ColumnElement[bool]:
    return or_(Message.lease_until.is_(None), Message.lease_until < now)
