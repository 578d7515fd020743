"""The console as a person uses it: headless Chromium (Debian's) driven by Playwright.

Log in, filter the queue, open a case, accept it and see the worker's notification reach
the fake WeChat API, take over the chat and reply. The case page is kept as a screenshot
in ``instance/e2e/`` (desktop and phone widths) for people to look at.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask

from devtools.fake_wechat import serve_in_thread
from tests.console_fixtures import PASSWORD, add_complaint, add_site, add_staff, days_ago

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTEFACTS = Path(__file__).resolve().parents[2] / "instance" / "e2e"


@contextmanager
def open_page(base_url: str, height: int = 900) -> Iterator[Any]:
    """A fresh page of a headless Debian Chromium on ``base_url``, closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser.new_page(base_url=base_url, viewport={"width": 1280, "height": height})
        finally:
            browser.close()


pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which(CHROMIUM) is None, reason="needs Debian's chromium"),
]


@pytest.fixture
def console_url(app: Flask, fake_wechat: str) -> Iterator[str]:
    """The app served over HTTP in a thread, with two cases and a hotline account."""
    site = add_site(app, "ZL-01", district="钟楼区新闸街道")
    add_complaint(
        app,
        "AX20261126001",
        site_id=site,
        is_group=True,
        headcount=12,
        last_inbound=days_ago(0.1),
        description="十二个人三个月没发工资",
    )
    add_complaint(app, "AX20261126002", employer="远大幕墙", last_inbound=days_ago(0.1))
    add_staff(app, "li", "hotline")
    with serve_in_thread(app) as url:
        yield url


@pytest.fixture
def page(console_url: str) -> Iterator[Any]:
    """A fresh browser page."""
    with open_page(console_url) as tab:
        yield tab


def wait_for_sent(fake_url: str, count: int) -> list[dict[str, Any]]:
    """The fake WeChat API's customer-service messages, once ``count`` have arrived."""
    deadline = time.monotonic() + 5
    while True:
        messages: list[dict[str, Any]] = requests.get(f"{fake_url}/_fake/sent", timeout=5).json()[
            "messages"
        ]
        if len(messages) >= count or time.monotonic() > deadline:
            return messages
        time.sleep(0.1)


def test_hotline_works_a_case_end_to_end(page: Any, fake_wechat: str) -> None:
    from playwright.sync_api import expect

    page.goto("/console/login")
    page.get_by_label("用户名").fill("li")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="今日待办")).to_be_visible()

    page.get_by_role("link", name="案件").first.click()
    expect(page.locator("table.cases tbody tr")).to_have_count(2)
    page.get_by_label("群体性").check()
    page.get_by_role("button", name="筛选").click()
    expect(page.locator("table.cases tbody tr")).to_have_count(1)
    page.get_by_role("link", name="AX20261126001").click()
    expect(page.get_by_role("heading", name="案件 AX20261126001")).to_be_visible()
    expect(page.get_by_text("138****5678")).to_be_visible()

    page.get_by_label("操作").select_option("accept")
    page.get_by_label("备注", exact=True).fill("材料齐全，受理")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_text("正在通过微信通知工人")).to_be_visible()
    notified = wait_for_sent(fake_wechat, 1)
    assert notified[0]["touser"] == "o_AX20261126001"
    assert "已受理" in notified[0]["text"]["content"]

    page.get_by_role("button", name="接管对话").click()
    expect(page.get_by_text("机器人暂停回复")).to_be_visible()
    page.get_by_label("回复工人（微信客服消息）").fill("您好，我是热线小李，明天上午给您打电话。")
    page.get_by_role("button", name="发送").click()
    expect(page.locator("li.msg.out").last).to_contain_text("明天上午给您打电话")
    replies = wait_for_sent(fake_wechat, 2)
    assert replies[1]["text"]["content"] == "您好，我是热线小李，明天上午给您打电话。"

    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "case-page.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.screenshot(path=str(ARTEFACTS / "case-page-phone.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
