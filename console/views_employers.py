"""Employers (一企一策): one page per employer with its cases across every channel, its
sites and amounts, the blacklist mark, and merging two names of one employer by hand."""

from __future__ import annotations

from decimal import Decimal

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from cases import employers
from cases.channels import CHANNELS, channel_name
from cases.statuses import FILED
from console import audit
from console.auth import CASE_ROLES, roles_required, staff
from console.blueprint import bp
from console.forms import ButtonForm
from models import Complaint
from models.db import get_session
from models.employer import Employer


@bp.get("/employers")
@roles_required(*CASE_ROLES)
def employers_list() -> str:
    """Every employer with filed cases, most cases first; ``q`` filters by name."""
    session = get_session()
    rows = employers.summaries(session)
    session.commit()  # the bot's cases linked on the way
    query = request.args.get("q", "").strip()
    if query:
        key = employers.employer_key(query) or query
        rows = [r for r in rows if query in r.employer.name or key in r.employer.key]
    return render_template("console/employers.html", rows=rows, q=query)


def _employer(employer_id: int) -> Employer:
    employer = get_session().get(Employer, employer_id)
    if employer is None:
        abort(404)
    return employer


@bp.get("/employers/<int:employer_id>")
@roles_required(*CASE_ROLES)
def employer(employer_id: int) -> str | Response:
    """One employer: its cases across channels, sites, amounts, names and blacklist mark."""
    session = get_session()
    employers.link_unlinked(session)
    session.commit()
    record = _employer(employer_id)
    if record.merged_into_id is not None:  # an old name: show the employer it is now
        return redirect(
            url_for("console.employer", employer_id=employers.resolve(session, record).id)
        )
    ids = employers.merged_ids(session, record)
    cases = session.scalars(
        select(Complaint)
        .where(Complaint.employer_id.in_(ids), Complaint.status.in_(FILED))
        .options(selectinload(Complaint.site), selectinload(Complaint.sources))
        .order_by(Complaint.submitted_at.desc(), Complaint.id.desc())
    ).all()
    names = session.scalars(select(Employer).where(Employer.id.in_(ids))).all()
    others = [s.employer for s in employers.summaries(session) if s.employer.id not in ids]
    return render_template(
        "console/employer.html",
        e=record,
        cases=cases,
        names=[n for n in names if n.id != record.id],
        sites=sorted({c.site.name if c.site else c.project_name for c in cases} - {None}),
        owed=sum((c.amount_owed or Decimal(0) for c in cases), Decimal(0)),
        recovered=sum((c.amount_recovered or Decimal(0) for c in cases), Decimal(0)),
        channels=_channels(cases),
        channel_name=channel_name,
        others=others,
        form=ButtonForm(),
    )


def _channels(cases: list[Complaint]) -> list[str]:
    """The names of the channels the cases came by (linked reports too), in table order."""
    codes = {c.channel for c in cases} | {s.channel for c in cases for s in c.sources}
    return [channel_name(code) for code in CHANNELS if code in codes]


@bp.post("/employers/<int:employer_id>/merge")
@roles_required(*CASE_ROLES)
def employer_merge(employer_id: int) -> Response:
    """Merge another name (``other``) into this employer: its cases move here."""
    session = get_session()
    target = _employer(employer_id)
    try:
        source = _employer(int(request.form.get("other", "")))
    except ValueError:
        abort(400)
    try:
        moved = employers.merge(session, source, target)
    except ValueError as exc:
        flash(str(exc), "error")
        return redirect(url_for("console.employer", employer_id=employer_id))
    audit.record(
        session,
        "employer_merge",
        staff_id=staff().id,
        target=f"employer:{target.id}",
        detail=f"{source.name} → {target.name}",
    )
    session.commit()
    flash(f"已将“{source.name}”并入，{moved}件案件归到本单位")
    return redirect(url_for("console.employer", employer_id=target.id))


@bp.post("/employers/<int:employer_id>/blacklist")
@roles_required(*CASE_ROLES)
def employer_blacklist(employer_id: int) -> Response:
    """Mark or unmark the employer as on the blacklist (失信联合惩戒名单)."""
    session = get_session()
    record = _employer(employer_id)
    record.blacklisted = request.form.get("blacklisted") == "1"
    record.blacklist_note = (request.form.get("note") or "").strip()[:300] or None
    audit.record(
        session,
        "employer_blacklist",
        staff_id=staff().id,
        target=f"employer:{record.id}",
        detail="列入" if record.blacklisted else "移出",
    )
    session.commit()
    flash("已列入黑名单" if record.blacklisted else "已移出黑名单")
    return redirect(url_for("console.employer", employer_id=record.id))
