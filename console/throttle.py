"""The login rate limit: attempts per username and address, and per address alone.

The second limit stops one address from spraying a common password over many usernames.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from models import LoginAttempt


@dataclass(frozen=True)
class Attempt:
    """A counted login attempt: the username|address digest it was counted under."""

    key: str


def attempt_keys(username: str, address: str | None) -> tuple[str, str]:
    """Digests of username|address and of the address alone (nothing typed is kept)."""
    per_user = hashlib.sha256(f"{username}|{address}".encode()).hexdigest()
    return per_user, hashlib.sha256(f"{address}".encode()).hexdigest()


def begin_attempt(
    session: Session, username: str, address: str | None, now: datetime
) -> Attempt | None:
    """Count one attempt before its password is checked; None when over either limit.

    Attempts from one address are counted one at a time: the row is written and the counts
    read inside one transaction that holds a per-address lock (PostgreSQL's advisory lock;
    SQLite's write lock, taken by the first write), so the n-th of parallel guesses sees
    exactly n. Committing first and counting after let all 20 parallel guesses see 20 on
    PostgreSQL and none reached the check; counting after the check let 8 of 20 through a
    limit of 5. The lock ends at commit, before argon2 runs. A refused attempt keeps its
    row: it was a guess, it counts.
    """
    key, address_key = attempt_keys(username, address)
    _lock_address(session, address_key)
    stale = now - timedelta(days=1)
    session.execute(delete(LoginAttempt).where(LoginAttempt.created_at < stale))
    session.add(LoginAttempt(key=key, address=address_key, created_at=now))
    session.flush()
    config = current_app.config
    since = now - timedelta(minutes=config["LOGIN_WINDOW_MINUTES"])
    recent = select(func.count(LoginAttempt.id)).where(LoginAttempt.created_at >= since)
    per_user = session.scalar(recent.where(LoginAttempt.key == key)) or 0
    per_address = session.scalar(recent.where(LoginAttempt.address == address_key)) or 0
    session.commit()
    if (
        per_user > config["LOGIN_MAX_ATTEMPTS"]
        or per_address > config["LOGIN_ADDRESS_MAX_ATTEMPTS"]
    ):
        return None
    return Attempt(key)


def _lock_address(session: Session, address_key: str) -> None:
    # SQLite needs nothing: its first write below locks the database until commit.
    if session.get_bind().dialect.name == "postgresql":
        lock_id = int(address_key[:15], 16)  # 60 bits: fits PostgreSQL's bigint
        session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": lock_id})


def succeed(session: Session, attempt: Attempt) -> None:
    """A right password: forget this username's attempts from this address (incl. this one)."""
    session.execute(delete(LoginAttempt).where(LoginAttempt.key == attempt.key))
