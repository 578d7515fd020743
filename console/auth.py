"""Accounts: password hashing, Flask-Login, sessions (revocation, idle timeout), role checks."""

from __future__ import annotations

import functools
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps
from typing import Any, TypeVar, cast

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import abort, current_app, flash, redirect, url_for
from flask import session as flask_session
from flask_login import LoginManager, current_user, logout_user
from sqlalchemy import update
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from models import StaffUser, utcnow
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
def load_user(session_id: str) -> StaffUser | None:
    """The active staff user of a session id ``<id>:<version>``, or None.

    A session whose version is not the account's current one was ended (logout, new
    password, deactivation) and loads no user, even from a copied cookie.
    """
    user_id, _, version = session_id.partition(":")
    if not user_id.isdecimal() or not version.isdecimal():
        return None
    user = get_session().get(StaffUser, int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


def end_sessions(session: Session, user: StaffUser) -> None:
    """End every console session of ``user`` (the caller commits)."""
    # One UPDATE: two logouts at the same moment both count, neither is lost.
    session.execute(
        update(StaffUser)
        .where(StaffUser.id == user.id)
        .values(session_version=StaffUser.session_version + 1)
    )


#: Where the session keeps the time of the user's last request (seconds since the epoch).
SEEN = "anxin_seen"
#: The last-seen time is rewritten at most this often (seconds): fewer new cookies.
SEEN_REFRESH = 60


def mark_seen(now: datetime) -> None:
    """Note in the session that its user was active at ``now``."""
    flask_session[SEEN] = int(now.timestamp())


def enforce_idle_timeout() -> Response | None:
    """Log out a session idle for longer than ``CONSOLE_IDLE_MINUTES`` (a console hook).

    A session without the mark (made before this check existed) counts as idle.
    """
    # Anonymous requests are left alone without loading anyone (loading would make
    # Flask-Login's session protection rewrite a login form's fresh session).
    if "_user_id" not in flask_session or not current_user.is_authenticated:
        return None
    now = utcnow()
    seen = flask_session.get(SEEN)
    idle = timedelta(minutes=current_app.config["CONSOLE_IDLE_MINUTES"])
    if not isinstance(seen, int) or now.timestamp() - seen > idle.total_seconds():
        logout_user()
        flask_session.pop(SEEN, None)
        flash("长时间未操作，已自动退出，请重新登录。", "info")
        return redirect(url_for("console.login"))
    if now.timestamp() - seen >= SEEN_REFRESH:
        mark_seen(now)
    return None


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
