"""`flask complaints import`: the national platform's and 12345's spreadsheets, malformed
files, idempotence on the source reference, and duplicates linked to filed cases."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

from tests.console_fixtures import add_complaint

NATIONAL = (
    "线索编号,反映时间,反映人姓名,联系电话,被反映单位,项目名称,欠薪金额（元）,欠薪人数,反映内容\n"
    "GZ-001,2026-11-20 09:30,李四,13911112222,德发建筑劳务有限公司,紫荆苑,三万多,3,三个月没发\n"
    "GZ-002,2026-11-21,张三,13812345678,老板王德发(德发建筑劳务公司),,35000,5,同上\n"
    "GZ-003,2026-11-22,王五,13700001111,远大幕墙,,很多钱,2,\n"
    ",2026-11-22,赵六,13700002222,远大幕墙,,8000,1,\n"
)


def _import(runner: FlaskCliRunner, path: Path, channel: str, *extra: str) -> Any:
    result = runner.invoke(
        args=["complaints", "import", str(path), "--channel", channel, "--json", *extra]
    )
    return result, json.loads(result.output) if result.output.strip() else None


def _show(runner: FlaskCliRunner, case_no: str) -> dict[str, Any]:
    result = runner.invoke(args=["complaints", "show", case_no, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_import_creates_links_a_duplicate_and_reports_bad_rows(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    add_complaint(app, "261201-0001", employer="德发建筑劳务公司", contact_phone="13812345678")
    path = tmp_path / "national.csv"
    path.write_text(NATIONAL, encoding="utf-8-sig")
    result, answer = _import(runner, path, "national")
    assert result.exit_code == 0, result.output
    assert answer["created"] == 1 and answer["linked"] == 1
    assert [e["line"] for e in answer["errors"]] == [4, 5]
    assert "欠款金额" in answer["errors"][0]["why"] and "来源编号" in answer["errors"][1]["why"]

    wechat = _show(runner, "261201-0001")
    assert wechat["channel"] == "wechat"
    assert wechat["sources"] == [
        {"channel": "wechat", "reference": None},
        {"channel": "national", "reference": "GZ-002"},
    ]
    listed = json.loads(runner.invoke(args=["complaints", "list", "--json"]).output)
    imported = next(item for item in listed if item["channel"] == "national")
    assert len(listed) == 2  # the duplicate was not filed twice
    assert imported["sources"] == [{"channel": "national", "reference": "GZ-001"}]
    assert imported["amount_owed"] == 30000 and imported["amount_approximate"]
    assert imported["case_no"].startswith("261120-")  # numbered on the day it was received
    assert imported["contact_phone"] == "13911112222"

    again, answer = _import(runner, path, "national")
    assert again.exit_code == 0
    assert (answer["created"], answer["linked"], answer["skipped"]) == (0, 0, 2)


def test_xlsx_from_12345_with_a_header_mapping(runner: FlaskCliRunner, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["12345热线工单导出（2026年11月）"])  # a title above the header
    sheet.append(["工单编号", "来电人", "来电号码", "投诉对象", "涉及金额", "诉求内容"])
    sheet.append(["12345-77", "陈七", 13600001111, "恒力劳务公司", 12000.0, "工地欠薪"])
    sheet.append([None, None, None, None, None, None])  # blank rows are left out
    sheet.append(["12345-78", "陈九", 13600002222, "恒力劳务公司", "很多", ""])
    path = tmp_path / "hotline.xlsx"
    book.save(path)
    result, answer = _import(runner, path, "12345", "--map", "投诉对象=employer")
    assert result.exit_code == 0, result.output
    assert (answer["created"], answer["linked"], answer["skipped"]) == (1, 0, 0)
    assert [e["line"] for e in answer["errors"]] == [5]  # the spreadsheet's own row number
    case = json.loads(runner.invoke(args=["complaints", "list", "--json"]).output)[0]
    assert case["employer"] == "恒力劳务公司" and case["contact_phone"] == "13600001111"
    assert case["sources"] == [{"channel": "12345", "reference": "12345-77"}]


def test_gb18030_csv_as_excel_saves_it(runner: FlaskCliRunner, tmp_path: Path) -> None:
    path = tmp_path / "gbk.csv"
    path.write_bytes(
        "工单编号,来电人,来电号码,被反映单位,金额\nA-1,周八,13500001111,远大幕墙,9000\n".encode(
            "gb18030"
        )
    )
    _result, answer = _import(runner, path, "12345")
    assert answer["created"] == 1


@pytest.mark.parametrize(
    ("name", "content", "line", "why"),
    [
        ("clues.pdf", b"%PDF-1.4", 0, "CSV 或 XLSX"),
        ("clues.xlsx", b"not a zip at all", 0, "XLSX"),
        ("clues.csv", b"", 0, "空"),
        ("clues.csv", "姓名,电话\n张三,13800000000\n".encode(), 1, "来源编号"),
        ("clues.csv", b"\x00\x01\x02binary", 0, "CSV"),
    ],
)
def test_malformed_files_are_refused_whole(
    runner: FlaskCliRunner, tmp_path: Path, name: str, content: bytes, line: int, why: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = runner.invoke(
        args=["complaints", "import", str(path), "--channel", "national", "--json"]
    )
    assert result.exit_code == 1
    answer = json.loads(result.output[: result.output.rindex("}") + 1])
    assert answer["created"] == 0 and answer["errors"][0]["line"] == line
    assert why in answer["errors"][0]["why"]


def test_a_bad_mapping_and_an_unknown_channel_are_refused(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "x.csv"
    path.write_text("线索编号\nA\n", encoding="utf-8")
    assert (
        runner.invoke(args=["complaints", "import", str(path), "--channel", "wechat"]).exit_code
        == 2
    )
    result = runner.invoke(
        args=["complaints", "import", str(path), "--channel", "national", "--map", "电话=mobile"]
    )
    assert result.exit_code == 1 and "表头映射" in result.output
