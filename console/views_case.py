"""The case page and what staff do on it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, send_file, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from cases.actions import actions_from
from cases.deadlines import case_clocks, china_day
from cases.statuses import STATUS_NAMES
from console import actions, audit, chat
from console.actions import ACTIONS, ActionError, ActionInput
from console.auth import CASE_ROLES, roles_required, staff
from console.blueprint import bp, unmasked
from console.forms import ActionForm, ButtonForm, TextForm
from console.masking import mask, mask_text
from console.security import inline_type
from jobs.messages import Delivery
from models import CaseNote, CaseWork, Complaint, Evidence, Message, StaffUser, utcnow
from models.chat import conversation_of
from models.db import get_session

REVEALABLE = {"contact_phone": "联系电话", "id_number": "身份证号"}
#: The reveal of every phone and ID number in the page's free text (transcript, notes, ...).
TEXTS = "texts"


def _complaint(case_no: str) -> Complaint:
    complaint = get_session().scalar(select(Complaint).where(Complaint.case_no == case_no))
    if complaint is None or complaint.status == "draft":
        abort(404)
    return complaint


@bp.get("/complaints/<case_no>")
@roles_required(*CASE_ROLES)
def case(case_no: str) -> str:
    """Every field, evidence, transcript, history, notes, clocks and the action forms."""
    return _render_case(_complaint(case_no), revealed={})


def _render_case(complaint: Complaint, revealed: dict[str, str], texts: bool = False) -> str:
    session = get_session()
    # Reading a case must not write: a case nobody worked on yet gets an unsaved blank.
    work = session.scalar(select(CaseWork).where(CaseWork.complaint_id == complaint.id))
    work = work or CaseWork(complaint_id=complaint.id, extended=False)
    form = ActionForm()
    hotline = select(StaffUser).where(StaffUser.role.in_(CASE_ROLES), StaffUser.active)
    form.assignee.choices = [SelectChoice("", "—")] + [
        SelectChoice(str(u.id), u.username)
        for u in session.scalars(hotline.order_by(StaffUser.username))
    ]
    form.action.choices = [
        SelectChoice(k, a.label) for k, a in actions_from(complaint.status).items()
    ]
    transcript = session.scalars(
        select(Message).where(Message.worker_id == complaint.worker_id).order_by(Message.id)
    ).all()
    notes = session.scalars(
        select(CaseNote).where(CaseNote.complaint_id == complaint.id).order_by(CaseNote.id)
    ).all()
    staff_names = {u.id: u.username for u in session.scalars(select(StaffUser))}
    read = chat.read_transcript(session, complaint.worker_id, staff())
    if read.moved:
        session.commit()
    return render_template(
        "console/case.html",
        c=complaint,
        work=work,
        clocks=case_clocks(complaint, work),
        today=china_day(utcnow()),
        transcript=transcript,
        read_before=read.before,
        notes=notes,
        staff_names=staff_names,
        held_by=conversation_of(session, complaint.worker_id).held_by_staff_id,
        statuses=STATUS_NAMES,
        revealed=revealed,
        revealable=REVEALABLE,
        revealed_text=texts,
        shown=unmasked if texts else mask_text,
        mask=mask,
        action_form=form,
        text_form=TextForm(),
        button=ButtonForm(),
    )


@bp.post("/complaints/<case_no>/action")
@roles_required(*CASE_ROLES)
def case_action(case_no: str) -> Response:
    """Apply a status action and tell the worker."""
    complaint, form = _complaint(case_no), ActionForm()
    form.action.choices = [SelectChoice(k, a.label) for k, a in ACTIONS.items()]
    if form.validate_on_submit():
        data = ActionInput(
            action=form.action.data,
            note=form.note.data or "",
            assignee_id=int(form.assignee.data) if (form.assignee.data or "").isdigit() else None,
            unit=form.unit.data or "",
            amount=form.amount.data or "",
            reason=form.reason.data or "",
            when=form.when.data or "",
        )
        _run(lambda: actions.apply_action(get_session(), complaint, data, staff(), utcnow()))
    else:
        flash("提交的内容不完整，请重试。", "error")
    return redirect(url_for("console.case", case_no=case_no))


def _run(step: Callable[[], object]) -> None:
    """Run one case step; commit on success, show the staff what happened."""
    session = get_session()
    try:
        result = step()
    except ActionError as exc:
        session.rollback()
        flash(str(exc), "error")
        return
    session.commit()
    if isinstance(result, Delivery):
        if result.problem:
            flash(f"已保存，但未能通知工人：{result.problem}", "warning")
        else:
            flash("已保存，正在通过微信通知工人。", "info")
    else:
        flash("已保存。", "info")


@bp.post("/complaints/<case_no>/note")
@roles_required(*CASE_ROLES)
def case_note(case_no: str) -> Response:
    """Add a note."""
    complaint, form = _complaint(case_no), TextForm()
    if form.validate_on_submit():
        _run(lambda: actions.add_note(get_session(), complaint, form.text.data, staff(), utcnow()))
    else:
        flash("备注不能为空。", "error")
    return redirect(url_for("console.case", case_no=case_no) + "#notes")


@bp.post("/complaints/<case_no>/takeover")
@roles_required(*CASE_ROLES)
def case_takeover(case_no: str) -> Response:
    """Hold the conversation: the bot stays silent."""
    complaint = _complaint(case_no)
    if ButtonForm().validate_on_submit():
        _run(lambda: actions.take_over(get_session(), complaint, staff()))
    return redirect(url_for("console.case", case_no=case_no) + "#chat")


@bp.post("/complaints/<case_no>/release")
@roles_required(*CASE_ROLES)
def case_release(case_no: str) -> Response:
    """Give the conversation back to the bot."""
    complaint = _complaint(case_no)
    if ButtonForm().validate_on_submit():
        _run(lambda: actions.release(get_session(), complaint, staff()))
    return redirect(url_for("console.case", case_no=case_no) + "#chat")


@bp.post("/complaints/<case_no>/reply")
@roles_required(*CASE_ROLES)
def case_reply(case_no: str) -> Response:
    """Send staff's reply to the worker as a customer-service message."""
    complaint, form = _complaint(case_no), TextForm()
    if form.validate_on_submit():
        _run(lambda: actions.reply(get_session(), complaint, form.text.data, staff(), utcnow()))
    else:
        flash("回复内容不能为空。", "error")
    return redirect(url_for("console.case", case_no=case_no) + "#chat")


@bp.post("/complaints/<case_no>/reveal/<field>")
@roles_required(*CASE_ROLES)
def case_reveal(case_no: str, field: str) -> str:
    """Show one masked number (or those in the page's free text) in full; log who saw it."""
    complaint = _complaint(case_no)
    if (field not in REVEALABLE and field != TEXTS) or not ButtonForm().validate_on_submit():
        abort(400)
    session = get_session()
    audit.record(session, "reveal", staff_id=staff().id, target=case_no, detail=field)
    session.commit()
    if field == TEXTS:
        return _render_case(complaint, revealed={}, texts=True)
    return _render_case(complaint, revealed={field: getattr(complaint, field) or ""})


@bp.get("/evidence/<int:evidence_id>")
@roles_required(*CASE_ROLES)
def evidence_file(evidence_id: int) -> Response:
    """An evidence file, only from the media folder and only to case staff."""
    evidence = get_session().get(Evidence, evidence_id)
    if evidence is None or not evidence.storage_path:
        abort(404)
    media = Path(current_app.config.get("MEDIA_DIR") or Path(current_app.instance_path) / "media")
    path = Path(evidence.storage_path).resolve()
    if not path.is_relative_to(media.resolve()) or not path.is_file():
        abort(404)  # a path outside the media folder is never served
    # The type came from WeChat's media API: only pictures, voice and video are shown
    # inline; anything else (HTML, SVG, ...) is a download that cannot run in our origin.
    kind = inline_type(evidence.content_type)
    response = send_file(
        path,
        mimetype=kind or "application/octet-stream",
        as_attachment=kind is None,
        download_name=path.name,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
