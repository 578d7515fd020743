"""The queue: filters, deadline order, masking and the CSV/XLSX exports; the clocks; the
members of urgent collective cases (群体性案件) shown as urgent."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import event

from console.export import COLUMNS
from console.masking import mask
from console.queue import QueueFilter, queue
from models.db import get_session
from tests.console_fixtures import add_complaint, add_site, add_staff, link_all, login

OLD = datetime(2026, 1, 5, 2, tzinfo=UTC)  # a Monday; every deadline has passed


@pytest.fixture
def cases(app: Flask, client: FlaskClient) -> None:
    """Three cases on two sites; one group case, one old (overdue) one; a hotline login."""
    a = add_site(app, "ZL-01", district="钟楼区新闸街道")
    b = add_site(app, "TN-01", name="天宁工地", district="天宁区红梅街道")
    add_complaint(app, "AX1", site_id=a, employer="恒力劳务", submitted=OLD)
    add_complaint(
        app,
        "AX2",
        site_id=b,
        employer="远大幕墙",
        is_group=True,
        headcount=12,
        contact_phone="13900001111",
    )
    add_complaint(app, "AX3", site_id=a, employer="华建集团", status="accepted")
    add_staff(app, "li", "hotline")
    login(client, "li")


def case_nos(client: FlaskClient, query: str) -> list[str]:
    """Case numbers linked from the queue page, in order."""
    page = client.get("/console/complaints?" + query).get_data(as_text=True)
    return re.findall(r'href="/console/complaints/(AX\d+)"', page)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["AX1", "AX2", "AX3"]),
        ("status=accepted", ["AX3"]),
        ("site=TN-01", ["AX2"]),
        ("district=新闸", ["AX1", "AX3"]),
        ("group=1", ["AX2"]),
        ("overdue=1", ["AX1"]),
        ("q=幕墙", ["AX2"]),
        ("q=13900001111", ["AX2"]),
        ("from=2026-01-01&to=2026-01-31", ["AX1"]),
        ("from=2026-02-01", ["AX2", "AX3"]),
    ],
)
def test_filters(client: FlaskClient, cases: None, query: str, expected: list[str]) -> None:
    assert sorted(case_nos(client, query)) == expected


def test_queue_is_sorted_by_next_deadline_and_highlights_overdue(
    client: FlaskClient, cases: None
) -> None:
    page = client.get("/console/complaints").get_data(as_text=True)
    assert page.index(">AX1</a>") < page.index(">AX2</a>")
    row = page[page.rindex("<tr", 0, page.index(">AX1</a>")) : page.index(">AX1</a>")]
    assert 'class="overdue' in row
    assert "139****1111" in page and "13900001111" not in page


def test_csv_export_has_platform_columns_and_every_case(client: FlaskClient, cases: None) -> None:
    response = client.get("/console/complaints?group=1&format=csv")
    assert response.mimetype == "text/csv"
    text = response.get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:10] == [
        "投诉人姓名",
        "联系电话",
        "身份证号",
        "是否工程建设领域",
        "用人单位",
        "包工头",
        "包工头受雇于",
        "项目名称",
        "项目地址",
        "施工总承包单位",
    ]
    assert len(rows) == 2 and rows[1][rows[0].index("案件编号")] == "AX2"
    assert rows[1][rows[0].index("欠薪人数")] == "12" and rows[1][1] == "13900001111"


def test_xlsx_export_matches_csv(client: FlaskClient, cases: None) -> None:
    response = client.get("/console/complaints?format=xlsx")
    book = load_workbook(io.BytesIO(response.get_data()))
    values = list(book.active.iter_rows(values_only=True))
    book.close()
    assert list(values[0]) == [name for name, _ in COLUMNS]
    assert len(values) == 4
    amount = values[1][values[0].index("欠薪金额（元）")]
    assert amount == 35000.0


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13812345678", "138****5678"),
        ("320402199001011234", "320***********1234"),
        ("1234567", "*******"),
        (None, ""),
    ],
)
def test_mask(value: str | None, masked: str) -> None:
    assert mask(value) == masked


def row_of(page: str, case_no: str) -> str:
    """The queue table's row of one case."""
    at = page.index(f">{case_no}</a>")
    return page[page.rindex("<tr", 0, at) : page.index("</tr>", at)]


@pytest.fixture
def collectives(app: Flask, client: FlaskClient) -> tuple[str, str, str]:
    """Three collective cases, none of whose members is a group case on its own: 6 + 6
    workers (urgent by headcount), 60,000 + 50,000.50 yuan (urgent by amount), and one
    under both thresholds; a case alone; a hotline login."""
    sites = [add_site(app, code) for code in ("ZL-01", "ZL-02", "ZL-03", "ZL-04")]
    cases = [
        ("AX1", 0, 6, "20000"),
        ("AX2", 0, 6, "20000"),
        ("AX3", 1, 1, "60000"),
        ("AX4", 1, 1, "50000.50"),
        ("AX5", 2, 2, "30000"),
        ("AX6", 2, 2, "30000"),
        ("AX7", 3, 1, "30000"),
    ]
    # One employer per site, so that only each site's cases are linked.
    ids = [
        add_complaint(
            app,
            case_no,
            site_id=sites[site],
            employer=f"第{site}劳务公司",
            headcount=headcount,
            amount_owed=Decimal(amount),
        )
        for case_no, site, headcount, amount in cases
    ]
    numbers = (link_all(app, *ids[0:2]), link_all(app, *ids[2:4]), link_all(app, *ids[4:6]))
    add_staff(app, "li", "hotline")
    login(client, "li")
    return numbers


def test_members_of_an_urgent_collective_case_are_urgent_in_the_queue(
    client: FlaskClient, collectives: tuple[str, str, str]
) -> None:
    by_headcount, by_amount, calm = collectives
    page = client.get("/console/complaints").get_data(as_text=True)
    for case_no, number in (("AX1", by_headcount), ("AX2", by_headcount), ("AX3", by_amount)):
        row = row_of(page, case_no)
        assert f"群体性案件 {number}" in row and " group" in row
        assert f'href="/console/collective/{number}"' in row
    for case_no in ("AX5", "AX6", "AX7"):
        row = row_of(page, case_no)
        assert "群体性案件" not in row and " group" not in row
    assert calm not in page
    assert case_nos(client, "group=1") == ["AX1", "AX2", "AX3", "AX4"]


def test_urgent_members_come_first_on_the_same_deadline(
    app: Flask, collectives: tuple[str, str, str]
) -> None:
    with app.app_context():
        rows = queue(get_session(), QueueFilter(), date(2026, 12, 3))
    order = [r.complaint.case_no for r in rows]
    # All filed at once: the same deadline, so urgent first, then by id.
    assert order == ["AX1", "AX2", "AX3", "AX4", "AX5", "AX6", "AX7"]
    assert [r.urgent for r in rows] == [True] * 4 + [False] * 3


def test_urgency_costs_the_same_queries_for_one_collective_case_or_many(app: Flask) -> None:
    site = add_site(app, "ZL-01")

    def statements() -> int:
        with app.app_context():
            session = get_session()
            seen: list[str] = []
            engine = session.get_bind()
            listener = lambda *args: seen.append(args[2])  # noqa: E731 -- (conn, cursor, sql, ...)
            event.listen(engine, "before_cursor_execute", listener)
            try:
                rows = queue(session, QueueFilter(), date(2026, 12, 3))
            finally:
                event.remove(engine, "before_cursor_execute", listener)
            assert all(r.urgent for r in rows)
            return len(seen)

    first = [
        add_complaint(app, f"AX{i}", site_id=site, employer="甲公司", headcount=6) for i in (1, 2)
    ]
    link_all(app, *first)
    few = statements()
    for start in (3, 5, 7):
        other = add_site(app, f"ZL-0{start}")
        pair = [
            add_complaint(app, f"AX{i}", site_id=other, headcount=6) for i in (start, start + 1)
        ]
        link_all(app, *pair)
    assert statements() == few


def test_the_export_marks_members_of_urgent_collective_cases_as_group(
    client: FlaskClient, collectives: tuple[str, str, str]
) -> None:
    text = client.get("/console/complaints?format=csv").get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    number, group = rows[0].index("案件编号"), rows[0].index("群体性")
    marked = {row[number]: row[group] for row in rows[1:]}
    assert marked == {
        "AX1": "是",
        "AX2": "是",
        "AX3": "是",
        "AX4": "是",
        "AX5": "否",
        "AX6": "否",
        "AX7": "否",
    }


def test_audit_words_name_the_collective_actions() -> None:
    from console.words import audit_action

    assert audit_action("collective_merge") == "合并群体性案件"
    assert audit_action("collective_unlink") == "移出群体性案件"
    assert audit_action("collective_accept").startswith("统一办理：")
