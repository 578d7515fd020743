"""Workers, their transcript and their conversation state."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from models.base import Base, insert_or_skip, utcnow
from models.crypto import EncryptedJSON, EncryptedText

#: An inbound message: received (stored; the delivery holding its lease answers it) ->
#: handled, or limited (over ``RATE_LIMIT``: kept, answered with a refusal, never parsed),
#: or failed (the bot could not handle it: kept for staff). ``webhooks/delivery.py``.
INBOUND_STATUSES = ("received", "handled", "limited", "failed")
#: An outbound message: passive (the webhook's own answer), or queued -> cs_sent (WeChat
#: took the customer-service message) or cs_failed (its job died), or cs_window (never
#: sent: the worker's 48 h window was closed). ``jobs/messages.py``. A case notice may
#: also end notice_sent (a subscription or template message took it: ``jobs/notices.py``).
OUTBOUND_STATUSES = ("passive", "queued", "cs_sent", "cs_failed", "cs_window", "notice_sent")


class Worker(Base):
    """A WeChat user who wrote to the account, known by OpenID only."""

    __tablename__ = "worker"

    id: Mapped[int] = mapped_column(primary_key=True)
    openid: Mapped[str] = mapped_column(String(64), unique=True)
    subscribed: Mapped[bool] = mapped_column(default=True)
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The worker's last own action opens WeChat's 48 h customer-service window.
    last_inbound_at: Mapped[datetime | None]


class Message(Base):
    """One inbound or outbound message: the transcript staff read.

    Inbound messages carry a ``dedup_key`` (MsgId, or sender + CreateTime + event for events,
    which have no MsgId) so that WeChat's retries are stored once.
    """

    __tablename__ = "message"

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id"), index=True)
    direction: Mapped[str] = mapped_column(String(3))  # "in" or "out"
    msg_type: Mapped[str] = mapped_column(String(20))  # text, image, voice, event, ...
    # What the worker typed (names, phone and ID numbers) and what we answered: encrypted.
    content: Mapped[str | None] = mapped_column(EncryptedText)
    media_id: Mapped[str | None] = mapped_column(String(128))
    event: Mapped[str | None] = mapped_column(String(32))
    event_key: Mapped[str | None] = mapped_column(String(128))
    wechat_msg_id: Mapped[int | None] = mapped_column(BigInteger)
    wechat_created_at: Mapped[int | None] = mapped_column(BigInteger)
    dedup_key: Mapped[str | None] = mapped_column(String(160), unique=True)
    # INBOUND_STATUSES or OUTBOUND_STATUSES, by direction.
    status: Mapped[str] = mapped_column(String(16), default="received")
    # An inbound message is being answered until then, and no other delivery may answer
    # it; after then its first process is presumed dead and a retry takes it over.
    # Cleared once the message is handled.
    lease_until: Mapped[datetime | None] = mapped_column(index=True)
    reply_to_id: Mapped[int | None] = mapped_column(ForeignKey("message.id"), index=True)
    intent: Mapped[str | None] = mapped_column(String(40))
    confidence: Mapped[float | None]
    nlu_source: Mapped[str | None] = mapped_column(String(10))
    # Type-specific fields (location, link, voice transcript ...) as WeChat sent them: encrypted.
    payload: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    worker: Mapped[Worker] = relationship()


class ConversationState(Base):
    """The dialogue state of one worker, as the pure ``bot`` step reads and writes it."""

    __tablename__ = "conversation_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id"), unique=True)
    # The form being filled, phone and ID number included: encrypted.
    state: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON, default=dict)
    # The worker asked for a person (or the bot kept misunderstanding): staff should look.
    handoff_requested_at: Mapped[datetime | None]
    handoff_reason: Mapped[str | None] = mapped_column(String(32))
    # While a staff member holds the conversation, the bot stays silent.
    held_by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    # The newest message staff have seen in the console: later inbound ones are shown as new.
    staff_read_message_id: Mapped[int | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def conversation_of(session: Session, worker_id: int, *, lock: bool = False) -> ConversationState:
    """The worker's conversation state, created (and flushed) on first use (the bot and the
    console's take-over share it).

    ``lock``: hold the row until the transaction ends (PostgreSQL's FOR UPDATE; SQLite has
    no row locks), so that two turns of one worker run one after the other.
    """
    query = select(ConversationState).where(ConversationState.worker_id == worker_id)
    if lock:
        query = query.with_for_update()
    conversation = session.scalar(query)
    if conversation is None:
        # Two turns of a new worker can start together (a reply past the budget and the
        # next message): the second insert keeps the first's row instead of failing. Done
        # at once, before any savepoint, so a retried step cannot roll it back.
        session.execute(
            insert_or_skip(session, ConversationState.__table__)
            .values(worker_id=worker_id, state={}, updated_at=utcnow())
            .on_conflict_do_nothing(index_elements=["worker_id"])
        )
        conversation = session.scalars(query).one()
    return conversation
