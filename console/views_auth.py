"""Login, logout and the front page (what is due today)."""

from __future__ import annotations

from typing import cast
from urllib.parse import urlsplit

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import case, select
from werkzeug.wrappers import Response

from cases.checkin_report import FLAG_NAMES
from cases.deadlines import china_day
from console import audit
from console.auth import CASE_ROLES, check_password, end_sessions, mark_seen, staff
from console.blueprint import bp
from console.forms import ButtonForm, LoginForm
from console.throttle import begin_attempt, succeed
from console.today import Today, today_lists
from console.views_checkins import flagged_sites
from models import CaseWork, Complaint, ConversationState, StaffUser, utcnow
from models.db import get_session

#: The audit target of a failed login with a username no account has.
UNKNOWN_USERNAME = "（不存在的用户名）"


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response | tuple[str, int]:
    """The login form; attempts per username and address, and per address, are limited."""
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("console/login.html", form=form)
    session, now = get_session(), utcnow()
    username = form.username.data.strip()
    # Counted (and committed) before anything else, so parallel guesses cannot slip past.
    attempt = begin_attempt(session, username, request.remote_addr, now)
    user = session.scalar(select(StaffUser).where(StaffUser.username == username))
    # What was typed as a username may be a password typed in the wrong box: the audit log
    # names only accounts that exist, and the attempt counter keeps a digest.
    target = username if user is not None else UNKNOWN_USERNAME
    if attempt is None:
        audit.record(session, "login_blocked", staff_id=None, target=target)
        session.commit()
        minutes = current_app.config["LOGIN_WINDOW_MINUTES"]
        flash(f"登录失败次数过多，请{minutes}分钟后再试。", "error")
        return render_template("console/login.html", form=form), 429
    if not check_password(user, form.password.data) or user is None or not user.active:
        audit.record(session, "login_failed", staff_id=None, target=target)
        session.commit()
        flash("用户名或密码错误。", "error")
        return render_template("console/login.html", form=form), 401
    succeed(session, attempt)
    audit.record(session, "login", staff_id=user.id, target=username)
    session.commit()
    login_user(user)
    mark_seen(now)
    return redirect(safe_next_url(request.args.get("next", "")) or url_for("console.index"))


def safe_next_url(target: str) -> str | None:
    """``target`` if it is a path of our console; None for anything else.

    An absolute or scheme-relative URL would be an open redirect; a control character
    (CR/LF) cannot go into a Location header; a backslash is read as "/" by browsers.
    """
    if not target or "\\" in target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/console/"):
        return None
    return target


@bp.post("/logout")
@login_required
def logout() -> Response:
    """End the session here and everywhere else: its cookie, even copied, no longer works.

    A POST with the CSRF token, so other sites cannot log staff out.
    """
    session, user = get_session(), staff()
    end_sessions(session, user)
    audit.record(session, "logout", staff_id=user.id, target=user.username)
    session.commit()
    logout_user()
    flash("已退出。", "info")
    return redirect(url_for("console.login"))


@bp.record_once
def _root_leads_to_console(state: BlueprintSetupState) -> None:
    # The address `make run` prints, typed without /console/, lands on the console (or its
    # login). Behind nginx only the listed paths reach the app, so this is for a laptop.
    state.app.add_url_rule("/", "root", _to_console)


def _to_console() -> Response:
    """``/``: the console's home page."""
    return redirect(url_for("console.index"))


@bp.get("/")
@login_required
def index() -> str | Response:
    """今日待办 (``console.today``), then handoff requests and workers to phone."""
    user = staff()
    if user.role not in CASE_ROLES:
        return redirect(url_for("console.sites"))
    session = get_session()
    today = china_day(utcnow())
    # Every worker waiting for a person, with or without a filed case.
    handoffs = session.scalars(
        select(ConversationState)
        .where(
            ConversationState.handoff_requested_at.is_not(None),
            ConversationState.held_by_staff_id.is_(None),
        )
        # a worker who spoke of ending their life comes first
        .order_by(
            case((ConversationState.handoff_reason == "crisis", 0), else_=1),
            ConversationState.handoff_requested_at,
        )
    ).all()
    to_call = session.scalars(
        select(Complaint)
        .join(CaseWork, CaseWork.complaint_id == Complaint.id)
        .where(CaseWork.call_worker_reason.is_not(None))
    ).all()
    return render_template(
        "console/index.html",
        lists=_today_lists(),
        handoffs=handoffs,
        to_call=to_call,
        staff_names={u.id: u.username for u in session.scalars(select(StaffUser))},
        paydays=flagged_sites(),
        flag_names=FLAG_NAMES,
        today=today,
        form=ButtonForm(),
    )


def _today_lists() -> Today:
    """The request's 今日待办, worked out once for the page and its navigation bar."""
    if "today_lists" not in g:
        g.today_lists = today_lists(get_session(), china_day(utcnow()))
    return cast(Today, g.today_lists)


@bp.context_processor
def _nav_counts() -> dict[str, object]:
    # Every page of case staff shows how much of 今日待办 waits, list by list.
    user = current_user
    if not getattr(user, "is_authenticated", False) or user.role not in CASE_ROLES:
        return {"todo_counts": []}
    return {"todo_counts": _today_lists().counts()}
