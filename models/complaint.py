"""Complaints, their evidence and their status history."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from models.base import Base, utcnow
from models.chat import Worker
from models.crypto import EncryptedJSON, EncryptedText
from models.employer import Employer
from models.masking import mask_numbers
from models.site import Site

#: The statuses a complaint moves through (the console issue adds the transitions).
STATUSES = (
    "draft",
    "submitted",
    "accepted",
    "assigned",
    "transferred",
    "mediating",
    "resolved",
    "closed",
    "rejected",
)

#: The channels a case reaches the bureau by (their Chinese names: cases/channels.py):
#: the bot, the 12333 and 12345 hotlines, the national wage-arrears clue platform, letters
#: and visits (信访), walk-ins (来访), referrals from another unit (转办), anything else.
CHANNELS = ("wechat", "12333", "12345", "national", "letters", "visit", "referral", "other")

#: Plaintext columns that may hold a worker's own words (an unreadable answer kept as
#: typed): phone and ID numbers in them are masked on every write (models/masking.py).
FREE_TEXT_COLUMNS = (
    "employer",
    "contractor",
    "contractor_hired_by",
    "project_name",
    "project_address",
    "general_contractor",
    "work_type",
    "work_content",
    "period_text",
)


def masked_columns(values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` with phone and ID numbers masked in the plaintext free-text columns."""
    return {
        name: mask_numbers(value) if name in FREE_TEXT_COLUMNS and isinstance(value, str) else value
        for name, value in values.items()
    }


class Complaint(Base):
    """A wage-arrears complaint with the fields of the national clue platform."""

    __tablename__ = "complaint"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_no: Mapped[str] = mapped_column(String(32), unique=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id"), index=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("site.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    channel: Mapped[str] = mapped_column(String(16), default="wechat", index=True)  # CHANNELS
    # Set by cases/employers.py from ``employer`` (or ``contractor``) once normalised.
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employer.id"), index=True)
    # Complainant: encrypted at rest (docs/data-protection.md), so never filtered in SQL.
    contact_name: Mapped[str | None] = mapped_column(EncryptedText)
    contact_phone: Mapped[str | None] = mapped_column(EncryptedText)
    id_number: Mapped[str | None] = mapped_column(EncryptedText)  # optional, sensitive
    # Employer: a company, or a labour contractor (包工头) and who hired him
    is_construction: Mapped[bool] = mapped_column(default=True)  # 工程建设领域
    employer: Mapped[str | None] = mapped_column(String(200))
    contractor: Mapped[str | None] = mapped_column(String(100))
    contractor_hired_by: Mapped[str | None] = mapped_column(String(200))
    # Project (filled from the site when the worker came through a site QR)
    project_name: Mapped[str | None] = mapped_column(String(200))
    project_address: Mapped[str | None] = mapped_column(String(300))
    general_contractor: Mapped[str | None] = mapped_column(String(200))
    # The arrears
    work_type: Mapped[str | None] = mapped_column(String(60))
    work_content: Mapped[str | None] = mapped_column(Text)
    period_start: Mapped[date | None]
    period_end: Mapped[date | None]
    period_text: Mapped[str | None] = mapped_column(String(100))
    amount_owed: Mapped[Decimal | None]
    amount_approximate: Mapped[bool] = mapped_column(default=False)
    headcount: Mapped[int | None]
    # The worker's first message, often with their phone or ID number in it: encrypted.
    description: Mapped[str | None] = mapped_column(EncryptedText)
    is_group: Mapped[bool] = mapped_column(default=False, index=True)  # 群体性: urgent
    # Raw answers the validators could not read, kept for staff (a mistyped phone): encrypted.
    flags: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON, default=dict)
    # The worker saw the liability notice and agreed to pass the data on.
    consent_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime | None]
    accept_by: Mapped[date | None]
    investigate_by: Mapped[date | None]
    amount_recovered: Mapped[Decimal | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Set by `flask retention purge`: the personal data is gone, the statistics remain.
    anonymised_at: Mapped[datetime | None]

    worker: Mapped[Worker] = relationship()
    site: Mapped[Site | None] = relationship()
    employer_record: Mapped[Employer | None] = relationship()
    sources: Mapped[list[ComplaintSource]] = relationship(
        back_populates="complaint", order_by="ComplaintSource.id"
    )
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="complaint", order_by="Evidence.id"
    )
    history: Mapped[list[StatusChange]] = relationship(
        back_populates="complaint", order_by="StatusChange.id"
    )

    @validates(*FREE_TEXT_COLUMNS)
    def _mask_free_text(self, key: str, value: str | None) -> str | None:
        # Every writer (the bot, the console, a script) passes here; bulk UPDATEs do not,
        # and only the retention purge uses them, to write NULLs.
        return mask_numbers(value) if isinstance(value, str) else value


class ComplaintSource(Base):
    """Where a case came from: its own channel's reference, and each duplicate linked to it.

    A referral or an imported row keeps the source's own reference number; one reference
    of one channel is stored once, so importing the same file again creates nothing.
    """

    __tablename__ = "complaint_source"
    __table_args__ = (UniqueConstraint("channel", "reference"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), index=True)
    channel: Mapped[str] = mapped_column(String(16))  # CHANNELS
    reference: Mapped[str | None] = mapped_column(String(64))
    # True for a report of a case already filed (linked, not created twice).
    duplicate: Mapped[bool] = mapped_column(default=False)
    # What this source said (names, phone, amount): staff compare it with the case.
    details: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON, default=dict)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    complaint: Mapped[Complaint] = relationship(back_populates="sources")


class Evidence(Base):
    """A photo, voice note, video or location the worker sent for a complaint."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaint.id"), index=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("message.id"))
    kind: Mapped[str] = mapped_column(String(16))
    media_id: Mapped[str | None] = mapped_column(String(128))
    sha256: Mapped[str | None] = mapped_column(String(64))
    content_type: Mapped[str | None] = mapped_column(String(100))
    size: Mapped[int | None]
    storage_path: Mapped[str | None] = mapped_column(String(300))
    # WeChat keeps media for 3 days: pending -> stored, or failed after retries.
    download_status: Mapped[str] = mapped_column(String(16), default="pending")
    download_attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    complaint: Mapped[Complaint | None] = relationship(back_populates="evidence")


class StatusChange(Base):
    """One step in a complaint's history: who moved it where, when and why."""

    __tablename__ = "status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(EncryptedText)  # staff write phone numbers here
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    complaint: Mapped[Complaint] = relationship(back_populates="history")


class CaseCounter(Base):
    """The last case number given out on one day (``YYMMDD``).

    Submissions increment it in their own transaction, so concurrent submissions wait
    their turn on this one row instead of colliding on the same number.
    """

    __tablename__ = "case_counter"

    day: Mapped[str] = mapped_column(String(8), primary_key=True)
    last: Mapped[int] = mapped_column(default=0)
