"""Employers as one record per company or boss, so that their cases can be read together
(一企一策): complaints name them in many ways, matched on a normalised key."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class Employer(Base):
    """A company or labour contractor complained about, under its normalised name.

    A name merged by staff into another keeps its row (so its key still finds the
    employer it was merged into) and points there through ``merged_into_id``.
    """

    __tablename__ = "employer"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # The normalised name (cases/employers.py): what two spellings of one employer share.
    key: Mapped[str] = mapped_column(String(200), unique=True)
    blacklisted: Mapped[bool] = mapped_column(default=False)
    blacklist_note: Mapped[str | None] = mapped_column(String(300))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("employer.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
