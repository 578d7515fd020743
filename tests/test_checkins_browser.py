"""Issue 19 in headless Chromium: the pay-day warning on 今日待办 leads to the pay-day panel,
where the site several workers answered 没发 is flagged. The panel is kept as
``instance/e2e/checkins-panel.png``."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask

from cases.checkins import month_key
from cases.deadlines import china_today
from models import Checkin, CheckinOptIn, Worker, utcnow
from models.db import get_session
from tests.console_fixtures import PASSWORD, add_site, add_staff
from tests.e2e.test_console_browser import ARTEFACTS, CHROMIUM, open_page

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which(CHROMIUM) is None, reason="needs Debian's chromium"),
]

PAY_A = "每月15日前支付上月工资"
#: (site, pay day, answers of its workers this month; None: not answered)
SITES = (
    ("ZJY001", "紫荆苑工地", PAY_A, ("unpaid", "partial", "unpaid", "paid", None)),
    ("HLY002", "和乐园项目", "每月10号", ("paid", "paid", "paid", None)),
)


@pytest.fixture
def served(app: Flask) -> Iterator[str]:
    """The app over HTTP with a hotline account and this month's answers of two sites."""
    from devtools.fake_wechat import serve_in_thread

    add_staff(app, "li", "hotline")
    month, now = month_key(china_today()), utcnow()
    site_ids = [add_site(app, code, name=name, pay_day=pay) for code, name, pay, _ in SITES]
    with app.app_context():
        session = get_session()
        for site_id, (code, _, _, answers) in zip(site_ids, SITES, strict=True):
            for i, answer in enumerate(answers):
                worker = Worker(openid=f"o_{code}_{i}")
                session.add(worker)
                session.flush()
                session.add(CheckinOptIn(worker_id=worker.id, site_id=site_id))
                session.add(
                    Checkin(
                        worker_id=worker.id,
                        site_id=site_id,
                        month=month,
                        asked_at=now - timedelta(hours=2),
                        channel="template",
                        answer=answer,
                        answered_at=now if answer else None,
                    )
                )
        session.commit()
    with serve_in_thread(app) as url:
        yield url


@pytest.fixture
def page(served: str) -> Iterator[Any]:
    with open_page(served, height=720) as tab:
        yield tab


def test_the_warning_leads_to_the_pay_day_panel(page: Any) -> None:
    from playwright.sync_api import expect

    page.goto("/console/login")
    page.get_by_label("用户名").fill("li")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    warning = page.locator("#paydays")
    expect(warning).to_contain_text("工资发放预警（1）")
    expect(warning).to_contain_text("没发 2 人，部分 1 人，已问 5 人")
    warning.get_by_role("link", name="ZJY001 · 紫荆苑工地").click()
    flagged = page.locator('tr[data-site="ZJY001"]')
    expect(flagged).to_have_class("flagged")
    expect(flagged).to_contain_text("多名工人说工资没发")
    expect(flagged).to_contain_text("80%")  # 4 of 5 answered
    expect(flagged).to_contain_text("75%")  # 3 of 4 answers: 没发 or 一部分
    expect(page.locator('tr[data-site="HLY002"]')).not_to_contain_text("多名工人")
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "checkins-panel.png"), full_page=True)
