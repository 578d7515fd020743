"""Construction sites: the registry, CSV import, arrivals by site code and their analytics,
the landing page, and the posters (``sites.posters``, one pipeline for the CLI and console).

For the bot (no Flask needed): :func:`sites.scans.record_scan`,
:func:`sites.scans.parse_site_command`, :func:`sites.registry.find_active_site`,
:func:`sites.registry.site_facts`, re-exported here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sites.registry import find_active_site, site_facts
from sites.scans import parse_site_command, record_scan

if TYPE_CHECKING:
    from flask import Flask

__all__ = ["find_active_site", "init_app", "parse_site_command", "record_scan", "site_facts"]


def init_app(app: Flask) -> None:
    """Register ``flask sites ...`` (posters too), its alias ``flask qr ...``, and ``/s/<code>``."""
    # Imported here, not at the top: bot/ imports sites.scans and must not pull in Flask.
    from sites.cli import sites_cli
    from sites.landing import bp
    from sites.posters.cli import POSTER_COMMANDS, qr_cli

    app.register_blueprint(bp)
    # `flask sites poster(s)` is the documented name; `flask qr poster(s)` stays as an alias
    # for the scripts and notes written before the package was renamed.
    for command in POSTER_COMMANDS:
        sites_cli.add_command(command)
    app.cli.add_command(sites_cli)
    app.cli.add_command(qr_cli)
