"""The transactional outbox: outbound work recorded in the same transaction as its cause.

A row is written together with the message or case change that needs it, so that nothing
is lost when Redis or WeChat is down; the job queue (``jobs/``) only carries row ids.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow

#: pending (waiting until ``run_after``) -> running -> done, or back to pending with a later
#: ``run_after`` after a failure that may pass, or dead after the last attempt or an error
#: that cannot pass.
OUTBOX_STATUSES = ("pending", "running", "done", "dead")


class OutboxJob(Base):
    """One piece of outbound work: its kind, its arguments and where it stands."""

    __tablename__ = "outbox_job"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))  # send_message, download_media, ...
    # Ids only (never personal data): the rows they name hold the content.
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # The worker the job concerns: their next message releases jobs held for them (45047).
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("worker.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    run_after: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # A pending job was handed to the queue until then (not handed again before); a
    # running job's process is presumed dead after then, and the job may be taken again.
    lease_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
