"""``sites import``: read a CSV of sites, keep the good rows, report the bad ones by line."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from sites.registry import FIELD_NAMES, clean_site_values, save_site

#: Headers besides the board's fields that the file may carry.
EXTRA_HEADERS = ("active",)


@dataclass
class ImportReport:
    """What an import did; ``errors`` holds (line number, message) in file order."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


class CSVFileError(ValueError):
    """The file as a whole cannot be read (encoding, headers); no row was imported."""


def decode_csv(data: bytes) -> str:
    """Decode UTF-8 with or without BOM; anything else is refused with a hint for Excel."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CSVFileError(
            "文件不是 UTF-8 编码。请在 Excel 中“另存为 → CSV UTF-8（逗号分隔）”后重试。"
        ) from None


def import_sites(session: Session, text: str) -> ImportReport:
    """Save every valid row (a later row with the same code updates it) and report the rest."""
    # csv.reader, not DictReader: DictReader skips blank lines silently, which would shift
    # the line numbers reported back to the person fixing the file.
    reader = csv.reader(io.StringIO(text, newline=""))
    report = ImportReport()
    try:
        headers = [h.strip().lower() for h in next(reader, [])]
    except csv.Error as exc:
        raise CSVFileError(f"表头无法解析：{exc}") from None
    _check_headers(headers)
    line = reader.line_num + 1
    try:
        for cells in reader:
            _import_row(session, headers, cells, line, report)
            line = reader.line_num + 1  # quoted cells may span lines: the next row starts here
    except csv.Error as exc:
        # The rows before are kept, as with any bad row; the rest of the file cannot be read.
        report.errors.append((line, f"无法解析（{exc}），此行及其后的行未导入"))
    return report


def _check_headers(headers: list[str]) -> None:
    if not any(headers):
        raise CSVFileError("文件为空，或缺少表头行。")
    named = [h for h in headers if h]
    unknown = [h for h in named if h not in FIELD_NAMES and h not in EXTRA_HEADERS]
    missing = [h for h in ("code", "name") if h not in headers]
    problems = []
    if unknown:
        problems.append(f"未知的列：{'、'.join(unknown)}")
    if missing:
        problems.append(f"缺少必需的列：{'、'.join(missing)}")
    if len(set(named)) != len(named):
        problems.append("表头中有重复的列")
    if problems:
        allowed = ", ".join((*FIELD_NAMES, *EXTRA_HEADERS))
        raise CSVFileError("；".join(problems) + f"。可用的列：{allowed}")


def _import_row(
    session: Session, headers: list[str], cells: list[str], line: int, report: ImportReport
) -> None:
    if all(not cell.strip() for cell in cells):
        return  # blank lines in spreadsheets are not errors
    if any(cell.strip() for cell in cells[len(headers) :]):
        report.errors.append((line, f"本行的单元格多于表头的 {len(headers)} 列"))
        return
    # Spreadsheets add unnamed empty columns; their cells are ignored.
    row: dict[str, Any] = {h: c for h, c in zip(headers, cells, strict=False) if h}
    data, errors = clean_site_values(row)
    if data is not None and not data.facts.get("name"):
        errors.append("项目名称不能为空")
    if data is None or errors:
        report.errors.append((line, "；".join(errors)))
        return
    result = save_site(session, data)
    if result.created:
        report.created.append(data.code)
    elif result.changed:
        report.updated.append(data.code)
    else:
        report.unchanged.append(data.code)
