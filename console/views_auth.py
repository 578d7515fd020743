"""Login, logout and the front page (what is due today)."""

from __future__ import annotations

import hashlib

from flask import flash, redirect, render_template, request, url_for
from flask_login import login_required, login_user, logout_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from console import audit
from console.auth import (
    CASE_ROLES,
    check_password,
    clear_failures,
    record_failure,
    staff,
    too_many_attempts,
)
from console.blueprint import bp
from console.clocks import china_today
from console.forms import ButtonForm, LoginForm
from console.queue import QueueFilter, queue
from models import CaseWork, Complaint, ConversationState, StaffUser, utcnow
from models.db import get_session

#: The audit target of a failed login with a username no account has.
UNKNOWN_USERNAME = "（不存在的用户名）"


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response | tuple[str, int]:
    """The login form; failures per username and address are limited."""
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("console/login.html", form=form)
    session, now = get_session(), utcnow()
    username = form.username.data.strip()
    user = session.scalar(select(StaffUser).where(StaffUser.username == username))
    # What was typed as a username may be a password typed in the wrong box: the audit log
    # names only accounts that exist, and the attempt counter keeps a digest.
    target = username if user is not None else UNKNOWN_USERNAME
    key = hashlib.sha256(f"{username}|{request.remote_addr}".encode()).hexdigest()
    if too_many_attempts(session, key, now):
        audit.record(session, "login_blocked", staff_id=None, target=target)
        session.commit()
        flash("登录失败次数过多，请15分钟后再试。", "error")
        return render_template("console/login.html", form=form), 429
    if not check_password(user, form.password.data) or user is None or not user.active:
        record_failure(session, key, now)
        audit.record(session, "login_failed", staff_id=None, target=target)
        session.commit()
        flash("用户名或密码错误。", "error")
        return render_template("console/login.html", form=form), 401
    clear_failures(session, key)
    audit.record(session, "login", staff_id=user.id, target=username)
    session.commit()
    login_user(user)
    return redirect(_next_url())


def _next_url() -> str:
    # Only our own console pages: an absolute ?next= would be an open redirect.
    target = request.args.get("next", "")
    if target.startswith("/console/") and not target.startswith("//"):
        return target
    return url_for("console.index")


@bp.post("/logout")
@login_required
def logout() -> Response:
    """End the session (a POST with the CSRF token, so other sites cannot log staff out)."""
    logout_user()
    flash("已退出。", "info")
    return redirect(url_for("console.login"))


@bp.get("/")
@login_required
def index() -> str | Response:
    """Due today and overdue, handoff requests, workers to phone; site managers see sites."""
    user = staff()
    if user.role not in CASE_ROLES:
        return redirect(url_for("console.sites"))
    session = get_session()
    today = china_today(utcnow())
    rows = queue(session, QueueFilter(), today)
    # Every worker waiting for a person, with or without a filed case.
    handoffs = session.scalars(
        select(ConversationState)
        .where(
            ConversationState.handoff_requested_at.is_not(None),
            ConversationState.held_by_staff_id.is_(None),
        )
        .order_by(ConversationState.handoff_requested_at)
    ).all()
    to_call = session.scalars(
        select(Complaint)
        .join(CaseWork, CaseWork.complaint_id == Complaint.id)
        .where(CaseWork.call_worker_reason.is_not(None))
    ).all()
    return render_template(
        "console/index.html",
        due=[r for r in rows if r.clocks.due_today(today)],
        overdue=[r for r in rows if r.clocks.overdue(today)],
        handoffs=handoffs,
        to_call=to_call,
        today=today,
        form=ButtonForm(),
    )
