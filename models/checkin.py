"""Pay-day check-ins (月结月清): workers who asked to be asked, and what they answered.

A worker opts in per site (after a scan or a filed complaint); a few days after the site's
pay day they are asked once whether the month's wages came, and the answer is kept here,
apart from complaints: an answer is an early warning about a site, not a case.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow

#: What a worker answered: 1 发了, 2 没发, 3 只发了一部分.
CHECKIN_ANSWERS = ("paid", "unpaid", "partial")


class CheckinOptIn(Base):
    """A worker's wish to be asked after a site's pay day; ``stopped_at`` once they said
    "不要再问了" (opting in again clears it)."""

    __tablename__ = "checkin_opt_in"
    __table_args__ = (UniqueConstraint("worker_id", "site_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    opted_in_at: Mapped[datetime] = mapped_column(default=utcnow)
    stopped_at: Mapped[datetime | None]


class Checkin(Base):
    """One month's question to one worker, the channel that carried it and the answer.

    Unique per worker and month: however many sites a worker follows, they are asked at
    most once a month. ``channel`` is "none" when nothing could reach the worker.
    """

    __tablename__ = "checkin"
    __table_args__ = (
        UniqueConstraint("worker_id", "month"),
        Index("ix_checkin_site_id_month", "site_id", "month"),
        CheckConstraint("answer IN ('paid', 'unpaid', 'partial')", name="answer"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id"))
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    month: Mapped[str] = mapped_column(String(7))  # "2026-11": the pay day's month
    asked_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The send job finds its check-in by the message (index).
    message_id: Mapped[int | None] = mapped_column(ForeignKey("message.id"), index=True)
    channel: Mapped[str] = mapped_column(String(32))
    answer: Mapped[str | None] = mapped_column(String(16))
    answered_at: Mapped[datetime | None]
