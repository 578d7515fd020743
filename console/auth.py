"""Accounts: password hashing, Flask-Login, role checks and the login rate limit."""

from __future__ import annotations

import functools
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps
from typing import Any, TypeVar, cast

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import abort, current_app
from flask_login import LoginManager, current_user
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from models import LoginAttempt, StaffUser
from models.db import get_session

login_manager = LoginManager()
login_manager.login_view = "console.login"
login_manager.login_message = "请先登录。"
login_manager.session_protection = "strong"

_hasher = PasswordHasher()
F = TypeVar("F", bound=Callable[..., Any])

#: Roles that may see complaints, transcripts and workers' data.
CASE_ROLES = ("admin", "hotline")


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return _hasher.hash(password)


def check_password(user: StaffUser | None, password: str) -> bool:
    """True when ``password`` matches the user's stored hash.

    For an unknown user a dummy hash is still verified, so that the answer takes as long
    and does not tell which usernames exist.
    """
    try:
        return _hasher.verify(user.password_hash if user else _dummy_hash(), password) and (
            user is not None
        )
    except (VerificationError, InvalidHashError):
        return False


@functools.cache
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_hex(16))


@login_manager.user_loader
def load_user(user_id: str) -> StaffUser | None:
    """The active staff user kept in the session, or None."""
    if not user_id.isdecimal():
        return None
    user = get_session().get(StaffUser, int(user_id))
    return user if user is not None and user.active else None


def staff() -> StaffUser:
    """The logged-in staff user (only inside a view guarded by :func:`roles_required`)."""
    return cast(StaffUser, current_user._get_current_object())  # noqa: SLF001


def roles_required(*roles: str) -> Callable[[F], F]:
    """Let a view run only for logged-in users with one of ``roles``; 403 for others."""

    def decorate(view: F) -> F:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return cast(F, guarded)

    return decorate


def too_many_attempts(session: Session, key: str, now: datetime) -> bool:
    """True when ``key`` (a digest of username|ip) failed too often within the window."""
    window = timedelta(minutes=current_app.config["LOGIN_WINDOW_MINUTES"])
    count = session.scalar(
        select(func.count(LoginAttempt.id)).where(
            LoginAttempt.key == key, LoginAttempt.created_at >= now - window
        )
    )
    return (count or 0) >= current_app.config["LOGIN_MAX_ATTEMPTS"]


def record_failure(session: Session, key: str, now: datetime) -> None:
    """Count one failed login for ``key``, forgetting failures older than any window."""
    stale = now - timedelta(days=1)
    session.execute(delete(LoginAttempt).where(LoginAttempt.created_at < stale))
    session.add(LoginAttempt(key=key, created_at=now))


def clear_failures(session: Session, key: str) -> None:
    """Forget ``key``'s failures after a successful login."""
    session.execute(delete(LoginAttempt).where(LoginAttempt.key == key))
