"""Logging: one handler on the root logger, JSON or text, with the request id and masking.

Every record goes through :class:`RedactFilter` (no personal data or secrets in logs) and
:class:`RequestIdFilter` (the id of the request that wrote it). The request id comes from
nginx's ``X-Request-Id`` when there is one, so a line in nginx's log and the app's match.
"""

from __future__ import annotations

import logging
import re
import sys
import uuid
from collections.abc import Callable, Iterable, Mapping
from contextvars import ContextVar
from typing import IO, Any

from flask import Flask
from pythonjsonlogger.json import JsonFormatter

from config import ConfigError
from ops.redact import redact

#: The id of the request (or job) being handled in this thread; None outside one.
request_id: ContextVar[str | None] = ContextVar("anxin_request_id", default=None)

LOG_FORMATS = ("json", "text")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
JSON_FIELDS = ("asctime", "levelname", "name", "message", "request_id")
# Accept a caller's id only if it is short and plain: it is echoed into headers and logs.
_CLEAN_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
# LogRecord's own attributes; anything else on a record came from ``extra=``.
_STANDARD_ATTRS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "request_id",
}


class RedactFilter(logging.Filter):
    """Masks phone/ID numbers, secrets and media URLs in the message, extras and traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite ``record`` in place (every handler after this one sees the masked text)."""
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # bad %-args: keep the template rather than crash
            message = str(record.msg)
        record.msg, record.args = redact(message), None
        for key, value in list(vars(record).items()):
            if key not in _STANDARD_ATTRS and isinstance(value, str):
                setattr(record, key, redact(value))
        if record.exc_info:
            # Formatters would render exc_info again, unmasked: keep only the masked text.
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` (``-`` outside a request) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Set the attribute unless the caller passed one in ``extra``."""
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get() or "-"
        return True


def make_formatter(kind: str) -> logging.Formatter:
    """The formatter for ``LOG_FORMAT`` ``kind`` (``json`` or ``text``)."""
    if kind == "json":
        return JsonFormatter(
            list(JSON_FIELDS),
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            json_ensure_ascii=False,
        )
    return logging.Formatter(TEXT_FORMAT)


def make_handler(kind: str, stream: IO[str] | None = None) -> logging.Handler:
    """A stream handler (stderr by default) with our formatter and both filters."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(make_formatter(kind))
    handler.addFilter(RequestIdFilter())
    handler.addFilter(RedactFilter())
    handler.anxin = True  # type: ignore[attr-defined]  # marks ours, to replace on re-init
    return handler


def log_format(config: Mapping[str, Any]) -> str:
    """``LOG_FORMAT``, defaulting to json in production and text elsewhere."""
    kind = config.get("LOG_FORMAT") or (
        "json" if config.get("ANXIN_ENV") == "production" else "text"
    )
    if kind not in LOG_FORMATS:
        raise ConfigError(f"LOG_FORMAT: must be one of {', '.join(LOG_FORMATS)}, not {kind!r}")
    return str(kind)


def init_app(app: Flask) -> None:
    """Install our handler on the root logger (replacing a previous app's) and request ids."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "anxin", False)]:
        root.removeHandler(old)
    root.addHandler(make_handler(log_format(app.config)))
    root.setLevel(str(app.config.get("LOG_LEVEL") or "INFO").upper())
    app.wsgi_app = RequestIdMiddleware(app.wsgi_app)  # type: ignore[method-assign]


def clean_request_id(value: str | None) -> str:
    """The caller's id when it is plain and short, else a new random one."""
    if value and _CLEAN_ID.fullmatch(value):
        return value
    return uuid.uuid4().hex


WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class RequestIdMiddleware:
    """Binds the request id around the whole request and echoes it in ``X-Request-Id``.

    WSGI middleware rather than a ``before_request`` hook, so that records written by other
    hooks, error handlers and teardown carry the id too.
    """

    def __init__(self, wsgi_app: WSGIApp) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        """Run the request with ``request_id`` set; add the header to the response."""
        rid = clean_request_id(environ.get("HTTP_X_REQUEST_ID"))
        environ["anxin.request_id"] = rid

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            headers = [(k, v) for k, v in headers if k.lower() != "x-request-id"]
            headers.append(("X-Request-Id", rid))
            return start_response(status, headers, exc_info)

        token = request_id.set(rid)
        try:
            return self.wsgi_app(environ, start)
        finally:
            request_id.reset(token)
