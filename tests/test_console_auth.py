"""Accounts: login, the rate limit, cookies, logout and the ``flask staff`` commands."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from app import create_app
from console.auth import check_password
from models import AuditEntry, LoginAttempt, StaffUser
from models.db import get_session
from tests.console_fixtures import PASSWORD, add_site, add_staff, csrf_token, login


def test_login_logout(app: Flask, client: FlaskClient) -> None:
    add_staff(app, "li", "hotline")
    response = login(client, "li")
    assert response.status_code == 302 and response.headers["Location"] == "/console/"
    assert client.get("/console/").status_code == 200
    assert client.get("/console/logout").status_code == 405  # GET cannot log anyone out
    token = csrf_token(client, "/console/")
    client.post("/console/logout", data={"csrf_token": token})
    assert client.get("/console/").status_code == 302


def test_wrong_password_is_refused_and_audited(app: Flask, client: FlaskClient) -> None:
    add_staff(app, "li", "hotline")
    response = login(client, "li", "wrong-password")
    assert response.status_code == 401 and "用户名或密码错误" in response.get_data(as_text=True)
    assert client.get("/console/").status_code == 302
    with app.app_context():
        entry = get_session().scalar(select(AuditEntry))
        assert entry is not None and (entry.action, entry.target) == ("login_failed", "li")


def test_a_failed_login_with_no_such_account_keeps_nothing_typed(
    app: Flask, client: FlaskClient
) -> None:
    typed = "MyS3cret-Password"  # typed into the username box by mistake
    assert login(client, typed, "x").status_code == 401
    with app.app_context():
        session = get_session()
        entry = session.scalar(select(AuditEntry))
        [attempt] = session.scalars(select(LoginAttempt)).all()
    assert entry is not None and entry.action == "login_failed"
    assert typed not in (entry.target or "") and typed not in attempt.key


def test_login_attempts_are_rate_limited(app: Flask, client: FlaskClient) -> None:
    add_staff(app, "li", "hotline")
    for _ in range(app.config["LOGIN_MAX_ATTEMPTS"]):
        assert login(client, "li", "wrong-password").status_code == 401
    blocked = login(client, "li")  # even the right password waits out the window
    assert blocked.status_code == 429 and "登录失败次数过多" in blocked.get_data(as_text=True)
    add_staff(app, "wang", "hotline")
    assert login(client, "wang").status_code == 302  # other accounts are not locked


def test_inactive_account_cannot_log_in(app: Flask, client: FlaskClient) -> None:
    add_staff(app, "li", "hotline")
    with app.app_context():
        session = get_session()
        user = session.scalar(select(StaffUser))
        assert user is not None
        user.active = False
        session.commit()
    assert login(client, "li").status_code == 401


def test_next_goes_only_to_console_pages(app: Flask, client: FlaskClient) -> None:
    add_staff(app, "li", "hotline")
    token = csrf_token(client, "/console/login")
    data = {"username": "li", "password": PASSWORD, "csrf_token": token}
    response = client.post("/console/login?next=https://evil.example/", data=data)
    assert response.headers["Location"] == "/console/"
    client.post("/console/logout", data={"csrf_token": csrf_token(client, "/console/")})
    data["csrf_token"] = csrf_token(client, "/console/login")
    response = client.post("/console/login?next=/console/sites", data=data)
    assert response.headers["Location"] == "/console/sites"


def test_session_cookie_flags(app: Flask, client: FlaskClient) -> None:
    add_staff(app, "li", "hotline")
    cookie = login(client, "li").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # development serves plain HTTP


def test_production_cookies_are_secure(tmp_path: object) -> None:
    secrets = {
        key: "x" * 43 for key in ("SECRET_KEY", "WECHAT_TOKEN", "WECHAT_APPID", "WECHAT_SECRET")
    }
    app = create_app(
        {
            "ANXIN_ENV": "production",
            "WECHAT_ENCODING_AES_KEY": "P" * 43,
            "DATA_KEY": Fernet.generate_key().decode(),
            "DATABASE_URL": "sqlite://",
            **secrets,
        }
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    app.extensions["db"].engine.dispose()


def test_staff_create_reads_password_from_stdin(app: Flask, runner: FlaskCliRunner) -> None:
    result = runner.invoke(
        args=["staff", "create", "li", "--role", "hotline"], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = get_session().scalar(select(StaffUser).where(StaffUser.username == "li"))
        assert user is not None and user.role == "hotline"
        assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash
        assert check_password(user, PASSWORD) and not check_password(user, "nope")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "site_manager"], "--site"),
        (["--role", "site_manager", "--site", "NOPE"], "NOPE"),
        (["--role", "boss"], "Invalid value"),
    ],
)
def test_staff_create_refuses_bad_input(
    runner: FlaskCliRunner, args: list[str], message: str
) -> None:
    result = runner.invoke(args=["staff", "create", "x", *args], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code != 0 and message in result.output


def test_short_password_and_duplicate_user_are_refused(app: Flask, runner: FlaskCliRunner) -> None:
    short = runner.invoke(args=["staff", "create", "li", "--role", "admin"], input="abc\nabc\n")
    assert short.exit_code != 0 and "至少" in short.output
    add_staff(app, "li", "admin")
    dup = runner.invoke(
        args=["staff", "create", "li", "--role", "admin"], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert dup.exit_code != 0 and "已存在" in dup.output


def test_site_manager_is_linked_to_sites(app: Flask, runner: FlaskCliRunner) -> None:
    add_site(app, "ZL-01")
    result = runner.invoke(
        args=["staff", "create", "wang", "--role", "site_manager", "--site", "zl-01"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = get_session().scalar(select(StaffUser))
        assert user is not None and [s.code for s in user.sites] == ["ZL-01"]


def test_audit_page_lists_logins_for_admin(app: Flask, client: FlaskClient) -> None:
    add_staff(app, "boss", "admin")
    login(client, "boss")
    page = client.get("/console/audit").get_data(as_text=True)
    assert "login" in page and "boss" in page


def test_users_page_lists_accounts_roles_sites_and_tokens(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    add_site(app, "ZL-01")
    add_staff(app, "boss", "admin")
    add_staff(app, "wang", "site_manager", ("ZL-01",))
    runner.invoke(args=["staff", "token", "wang"])
    login(client, "boss")
    page = client.get("/console/users").get_data(as_text=True)
    row = page[page.index("<td>wang</td>") :].split("</tr>")[0]
    assert "工地管理员" in row and "ZL-01" in row and "<td>1</td>" in row


def test_unknown_user_login_is_refused(app: Flask, client: FlaskClient) -> None:
    response = login(client, "ghost")
    assert response.status_code == 401 and "用户名或密码错误" in response.get_data(as_text=True)
