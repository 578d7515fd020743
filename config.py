"""Configuration: defaults in code, then environment variables, then the test mapping.

Nothing here runs at import time; ``create_app`` calls :func:`load_config`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass
from ipaddress import ip_address
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from models.crypto import parse_keys


class ConfigError(RuntimeError):
    """The configuration cannot run the service (raised at start-up, not at a request)."""


def flag(raw: str) -> bool:
    """A yes/no setting as the environment writes it: 1/true/yes/on or 0/false/no/off."""
    text = raw.strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ValueError(raw)


@dataclass(frozen=True)
class Setting:
    """One knob: its default and the type its environment variable (same name) is read as."""

    name: str
    default: Any
    kind: Callable[[str], Any] = str

    @property
    def env(self) -> str:
        """The environment variable that sets it in production."""
        return self.name


#: Every knob of the app, once. Development defaults; production (``ANXIN_ENV=production``)
#: must override every secret. No ``init_app`` keeps defaults of its own.
SETTINGS: tuple[Setting, ...] = (
    Setting("ANXIN_ENV", "development"),
    Setting("SECRET_KEY", "dev-only-secret-key"),
    Setting("DATABASE_URL", None),  # None: a SQLite file in the instance folder
    # 1 when DATABASE_URL points at PgBouncer in transaction pooling (no prepared statements).
    Setting("DATABASE_PGBOUNCER", 0, int),
    # --- WeChat --------------------------------------------------------------------------
    Setting("WECHAT_TOKEN", "anxin-dev-token"),
    Setting("WECHAT_APPID", "wxanxin0000000dev"),
    Setting("WECHAT_SECRET", "anxin-dev-secret"),
    # 43 characters, as WeChat issues them; development only.
    Setting("WECHAT_ENCODING_AES_KEY", "AnxinDevelopmentKeyAnxinDevelopmentKey12345"),
    Setting("WECHAT_PREVIOUS_ENCODING_AES_KEY", None),
    Setting("WECHAT_API_BASE", "https://api.weixin.qq.com/cgi-bin/"),
    Setting("WECHAT_API_TIMEOUT", 5.0, float),
    # A push's URL timestamp must be this close to our clock (either way); its signed URL
    # is remembered this long, so it cannot be replayed with another body.
    Setting("WECHAT_TIMESTAMP_WINDOW_SECONDS", 300, int),
    # Refuse plaintext pushes when an AES key is set (WeChat console: 安全模式).
    # None: on in production, off elsewhere.
    Setting("WECHAT_REQUIRE_SAFE_MODE", None, flag),
    # --- Notices outside the 48 h window (jobs/notices.py): one template per notice kind
    # and channel, as the account's WeChat console lists it; unset: that channel is off.
    Setting("WECHAT_SUBSCRIBE_TEMPLATE_PROGRESS", None),
    Setting("WECHAT_SUBSCRIBE_TEMPLATE_DEADLINE", None),
    Setting("WECHAT_SUBSCRIBE_TEMPLATE_PAYMENT", None),
    Setting("WECHAT_TEMPLATE_PROGRESS", None),
    Setting("WECHAT_TEMPLATE_DEADLINE", None),
    Setting("WECHAT_TEMPLATE_PAYMENT", None),
    # The pay-day check-in question (jobs/checkins.py), on the same channels.
    Setting("WECHAT_SUBSCRIBE_TEMPLATE_CHECKIN", None),
    Setting("WECHAT_TEMPLATE_CHECKIN", None),
    # The one-time subscription link's template (mp/subscribemsg); unset: no link offered.
    Setting("WECHAT_ONE_TIME_TEMPLATE", None),
    # 1 on a public-service account (政务民生, as a labour bureau's is): consents from the
    # subscribe button are long-term; 0: each allows one send.
    Setting("WECHAT_SUBSCRIBE_LONG_TERM", False, flag),
    # --- NLU, Redis ----------------------------------------------------------------------
    Setting("RASA_URL", "http://127.0.0.1:5005"),
    Setting("RASA_TOKEN", None),
    Setting("RASA_TIMEOUT", 1.5, float),
    # Parses of short texts cached per process ("好的", "1"); 0 turns the cache off. A few
    # hundred stock replies and slot answers cover most repeats; an entry is a few hundred bytes.
    Setting("NLU_CACHE_SIZE", 2048, int),
    Setting("REDIS_URL", None),
    # --- The complaint dialogue: group (urgent) cases, repeat complaints, unfinished forms --
    Setting("GROUP_HEADCOUNT", 10, int),
    Setting("GROUP_AMOUNT", 100_000, int),
    Setting("SAME_CASE_DAYS", 30, int),
    Setting("RESUME_AFTER_HOURS", 2.0, float),
    Setting("FORM_EXPIRY_HOURS", 72.0, float),
    Setting("MEDIA_DIR", None),  # None: instance/media
    # --- Pay-day check-ins (cases/checkins.py): asked this many days after a site's pay day,
    # only between these China hours; a site is flagged when this many workers say 没发 or
    # 一部分 in a month, or when nobody scanned or answered for CHECKIN_QUIET_DAYS.
    Setting("CHECKIN_DELAY_DAYS", 3, int),
    Setting("CHECKIN_FROM_HOUR", 9, int),
    Setting("CHECKIN_UNTIL_HOUR", 20, int),
    Setting("CHECKIN_FLAG_WORKERS", 2, int),
    Setting("CHECKIN_QUIET_DAYS", 30, int),
    # --- The webhook ---------------------------------------------------------------------
    # WeChat gives up after 5 s; a retry waits this long for the first delivery's reply.
    Setting("DUPLICATE_WAIT_SECONDS", 3.0, float),
    # A turn not done in this time is answered "success", its reply sent later (CS message).
    Setting("REPLY_BUDGET_SECONDS", 4.0, float),
    # A delivery owns a new message this long; then a retry may take it over (process died).
    Setting("MESSAGE_LEASE_SECONDS", 12.0, float),
    # Messages per OpenID (limits' notation); more are kept but answered with a refusal.
    Setting("RATE_LIMIT", "20/minute"),
    # --- Sites and posters ---------------------------------------------------------------
    # Where workers' phones reach the landing pages (/s/<code>) printed in QR codes.
    Setting("PUBLIC_BASE_URL", "http://127.0.0.1:8000"),
    # The account's name as workers search for it (shown on the landing page).
    Setting("WECHAT_ACCOUNT_NAME", "安薪"),
    # A .ttf/.ttc file; None: the system's CJK font (sites/posters/fonts.py).
    Setting("POSTER_FONT", None),
    # WeChat's cap on permanent QR codes per account (wechat.md, section 6).
    Setting("WECHAT_PERMANENT_QR_LIMIT", 100_000, int),
    # --- Staff console -------------------------------------------------------------------
    # None: secure cookies in production and plain ones in development.
    Setting("SESSION_COOKIE_SECURE", None, flag),
    Setting("LOGIN_MAX_ATTEMPTS", 5, int),
    Setting("LOGIN_WINDOW_MINUTES", 15, int),
    # Failed logins from one address over all usernames (password spraying) in the window.
    Setting("LOGIN_ADDRESS_MAX_ATTEMPTS", 20, int),
    # A console session unused this long ends; staff log in again.
    Setting("CONSOLE_IDLE_MINUTES", 30, int),
    # Inbound messages the NLU parsed below this confidence go to the review queue.
    Setting("REVIEW_CONFIDENCE", 0.6, float),
    # --- Operations (ops/) ---------------------------------------------------------------
    Setting("LOG_FORMAT", None),  # json or text; None: json in production, text elsewhere
    Setting("LOG_LEVEL", "INFO"),
    # When set, /metrics answers only "Authorization: Bearer <METRICS_TOKEN>".
    Setting("METRICS_TOKEN", None),
    # Seconds each /readyz check (Redis, every Rasa replica) may take.
    Setting("READY_TIMEOUT", 1.0, float),
    # How many proxies (nginx) set X-Forwarded-For/-Proto in front of the app; 0: none.
    Setting("PROXY_COUNT", 0, int),
    # --- Personal data (privacy/) --------------------------------------------------------
    # Fernet keys of the personal data at rest, comma-separated: the first encrypts, all
    # decrypt (docs/data-protection.md). This one is base64 of a readable development phrase.
    Setting("DATA_KEY", "YW54aW4tZGV2ZWxvcG1lbnQtb25seS1kYXRhLWtleSE="),
    # `flask retention purge` removes the personal data of cases closed this long ago.
    Setting("RETENTION_DAYS", 365, int),
)

#: The defaults by name (tools and tests read the development values here).
DEFAULTS: dict[str, Any] = {s.name: s.default for s in SETTINGS}
#: Settings read from the environment, by variable, with the type each is read as.
ENV_SETTINGS: dict[str, Callable[[str], Any]] = {s.env: s.kind for s in SETTINGS}

#: Flask and extension settings the app fixes: security policy, not knobs, so they are not
#: read from the environment (a test mapping may still change them).
FIXED: dict[str, Any] = {
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    # The WeChat webhook and the token API take POSTs without a form: CSRF is checked
    # for the console's blueprint only (see console.blueprint).
    "WTF_CSRF_CHECK_DEFAULT": False,
    "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
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
    config = {**DEFAULTS, **FIXED}
    for setting in SETTINGS:
        raw = environ.get(setting.env)
        if raw not in (None, ""):
            config[setting.name] = _convert(setting.env, raw, setting.kind)
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
    if _is_loopback(str(config.get("WECHAT_API_BASE") or "")):
        # `make run` points the app at devtools/fake_wechat.py on this machine: a stand-in
        # that accepts any message and delivers none.
        found.append(("WECHAT_API_BASE", FAKE_WECHAT_RULE))
    key = str(config.get("SECRET_KEY") or "")
    if key and key != DEFAULTS["SECRET_KEY"] and len(key) < MIN_SECRET_KEY_LENGTH:
        # The staff's session cookies are signed with it: a short key can be guessed offline.
        found.append(("SECRET_KEY", f"{SECRET_KEY_RULE}; generate one with: {GENERATE_KEY}"))
    return found


FAKE_WECHAT_RULE = (
    "points at this machine (the development stand-in devtools/fake_wechat.py?); "
    "production talks to https://api.weixin.qq.com/cgi-bin/"
)


def _is_loopback(url: str) -> bool:
    """True for a URL on this machine: localhost, 127.x.x.x, ::1 or 0.0.0.0."""
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


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


def _convert(name: str, raw: str, kind: Callable[[str], Any]) -> Any:
    try:
        return kind(raw)
    except ValueError as exc:
        what = "1/true/yes/on or 0/false/no/off" if kind is flag else kind.__name__
        raise ConfigError(f"{name}: cannot read {raw!r} as {what}") from exc


def apply_defaults(config: MutableMapping[str, Any], names: tuple[str, ...]) -> None:
    """Fill in the table's defaults of ``names`` that ``config`` lacks.

    For an app not made by ``create_app`` (a tool, a test of one extension): the defaults
    stay in this table, not in the extension.
    """
    for name in names:
        config.setdefault(name, DEFAULTS[name])
