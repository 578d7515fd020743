"""今日待办: the home page's lists and order, the nav bar's counts, new chat messages,
the review queue without trivial answers, the words staff read, the exports' layout."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from sqlalchemy import select

from cases.deadlines import FIRST_CONTACT_DAYS, add_workdays, china_day
from console.masking import mask_text
from console.review import is_trivial
from console.today import today_lists
from models import ConversationState, Message, Worker, utcnow
from models.db import get_session
from tests.console_fixtures import (
    add_complaint,
    add_site,
    add_staff,
    csrf_token,
    days_ago,
    link_all,
    login,
)

OLD = datetime(2026, 1, 5, 2, tzinfo=UTC)  # a Monday, 10:00 in Beijing; long overdue


def visible(html: str) -> str:
    """The words a person sees on a page: no tags, attributes or styles."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def section(page: str, heading: str) -> str:
    """The home page's section that starts with ``heading``（n）."""
    start = page.index(f"<h2>{heading}（")
    return page[start : page.index("</section>", start)]


@pytest.fixture
def hotline(app: Flask, client: FlaskClient) -> int:
    """A logged-in hotline account."""
    user_id = add_staff(app, "li", "hotline")
    login(client, "li")
    return user_id


def test_home_page_lists_the_work_in_order_with_counts_in_the_nav(
    app: Flask, client: FlaskClient, hotline: int
) -> None:
    add_complaint(app, "AX1", submitted=OLD)
    add_complaint(app, "AX2", is_group=True, headcount=12)
    add_complaint(app, "AX3")
    add_complaint(app, "AX4")
    add_complaint(app, "AX5", status="accepted")  # neither new nor due: on no list
    page = client.get("/console/").get_data(as_text=True)
    headings = ["已逾期", "今天到期", "新的群体性案件", "新案件", "工人回复了工作人员"]
    positions = [page.index(f"<h2>{h}（") for h in headings]
    assert positions == sorted(positions)
    assert "AX1" in section(page, "已逾期") and "AX1" not in section(page, "新案件")
    assert "AX2" in section(page, "新的群体性案件") and "AX2" not in section(page, "新案件")
    assert "AX3" in section(page, "新案件") and "AX4" in section(page, "新案件")
    assert "AX5" not in page
    nav = page[page.index("<nav>") : page.index("</nav>")]
    counts = dict(re.findall(r'id="count-(\w+)">[^<]+<span class="count[^"]*">(\d+)<', nav))
    assert counts == {"overdue": "1", "due": "0", "new_group": "1", "new": "2", "chats": "0"}
    # Every console page carries the counts, not only the home page.
    assert 'id="count-new">新案<span class="count">2<' in client.get("/console/review").text


def test_lists_on_a_given_day_put_each_case_once(app: Flask) -> None:
    filed = datetime(2026, 1, 5, 2, tzinfo=UTC)
    due_day = add_workdays(date(2026, 1, 5), FIRST_CONTACT_DAYS)
    add_complaint(app, "AX1", submitted=datetime(2025, 12, 1, 2, tzinfo=UTC))
    add_complaint(app, "AX2", submitted=filed)
    add_complaint(app, "AX3", submitted=filed, is_group=True)
    add_complaint(app, "AX4", submitted=datetime(2026, 1, 7, 2, tzinfo=UTC), is_group=True)
    add_complaint(app, "AX5", submitted=datetime(2026, 1, 7, 2, tzinfo=UTC))
    with app.app_context():
        lists = today_lists(get_session(), due_day)
    assert [r.complaint.case_no for r in lists.overdue] == ["AX1"]
    # Same deadline: the group case first, though filed later.
    assert [r.complaint.case_no for r in lists.due] == ["AX3", "AX2"]
    assert [r.complaint.case_no for r in lists.new_group] == ["AX4"]
    assert [r.complaint.case_no for r in lists.new] == ["AX5"]


def test_queue_puts_group_cases_first_on_the_same_deadline(
    app: Flask, client: FlaskClient, hotline: int
) -> None:
    add_complaint(app, "AX1", submitted=OLD)
    add_complaint(app, "AX2", submitted=OLD, is_group=True)
    page = client.get("/console/complaints").get_data(as_text=True)
    assert page.index(">AX2</a>") < page.index(">AX1</a>")


def _worker_writes(app: Flask, case_no: str, text: str) -> None:
    with app.app_context():
        session = get_session()
        worker = session.scalar(select(Worker).where(Worker.openid == f"o_{case_no}"))
        assert worker is not None
        session.add(Message(worker_id=worker.id, direction="in", msg_type="text", content=text))
        session.commit()


def test_worker_writing_after_a_staff_reply_is_listed_and_highlighted_until_read(
    app: Flask, client: FlaskClient, hotline: int, fake_wechat: str
) -> None:
    add_complaint(app, "AX1", last_inbound=days_ago(0.1))
    url = "/console/complaints/AX1"
    client.post(url + "/takeover", data={"csrf_token": csrf_token(client, url)})
    client.post(url + "/reply", data={"csrf_token": csrf_token(client, url), "text": "您好"})
    app.extensions["jobs"].wait()
    assert "AX1" not in section(client.get("/console/").text, "工人回复了工作人员")

    _worker_writes(app, "AX1", "我电话换了 13900001111")
    home = client.get("/console/").text
    chats = section(home, "工人回复了工作人员")
    assert 'href="/console/complaints/AX1#latest"' in chats and "1 条未读" in chats
    assert 'id="count-chats">工人回复<span class="count">1<' in home

    first = client.get(url).text
    unread = re.findall(r'<li class="msg in unread"[^>]*>.*?</li>', first, flags=re.S)
    assert len(unread) == 1 and "139****1111" in unread[0] and "13900001111" not in first
    assert "工人有 1 条新消息" in first
    assert re.search(r'<li class="msg in unread" id="latest">', first)  # the newest is last
    second = client.get(url).text  # read now: no longer highlighted, still waiting a reply
    assert "unread" not in second and "新消息" not in visible(second)
    assert "AX1" in section(client.get("/console/").text, "工人回复了工作人员")
    with app.app_context():
        state = get_session().scalar(select(ConversationState))
        newest = get_session().scalar(select(Message.id).order_by(Message.id.desc()).limit(1))
        assert state is not None and state.staff_read_message_id == newest


def test_a_colleague_looking_does_not_mark_the_chat_read(
    app: Flask, client: FlaskClient, hotline: int
) -> None:
    add_complaint(app, "AX1")
    url = "/console/complaints/AX1"
    client.post(url + "/takeover", data={"csrf_token": csrf_token(client, url)})
    _worker_writes(app, "AX1", "在吗")
    add_staff(app, "wang", "admin")
    colleague = app.test_client()
    login(colleague, "wang")
    assert "msg in unread" in colleague.get(url).text
    assert "msg in unread" in client.get(url).text  # the holder still sees it as new
    assert "msg in unread" not in client.get(url).text


@pytest.mark.parametrize(
    ("text", "trivial"),
    [("1", True), ("好", True), ("对。", True), (" 嗯嗯 ", True), ("12", True)],
)
def test_trivial_answers(text: str, trivial: bool) -> None:
    assert is_trivial(text) is trivial


@pytest.mark.parametrize("text", ["123", "好的老板没给钱", "138", "不知道啊他跑了", ""])
def test_answers_that_are_not_trivial(text: str) -> None:
    assert not is_trivial(text)


def test_review_queue_leaves_out_trivial_answers_the_form_understood(
    app: Flask, client: FlaskClient, hotline: int
) -> None:
    rows = [
        ("1", "已改：电话 139****1111。", "affirm"),  # understood: left out
        ("好", "电话号码好像不对，手机号是11位数字。", "affirm"),  # re-asked: kept
        ("对", None, "affirm"),  # nobody answered (staff held the chat): kept
        ("俺那钱咋整", "好的。", "nlu_fallback"),  # not trivial: kept
    ]
    with app.app_context():
        session = get_session()
        worker = Worker(openid="o_review")
        session.add(worker)
        session.flush()
        for text, reply, intent in rows:
            asked = Message(
                worker_id=worker.id,
                direction="in",
                msg_type="text",
                content=text,
                intent=intent,
                confidence=0.3,
                nlu_source="rules",
            )
            session.add(asked)
            session.flush()
            if reply:
                session.add(
                    Message(
                        worker_id=worker.id,
                        direction="out",
                        msg_type="text",
                        content=reply,
                        reply_to_id=asked.id,
                        status="passive",
                    )
                )
        session.commit()
    page = client.get("/console/review").text
    texts = re.findall(r"</td><td>([^<]+)</td>\s*<td>", page)
    assert sorted(texts) == sorted(["好", "对", "俺那钱咋整"])
    shown = visible(page)
    assert "affirm" not in shown and "nlu_fallback" not in shown and "rules" not in shown
    assert "肯定" in shown and "未能识别" in shown and "规则" in shown


def test_staff_read_chinese_not_codes(app: Flask, client: FlaskClient, hotline: int) -> None:
    add_complaint(app, "AX1")
    url = "/console/complaints/AX1"
    client.post(url + "/reveal/contact_phone", data={"csrf_token": csrf_token(client, url)})
    case = client.get(url).text
    assert 'data-intent="report_arrears"' in case and "识别为「反映欠薪」" in visible(case)
    assert "report_arrears" not in visible(case)
    add_staff(app, "admin", "admin")
    boss = app.test_client()
    login(boss, "admin")
    audit = visible(boss.get("/console/audit").text)
    assert "查看完整号码" in audit and "联系电话" in audit and "登录" in audit
    for code in ("reveal", "contact_phone", "login"):
        assert not re.search(rf"\b{code}\b", audit), code


def test_exports_are_in_beijing_time_with_widths_and_a_frozen_header(
    app: Flask, client: FlaskClient, hotline: int
) -> None:
    add_complaint(app, "AX1", submitted=OLD, description="老板欠了三个月工资" * 10)
    rows = list(csv.reader(io.StringIO(client.get("/console/complaints?format=csv").text[1:])))
    assert rows[1][rows[0].index("提交时间（北京时间）")] == "2026-01-05 10:00"
    response = client.get("/console/complaints?format=xlsx")
    book = load_workbook(io.BytesIO(response.get_data()))
    sheet = book.active
    header = [cell.value for cell in sheet[1]]
    submitted = sheet.cell(row=2, column=header.index("提交时间（北京时间）") + 1)
    assert submitted.value == datetime(2026, 1, 5, 10, 0)
    assert sheet.freeze_panes == "A2"
    widths = {
        name: sheet.column_dimensions[get_column_letter(i)].width
        for i, name in enumerate(header, start=1)
    }
    assert widths["情况说明"] == 40  # long text: capped
    assert widths["群体性"] < widths["投诉人姓名"] < widths["情况说明"]
    assert widths["联系电话"] >= 13  # an 11-digit phone fits
    book.close()


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("身份证 320402 19900101 1234", "身份证 320***********1234"),
        ("身份证320402-19900101-123x", "身份证320***********123X"),
        ("电话１３９１２３４５６７８", "电话139****5678"),
        ("电话139—1234—5678", "电话139****5678"),
        ("单号202611260001234567890", "单号202611260001234567890"),
    ],
)
def test_free_text_masks_numbers_written_the_ways_workers_write_them(
    text: str, masked: str
) -> None:
    assert mask_text(text) == masked


def test_review_queue_masks_numbers_until_an_audited_reveal(
    app: Flask, client: FlaskClient, hotline: int
) -> None:
    with app.app_context():
        session = get_session()
        worker = Worker(openid="o_review")
        session.add(worker)
        session.flush()
        text = "我身份证 320402 19900101 1234 电话１３９１２３４５６７８"
        session.add(
            Message(
                worker_id=worker.id,
                direction="in",
                msg_type="text",
                content=text,
                intent="nlu_fallback",
                confidence=0.2,
            )
        )
        session.commit()
    page = client.get("/console/review").text
    assert "320***********1234" in page and "139****5678" in page and "19900101" not in page
    token = csrf_token(client, "/console/review")
    revealed = client.post("/console/review/reveal", data={"csrf_token": token}).text
    assert "320402 19900101 1234" in revealed


def test_members_of_an_urgent_collective_case_are_new_group_cases(
    app: Flask, client: FlaskClient, hotline: int
) -> None:
    site = add_site(app, "ZL-01")
    # 6 + 6 workers: neither is a group case alone; together 12 crosses the threshold of 10.
    ids = [add_complaint(app, f"AX{i}", site_id=site, headcount=6) for i in (1, 2)]
    add_complaint(app, "AX3", employer="别的公司", headcount=6)  # alone: a new case
    number = link_all(app, *ids)
    with app.app_context():
        lists = today_lists(get_session(), china_day(utcnow()))  # filed today: new, not yet due
    assert [(r.complaint.case_no, r.collective_no) for r in lists.new_group] == [
        ("AX1", number),
        ("AX2", number),
    ]
    assert [r.complaint.case_no for r in lists.new] == ["AX3"]
    page = client.get("/console/").get_data(as_text=True)
    group = section(page, "新的群体性案件")
    assert "AX1" in group and "AX2" in group and f"群体性案件 {number}" in group
    assert "AX3" in section(page, "新案件") and "群体性案件 Q" not in section(page, "新案件")
    nav = page[page.index("<nav>") : page.index("</nav>")]
    assert 'id="count-new_group">群体新案<span class="count' in nav
    assert re.search(r'id="count-new_group">[^<]+<span class="count[^"]*">2<', nav)
