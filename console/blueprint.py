"""The console blueprint, shared by the view modules that add routes to it, and CSRF."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, render_template, request
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.wrappers import Response

from cases import statuses
from cases.deadlines import CHINA
from console.auth import enforce_idle_timeout
from console.masking import mask, mask_text

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


@bp.before_request
def _idle() -> Response | None:
    # A session left alone longer than CONSOLE_IDLE_MINUTES ends, on every console page.
    return enforce_idle_timeout()


# The console's pages for its own errors only: /metrics, /wechat and /api/ answer theirs.
@bp.errorhandler(CSRFError)
def _csrf_error(_exc: CSRFError) -> tuple[str, int]:
    return render_template("console/error.html", message="页面已过期，请返回刷新后重试。"), 400


@bp.errorhandler(403)
def _forbidden(_exc: Exception) -> tuple[str, int]:
    return render_template("console/error.html", message="您的账号无权查看此页面。"), 403


@bp.app_template_global()
def status_name(status: str) -> str:
    """The Chinese name of a complaint status."""
    return statuses.status_name(status)


@bp.context_processor
def _helpers() -> dict[str, object]:
    # Every console page may show statuses and masked numbers. Free text goes through
    # shown(), which masks phone and ID numbers unless a view passes an audited reveal.
    return {
        "statuses": statuses.STATUS_NAMES,
        "mask": mask,
        "shown": mask_text,
        "revealed_text": False,
    }


def unmasked(text: str | None) -> str:
    """``shown`` after an audited reveal: free text as it was written."""
    return text or ""


@bp.app_template_filter("cst")
def china_time(moment: datetime | None) -> str:
    """A timestamp as staff read it: China time, to the minute."""
    return "" if moment is None else moment.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")
