"""The console blueprint, shared by the view modules that add routes to it, and CSRF."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, request
from flask_wtf.csrf import CSRFProtect

from bot.texts import STATUS_NAMES
from console.clocks import CHINA
from console.masking import mask

csrf = CSRFProtect()

bp = Blueprint(
    "console",
    __name__,
    url_prefix="/console",
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)


@bp.before_request
def _protect() -> None:
    # Every state-changing console request carries the CSRF token; the WeChat webhook and
    # the token API (other blueprints) do not use forms, so the check is not app-wide.
    if request.method not in ("GET", "HEAD", "OPTIONS", "TRACE"):
        csrf.protect()


@bp.app_template_global()
def status_name(status: str) -> str:
    """The Chinese name of a complaint status."""
    return STATUS_NAMES.get(status, status)


@bp.context_processor
def _helpers() -> dict[str, object]:
    # Every console page may show statuses and masked numbers.
    return {"statuses": STATUS_NAMES, "mask": mask}


@bp.app_template_filter("cst")
def china_time(moment: datetime | None) -> str:
    """A timestamp as staff read it: China time, to the minute."""
    return "" if moment is None else moment.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")
