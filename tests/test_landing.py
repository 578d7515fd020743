"""The landing page a link-only QR code opens (``/s/<code>``)."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from .site_data import FULL_SITE, add_site

CODE = FULL_SITE["code"]


def test_landing_page_names_the_site_and_the_command(app: Flask, client: FlaskClient) -> None:
    add_site(app)
    page = client.get("/s/zl-2026-001")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert FULL_SITE["name"] in html and FULL_SITE["address"] in html
    assert f"工地 {CODE}" in html and "关注" in html and "安薪" in html
    assert 'name="viewport"' in html and FULL_SITE["inspection_phone"] in html


@pytest.mark.parametrize("code", ["NOPE", "OLD"])
def test_unknown_or_inactive_code_gets_general_advice(
    app: Flask, client: FlaskClient, code: str
) -> None:
    add_site(app, code="OLD", active=False)
    page = client.get(f"/s/{code}")
    assert page.status_code == 404
    html = page.get_data(as_text=True)
    assert f"未找到工地编号 {code}" in html and "12333" in html and "工地 OLD" not in html


def test_landing_page_escapes_site_text(app: Flask, client: FlaskClient) -> None:
    add_site(app, name="<script>alert(1)</script>项目")
    html = client.get(f"/s/{CODE}").get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;" in html
