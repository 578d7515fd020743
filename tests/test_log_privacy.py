"""No phone number, ID number or message text in our logs, in a good conversation or a bad one."""

from __future__ import annotations

import logging

import pytest
from flask import Flask
from flask.testing import FlaskClient

from models.crypto import Keyring
from webhooks.simulator import WeChatSimulator

from .scripts import ID_NUMBER, PHONE, WITH_ID


def say(client: FlaskClient, sim: WeChatSimulator, text: str) -> int:
    push = sim.push(sim.text(text))
    return client.post("/wechat", query_string=push.args, data=push.body).status_code


def logged(caplog: pytest.LogCaptureFixture) -> str:
    """Everything the records hold: formatted lines, tracebacks, arguments and extras."""
    return caplog.text + "".join(repr(vars(record)) for record in caplog.records)


def assert_clean(text: str) -> None:
    """Neither number, whole or masked: the log handler's masking is only a safety net, and
    a masked number in a record means one of our own log calls wrote it."""
    for number in (PHONE, ID_NUMBER):
        assert number not in text
        assert "****" + number[-4:] not in text


def test_a_conversation_with_phone_and_id_number_leaves_neither_in_the_logs(
    app: Flask, client: FlaskClient, simulator: WeChatSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    # A worker typing a phone number where a site code goes (logged as an unknown code).
    assert say(client, simulator, f"工地 {PHONE}") == 200
    for line in WITH_ID:
        assert say(client, simulator, line) == 200
    text = logged(caplog)
    assert "unknown site code" in text  # the records were captured
    assert_clean(text)
    assert "老板欠我们工资" not in text and simulator.openid not in text


def test_a_database_error_logs_no_statement_values(
    app: Flask,
    client: FlaskClient,
    simulator: WeChatSimulator,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(self: Keyring, text: str) -> str:
        raise RuntimeError("encryption unavailable")

    # Storing the message fails inside the statement: its error carries the statement.
    monkeypatch.setattr(Keyring, "encrypt", broken)
    caplog.set_level(logging.DEBUG)
    assert say(client, simulator, f"我电话{PHONE}，身份证{ID_NUMBER}") == 503
    assert "encryption unavailable" in caplog.text  # the traceback was logged
    assert_clean(logged(caplog))
