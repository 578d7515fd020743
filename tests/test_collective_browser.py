"""Issue 19 in headless Chromium: a collective case of three workers at one site whose
totals cross the group threshold though none alone does; staff accept all three with one
action. The page is kept as ``instance/e2e/collective-case.png``."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from cases.collective import link_recent
from devtools.fake_wechat import serve_in_thread
from models import CollectiveCase, Complaint
from models.db import get_session
from tests.console_fixtures import PASSWORD, add_complaint, add_site, add_staff, days_ago
from tests.e2e.test_console_browser import ARTEFACTS, CHROMIUM, open_page

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which(CHROMIUM) is None, reason="needs Debian's chromium"),
]


@pytest.fixture
def served(app: Flask, fake_wechat: str) -> Iterator[tuple[str, str]]:
    """The app over HTTP with a hotline account and one linked collective case."""
    add_staff(app, "li", "hotline")
    site_id = add_site(app, "S-ZJY", name="紫荆苑二期")
    for i, amount in enumerate(("45000", "38000", "30000"), start=1):
        add_complaint(
            app,
            f"261203-000{i}",
            site_id=site_id,
            last_inbound=days_ago(1 / 24),
            amount_owed=Decimal(amount),
            headcount=3,
            project_name="紫荆苑二期",
        )
    with app.app_context():
        session = get_session()
        link_recent(session)
        session.commit()
        no = session.scalars(select(CollectiveCase.collective_no)).one()
    with serve_in_thread(app) as url:
        yield url, no


@pytest.fixture
def page(served: tuple[str, str]) -> Iterator[Any]:
    with open_page(served[0]) as tab:
        yield tab


def test_collective_case_page_and_one_action(
    app: Flask, page: Any, served: tuple[str, str]
) -> None:
    from playwright.sync_api import expect

    no = served[1]
    page.goto("/console/login")
    page.get_by_label("用户名").fill("li")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto("/console/complaints/261203-0002")
    expect(page.locator("#collective")).to_contain_text("群体性·紧急")
    page.locator("#collective a").click()
    expect(page.get_by_role("heading", name=f"群体性案件 {no}")).to_be_visible()
    expect(page.locator("#headcount")).to_have_text("9人")
    expect(page.locator("#amount")).to_have_text("113,000元")
    assert no == "Q261203-0001"
    expect(page.locator("#urgent")).to_be_visible()  # 113,000 yuan: over 100,000 together
    page.get_by_label("操作").select_option("accept")
    page.get_by_role("button", name="对全部成员案件执行").click()
    expect(page.get_by_text("已处理3件")).to_be_visible()
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "collective-case.png"), full_page=True)
    with app.app_context():
        statuses = list(get_session().scalars(select(Complaint.status)))
    assert statuses == ["accepted"] * 3
