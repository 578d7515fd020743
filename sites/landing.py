"""The landing page a link-only QR code opens: how to follow the account and attach the site."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from models.db import get_session
from sites.registry import find_active_site, normalise_code

bp = Blueprint("sites", __name__, template_folder="templates")


@bp.get("/s/<code>")
def landing(code: str) -> tuple[str, int, dict[str, str]]:
    """A mobile page in Chinese; 404 with general advice for an unknown or inactive code."""
    site = find_active_site(get_session(), code)
    html = render_template(
        "sites/landing.html",
        site=site,
        code=normalise_code(code),
        account=current_app.config["WECHAT_ACCOUNT_NAME"],
    )
    # Short caching: a deactivated site should stop showing within minutes.
    return html, 200 if site else 404, {"Cache-Control": "public, max-age=300"}
