"""The dashboard and the NLU review queue."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from console import audit, words
from console.auth import CASE_ROLES, roles_required, staff
from console.blueprint import bp, unmasked
from console.dashboard import bar_chart, figures
from console.forms import ButtonForm, ReviewForm
from console.masking import mask_text
from console.review import review_queue
from models import Message, MessageReview, utcnow
from models.db import get_session


@bp.get("/dashboard")
@roles_required(*CASE_ROLES)
def dashboard() -> str:
    """Cases by status, site, employer and week; amounts; median times."""
    data = figures(get_session())
    return render_template(
        "console/dashboard.html",
        data=data,
        chart=bar_chart,
        repeat_employers={name for name, n in data.by_employer if n > 1},
    )


@bp.get("/review")
@roles_required(*CASE_ROLES)
def review() -> str:
    """Messages the NLU was unsure of, each with a form to pick the right intent."""
    return _render_review(texts=False)


@bp.post("/review/reveal")
@roles_required(*CASE_ROLES)
def review_reveal() -> str:
    """The review queue with phone and ID numbers in full; log who saw them."""
    if not ButtonForm().validate_on_submit():
        abort(400)
    session = get_session()
    audit.record(session, "reveal", staff_id=staff().id, target="review", detail="texts")
    session.commit()
    return _render_review(texts=True)


def _render_review(texts: bool) -> str:
    threshold = current_app.config["REVIEW_CONFIDENCE"]
    messages = review_queue(get_session(), threshold)
    return render_template(
        "console/review.html",
        messages=messages,
        form=ReviewForm(),
        threshold=threshold,
        revealed_text=texts,
        shown=unmasked if texts else mask_text,
    )


@bp.post("/review")
@roles_required(*CASE_ROLES)
def review_label() -> Response:
    """Store the intent staff picked for one message."""
    form = ReviewForm()
    session = get_session()
    if not form.validate_on_submit() or not form.message_id.data.isdecimal():
        flash("请选择意图。", "error")
        return redirect(url_for("console.review"))
    message = session.get(Message, int(form.message_id.data))
    if message is None or message.direction != "in":
        flash("没有这条消息。", "error")
        return redirect(url_for("console.review"))
    existing = session.scalar(select(MessageReview).where(MessageReview.message_id == message.id))
    if existing is None:
        existing = MessageReview(message_id=message.id, intent=form.intent.data)
        session.add(existing)
    existing.intent, existing.staff_id, existing.created_at = (
        form.intent.data,
        staff().id,
        utcnow(),
    )
    audit.record(session, "review", staff_id=staff().id, target=str(message.id))
    session.commit()
    flash(f"已标注为「{words.intent_name(form.intent.data)}」。", "info")
    return redirect(url_for("console.review"))
