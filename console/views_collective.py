"""Collective cases (群体性案件) in the console: the list, one collective case with its
members and totals, linking, unlinking and merging by hand, and one action for all members."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from cases.collective import (
    CollectiveError,
    Totals,
    collective_of,
    find,
    link_by_hand,
    members,
    totals,
    unlink,
)
from cases.collective_merge import MERGE_AUDIT, merge
from cases.columns import GroupThresholds
from cases.statuses import status_name
from console import audit
from console.actions import ACTIONS, ActionError
from console.auth import CASE_ROLES, roles_required, staff
from console.blueprint import bp
from console.collective import COLLECTIVE_ACTIONS, apply_to_members
from console.forms import ButtonForm
from models import AuditEntry, CollectiveCase, CollectiveMember, Complaint, utcnow
from models.db import get_session


def _totals(collective: CollectiveCase) -> Totals:
    return totals(get_session(), collective, GroupThresholds.from_config(current_app.config))


def _collective(no: str) -> CollectiveCase:
    found = find(get_session(), no)
    if found is None:
        abort(404)
    return found


def _case(case_no: str) -> Complaint | None:
    case_no = case_no.strip()
    found = get_session().scalar(select(Complaint).where(Complaint.case_no == case_no))
    return found if found is not None and found.status != "draft" else None


@bp.app_template_global()
def collective_of_case(complaint_id: int) -> tuple[str, bool] | None:
    """The number of the collective case a complaint belongs to and whether it is urgent
    (the case page links it), or None."""
    collective = collective_of(get_session(), complaint_id)
    return (collective.collective_no, _totals(collective).is_group) if collective else None


@bp.get("/collective")
@roles_required(*CASE_ROLES)
def collectives() -> str:
    """Every collective case with members, newest first, urgent ones marked."""
    session = get_session()
    active = select(CollectiveMember.collective_id).where(CollectiveMember.removed_at.is_(None))
    rows = [
        (k, _totals(k))
        for k in session.scalars(
            select(CollectiveCase)
            .where(CollectiveCase.id.in_(active))
            .order_by(CollectiveCase.id.desc())
        )
    ]
    return render_template("console/collectives.html", rows=rows, button=ButtonForm())


def merged_into(no: str) -> str | None:
    """The number of the collective case that ``no`` was merged into (the newest merge)."""
    entry = get_session().scalar(
        select(AuditEntry)
        .where(AuditEntry.action == MERGE_AUDIT, AuditEntry.target == no)
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )
    return entry.detail if entry else None


@bp.get("/collective/<no>")
@roles_required(*CASE_ROLES)
def collective(no: str) -> str | Response:
    """Members, total headcount and amount, the group flag and the collective actions; a
    merged collective case sends staff on to the one it was merged into."""
    found = _collective(no)
    cases = members(get_session(), found)
    into = None if cases else merged_into(no)
    if into is not None:
        flash(f"群体性案件{no}已并入{into}。", "info")
        return redirect(url_for("console.collective", no=into))
    return render_template(
        "console/collective.html",
        k=found,
        cases=cases,
        totals=_totals(found),
        actions=[(key, ACTIONS[key].label) for key in COLLECTIVE_ACTIONS],
        button=ButtonForm(),
    )


def _done(no: str) -> Response:
    return redirect(url_for("console.collective", no=no))


@bp.post("/collective/link")
@roles_required(*CASE_ROLES)
def collective_link_pair() -> Response:
    """Link two cases by hand: the second joins the first's collective case (or one is
    formed)."""
    if not ButtonForm().validate_on_submit():
        abort(400)
    session = get_session()
    first, second = _case(request.form.get("case_no", "")), _case(request.form.get("other", ""))
    if first is None or second is None:
        flash("未找到该案件编号。", "error")
        return redirect(url_for("console.collectives"))
    try:
        found = link_by_hand(
            session, collective_of(session, first.id), first, second, staff().id, utcnow()
        )
    except CollectiveError as exc:
        session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("console.collectives"))
    _audit_link(found, second)
    session.commit()
    flash(f"已将案件{second.case_no}关联到群体性案件。", "info")
    return _done(found.collective_no)


@bp.post("/collective/<no>/link")
@roles_required(*CASE_ROLES)
def collective_link(no: str) -> Response:
    """Add a case to this collective case by its case number."""
    found = _collective(no)
    if not ButtonForm().validate_on_submit():
        abort(400)
    session = get_session()
    other = _case(request.form.get("other", ""))
    present = members(session, found)
    if other is None or not present:
        flash("未找到该案件编号。", "error")
        return _done(no)
    try:
        link_by_hand(session, found, present[0], other, staff().id, utcnow())
    except CollectiveError as exc:
        session.rollback()
        flash(str(exc), "error")
        return _done(no)
    _audit_link(found, other)
    session.commit()
    flash(f"已将案件{other.case_no}关联到本群体性案件。", "info")
    return _done(no)


@bp.post("/collective/<no>/unlink/<case_no>")
@roles_required(*CASE_ROLES)
def collective_unlink(no: str, case_no: str) -> Response:
    """Take a case out of this collective case (it is not linked again automatically)."""
    found = _collective(no)
    if not ButtonForm().validate_on_submit():
        abort(400)
    session = get_session()
    complaint = _case(case_no)
    try:
        if complaint is None:
            raise CollectiveError("未找到该案件编号。")
        unlink(session, found, complaint, staff().id, utcnow())
    except CollectiveError as exc:
        session.rollback()
        flash(str(exc), "error")
        return _done(no)
    audit.record(
        session, "collective_unlink", staff_id=staff().id, target=no, detail=complaint.case_no
    )
    session.commit()
    flash(f"已将案件{case_no}移出本群体性案件。", "info")
    return _done(no)


def _audit_link(collective: CollectiveCase, complaint: Complaint) -> None:
    audit.record(
        get_session(),
        "collective_link",
        staff_id=staff().id,
        target=collective.collective_no,
        detail=complaint.case_no,
    )


@bp.post("/collective/<no>/merge")
@roles_required(*CASE_ROLES)
def collective_merge(no: str) -> Response:
    """Merge this collective case into another: its members move, its number stays empty."""
    found = _collective(no)
    if not ButtonForm().validate_on_submit():
        abort(400)
    session = get_session()
    into_no = request.form.get("into", "").strip().upper()
    into = find(session, into_no)
    try:
        if into is None:
            raise CollectiveError(f"未找到群体性案件{into_no}")
        if request.form.get("confirm") != "1":
            raise CollectiveError("请勾选确认后再合并")
        moved = merge(session, found, into, staff().id, utcnow())
    except CollectiveError as exc:
        session.rollback()
        flash(str(exc), "error")
        return _done(no)
    audit.record(session, MERGE_AUDIT, staff_id=staff().id, target=no, detail=into.collective_no)
    session.commit()
    flash(f"已将群体性案件{no}并入{into.collective_no}：{'、'.join(moved)}。", "info")
    return _done(into.collective_no)


@bp.post("/collective/<no>/action")
@roles_required(*CASE_ROLES)
def collective_action(no: str) -> Response:
    """One action (accept, mediate, resolve) for every member whose status allows it."""
    found = _collective(no)
    if not ButtonForm().validate_on_submit():
        abort(400)
    session = get_session()
    present = members(session, found)
    # Why a member may be skipped: the status it had before the action.
    before = {c.case_no: c.status for c in present}
    # Resolve: each member's own amount recovered, from its own field.
    amounts = {c.id: request.form.get(f"amount-{c.id}", "").strip() for c in present}
    try:
        outcome = apply_to_members(
            session,
            found,
            request.form.get("action", ""),
            staff(),
            utcnow(),
            note=request.form.get("note", "")[:2000],
            when=request.form.get("when", "")[:60],
            amounts=amounts,
        )
    except ActionError as exc:
        session.rollback()
        flash(str(exc), "error")
        return _done(no)
    session.commit()
    flash(f"已处理{len(outcome.applied)}件：{'、'.join(outcome.applied)}。", "info")
    if outcome.skipped:
        label = ACTIONS[request.form.get("action", "")].label
        why = "、".join(f"{n}（{status_name(before[n])}）" for n in outcome.skipped)
        flash(f"未处理（当前状态不能{label}）：{why}。", "warning")
    if outcome.not_notified:
        flash(f"已保存，但未能通知工人，请电话联系：{'、'.join(outcome.not_notified)}。", "warning")
    return _done(no)
