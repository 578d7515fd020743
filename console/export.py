"""CSV and XLSX exports of the queue: one row per case, every field.

Columns follow the order of the national wage-arrears clue platform's form
(全国根治欠薪线索反映平台): complainant, sector, employer, project, address, general
contractor, period, amount, headcount, work content, evidence; then the case's own fields.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from unicodedata import east_asian_width

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cases.deadlines import CHINA
from cases.statuses import status_name
from console.queue import CaseRow
from models import Evidence

Column = tuple[str, Callable[[CaseRow, dict[int, int], date], Any]]


def _yes(value: bool) -> str:
    return "是" if value else "否"


COLUMNS: list[Column] = [
    ("投诉人姓名", lambda r, e, t: r.complaint.contact_name),
    ("联系电话", lambda r, e, t: r.complaint.contact_phone),
    ("身份证号", lambda r, e, t: r.complaint.id_number),
    ("是否工程建设领域", lambda r, e, t: _yes(r.complaint.is_construction)),
    ("用人单位", lambda r, e, t: r.complaint.employer),
    ("包工头", lambda r, e, t: r.complaint.contractor),
    ("包工头受雇于", lambda r, e, t: r.complaint.contractor_hired_by),
    ("项目名称", lambda r, e, t: r.complaint.project_name),
    ("项目地址", lambda r, e, t: r.complaint.project_address),
    ("施工总承包单位", lambda r, e, t: r.complaint.general_contractor),
    ("欠薪开始日期", lambda r, e, t: r.complaint.period_start),
    ("欠薪结束日期", lambda r, e, t: r.complaint.period_end),
    ("欠薪时间段", lambda r, e, t: r.complaint.period_text),
    ("欠薪金额（元）", lambda r, e, t: r.complaint.amount_owed),
    ("金额为估计", lambda r, e, t: _yes(r.complaint.amount_approximate)),
    ("欠薪人数", lambda r, e, t: r.complaint.headcount),
    ("工种", lambda r, e, t: r.complaint.work_type),
    ("工作内容", lambda r, e, t: r.complaint.work_content),
    ("证据数量", lambda r, e, t: e.get(r.complaint.id, 0)),
    ("情况说明", lambda r, e, t: r.complaint.description),
    # A group case on its own, or a member of an urgent collective case (群体性案件).
    ("群体性", lambda r, e, t: _yes(r.urgent)),
    ("案件编号", lambda r, e, t: r.complaint.case_no),
    ("状态", lambda r, e, t: status_name(r.complaint.status)),
    ("工地编号", lambda r, e, t: r.complaint.site.code if r.complaint.site else None),
    ("提交时间（北京时间）", lambda r, e, t: r.complaint.submitted_at or r.complaint.created_at),
    ("首次联系期限", lambda r, e, t: r.clocks.first_contact_by),
    ("受理期限", lambda r, e, t: r.clocks.accept_by),
    ("办结期限", lambda r, e, t: r.clocks.investigate_by),
    ("下一期限", lambda r, e, t: r.clocks.next_due),
    ("是否逾期", lambda r, e, t: _yes(r.clocks.overdue(t))),
    ("追回金额（元）", lambda r, e, t: r.complaint.amount_recovered),
    ("转交单位", lambda r, e, t: r.work.transferred_to if r.work else None),
]


def evidence_counts(session: Session, ids: Sequence[int]) -> dict[int, int]:
    """Evidence items per complaint id."""
    rows = session.execute(
        select(Evidence.complaint_id, func.count(Evidence.id))
        .where(Evidence.complaint_id.in_(ids))
        .group_by(Evidence.complaint_id)
    )
    return {cid: n for cid, n in rows if cid is not None}


def table(session: Session, rows: list[CaseRow], today: date) -> list[list[Any]]:
    """Header row, then one row per case, as Python values."""
    counts = evidence_counts(session, [r.complaint.id for r in rows])
    body = [[getter(r, counts, today) for _, getter in COLUMNS] for r in rows]
    return [[name for name, _ in COLUMNS], *body]


#: What makes a spreadsheet read a cell as a formula (or DDE command): OWASP's list, plus
#: LF and the full-width forms a Chinese input method types.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
#: Text that only looks like a signed number or phone ("-5", "+86 138 1234 5678"): no
#: spreadsheet can run it, and an apostrophe in front would spoil the value.
_PLAIN_NUMBER = re.compile(r"[+-]?\d[\d ]{0,30}(?:\.\d{1,10})?")


def neutralise(text: str) -> str:
    """``text`` made inert in a spreadsheet: a leading apostrophe if it could start a formula."""
    if text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def to_csv(data: list[list[Any]]) -> bytes:
    """UTF-8 with a BOM, so that Excel on Chinese Windows opens it right."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in data:
        writer.writerow([_csv_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(data: list[list[Any]]) -> bytes:
    """An XLSX workbook with one sheet; numbers stay numbers, times are Beijing time.

    Columns are as wide as their contents (within limits) and the header row is frozen.

    Every text is written as a string cell, never a formula (openpyxl would otherwise make
    a formula of any text starting with "="), and neutralised for when it is copied out.
    """
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "案件"
    for row in data:
        sheet.append([_cell(v) for v in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"
            elif isinstance(cell.value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    _layout(sheet, data)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


#: Column widths in characters (a Chinese character counts two): at least a header's width,
#: at most what a screen shows without the description taking it over.
MIN_WIDTH, MAX_WIDTH = 8, 40


def _layout(sheet: Worksheet, data: list[list[Any]]) -> None:
    """Widths that fit each column's header and values, a frozen header row, a filter."""
    for index, column in enumerate(zip(*data, strict=True), start=1):
        widest = max(display_width(_shown(value)) for value in column)
        width = min(max(widest + 2, MIN_WIDTH), MAX_WIDTH)
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"  # the header stays in view while scrolling down
    if data and data[0]:
        sheet.auto_filter.ref = sheet.dimensions


def display_width(text: str) -> int:
    """How many columns ``text`` takes in a spreadsheet: wide (CJK) characters count two."""
    return sum(2 if east_asian_width(char) in "WF" else 1 for char in text)


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return "0000-00-00 00:00"
    return _csv_cell(value)


def beijing(moment: datetime) -> str:
    """A timestamp as the bureau reads it: Beijing time, to the minute."""
    return moment.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):  # PostgreSQL's NUMERIC(12,2) gives "35000.00"
        return format(value.normalize(), "f")
    if _is_number(value):
        return str(value)  # a number stays as it is, "-5" included
    return neutralise(_text(value))


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _text(value: Any) -> str:
    if isinstance(value, datetime):
        return beijing(value)
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _cell(value: Any) -> Any:
    # openpyxl cannot store aware datetimes: a timestamp is written as Beijing wall time
    # (a real date cell, to the minute); Decimal becomes float for a numeric cell.
    if isinstance(value, datetime):
        return value.astimezone(CHINA).replace(tzinfo=None, second=0, microsecond=0)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        return neutralise(value)
    return value
