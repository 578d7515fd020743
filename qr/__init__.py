"""Site registry, per-site QR codes, printable posters and scan analytics.

For the bot (no Flask needed): :func:`qr.scans.record_scan`,
:func:`qr.scans.parse_site_command`, :func:`qr.sites.find_active_site`,
:func:`qr.sites.site_facts`, re-exported here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qr.scans import parse_site_command, record_scan
from qr.sites import find_active_site, site_facts

if TYPE_CHECKING:
    from flask import Flask

__all__ = ["find_active_site", "init_app", "parse_site_command", "record_scan", "site_facts"]


def init_app(app: Flask) -> None:
    """Register the ``sites`` and ``qr`` commands and the landing page ``/s/<code>``."""
    # Imported here, not at the top: bot/ imports qr.scans and must not pull in Flask.
    from qr.cli_posters import qr_cli
    from qr.cli_sites import sites_cli
    from qr.codes import PERMANENT_QR_LIMIT
    from qr.views import bp

    app.config.setdefault("PUBLIC_BASE_URL", "http://127.0.0.1:8000")
    app.config.setdefault("WECHAT_ACCOUNT_NAME", "安薪")  # the name workers search for
    app.config.setdefault("POSTER_FONT", None)  # a .ttf/.ttc path; None: the system's CJK font
    app.config.setdefault("WECHAT_PERMANENT_QR_LIMIT", PERMANENT_QR_LIMIT)
    app.register_blueprint(bp)
    app.cli.add_command(sites_cli)
    app.cli.add_command(qr_cli)
