"""Collective cases (群体性案件): complaints against one employer or site for the same
months, read and worked on together while each keeps its own case number."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, utcnow
from models.complaint import Complaint


class CollectiveCase(Base):
    """One collective case; its members are ``CollectiveMember`` rows."""

    __tablename__ = "collective_case"

    id: Mapped[int] = mapped_column(primary_key=True)
    # "Q" + the first member's case number: staff read it aloud like a case number.
    collective_no: Mapped[str] = mapped_column(String(40), unique=True)
    # What the members share, as found when the collective case was formed.
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employer.id"), index=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("site.id"), index=True)
    # None: formed automatically; otherwise the staff member who linked by hand.
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    members: Mapped[list[CollectiveMember]] = relationship(
        back_populates="collective", order_by="CollectiveMember.id"
    )


class CollectiveMember(Base):
    """A complaint's place in a collective case.

    Unlinking keeps the row with ``removed_at`` set: a complaint staff took out by hand is
    never linked again automatically (their judgement wins over the matching rule).
    """

    __tablename__ = "collective_member"
    __table_args__ = (UniqueConstraint("collective_id", "complaint_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    collective_id: Mapped[int] = mapped_column(ForeignKey("collective_case.id"), index=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), index=True)
    linked_by: Mapped[str] = mapped_column(String(8), default="auto")  # "auto" or "staff"
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    removed_at: Mapped[datetime | None]
    removed_by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))

    collective: Mapped[CollectiveCase] = relationship(back_populates="members")
    complaint: Mapped[Complaint] = relationship()
