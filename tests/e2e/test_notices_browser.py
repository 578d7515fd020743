"""Issue 17 end to end in headless Chromium: staff accept and resolve a case of a worker whose
48-hour window closed long ago; both notices reach the worker through their subscription at
the fake WeChat API; the worker answers "3" (没有到账) through ``/wechat``; the case is back in
the queue on a new investigation deadline. The case page is kept as
``instance/e2e/notices-case.png``.
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from flask import Flask
from sqlalchemy import select

from cases.deadlines import add_workdays, china_day
from devtools.fake_wechat import serve_in_thread
from models import NoticeConsent, Worker, utcnow
from models.db import get_session
from tests.console_fixtures import PASSWORD, add_complaint, add_staff, days_ago
from tests.e2e.test_console_browser import ARTEFACTS, CHROMIUM, open_page
from webhooks.simulator import WeChatSimulator

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which(CHROMIUM) is None, reason="needs Debian's chromium"),
]

CASE = "261120-0101"
OPENID = f"o_{CASE}"
TEMPLATES = {
    "WECHAT_SUBSCRIBE_TEMPLATE_PROGRESS": "SUB_PROGRESS",
    "WECHAT_SUBSCRIBE_TEMPLATE_PAYMENT": "SUB_PAYMENT",
}


@pytest.fixture
def served(app: Flask, fake_wechat: str) -> Iterator[str]:
    """The app over HTTP: one case whose worker wrote 3 days ago and subscribed to both
    templates (long-term: a public-service account), and a hotline account."""
    app.config.update(TEMPLATES)
    add_complaint(app, CASE, last_inbound=days_ago(3), submitted=days_ago(3))
    add_staff(app, "li", "hotline")
    with app.app_context():
        session = get_session()
        worker = session.scalars(select(Worker).where(Worker.openid == OPENID)).one()
        for template_id in TEMPLATES.values():
            session.add(
                NoticeConsent(
                    worker_id=worker.id, template_id=template_id, long_term=True, source="popup"
                )
            )
            requests.post(
                f"{fake_wechat}/_fake/consent",
                json={"openid": OPENID, "template_id": template_id, "long_term": True},
                timeout=5,
            ).raise_for_status()
        session.commit()
    with serve_in_thread(app) as url:
        yield url


@pytest.fixture
def page(served: str) -> Iterator[Any]:
    with open_page(served) as tab:
        yield tab


def wait_for_notices(fake_url: str, count: int) -> list[dict[str, Any]]:
    """The subscription and template notices the fake accepted, once ``count`` arrived."""
    deadline = time.monotonic() + 10
    while True:
        notices: list[dict[str, Any]] = requests.get(f"{fake_url}/_fake/notices", timeout=5).json()[
            "notices"
        ]
        if len(notices) >= count or time.monotonic() > deadline:
            return notices
        time.sleep(0.1)


def act(page: Any, action: str, **fields: str) -> None:
    from playwright.sync_api import expect

    page.get_by_label("操作").select_option(action)
    for label, value in fields.items():
        page.get_by_label(label).fill(value)
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_text("正在通过微信通知工人")).to_be_visible()


def test_accept_resolve_answer_3_reopens(
    app: Flask, page: Any, served: str, fake_wechat: str
) -> None:
    from playwright.sync_api import expect

    page.goto("/console/login")
    page.get_by_label("用户名").fill("li")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(f"/console/complaints/{CASE}")
    expect(page.get_by_role("heading", name=f"案件 {CASE}")).to_be_visible()

    act(page, "accept")
    act(page, "resolve", **{"追回金额（元）": "35000"})
    notices = wait_for_notices(fake_wechat, 2)
    assert [(n["endpoint"], n["touser"], n["template_id"]) for n in notices] == [
        ("subscribe", OPENID, "SUB_PROGRESS"),
        ("subscribe", OPENID, "SUB_PAYMENT"),
    ]
    assert notices[1]["data"]["thing2"]["value"] == "已解决，请确认钱是否到账"
    assert "35000" in notices[1]["data"]["thing4"]["value"]
    assert requests.get(f"{fake_wechat}/_fake/sent", timeout=5).json()["messages"] == []

    worker = WeChatSimulator(
        app.config["WECHAT_TOKEN"],
        app.config["WECHAT_APPID"],
        app.config["WECHAT_ENCODING_AES_KEY"],
    )
    worker.openid = OPENID
    push = worker.push(worker.text("3"))
    answer = requests.post(f"{served}/wechat", params=push.args, data=push.body, timeout=10)
    reply = worker.read_reply(answer.content) or ""
    new_due = add_workdays(china_day(utcnow()), 60).isoformat()
    assert "已重新办理" in reply and new_due in reply

    page.goto("/console/complaints")
    row = page.locator("table.cases tbody tr", has_text=CASE)
    expect(row).to_contain_text("已受理")
    expect(row).to_contain_text(f"办结 {new_due}")
    page.get_by_role("link", name=CASE).click()
    expect(page.get_by_text(re.compile("工人反映钱没有到账"))).to_be_visible()
    expect(page.locator("dd", has_text=new_due).first).to_be_visible()
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "notices-case.png"), full_page=True)
