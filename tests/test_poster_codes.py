"""QR codes: what they hold (WeChat code or landing page) in the CLI and console; the cap."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from devtools.fake_wechat import create_fake_app, serve_in_thread
from models import Site
from models.db import get_session
from sites.posters.codes import landing_url, use_wechat
from tests.console_fixtures import add_staff, login
from wechat.client import get_client

from .site_data import FULL_SITE, add_site, decode_png

CODE = FULL_SITE["code"]


def stored_qr(app: Flask, code: str = CODE) -> tuple[str | None, str | None]:
    with app.app_context():
        session = get_session()
        site = session.scalars(select(Site).where(Site.code == code)).one()
        return site.qr_ticket, site.qr_url


# --- which source -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "choice", "expected"),
    [
        ("development", None, False),
        ("production", None, True),
        ("development", True, True),
        ("production", False, False),
    ],
)
def test_wechat_codes_in_production_or_when_asked(
    env: str, choice: bool | None, expected: bool
) -> None:
    assert use_wechat({"ANXIN_ENV": env}, choice) is expected


@pytest.mark.parametrize("base", ["https://anxin.example.cn", "https://anxin.example.cn/"])
def test_landing_url(base: str) -> None:
    assert landing_url(base, "ZL-01") == "https://anxin.example.cn/s/ZL-01"


def test_link_poster_holds_the_landing_url(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    app.config["PUBLIC_BASE_URL"] = "https://anxin.example.cn/"
    add_site(app)
    out = tmp_path / "p.png"
    result = runner.invoke(args=["qr", "poster", CODE, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert decode_png(out) == [f"https://anxin.example.cn/s/{CODE}"]
    assert stored_qr(app) == (None, None)


def test_production_refuses_links_to_this_machine(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    app.config["ANXIN_ENV"] = "production"  # PUBLIC_BASE_URL left at http://127.0.0.1:8000
    add_site(app)
    out = tmp_path / "p.pdf"
    result = runner.invoke(args=["qr", "poster", CODE, "--out", str(out), "--link"])
    assert result.exit_code == 1 and "PUBLIC_BASE_URL" in result.output and not out.exists()


def test_development_links_to_this_machine_carry_a_warning(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    add_site(app)
    result = runner.invoke(args=["qr", "poster", CODE, "--out", str(tmp_path / "p.pdf")])
    assert result.exit_code == 0 and "仅供测试" in result.output


# --- WeChat permanent codes, against the local fake --------------------------------------------


@pytest.fixture
def fake_root(app: Flask) -> Iterator[str]:
    """The fake WeChat API (cap 3), with the app pointed at it."""
    fake = create_fake_app(
        app.config["WECHAT_APPID"], app.config["WECHAT_SECRET"], permanent_qr_limit=3
    )
    with serve_in_thread(fake) as root:
        app.config["WECHAT_API_BASE"] = f"{root}/cgi-bin/"
        app.config["WECHAT_API_TIMEOUT"] = 3.0
        yield root
    client = app.extensions.get("wechat")
    if client is not None:
        client.close()


def fake_calls(root: str) -> dict[str, Any]:
    calls: dict[str, Any] = requests.get(f"{root}/_fake/stats", timeout=3).json()["calls"]
    return calls


def poster(runner: FlaskCliRunner, out: Path, code: str = CODE, *extra: str) -> Any:
    return runner.invoke(args=["qr", "poster", code, "--out", str(out), "--wechat", *extra])


def test_wechat_code_is_created_once_and_printed(
    app: Flask, runner: FlaskCliRunner, fake_root: str, tmp_path: Path
) -> None:
    add_site(app)
    first = poster(runner, tmp_path / "1.png")
    assert first.exit_code == 0, first.output
    ticket, url = stored_qr(app)
    assert ticket and url and url.startswith("http://weixin.qq.com/q/")
    assert decode_png(tmp_path / "1.png") == [url]
    assert poster(runner, tmp_path / "2.png").exit_code == 0
    assert decode_png(tmp_path / "2.png") == [url]
    assert fake_calls(fake_root).get("qrcode/create") == 1


def test_production_uses_wechat_unless_told_link(
    app: Flask, runner: FlaskCliRunner, fake_root: str, tmp_path: Path
) -> None:
    app.config.update(ANXIN_ENV="production", PUBLIC_BASE_URL="https://anxin.example.cn")
    add_site(app)
    link = runner.invoke(args=["qr", "poster", CODE, "--out", str(tmp_path / "l.png"), "--link"])
    assert link.exit_code == 0 and stored_qr(app) == (None, None)
    auto = runner.invoke(args=["qr", "poster", CODE, "--out", str(tmp_path / "w.png")])
    assert auto.exit_code == 0 and stored_qr(app)[1] is not None


def test_our_cap_is_checked_before_asking_wechat(
    app: Flask, runner: FlaskCliRunner, fake_root: str, tmp_path: Path
) -> None:
    app.config["WECHAT_PERMANENT_QR_LIMIT"] = 2
    for code in ("A1", "A2", "A3"):
        add_site(app, code=code)
    assert poster(runner, tmp_path / "a1.pdf", "A1").exit_code == 0
    assert poster(runner, tmp_path / "a2.pdf", "A2").exit_code == 0
    refused = poster(runner, tmp_path / "a3.pdf", "A3")
    assert refused.exit_code == 1 and "永久二维码额度（2/2）" in refused.output
    assert "--link" in refused.output and not (tmp_path / "a3.pdf").exists()
    assert fake_calls(fake_root).get("qrcode/create") == 2
    assert stored_qr(app, "A3") == (None, None)


def test_wechat_cap_error_is_explained(
    app: Flask, runner: FlaskCliRunner, fake_root: str, tmp_path: Path
) -> None:
    # The account's codes may also be used by other systems: WeChat's own cap (3 here) bites.
    for scene in ("other-1", "other-2", "other-3"):
        body = {"action_name": "QR_LIMIT_STR_SCENE", "action_info": {"scene": {"scene_str": scene}}}
        get_client(app).qrcode.create(body)
    add_site(app)
    refused = poster(runner, tmp_path / "x.pdf")
    assert refused.exit_code == 1 and "永久二维码已达上限" in refused.output
    assert stored_qr(app) == (None, None)


def test_wechat_failure_stores_nothing(
    app: Flask, runner: FlaskCliRunner, fake_root: str, tmp_path: Path
) -> None:
    add_site(app)
    requests.post(
        f"{fake_root}/_fake/fail", json={"endpoint": "qrcode/create", "errcode": -1}, timeout=3
    )
    failed = poster(runner, tmp_path / "x.pdf")
    assert failed.exit_code == 1 and "请稍后重试" in failed.output
    assert stored_qr(app) == (None, None)
    assert poster(runner, tmp_path / "x.pdf").exit_code == 0


def test_no_wechat_code_is_spent_on_an_incomplete_site(
    app: Flask, runner: FlaskCliRunner, fake_root: str, tmp_path: Path
) -> None:
    add_site(app, builder="")
    refused = poster(runner, tmp_path / "x.pdf")
    assert refused.exit_code == 1 and "建设单位" in refused.output
    assert "qrcode/create" not in fake_calls(fake_root)


# --- one pipeline: the console's download chooses the code as the command does ----------------


def decode_pdf(data: bytes, tmp_path: Path) -> list[str]:
    """The QR codes in a one-page PDF, rasterised by poppler and read by zbar."""
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "poppler-utils is missing: run make install"
    (tmp_path / "dl.pdf").write_bytes(data)
    subprocess.run(
        [pdftoppm, "-r", "150", "-png", str(tmp_path / "dl.pdf"), str(tmp_path / "dl")], check=True
    )
    return decode_png(next(tmp_path.glob("dl*.png")))


def console_poster(app: Flask, code: str = CODE) -> Any:
    """The poster PDF as a logged-in hotline worker downloads it from the console."""
    add_staff(app, "li", "hotline")
    client = app.test_client()
    login(client, "li")
    return client.get(f"/console/sites/{code}/poster.pdf")


def test_console_download_carries_the_wechat_code_in_production(
    app: Flask, runner: FlaskCliRunner, fake_root: str, tmp_path: Path
) -> None:
    app.config.update(ANXIN_ENV="production", PUBLIC_BASE_URL="https://anxin.example.cn")
    add_site(app)
    response = console_poster(app)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    _, url = stored_qr(app)
    assert url and url.startswith("http://weixin.qq.com/q/")
    assert decode_pdf(response.data, tmp_path) == [url]
    # The command then prints the same stored code: one pipeline, one code per site.
    result = runner.invoke(args=["sites", "poster", CODE, "--out", str(tmp_path / "c.png")])
    assert result.exit_code == 0, result.output
    assert decode_png(tmp_path / "c.png") == [url]
    assert fake_calls(fake_root).get("qrcode/create") == 1


def test_console_download_outside_production_carries_the_landing_page(
    app: Flask, fake_root: str, tmp_path: Path
) -> None:
    app.config["PUBLIC_BASE_URL"] = "https://anxin.example.cn"
    add_site(app)
    response = console_poster(app)
    assert response.status_code == 200
    assert decode_pdf(response.data, tmp_path) == [f"https://anxin.example.cn/s/{CODE}"]
    assert stored_qr(app) == (None, None) and "qrcode/create" not in fake_calls(fake_root)


@pytest.mark.parametrize(
    ("site", "message"),
    [({"active": False}, "已停用"), ({"builder": ""}, "建设单位")],
)
def test_console_refuses_what_the_command_refuses(
    app: Flask, fake_root: str, site: dict[str, Any], message: str
) -> None:
    app.config.update(ANXIN_ENV="production", PUBLIC_BASE_URL="https://anxin.example.cn")
    add_site(app, **site)
    response = console_poster(app)
    assert response.status_code == 409 and message in response.get_data(as_text=True)
    assert stored_qr(app) == (None, None) and "qrcode/create" not in fake_calls(fake_root)


def test_console_in_production_never_falls_back_to_a_link(app: Flask) -> None:
    # No WeChat client can be built: production refuses rather than print a link-only board.
    app.config.update(
        ANXIN_ENV="production", PUBLIC_BASE_URL="https://anxin.example.cn", WECHAT_APPID=""
    )
    add_site(app)
    response = console_poster(app)
    assert response.status_code == 409 and "无法连接公众号接口" in response.get_data(as_text=True)
