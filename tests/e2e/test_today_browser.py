"""今日待办 as a hotline operator sees it in headless Chromium: the lists in the order of
the work, their counts in the nav bar, and a taken-over chat that opens at the worker's new
message. The page is kept as ``instance/e2e/today.png`` for people to look at.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from cases.deadlines import CHINA, FIRST_CONTACT_DAYS, add_workdays, china_day
from devtools.fake_wechat import serve_in_thread
from models import ConversationState, Message, Worker, utcnow
from models.db import get_session
from tests.console_fixtures import PASSWORD, add_complaint, add_staff, days_ago
from tests.e2e.test_console_browser import ARTEFACTS, CHROMIUM, open_page

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which(CHROMIUM) is None, reason="needs Debian's chromium"),
]

OLD = datetime(2026, 1, 5, 2, tzinfo=UTC)


def filed_due_today() -> datetime | None:
    """A filing time whose first-contact deadline is today in China (None on a day off)."""
    today = china_day(utcnow())
    for back in range(1, 15):
        filed = today - timedelta(days=back)
        if add_workdays(filed, FIRST_CONTACT_DAYS) == today:
            return datetime.combine(filed, time(10), CHINA)
    return None


def add_waiting_chat(app: Flask, case_no: str, staff_id: int) -> None:
    """A long conversation taken over by ``staff_id``: a staff reply, then the worker's."""
    with app.app_context():
        session = get_session()
        worker = session.scalar(select(Worker).where(Worker.openid == f"o_{case_no}"))
        assert worker is not None
        for n in range(30):
            direction, status = ("in", "handled") if n % 2 == 0 else ("out", "passive")
            session.add(
                Message(
                    worker_id=worker.id,
                    direction=direction,
                    msg_type="text",
                    content=f"第{n}条",
                    status=status,
                )
            )
        session.flush()
        reply = Message(
            worker_id=worker.id,
            direction="out",
            msg_type="text",
            content="您好，我是热线小李，请问老板电话是多少？",
            status="cs_sent",
            payload={"staff_id": staff_id},
        )
        session.add(reply)
        session.flush()
        read_up_to = reply.id
        session.add(
            Message(
                worker_id=worker.id,
                direction="in",
                msg_type="text",
                content="老板电话 13700001234，他一直不接",
            )
        )
        session.add(
            ConversationState(
                worker_id=worker.id,
                state={},
                held_by_staff_id=staff_id,
                staff_read_message_id=read_up_to,
            )
        )
        session.commit()


@pytest.fixture
def today_url(app: Flask, fake_wechat: str) -> Iterator[str]:
    """The app over HTTP with one case for each list of 今日待办."""
    staff_id = add_staff(app, "li", "hotline")
    add_complaint(app, "AX20260105001", submitted=OLD, employer="恒力劳务")
    due = filed_due_today()
    if due is not None:
        add_complaint(app, "AX20261201001", submitted=due, employer="华建集团")
    add_complaint(app, "AX20261203001", is_group=True, headcount=15, employer="远大幕墙")
    add_complaint(app, "AX20261203002", employer="德发建筑劳务公司")
    add_complaint(
        app, "AX20261203003", employer="金坛市政", status="accepted", last_inbound=days_ago(0.05)
    )
    add_waiting_chat(app, "AX20261203003", staff_id)
    with serve_in_thread(app) as url:
        yield url


@pytest.fixture
def page(today_url: str) -> Iterator[Any]:
    """A fresh browser page."""
    with open_page(today_url) as tab:
        yield tab


def test_today_lists_the_work_in_order_and_opens_a_chat_at_the_new_message(page: Any) -> None:
    from playwright.sync_api import expect

    page.goto("/console/login")
    page.get_by_label("用户名").fill("li")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="今日待办")).to_be_visible()

    headings = [h.split("（")[0] for h in page.locator("main section.todo h2").all_inner_texts()]
    assert headings == ["已逾期", "今天到期", "新的群体性案件", "新案件", "工人回复了工作人员"]
    due = 0 if filed_due_today() is None else 1
    expected = {"overdue": 1, "due": due, "new_group": 1, "new": 1, "chats": 1}
    for key, count in expected.items():
        expect(page.locator(f"#count-{key} .count")).to_have_text(str(count))
        expect(page.locator(f"section#{key} h2")).to_contain_text(f"（{count}）")
    expect(page.locator("section#overdue")).to_contain_text("AX20260105001")
    expect(page.locator("section#new_group")).to_contain_text("AX20261203001")
    expect(page.locator("section#new")).to_contain_text("AX20261203002")
    expect(page.locator("section#new")).not_to_contain_text("AX20261203001")
    expect(page.locator("section#chats")).to_contain_text("1 条未读")
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "today.png"), full_page=True)

    page.locator("section#chats").get_by_role("link", name="AX20261203003").click()
    newest = page.locator("li.msg.in.unread")
    expect(newest).to_have_count(1)
    expect(newest).to_contain_text("137****1234")
    expect(newest).to_contain_text("新消息")
    expect(page.locator("#latest")).to_be_in_viewport()
    expect(page.get_by_text("第0条", exact=True)).not_to_be_in_viewport()  # scrolled to the end
    page.screenshot(path=str(ARTEFACTS / "today-chat.png"), full_page=False)
    page.goto("/console/complaints/AX20261203003")  # no anchor: the box alone shows the end
    expect(page.locator("li.msg.in.unread")).to_have_count(0)  # read now
    box, first, last = (
        page.locator(selector).bounding_box()
        for selector in (".transcript-box", "li.msg >> nth=0", "#latest")
    )
    assert box["y"] <= last["y"] and last["y"] + last["height"] <= box["y"] + box["height"] + 1
    assert first["y"] + first["height"] < box["y"]  # the oldest are scrolled out of the box


def test_no_raw_codes_on_the_home_page(page: Any) -> None:
    page.goto("/console/login")
    page.get_by_label("用户名").fill("li")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    text = page.locator("body").inner_text()
    assert "今日待办" in text and "AX20261203003" in text
    for code in ("queued", "requested", "submitted", "accepted", "report_arrears", "None"):
        assert code not in text, code
