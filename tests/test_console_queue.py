"""The queue: filters, deadline order, masking and the CSV/XLSX exports; the clocks."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from console.export import COLUMNS
from console.masking import mask
from tests.console_fixtures import add_complaint, add_site, add_staff, login

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
