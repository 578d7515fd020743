"""Configuration: defaults in code, then environment variables, then the test mapping.

Nothing here runs at import time; ``create_app`` calls :func:`load_config`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from models.crypto import parse_keys


class ConfigError(RuntimeError):
    """The configuration cannot run the service (raised at start-up, not at a request)."""


#: Development defaults. Production (``ANXIN_ENV=production``) must override every secret.
DEFAULTS: dict[str, Any] = {
    "ANXIN_ENV": "development",
    "SECRET_KEY": "dev-only-secret-key",
    "DATABASE_URL": None,  # None: a SQLite file in the instance folder
    "WECHAT_TOKEN": "anxin-dev-token",
    "WECHAT_APPID": "wxanxin0000000dev",
    "WECHAT_SECRET": "anxin-dev-secret",
    # 43 characters, as WeChat issues them; development only.
    "WECHAT_ENCODING_AES_KEY": "AnxinDevelopmentKeyAnxinDevelopmentKey12345",
    "WECHAT_PREVIOUS_ENCODING_AES_KEY": None,
    "WECHAT_API_BASE": "https://api.weixin.qq.com/cgi-bin/",
    "WECHAT_API_TIMEOUT": 5.0,
    "RASA_URL": "http://127.0.0.1:5005",
    "RASA_TOKEN": None,
    "RASA_TIMEOUT": 1.5,
    # Parses of short texts cached per process ("好的", "1"); 0 turns the cache off.
    "NLU_CACHE_SIZE": 2048,
    "REDIS_URL": None,
    # Where workers' phones reach the landing pages (/s/<code>) printed in QR codes.
    "PUBLIC_BASE_URL": "http://127.0.0.1:8000",
    # The complaint dialogue: group (urgent) cases, repeat complaints, unfinished forms.
    "GROUP_HEADCOUNT": 10,
    "GROUP_AMOUNT": 100_000,
    "SAME_CASE_DAYS": 30,
    "RESUME_AFTER_HOURS": 2.0,
    "FORM_EXPIRY_HOURS": 72.0,
    "MEDIA_DIR": None,  # None: instance/media
    # WeChat gives up after 5 s; a retry waits this long for the first delivery's reply.
    "DUPLICATE_WAIT_SECONDS": 3.0,
    # A turn not done in this time is answered "success", its reply sent later (CS message).
    "REPLY_BUDGET_SECONDS": 4.0,
    # A delivery owns a new message this long; then a retry may take it over (process died).
    "MESSAGE_LEASE_SECONDS": 12.0,
    # Messages per OpenID (limits' notation); more are kept but answered with a refusal.
    "RATE_LIMIT": "20/minute",
    # A push's URL timestamp must be this close to our clock (either way); its signed URL
    # is remembered this long, so it cannot be replayed with another body.
    "WECHAT_TIMESTAMP_WINDOW_SECONDS": 300,
    # Refuse plaintext pushes when an AES key is set (WeChat console: 安全模式).
    # None: on in production, off elsewhere.
    "WECHAT_REQUIRE_SAFE_MODE": None,
    # Staff console: None means secure cookies in production and plain ones in development.
    "SESSION_COOKIE_SECURE": None,
    "LOGIN_MAX_ATTEMPTS": 5,
    "LOGIN_WINDOW_MINUTES": 15,
    # Failed logins from one address over all usernames (password spraying) in the window.
    "LOGIN_ADDRESS_MAX_ATTEMPTS": 20,
    # A console session unused this long ends; staff log in again.
    "CONSOLE_IDLE_MINUTES": 30,
    # Inbound messages the NLU parsed below this confidence go to the review queue.
    "REVIEW_CONFIDENCE": 0.6,
    # Operations (ops/): LOG_FORMAT json or text (None: json in production, text elsewhere).
    "LOG_FORMAT": None,
    "LOG_LEVEL": "INFO",
    # When set, /metrics answers only "Authorization: Bearer <METRICS_TOKEN>".
    "METRICS_TOKEN": None,
    # Seconds each /readyz check (Redis, every Rasa replica) may take.
    "READY_TIMEOUT": 1.0,
    # How many proxies (nginx) set X-Forwarded-For/-Proto in front of the app; 0: none.
    "PROXY_COUNT": 0,
    # 1 when DATABASE_URL points at PgBouncer in transaction pooling (no prepared statements).
    "DATABASE_PGBOUNCER": 0,
    # Fernet keys of the personal data at rest, comma-separated: the first encrypts, all
    # decrypt (docs/data-protection.md). This one is base64 of a readable development phrase.
    "DATA_KEY": "YW54aW4tZGV2ZWxvcG1lbnQtb25seS1kYXRhLWtleSE=",
    # `flask retention purge` removes the personal data of cases closed this long ago.
    "RETENTION_DAYS": 365,
}

#: Settings read from the environment, with the type each is converted to.
ENV_SETTINGS: dict[str, type] = {
    "ANXIN_ENV": str,
    "SECRET_KEY": str,
    "DATABASE_URL": str,
    "WECHAT_TOKEN": str,
    "WECHAT_APPID": str,
    "WECHAT_SECRET": str,
    "WECHAT_ENCODING_AES_KEY": str,
    "WECHAT_PREVIOUS_ENCODING_AES_KEY": str,
    "WECHAT_API_BASE": str,
    "WECHAT_API_TIMEOUT": float,
    "RASA_URL": str,
    "RASA_TOKEN": str,
    "RASA_TIMEOUT": float,
    "NLU_CACHE_SIZE": int,
    "REDIS_URL": str,
    "PUBLIC_BASE_URL": str,
    "DUPLICATE_WAIT_SECONDS": float,
    "REPLY_BUDGET_SECONDS": float,
    "MESSAGE_LEASE_SECONDS": float,
    "RATE_LIMIT": str,
    "WECHAT_TIMESTAMP_WINDOW_SECONDS": int,
    "WECHAT_REQUIRE_SAFE_MODE": str,  # "1"/"true" or "0"/"false"; read by webhooks.init_app
    "GROUP_HEADCOUNT": int,
    "GROUP_AMOUNT": int,
    "SAME_CASE_DAYS": int,
    "RESUME_AFTER_HOURS": float,
    "FORM_EXPIRY_HOURS": float,
    "MEDIA_DIR": str,
    "SESSION_COOKIE_SECURE": str,  # "1"/"true" or "0"/"false"; read by console.init_app
    "LOGIN_MAX_ATTEMPTS": int,
    "LOGIN_WINDOW_MINUTES": int,
    "LOGIN_ADDRESS_MAX_ATTEMPTS": int,
    "CONSOLE_IDLE_MINUTES": int,
    "REVIEW_CONFIDENCE": float,
    "LOG_FORMAT": str,
    "LOG_LEVEL": str,
    "METRICS_TOKEN": str,
    "READY_TIMEOUT": float,
    "PROXY_COUNT": int,
    "DATABASE_PGBOUNCER": int,
    "DATA_KEY": str,
    "RETENTION_DAYS": int,
}

#: The environments there are, compared lower-case; anything else is refused at start-up.
ENVIRONMENTS = ("development", "production")
#: Production's SECRET_KEY signs the staff's session cookies: a short one can be guessed.
MIN_SECRET_KEY_LENGTH = 32
SECRET_KEY_RULE = f"must be at least {MIN_SECRET_KEY_LENGTH} characters in production"
GENERATE_KEY = "python -c 'import secrets; print(secrets.token_urlsafe(48))'"

#: Secrets that must be set explicitly (not left at the development default) in production.
PRODUCTION_SECRETS = (
    "SECRET_KEY",
    "WECHAT_TOKEN",
    "WECHAT_APPID",
    "WECHAT_SECRET",
    "WECHAT_ENCODING_AES_KEY",
    "DATA_KEY",
)


def load_config(
    instance_path: str,
    test_config: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Merge defaults, environment and ``test_config`` into one validated mapping."""
    environ = os.environ if environ is None else environ
    config = dict(DEFAULTS)
    for name, kind in ENV_SETTINGS.items():
        raw = environ.get(name)
        if raw not in (None, ""):
            config[name] = _convert(name, raw, kind)
    if test_config:
        config.update(test_config)
    if not config["DATABASE_URL"]:
        config["DATABASE_URL"] = "sqlite:///" + str(Path(instance_path) / "anxin.sqlite")
    config["DATABASE_URL"] = normalise_database_url(config["DATABASE_URL"])
    # "Production" must not fall back to development behaviour: compare one spelling only.
    config["ANXIN_ENV"] = str(config["ANXIN_ENV"] or "").strip().lower()
    validate(config)
    return config


def normalise_database_url(url: str) -> str:
    """Accept Heroku-style ``postgres://`` and plain ``postgresql://`` URLs; use psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def validate(config: Mapping[str, Any]) -> None:
    """Raise :class:`ConfigError` naming every setting that cannot work."""
    problems = [f"{key}: {why}" for key, why in _problems(config)]
    if problems:
        raise ConfigError("invalid configuration:\n  " + "\n  ".join(problems))


def _problems(config: Mapping[str, Any]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if config["ANXIN_ENV"] not in ENVIRONMENTS:
        names = " or ".join(ENVIRONMENTS)
        found.append(("ANXIN_ENV", f"unknown environment {config['ANXIN_ENV']!r}; use {names}"))
    if config["ANXIN_ENV"] == "production":
        found += _production_problems(config)
    for key in ("WECHAT_ENCODING_AES_KEY", "WECHAT_PREVIOUS_ENCODING_AES_KEY"):
        value = config.get(key)
        if value and len(value) != 43:
            found.append((key, "must be the 43-character EncodingAESKey from WeChat"))
    found += [("DATA_KEY", why) for why in _data_key_problems(config)]
    return found


def _production_problems(config: Mapping[str, Any]) -> list[tuple[str, str]]:
    found = [
        (key, "must be set in production")
        for key in PRODUCTION_SECRETS
        if not config.get(key) or config[key] == DEFAULTS[key]
    ]
    key = str(config.get("SECRET_KEY") or "")
    if key and key != DEFAULTS["SECRET_KEY"] and len(key) < MIN_SECRET_KEY_LENGTH:
        # The staff's session cookies are signed with it: a short key can be guessed offline.
        found.append(("SECRET_KEY", f"{SECRET_KEY_RULE}; generate one with: {GENERATE_KEY}"))
    return found


GENERATE_DATA_KEY = (
    "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
)


def _data_key_problems(config: Mapping[str, Any]) -> list[str]:
    value = config.get("DATA_KEY") or ""
    try:
        keys = parse_keys(value)
    except ValueError as exc:
        return [f"{exc}; generate a key with: {GENERATE_DATA_KEY}"]
    in_production = config["ANXIN_ENV"] == "production"
    if in_production and value != DEFAULTS["DATA_KEY"] and DEFAULTS["DATA_KEY"].encode() in keys:
        # Not even as an old key: it is published in the source, so data under it is open.
        return ["the development key must not be used in production, not even as an old key"]
    return []


def _convert(name: str, raw: str, kind: type) -> Any:
    try:
        return kind(raw)
    except ValueError as exc:
        raise ConfigError(f"{name}: cannot read {raw!r} as {kind.__name__}") from exc
