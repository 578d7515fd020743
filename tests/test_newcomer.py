"""A newcomer's first hour: `/` leads to the console, `make run`'s fake WeChat API is refused
in production, `staff create` reads a piped password once, `flask chat --url` takes the
server's base URL."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from config import ConfigError, load_config
from console.auth import check_password
from devtools.fake_wechat import serve_in_thread
from models import StaffUser
from models.db import get_session
from tests.conftest import ROOT
from tests.console_fixtures import PASSWORD, login
from webhooks.cli import webhook_url

PRODUCTION = {
    "ANXIN_ENV": "production",
    "SECRET_KEY": "s" * 40,
    "WECHAT_TOKEN": "t",
    "WECHAT_APPID": "wx1234",
    "WECHAT_SECRET": "sec",
    "WECHAT_ENCODING_AES_KEY": "k" * 43,
    "DATA_KEY": "cHJvZHVjdGlvbi10ZXN0LWtleS1wcm9kdWN0aW9uLTE=",
}


def test_root_leads_to_the_console(app: Flask, client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"] == "/console/"
    assert client.get("/", follow_redirects=True).request.path == "/console/login"


@pytest.mark.parametrize(
    "base",
    [
        "http://127.0.0.1:8100/cgi-bin/",
        "http://localhost:8100/cgi-bin/",
        "http://[::1]:8100/cgi-bin/",
        "http://0.0.0.0:8100/cgi-bin/",
    ],
)
def test_production_refuses_the_fake_wechat_api(tmp_path: Path, base: str) -> None:
    with pytest.raises(ConfigError, match="WECHAT_API_BASE: points at this machine"):
        load_config(str(tmp_path), {**PRODUCTION, "WECHAT_API_BASE": base}, environ={})


def test_production_accepts_wechat_and_development_the_fake(tmp_path: Path) -> None:
    assert load_config(str(tmp_path), PRODUCTION, environ={})["WECHAT_API_BASE"].startswith(
        "https://api.weixin.qq.com/"
    )
    local = {"WECHAT_API_BASE": "http://127.0.0.1:8100/cgi-bin/"}
    assert (
        load_config(str(tmp_path), local, environ={})["WECHAT_API_BASE"]
        == (local["WECHAT_API_BASE"])
    )


def test_make_run_refuses_production() -> None:
    result = subprocess.run(
        ["bash", str(ROOT / "devtools" / "run.sh")],
        env={**os.environ, "ANXIN_ENV": "Production"},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 1 and "make run is for development" in result.stderr
    assert "migrations" not in result.stdout  # refused before touching anything


def test_staff_create_reads_a_piped_password_once(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    result = runner.invoke(
        args=["staff", "create", "li", "--role", "hotline"], input=f"{PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = get_session().query(StaffUser).filter_by(username="li").one()
        assert check_password(user, PASSWORD)
    assert login(client, "li").headers["Location"] == "/console/"


def test_staff_password_reads_a_piped_password_once(app: Flask, runner: FlaskCliRunner) -> None:
    runner.invoke(args=["staff", "create", "li", "--role", "hotline"], input=f"{PASSWORD}\n")
    result = runner.invoke(args=["staff", "password", "li"], input="another-long-secret\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = get_session().query(StaffUser).filter_by(username="li").one()
        assert check_password(user, "another-long-secret")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000/wechat"),
        ("http://127.0.0.1:8000/", "http://127.0.0.1:8000/wechat"),
        ("127.0.0.1:8000", "http://127.0.0.1:8000/wechat"),
        ("http://127.0.0.1:8000/wechat", "http://127.0.0.1:8000/wechat"),
        ("https://anxin.example.cn/wechat/", "https://anxin.example.cn/wechat"),
        ("https://anxin.example.cn/prefix", "https://anxin.example.cn/prefix/wechat"),
    ],
)
def test_chat_url_takes_the_base_url(given: str, expected: str) -> None:
    assert webhook_url(given) == expected


def test_chat_talks_to_a_running_server_by_its_base_url(app: Flask, runner: FlaskCliRunner) -> None:
    with serve_in_thread(app) as base:
        result = runner.invoke(args=["chat", "--url", base], input="你好\n/退出\n")
    assert result.exit_code == 0, result.output
    assert "[HTTP" not in result.output
    replies = [line for line in result.output.splitlines() if line.startswith("安薪> ")]
    assert replies and replies[0] != "安薪> （没有即时回复）"


def test_the_tour_site_imports_and_prints_its_poster(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    result = runner.invoke(args=["sites", "import", str(ROOT / "devtools" / "tour-site.csv")])
    assert result.exit_code == 0 and "新增 1 个" in result.output, result.output
    out = tmp_path / "tour.pdf"
    result = runner.invoke(args=["sites", "poster", "TOUR-01", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")
