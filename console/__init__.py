"""The staff side: the web console, its JSON API and the staff/complaint commands."""

from __future__ import annotations

from typing import Any

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError

from console import cli

#: Console settings and their defaults (config.DEFAULTS may override them).
SETTINGS: dict[str, Any] = {
    "LOGIN_MAX_ATTEMPTS": 5,
    "LOGIN_ADDRESS_MAX_ATTEMPTS": 20,
    "LOGIN_WINDOW_MINUTES": 15,
    "CONSOLE_IDLE_MINUTES": 30,
    "REVIEW_CONFIDENCE": 0.6,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    # The WeChat webhook and the token API take POSTs without a form: CSRF is checked
    # for the console's blueprint only (see console.blueprint).
    "WTF_CSRF_CHECK_DEFAULT": False,
    "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
}


def init_app(app: Flask) -> None:
    """Register the console blueprint, the API, Flask-Login, CSRF and the commands."""
    # Routes are added to the blueprint by importing their modules.
    from console import (
        review,
        views_auth,
        views_case,
        views_insight,
        views_queue,
        views_sites,
        views_workers,
    )
    from console.api import api
    from console.auth import login_manager
    from console.blueprint import bp, csrf
    from console.security import add_security_headers
    from console.staff_cli import staff_cli

    del review, views_auth, views_case, views_insight, views_queue, views_sites, views_workers
    for key, value in SETTINGS.items():
        if app.config.get(key) is None:
            app.config[key] = value
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
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(403, _forbidden)
    cli.init_app(app)
    app.cli.add_command(staff_cli)


def _csrf_error(exc: CSRFError) -> tuple[str, int]:
    return render_template("console/error.html", message="页面已过期，请返回刷新后重试。"), 400


def _forbidden(_exc: Exception) -> tuple[str, int]:
    return render_template("console/error.html", message="您的账号无权查看此页面。"), 403
