"""The token-authenticated JSON API and the token commands."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from models import ApiToken
from models.db import get_session
from tests.console_fixtures import add_complaint, add_site, add_staff


def issue(runner: FlaskCliRunner, username: str) -> str:
    """Issue a token through the CLI and return what it printed."""
    result = runner.invoke(args=["staff", "token", username])
    assert result.exit_code == 0, result.output
    return result.output.strip()


def bearer(token: str) -> dict[str, str]:
    """The Authorization header for ``token``."""
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def data(app: Flask) -> None:
    """Two cases, one of them a group case on site ZL-01; one staff user per role."""
    site = add_site(app, "ZL-01")
    add_complaint(app, "AX1", site_id=site, is_group=True)
    add_complaint(app, "AX2")
    add_staff(app, "li", "hotline")
    add_staff(app, "wang", "site_manager")


def test_list_and_show_with_a_token(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner, data: None
) -> None:
    token = issue(runner, "li")
    everything = client.get("/api/complaints", headers=bearer(token)).get_json()
    assert everything["count"] == 2
    group = client.get("/api/complaints?group=1&site=ZL-01", headers=bearer(token)).get_json()
    assert [c["case_no"] for c in group["complaints"]] == ["AX1"]
    one = client.get("/api/complaints/AX2", headers=bearer(token)).get_json()
    assert one["case_no"] == "AX2" and one["employer"] == "常州恒力劳务有限公司"
    assert one["next_deadline_label"] == "首次联系" and one["overdue"] is False
    assert client.get("/api/complaints/AX9", headers=bearer(token)).status_code == 404
    with app.app_context():
        stored = get_session().scalar(select(ApiToken))
        assert stored is not None and token not in stored.token_hash
        assert stored.last_used_at is not None


@pytest.mark.parametrize(
    "header", [None, "Bearer", "Bearer wrong-token", "Basic bGk6cGFzcw==", "anx_token"]
)
def test_missing_or_bad_token_is_401(client: FlaskClient, data: None, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/complaints", headers=headers)
    assert response.status_code == 401 and response.headers["WWW-Authenticate"].startswith("Bearer")


def test_site_manager_token_is_403(client: FlaskClient, runner: FlaskCliRunner, data: None) -> None:
    token = issue(runner, "wang")
    assert client.get("/api/complaints", headers=bearer(token)).status_code == 403
    assert client.get("/api/complaints/AX1", headers=bearer(token)).status_code == 403


def test_revoked_token_is_401(client: FlaskClient, runner: FlaskCliRunner, data: None) -> None:
    token = issue(runner, "li")
    assert client.get("/api/complaints", headers=bearer(token)).status_code == 200
    result = runner.invoke(args=["staff", "revoke-token", "li"])
    assert result.exit_code == 0 and "1" in result.output
    assert client.get("/api/complaints", headers=bearer(token)).status_code == 401


def test_deactivated_user_token_is_401(
    client: FlaskClient, runner: FlaskCliRunner, data: None
) -> None:
    token = issue(runner, "li")
    assert runner.invoke(args=["staff", "deactivate", "li"]).exit_code == 0
    assert client.get("/api/complaints", headers=bearer(token)).status_code == 401


def test_token_for_unknown_user_fails(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["staff", "token", "nobody"])
    assert result.exit_code != 0 and "没有用户" in result.output


def test_console_session_does_not_open_the_api(client: FlaskClient, data: None) -> None:
    from tests.console_fixtures import login

    login(client, "li")
    assert client.get("/api/complaints").status_code == 401
