"""Importing the spreadsheets the national clue platform and the 12345 hotline export.

A CSV (UTF-8 or GB18030, as Excel saves it) or XLSX file; its first row names the
columns, matched to our fields by the names in ``HEADERS`` (or a mapping given by staff).
Each row is read as the bot reads a worker's answers, filed once per source reference
(importing a file again creates nothing), and linked to the case it repeats when it is a
duplicate. Rows that cannot be read are reported by their row number; the others are kept.
Columns: docs/import.md.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cases.deadlines import CHINA, china_day
from cases.employers import link_unlinked
from cases.fields import BY_NAME, read_fields
from cases.intake import file_report
from models import utcnow
from models.complaint import ComplaintSource

#: Our field for each column name an export may use (compared without spaces, brackets'
#: contents or "*"). The English names are our own and always accepted.
HEADERS: dict[str, tuple[str, ...]] = {
    "reference": ("线索编号", "工单编号", "来源编号", "受理编号", "编号", "工单号"),
    "received": ("反映时间", "登记时间", "受理时间", "来电时间", "创建时间", "提交时间"),
    "contact_name": ("反映人", "反映人姓名", "来电人", "来电人姓名", "诉求人", "姓名", "联系人"),
    "phone": ("联系电话", "反映人电话", "来电号码", "手机号码", "手机号", "电话"),
    "id_number": ("身份证号", "身份证号码", "证件号码"),
    "employer": ("被反映单位", "欠薪单位", "用人单位", "被反映对象", "涉事单位", "欠薪主体"),
    "site": ("项目名称", "工程项目", "工地名称", "工地", "项目"),
    "amount": ("欠薪金额", "拖欠金额", "涉及金额", "金额"),
    "headcount": ("欠薪人数", "涉及人数", "人数"),
    "period": ("欠薪时间", "欠薪期间", "欠薪时段", "工作期间"),
    "work_type": ("工种",),
    "description": ("反映内容", "诉求内容", "问题描述", "情况描述", "来电内容"),
}
FIELDS = tuple(HEADERS)
#: The header is looked for in this many first rows (below a title row, say).
HEADER_ROWS = 5
REFERENCE_LENGTH = 64
#: A row is read in full, but no more rows than this per file (a district's month is
#: a few hundred; a wrong file should not run for an hour).
MAX_ROWS = 20_000


class ImportFileError(ValueError):
    """The file as a whole cannot be read (not a spreadsheet, no header row)."""

    def __init__(self, why: str, line: int = 0) -> None:
        super().__init__(why)
        self.line = line  # 1: the header row; 0: the file itself


@dataclass
class ImportResult:
    """What an import did: new cases, reports linked to earlier cases, rows already
    imported, and the rows it could not read."""

    created: int = 0
    linked: int = 0
    skipped: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The command's ``--json`` answer."""
        return {
            "created": self.created,
            "linked": self.linked,
            "skipped": self.skipped,
            "errors": self.errors,
        }


def _plain_header(name: str) -> str:
    name = re.sub(r"[（(][^）)]*[）)]", "", str(name))
    return re.sub(r"[\s*＊:：]", "", name).lower()


def header_map(header: list[str], mapping: Mapping[str, str] | None = None) -> dict[int, str]:
    """Which of our fields each column holds (by position); unknown columns are left out.

    ``mapping``: staff's own names, column -> field, tried before the built-in ones.
    """
    known = {_plain_header(alias): name for name, aliases in HEADERS.items() for alias in aliases}
    known.update({name: name for name in FIELDS})
    own = {_plain_header(column): name for column, name in (mapping or {}).items()}
    columns: dict[int, str] = {}
    for position, column in enumerate(header):
        name = own.get(_plain_header(column)) or known.get(_plain_header(column))
        if name and name not in columns.values():
            columns[position] = name
    return columns


def read_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """The rows of a CSV or XLSX file as text, each with its row number (the header is 1)."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        yield from _xlsx_rows(path)
    elif suffix in (".csv", ".txt"):
        yield from _csv_rows(path)
    else:
        raise ImportFileError(f"只能导入 CSV 或 XLSX 文件（收到 {suffix or '无扩展名'}）")


def _csv_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        raise ImportFileError("文件不是文本格式的 CSV")
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GB18030
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError("无法识别文件编码（请另存为 UTF-8 的 CSV）")
    try:
        for number, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            yield number, [cell.strip() for cell in row]
    except csv.Error as exc:
        raise ImportFileError(f"CSV 格式错误：{exc}") from None


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(f"无法读取 XLSX 文件：{type(exc).__name__}") from None
    try:
        sheet = book.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_cell_text(cell) for cell in row]
    finally:
        book.close()


def _cell_text(cell: Any) -> str:
    """A cell as text: a phone stored as a number keeps its digits, a date its ISO form."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime | date):
        return cell.isoformat(sep=" ") if isinstance(cell, datetime) else cell.isoformat()
    return str(cell).strip()


def parse_received(text: str) -> datetime | None:
    """When the source received the report: "2026-11-20", "2026/11/20 09:30" (China time)."""
    text = text.strip().replace("/", "-").replace("T", " ")
    text = re.sub(r"(\d{4})年(\d{1,2})月(\d{1,2})日?", r"\1-\2-\3", text)
    for pattern in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            moment = datetime.strptime(text, pattern)
        except ValueError:
            continue
        return moment.replace(tzinfo=CHINA)
    return None


def import_file(
    session: Session,
    path: Path,
    *,
    channel: str,
    config: Mapping[str, Any],
    mapping: Mapping[str, str] | None = None,
    staff_id: int | None = None,
) -> ImportResult:
    """Import every readable row of ``path`` from ``channel``; the caller commits."""
    result = ImportResult()
    rows = read_rows(path)
    header_line, columns = _header(rows, mapping)
    link_unlinked(session)  # the bot's cases, so that duplicates of them are found
    for line, row in rows:
        if line - header_line > MAX_ROWS:
            result.errors.append({"line": line, "why": f"超过{MAX_ROWS}行，其余未导入"})
            break
        if not any(row):
            continue
        values = {name: row[i] if i < len(row) else "" for i, name in columns.items()}
        _import_row(session, line, values, channel, config, staff_id, result)
    return result


def _header(
    rows: Iterator[tuple[int, list[str]]], mapping: Mapping[str, str] | None
) -> tuple[int, dict[int, str]]:
    """The header row and its columns: the first row naming a reference column.

    Exports often open with a title ("欠薪线索导出") or a blank row above the header.
    """
    first = None
    for line, row in rows:
        first = first or line
        columns = header_map(row, mapping)
        if "reference" in columns.values():
            return line, columns
        if line - first >= HEADER_ROWS - 1:
            break
    if first is None:
        raise ImportFileError("文件是空的")
    raise ImportFileError("缺少来源编号列（如“线索编号”或“工单编号”）", first)


def _import_row(
    session: Session,
    line: int,
    values: dict[str, str],
    channel: str,
    config: Mapping[str, Any],
    staff_id: int | None,
    result: ImportResult,
) -> None:
    reference = values.get("reference", "").strip()
    why = _row_problem(reference, values)
    if why is None and _imported(session, channel, reference):
        result.skipped += 1
        return
    received = parse_received(values["received"]) if values.get("received") else None
    reading = read_fields(values, china_day(received or utcnow()), None)
    if why is None and reading.errors:
        why = "；".join(f"{BY_NAME[k].label}：{v}" for k, v in reading.errors.items())
    if why is not None:
        result.errors.append({"line": line, "why": why})
        return
    try:
        with session.begin_nested():
            filed = file_report(
                session,
                reading,
                channel=channel,
                reference=reference,
                config=config,
                staff_id=staff_id,
                received=received,
            )
    except IntegrityError:
        result.errors.append({"line": line, "why": "保存失败（来源编号重复？）"})
        return
    if filed.linked:
        result.linked += 1
    else:
        result.created += 1


def _row_problem(reference: str, values: Mapping[str, str]) -> str | None:
    if not reference:
        return "缺少来源编号"
    if len(reference) > REFERENCE_LENGTH:
        return f"来源编号超过{REFERENCE_LENGTH}个字符"
    if values.get("received") and parse_received(values["received"]) is None:
        return f"无法识别反映时间“{values['received'][:30]}”（应为 2026-11-20 或 2026-11-20 09:30）"
    return None


def _imported(session: Session, channel: str, reference: str) -> bool:
    return (
        session.scalar(
            select(ComplaintSource.id).where(
                ComplaintSource.channel == channel, ComplaintSource.reference == reference
            )
        )
        is not None
    )


def parse_mapping(pairs: tuple[str, ...]) -> dict[str, str]:
    """``("反映人手机=phone", ...)`` as a mapping; an unknown field is refused."""
    mapping = {}
    for pair in pairs:
        column, _, name = pair.partition("=")
        if not column.strip() or name.strip() not in FIELDS:
            raise ValueError(f"表头映射“{pair}”应为 表头=字段，字段是 {', '.join(FIELDS)} 之一")
        mapping[column.strip()] = name.strip()
    return mapping
