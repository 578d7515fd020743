"""Collective cases (群体性案件) in the console: the list, one collective case with its
members and totals, linking and unlinking by hand, and one action for all members."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from cases.collective import (
    CollectiveError,
    Totals,
    collective_of,
    link_by_hand,
    members,
    totals,
    unlink,
)
from cases.columns import GroupThresholds
from console.actions import ACTIONS, ActionError
from console.auth import CASE_ROLES, roles_required, staff
from console.blueprint import bp
from console.collective import COLLECTIVE_ACTIONS, apply_to_members
from console.forms import ButtonForm
from models import CollectiveCase, CollectiveMember, Complaint, utcnow
from models.db import get_session


def _totals(collective: CollectiveCase) -> Totals:
    return totals(get_session(), collective, GroupThresholds.from_config(current_app.config))


def _collective(no: str) -> CollectiveCase:
    found = get_session().scalar(select(CollectiveCase).where(CollectiveCase.collective_no == no))
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


@bp.get("/collective/<no>")
@roles_required(*CASE_ROLES)
def collective(no: str) -> str:
    """Members, total headcount and amount, the group flag and the collective actions."""
    found = _collective(no)
    return render_template(
        "console/collective.html",
        k=found,
        cases=members(get_session(), found),
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
    session.commit()
    flash(f"已将案件{case_no}移出本群体性案件。", "info")
    return _done(no)


@bp.post("/collective/<no>/action")
@roles_required(*CASE_ROLES)
def collective_action(no: str) -> Response:
    """One action (accept, mediate, resolve) for every member whose status allows it."""
    found = _collective(no)
    if not ButtonForm().validate_on_submit():
        abort(400)
    session = get_session()
    # Resolve: each member's own amount recovered, from its own field.
    amounts = {
        c.id: request.form.get(f"amount-{c.id}", "").strip() for c in members(session, found)
    }
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
        flash(f"状态不符、未处理：{'、'.join(outcome.skipped)}。", "warning")
    if outcome.not_notified:
        flash(f"已保存，但未能通知工人，请电话联系：{'、'.join(outcome.not_notified)}。", "warning")
    return _done(no)

