"""A worker's conversation without a case: someone asked for a person before filing."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from console import audit, chat
from console.auth import CASE_ROLES, roles_required, staff
from console.blueprint import bp, unmasked
from console.forms import ButtonForm, TextForm
from console.masking import mask_text
from models import Complaint, ConversationState, Message, StaffUser, Worker, utcnow
from models.db import get_session


def _worker(worker_id: int) -> Worker:
    worker = get_session().get(Worker, worker_id)
    if worker is None:
        abort(404)
    return worker


@bp.get("/workers/<int:worker_id>")
@roles_required(*CASE_ROLES)
def worker(worker_id: int) -> str:
    """The worker's transcript and cases, with take-over, reply and release."""
    return _render_worker(_worker(worker_id), texts=False)


@bp.post("/workers/<int:worker_id>/reveal")
@roles_required(*CASE_ROLES)
def worker_reveal(worker_id: int) -> str:
    """The worker page with phone and ID numbers in full; log who saw them."""
    person = _worker(worker_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    session = get_session()
    audit.record(
        session, "reveal", staff_id=staff().id, target=f"worker:{worker_id}", detail="texts"
    )
    session.commit()
    return _render_worker(person, texts=True)


def _render_worker(person: Worker, texts: bool) -> str:
    session = get_session()
    state = session.scalar(
        select(ConversationState).where(ConversationState.worker_id == person.id)
    )
    read = chat.read_transcript(session, person.id, staff())
    if read.moved:
        session.commit()
    return render_template(
        "console/worker.html",
        read_before=read.before,
        worker=person,
        state=state,
        held_by=state.held_by_staff_id if state else None,
        cases=session.scalars(
            select(Complaint)
            .where(Complaint.worker_id == person.id, Complaint.status != "draft")
            .order_by(Complaint.id)
        ).all(),
        transcript=session.scalars(
            select(Message).where(Message.worker_id == person.id).order_by(Message.id)
        ).all(),
        staff_names={u.id: u.username for u in session.scalars(select(StaffUser))},
        button=ButtonForm(),
        text_form=TextForm(),
        revealed_text=texts,
        shown=unmasked if texts else mask_text,
    )


def _done(worker_id: int, problem: str | None = None) -> Response:
    session = get_session()
    session.commit()
    flash(f"未能送达：{problem}" if problem else "已保存。", "warning" if problem else "info")
    return redirect(url_for("console.worker", worker_id=worker_id) + "#chat")


@bp.post("/workers/<int:worker_id>/takeover")
@roles_required(*CASE_ROLES)
def worker_takeover(worker_id: int) -> Response:
    """Hold the conversation: the bot stays silent."""
    chat.take_over(get_session(), _worker(worker_id), staff(), f"worker:{worker_id}")
    return _done(worker_id)


@bp.post("/workers/<int:worker_id>/release")
@roles_required(*CASE_ROLES)
def worker_release(worker_id: int) -> Response:
    """Give the conversation back to the bot."""
    chat.release(get_session(), _worker(worker_id), staff(), f"worker:{worker_id}")
    return _done(worker_id)


@bp.post("/workers/<int:worker_id>/reply")
@roles_required(*CASE_ROLES)
def worker_reply(worker_id: int) -> Response:
    """Send staff's reply as a customer-service message."""
    form, person = TextForm(), _worker(worker_id)
    if not form.validate_on_submit():
        flash("回复内容不能为空。", "error")
        return redirect(url_for("console.worker", worker_id=worker_id) + "#chat")
    try:
        delivery = chat.reply(
            get_session(), person, form.text.data, staff(), utcnow(), target=f"worker:{worker_id}"
        )
    except chat.ChatError as exc:
        get_session().rollback()
        flash(str(exc), "error")
        return redirect(url_for("console.worker", worker_id=worker_id) + "#chat")
    return _done(worker_id, delivery.problem)
