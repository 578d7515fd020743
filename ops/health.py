"""Liveness (``/healthz``) and readiness (``/readyz``) for compose, nginx and monitoring.

``/healthz`` only says the process answers. ``/readyz`` checks what a request needs: the
database, Redis (when configured) and every Rasa replica, each with a short timeout and all
at once, so a dead dependency costs one timeout, not one per check. Its answer names the
checks (``rasa 2`` is the second replica of ``RASA_URL``) and the failure's exception type,
never a URL, host or message.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import redis
import requests
from flask import Blueprint, Flask, current_app
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

bp = Blueprint("ops_health", __name__)

Check = Callable[[], None]


class NotReady(Exception):
    """A dependency answered, but not as a ready one does."""


@bp.get("/healthz")
def healthz() -> dict[str, str]:
    """Liveness: the process answers."""
    return {"status": "ok"}


@bp.get("/readyz")
def readyz() -> tuple[dict[str, object], int]:
    """Readiness: 200 when every dependency answers, else 503 naming the ones that do not."""
    results = run_checks(readiness_checks(current_app))
    down = sorted(name for name, error in results.items() if error)
    body = {
        "status": "down" if down else "ok",
        "checks": {name: error or "ok" for name, error in results.items()},
        "down": down,
    }
    return body, 503 if down else 200


def readiness_checks(app: Flask) -> dict[str, Check]:
    """The checks for this app's configuration, by the name reported when one fails."""
    # Values are read here, in the request: the checks run in threads without app context.
    timeout = float(app.config["READY_TIMEOUT"])
    engine = app.extensions["db"].engine
    checks: dict[str, Check] = {"database": lambda: check_database(engine)}
    redis_url = app.config.get("REDIS_URL")
    if redis_url:
        checks["redis"] = lambda: check_redis(redis_url, timeout)
    token = app.config.get("RASA_TOKEN")
    # Replicas are named by their place in RASA_URL: /readyz answers anyone, and a URL
    # would show the internal topology, or credentials written into it.
    for number, url in enumerate(rasa_urls(app.config.get("RASA_URL") or ""), start=1):
        checks[f"rasa {number}"] = lambda url=url: check_rasa(url, timeout, token)
    return checks


def run_checks(checks: dict[str, Check]) -> dict[str, str | None]:
    """Run the checks concurrently; each maps to None (up) or a short reason (down)."""
    if not checks:
        return {}
    with ThreadPoolExecutor(max_workers=len(checks)) as pool:
        futures = {name: pool.submit(_outcome, check) for name, check in checks.items()}
        return {name: future.result() for name, future in futures.items()}


#: What a dependency that is down raises (anything else is a bug and should be seen as one).
DOWN = (SQLAlchemyError, redis.RedisError, requests.RequestException, OSError, NotReady)


def _outcome(check: Check) -> str | None:
    try:
        check()
    except DOWN as exc:
        # The exception's type only: messages can carry URLs with credentials.
        return type(exc).__name__
    return None


def check_database(engine: Engine) -> None:
    """``SELECT 1`` on a pooled connection."""
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))


def check_redis(url: str, timeout: float) -> None:
    """PING on a fresh connection (the app's clients keep their own pools)."""
    client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
    try:
        client.ping()
    finally:
        client.close()


def check_rasa(url: str, timeout: float, token: str | None = None) -> None:
    """Rasa's ``GET /status`` names the loaded model; a replica without one cannot parse."""
    params = {"token": token} if token else None
    response = requests.get(url + "/status", params=params, timeout=timeout)
    response.raise_for_status()
    body = response.json()
    if not isinstance(body, dict) or not body.get("model_file"):
        raise NotReady("no model loaded")


def rasa_urls(setting: str) -> list[str]:
    """The replicas listed in ``RASA_URL`` (comma-separated), as the NLU client reads them."""
    return [part.strip().rstrip("/") for part in setting.split(",") if part.strip()]


def init_app(app: Flask) -> None:
    """Register ``/healthz`` and ``/readyz``."""
    app.register_blueprint(bp)
