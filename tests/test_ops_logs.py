"""Structured logs: JSON lines with the request id, masked, on one root handler."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from flask import Flask

from app import create_app
from config import ConfigError
from tests.conftest import base_config

log = logging.getLogger("anxin.test")


def _our_handler() -> logging.StreamHandler[io.StringIO]:
    handlers = [h for h in logging.getLogger().handlers if getattr(h, "anxin", False)]
    assert len(handlers) == 1, "exactly one Anxin handler on the root logger"
    handler = handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    return handler


@pytest.fixture
def json_app(database_urls: dict[str, str]) -> Iterator[tuple[Flask, io.StringIO]]:
    """An app logging JSON into a buffer, with a route that logs personal data."""
    app = create_app({**base_config(database_urls["sqlite"]), "LOG_FORMAT": "json"})

    @app.get("/_talk")
    def talk() -> str:
        log.info("worker phone %s id %s", "13812345678", "320402199001011234")
        log.warning("token url", extra={"url": "https://x/cgi-bin/a?access_token=SECRET1"})
        return "ok"

    buffer = io.StringIO()
    _our_handler().setStream(buffer)
    yield app, buffer
    app.extensions["db"].engine.dispose()


def _records(buffer: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in buffer.getvalue().splitlines() if line.strip()]


def test_json_lines_carry_the_callers_request_id(json_app: tuple[Flask, io.StringIO]) -> None:
    app, buffer = json_app
    response = app.test_client().get("/_talk", headers={"X-Request-Id": "nginx-4f2a"})
    assert response.headers["X-Request-Id"] == "nginx-4f2a"
    records = _records(buffer)
    assert {r["logger"] for r in records} >= {"anxin.test", "anxin.request"}
    assert all(r["request_id"] == "nginx-4f2a" for r in records)
    talk = next(r for r in records if r["logger"] == "anxin.test" and r["level"] == "INFO")
    assert talk["message"] == "worker phone 138****5678 id **************1234"
    assert "time" in talk


def test_no_personal_data_or_secret_in_any_line(json_app: tuple[Flask, io.StringIO]) -> None:
    app, buffer = json_app
    app.test_client().get("/_talk")
    text = buffer.getvalue()
    for secret in ("13812345678", "320402199001011234", "SECRET1"):
        assert secret not in text
    warning = next(r for r in _records(buffer) if r["level"] == "WARNING")
    assert warning["url"] == "https://x/cgi-bin/a?access_token=***"


def test_access_line_names_the_route_not_the_path(json_app: tuple[Flask, io.StringIO]) -> None:
    app, buffer = json_app
    app.test_client().get("/s/ZL-01?openid=o_secret")
    line = next(r for r in _records(buffer) if r["logger"] == "anxin.request")
    assert line["route"] == "/s/<code>"
    assert "o_secret" not in buffer.getvalue() and "ZL-01" not in buffer.getvalue()


@pytest.mark.parametrize("given", [None, "", "has space", "x" * 65, "<script>"])
def test_a_missing_or_unsafe_id_is_replaced(
    json_app: tuple[Flask, io.StringIO], given: str | None
) -> None:
    app, buffer = json_app
    headers = {} if given is None else {"X-Request-Id": given}
    rid = app.test_client().get("/_talk", headers=headers).headers["X-Request-Id"]
    assert rid != given and len(rid) == 32 and rid.isalnum()
    assert {r["request_id"] for r in _records(buffer)} == {rid}


def test_ids_differ_between_requests(json_app: tuple[Flask, io.StringIO]) -> None:
    app, _ = json_app
    client = app.test_client()
    assert (
        client.get("/healthz").headers["X-Request-Id"]
        != client.get("/healthz").headers["X-Request-Id"]
    )


def test_traceback_is_masked(json_app: tuple[Flask, io.StringIO]) -> None:
    _, buffer = json_app
    try:
        raise ValueError("bad phone 13812345678")
    except ValueError:
        log.exception("failed")
    record = _records(buffer)[-1]
    assert "138****5678" in record["exc_info"]
    assert "13812345678" not in buffer.getvalue()


def test_outside_a_request_the_id_is_a_dash(json_app: tuple[Flask, io.StringIO]) -> None:
    _, buffer = json_app
    log.info("from a command")
    assert _records(buffer)[-1]["request_id"] == "-"


def test_text_format_in_development(tmp_path) -> None:
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 't.sqlite'}"})
    buffer = io.StringIO()
    _our_handler().setStream(buffer)
    app.test_client().get("/healthz", headers={"X-Request-Id": "r1"})
    log.warning("call 13812345678")
    assert "WARNING anxin.test [-] call 138****5678" in buffer.getvalue()
    app.extensions["db"].engine.dispose()


def test_json_is_the_production_default() -> None:
    from ops.logs import log_format

    assert log_format({"ANXIN_ENV": "production"}) == "json"
    assert log_format({"ANXIN_ENV": "development"}) == "text"
    assert log_format({"ANXIN_ENV": "production", "LOG_FORMAT": "text"}) == "text"


def test_unknown_format_is_refused(tmp_path) -> None:
    with pytest.raises(ConfigError, match="LOG_FORMAT"):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite'}", "LOG_FORMAT": "xml"})


def test_recreating_the_app_keeps_one_handler(tmp_path) -> None:
    for _ in range(3):
        app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'h.sqlite'}"})
        app.extensions["db"].engine.dispose()
    _our_handler()
