"""The staff side: the web console, its JSON API and the staff/complaint commands."""

from __future__ import annotations

from flask import Flask

from console import cli, collective_cli


def init_app(app: Flask) -> None:
    """Register the console blueprint, the API, Flask-Login, CSRF and the commands."""
    # Routes are added to the blueprint by importing their modules.
    from console import (
        channel_figures,
        outcome_figures,
        review,
        views_auth,
        views_case,
        views_checkins,
        views_collective,
        views_employers,
        views_insight,
        views_intake,
        views_queue,
        views_sites,
        views_workers,
    )
    from console.api import api
    from console.auth import login_manager
    from console.blueprint import bp, csrf
    from console.security import add_security_headers

    del review, views_auth, views_case, views_insight, views_queue, views_sites, views_workers
    del channel_figures, views_employers, views_intake
    del views_collective, views_checkins  # issue 19: collective cases, pay-day check-ins
    del outcome_figures  # issue 17: confirmed recovery and satisfaction on the dashboard
    # Settings and their defaults: config.SETTINGS (cookie and CSRF policy: config.FIXED).
    # Cookies go over HTTPS only in production unless a setting says otherwise.
    secure = app.config.get("SESSION_COOKIE_SECURE")
    if secure is None:
        secure = app.config.get("ANXIN_ENV") == "production"
    elif isinstance(secure, str):
        secure = secure.strip().lower() in ("1", "true", "yes", "on")
    app.config["SESSION_COOKIE_SECURE"] = app.config["REMEMBER_COOKIE_SECURE"] = bool(secure)
    login_manager.init_app(app)
    csrf.init_app(app)
    app.register_blueprint(bp)
    app.register_blueprint(api)
    # App-wide, so that a 404 under /console/ or /api/ (no blueprint matched) has them too.
    app.after_request(add_security_headers)
    cli.init_app(app)
    collective_cli.init_app(app)
