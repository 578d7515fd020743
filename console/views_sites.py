"""Sites: facts, scan counts and posters; site managers see only their own sites."""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask import abort, current_app, render_template
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from console.auth import roles_required, staff
from console.blueprint import bp
from models import ApiToken, AuditEntry, Site, StaffUser, utcnow
from models.db import get_session
from qr.analytics import china_date, site_summaries
from qr.codes import qr_text
from qr.errors import PosterError
from qr.fonts import find_font
from qr.poster import poster_page, require_facts, write_poster

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
    return render_template("console/sites.html", sites=visible, scans=scans)


@bp.get("/sites/<code>/poster.pdf")
@roles_required(*ALL_ROLES)
def site_poster(code: str) -> Response:
    """The site's 维权信息告示牌 as a PDF (the landing-page link outside production)."""
    session = get_session()
    site = session.scalar(select(Site).where(Site.code == code.upper()))
    allowed = visible_site_ids()
    if site is None or (allowed is not None and site.id not in allowed):
        abort(404)
    try:
        require_facts(site)
        font = find_font(current_app.config.get("POSTER_FONT"))
        text = qr_text(session, site, public_base_url=current_app.config["PUBLIC_BASE_URL"])
        page = poster_page(site, text, china_date(utcnow()), font)
        out = Path(tempfile.mkdtemp()) / f"{site.code}.pdf"
        write_poster(page, font, out, size="A4", title=f"维权信息告示牌 {site.name}")
    except PosterError as exc:
        return Response(str(exc), status=409, mimetype="text/plain; charset=utf-8")
    data = out.read_bytes()
    out.unlink()
    out.parent.rmdir()
    return Response(data, mimetype="application/pdf")


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
