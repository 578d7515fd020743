"""Sites: facts, scan counts and posters; site managers see only their own sites."""

from __future__ import annotations

import io

from flask import abort, current_app, render_template
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from cases.checkin_report import FLAG_NAMES
from console.auth import CASE_ROLES, roles_required, staff
from console.blueprint import bp
from console.views_checkins import flagged_sites
from models import ApiToken, AuditEntry, Site, StaffUser
from models.db import get_session
from sites.analytics import site_summaries
from sites.posters import poster_maker
from sites.posters.errors import PosterError

ALL_ROLES = ("admin", "hotline", "site_manager")


def visible_site_ids() -> set[int] | None:
    """The sites the current user may see; None means all of them."""
    user = staff()
    return {s.id for s in user.sites} if user.role == "site_manager" else None


@bp.get("/sites")
@roles_required(*ALL_ROLES)
def sites() -> str:
    """Every visible site with its poster facts and scan counts."""
    session = get_session()
    allowed = visible_site_ids()
    query = select(Site).order_by(Site.code)
    if allowed is not None:
        query = query.where(Site.id.in_(allowed))
    visible = session.scalars(query).all()
    codes = {s.code for s in visible}
    scans = {s["code"]: s for s in site_summaries(session) if s["code"] in codes}
    # Workers' answers about their pay are not for the employer's side (site managers).
    shown = staff().role in CASE_ROLES
    warnings = {r.code: (month, r) for month, r in flagged_sites()} if shown else {}
    return render_template(
        "console/sites.html", sites=visible, scans=scans, warnings=warnings, flag_names=FLAG_NAMES
    )


@bp.get("/sites/<code>/poster.pdf")
@roles_required(*ALL_ROLES)
def site_poster(code: str) -> Response:
    """The site's 维权信息告示牌 as a PDF, its QR chosen as ``flask sites poster`` chooses it."""
    session = get_session()
    site = session.scalar(select(Site).where(Site.code == code.upper()))
    allowed = visible_site_ids()
    if site is None or (allowed is not None and site.id not in allowed):
        abort(404)
    out = io.BytesIO()
    try:
        poster_maker(current_app, session).write(site, out, size="A4", fmt=".pdf")
    except PosterError as exc:
        return Response(str(exc), status=409, mimetype="text/plain; charset=utf-8")
    return Response(out.getvalue(), mimetype="application/pdf")


@bp.get("/audit")
@roles_required("admin")
def audit_log() -> str:
    """The newest 500 audit entries."""
    entries = get_session().scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(500))
    return render_template("console/audit.html", entries=entries.all())


@bp.get("/users")
@roles_required("admin")
def users() -> str:
    """Every staff account with its role, sites and live API tokens (changed by ``flask staff``)."""
    session = get_session()
    accounts = session.scalars(select(StaffUser).order_by(StaffUser.username)).all()
    live = dict(
        session.execute(
            select(ApiToken.staff_id, func.count(ApiToken.id))
            .where(ApiToken.revoked_at.is_(None))
            .group_by(ApiToken.staff_id)
        ).all()
    )
    return render_template("console/users.html", accounts=accounts, tokens=live)
