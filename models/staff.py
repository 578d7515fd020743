"""Staff accounts of the console and what the console records about their work."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from models.base import Base, utcnow
from models.crypto import EncryptedText
from models.site import Site

ROLES = ("admin", "hotline", "site_manager")


class StaffUser(Base):
    """A hotline, bureau or site-manager account.

    The ``is_*``/``get_id`` members are the user protocol Flask-Login expects, written out
    so that the model does not import Flask.
    """

    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Part of every console session's id: bumping it (logout, new password, deactivation)
    # ends every session the account has, also a cookie someone copied.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")

    sites: Mapped[list[Site]] = relationship(secondary="staff_site", order_by="Site.code")

    @property
    def is_active(self) -> bool:
        """A deactivated account cannot log in."""
        return self.active

    @property
    def is_authenticated(self) -> bool:
        """A loaded account is a logged-in one."""
        return True

    @property
    def is_anonymous(self) -> bool:
        """Never anonymous."""
        return False

    def get_id(self) -> str:
        """The id Flask-Login keeps in the session: ``<id>:<session_version>``."""
        return f"{self.id}:{self.session_version}"


class StaffSite(Base):
    """A site a site manager may see."""

    __tablename__ = "staff_site"

    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), primary_key=True)


class ApiToken(Base):
    """A bearer token of the JSON API; only its SHA-256 is stored."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    staff: Mapped[StaffUser] = relationship()


class AuditEntry(Base):
    """Who did what to which record: reveals of personal data, actions, logins, tokens."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str | None] = mapped_column(String(120))
    # Queries and exports staff ran (a searched phone number): encrypted.
    detail: Mapped[str | None] = mapped_column(EncryptedText)
    ip: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    staff: Mapped[StaffUser | None] = relationship()


class LoginAttempt(Base):
    """A login attempt, counted per username and address and per address alone.

    The row is written before the password is checked and deleted when it was right, so
    what stays are failures and attempts still in flight (see ``console.auth``).
    """

    __tablename__ = "login_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), index=True)  # sha256 of username|ip
    address: Mapped[str | None] = mapped_column(String(64), index=True)  # sha256 of ip
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class CaseWork(Base):
    """The console's working state of one complaint (kept apart from the filed facts)."""

    __tablename__ = "case_work"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), unique=True)
    assigned_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    transferred_to: Mapped[str | None] = mapped_column(String(200))
    # Set when a status change could not reach the worker on WeChat: staff must phone.
    call_worker_reason: Mapped[str | None] = mapped_column(String(200))
    first_contact_at: Mapped[datetime | None]
    extended: Mapped[bool] = mapped_column(default=False)  # investigation +30 working days

    assigned_staff: Mapped[StaffUser | None] = relationship()


def case_work_of(session: Session, complaint_id: int) -> CaseWork:
    """The case's working state, created on first use (the console and the jobs share it)."""
    work = session.scalar(select(CaseWork).where(CaseWork.complaint_id == complaint_id))
    if work is None:
        work = CaseWork(complaint_id=complaint_id)
        session.add(work)
        session.flush()
    return work


class CaseNote(Base):
    """A free-text note staff add to a case."""

    __tablename__ = "case_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    text: Mapped[str] = mapped_column(EncryptedText)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    staff: Mapped[StaffUser | None] = relationship()


class MessageReview(Base):
    """The intent staff chose for an inbound message the NLU was unsure of."""

    __tablename__ = "message_review"
    __table_args__ = (UniqueConstraint("message_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("message.id"))
    intent: Mapped[str] = mapped_column(String(40))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
