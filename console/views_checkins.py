"""The pay-day panel (工资发放回访): per site and month, who is asked and what they said.

Hotline and bureau staff only: the answers are the workers' word about their employer, and
site managers are the employer's side (they never see complaints, nor these).
"""

from __future__ import annotations

from datetime import date

from flask import abort, current_app, render_template, request

from cases.checkin_report import FLAG_NAMES, SiteMonth, flagged, policy_from_config, report
from cases.checkins import month_key
from cases.deadlines import china_day
from console.auth import CASE_ROLES, roles_required
from console.blueprint import bp
from models import utcnow
from models.db import get_session


@bp.get("/checkins")
@roles_required(*CASE_ROLES)
def checkins() -> str:
    """Every active site's check-ins of a month (``?month=YYYY-MM``, default this one)."""
    today = china_day(utcnow())
    month = request.args.get("month") or month_key(today)
    try:
        first = date.fromisoformat(f"{month}-01")
    except ValueError:
        abort(400)
    previous = month_key(date.fromordinal(first.toordinal() - 1))
    nxt = month_key(date.fromordinal(first.toordinal() + 31))
    rows = report(get_session(), month, today, policy_from_config(current_app.config))
    return render_template(
        "console/checkins.html",
        rows=rows,
        month=month,
        previous=previous,
        next=nxt if nxt <= month_key(today) else None,
        flag_names=FLAG_NAMES,
    )


def flagged_sites() -> list[tuple[str, SiteMonth]]:
    """The sites flagged this month or last (the front page's and site list's warning)."""
    today = china_day(utcnow())
    return flagged(get_session(), today, policy_from_config(current_app.config))
