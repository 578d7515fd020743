"""Reaching the worker after the 48 h window: consents, the notices sent about a case, the
worker's word on payment and their rating of the outcome.

Kept apart from the complaint (``models/complaint.py``) and from the console's working state
(``CaseWork``): the worker writes these rows, staff only read them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, event, inspect
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow
from models.crypto import EncryptedText

#: How a worker may be reached outside the customer-service window.
CONSENT_SOURCES = ("popup", "one_time_link", "change_event")
#: What the worker said about the money: asked -> paid | partial | unpaid, or unconfirmed
#: when seven days pass without an answer.
PAYMENT_STATUSES = ("asked", "paid", "partial", "unpaid", "unconfirmed")


class NoticeConsent(Base):
    """A worker's consent to subscription notices of one template (WeChat's 订阅通知).

    A one-time consent allows one send (``used_at`` is set by it); a long-term one (public-
    service accounts) lasts until revoked. ``complaint_id`` is the case the worker was looking
    at when consenting (None: any of their cases).
    """

    __tablename__ = "notice_consent"

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id"), index=True)
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaint.id"), index=True)
    template_id: Mapped[str] = mapped_column(String(128))
    long_term: Mapped[bool] = mapped_column(default=False)
    source: Mapped[str] = mapped_column(String(32))
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]
    # The worker said "不要再通知我", refused in WeChat, or WeChat answered 43101.
    revoked_at: Mapped[datetime | None]


class CaseNotice(Base):
    """One notice about a case (a status change, a missed deadline, a question to the
    worker) and the transcript message that carries it; replies are read against the last."""

    __tablename__ = "case_notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id"), index=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("message.id"))
    # A status (accepted, resolved ...), "overdue", "payment" or "satisfaction".
    kind: Mapped[str] = mapped_column(String(32))
    # Set for notices that must go out once only (a missed deadline): unique.
    once_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    answered_at: Mapped[datetime | None]


class PaymentConfirmation(Base):
    """The question "钱到账了吗" after staff marked a case resolved, and the worker's answer."""

    __tablename__ = "payment_confirmation"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="asked", index=True)
    asked_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None]


class CaseRating(Base):
    """The worker's satisfaction with a paid case, 1 满意 2 一般 3 不满意.

    Written once by the worker's own message; the handler and unit are copied at that moment
    so a later reassignment cannot move the rating. Staff cannot change it (see below).
    """

    __tablename__ = "case_rating"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), unique=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id"))
    score: Mapped[int]
    # The worker's optional reason may name people or numbers: encrypted.
    reason: Mapped[str | None] = mapped_column(EncryptedText)
    handler_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    unit: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RatingLocked(ValueError):
    """A stored rating was changed: only the worker's first reason may still be added."""


@event.listens_for(CaseRating, "before_update")
def _rating_is_the_workers(_mapper: Any, _connection: Any, rating: CaseRating) -> None:
    """A rating cannot be edited once stored; the reason may be added once (the worker's
    next message), nothing else."""
    state = inspect(rating)
    for attr in state.attrs:
        history = attr.history
        if not history.has_changes():
            continue
        if attr.key == "reason" and not any(v is not None for v in history.deleted):
            continue
        raise RatingLocked(f"case_rating.{attr.key} cannot be changed")
