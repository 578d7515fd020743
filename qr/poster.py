"""Posters of sites: the content from a site's facts, one file, or every active site and a zip."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from models import Site
from qr.codes import qr_modules
from qr.errors import MissingFacts, PosterError
from qr.fonts import PosterFont
from qr.layout import Page
from qr.poster_layout import PAGE_SIZES, PosterContent, layout_poster
from qr.render import render_pdf, render_png
from qr.sites import LABELS, missing_facts

FORMATS = (".pdf", ".png")
#: The facts table, in the order of the regulation's list (district goes with the address).
TABLE_FIELDS = (
    "builder",
    "general_contractor",
    "project_department",
    "subcontractors",
    "authority",
    "labour_manager",
    "minimum_wage",
    "pay_day",
    "inspection_phone",
    "mediation",
    "legal_aid",
)


def require_facts(site: Site) -> None:
    """Raise MissingFacts naming what the site lacks; checked before a WeChat code is spent."""
    missing = missing_facts(site)
    if missing:
        raise MissingFacts(site.code, missing)


def poster_content(site: Site, qr_data: str, made_on: date) -> PosterContent:
    """The board's content for a site whose facts are complete (else MissingFacts)."""
    require_facts(site)
    rows = [(LABELS[name], getattr(site, name)) for name in TABLE_FIELDS]
    manager = rows[TABLE_FIELDS.index("labour_manager")]
    rows[TABLE_FIELDS.index("labour_manager")] = (
        manager[0],
        f"{site.labour_manager}（电话：{site.labour_manager_phone}）",
    )
    return PosterContent(
        code=site.code,
        name=site.name,
        address=f"{site.address}（{site.district}）",
        qr_data=qr_modules(qr_data),
        rows=rows,
        inspection_phone=site.inspection_phone,
        labour_manager=site.labour_manager,
        labour_manager_phone=site.labour_manager_phone,
        version=site.facts_version,
        made_on=made_on,
    )


def poster_page(site: Site, qr_data: str, made_on: date, font: PosterFont) -> Page:
    """Lay out a site's poster; refuse characters the font would print as boxes."""
    page = layout_poster(poster_content(site, qr_data, made_on), font)
    missing = font.missing_glyphs(page.text())
    if missing:
        raise PosterError(f"工地 {site.code} 的信息中有字体无法显示的字符：{missing}")
    return page


def check_output(path: Path) -> str:
    """The format of an output path (".pdf" or ".png"), or PosterError."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise PosterError(f"输出文件须以 .pdf 或 .png 结尾：{path}")
    return suffix


def write_poster(page: Page, font: PosterFont, path: Path, *, size: str, title: str) -> None:
    """Write the page to ``path`` as PDF or PNG at ``size`` ("A4" or "A3")."""
    scale = PAGE_SIZES[size][0] / PAGE_SIZES["A4"][0]
    path.parent.mkdir(parents=True, exist_ok=True)
    if check_output(path) == ".pdf":
        render_pdf(page, font, path, scale=scale, title=title)
    else:
        render_png(page, font, path, scale=scale)


@dataclass
class BatchReport:
    """What ``qr posters`` made: files by site code, refusals by code, and the zip."""

    written: dict[str, Path] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)
    archive: Path | None = None


def write_posters(
    sites: Iterable[Site],
    out_dir: Path,
    *,
    qr_text: Callable[[Site], str],
    font: PosterFont,
    made_on: date,
    size: str = "A4",
    suffix: str = ".pdf",
) -> BatchReport:
    """One poster per site in ``out_dir`` (CODE.pdf), then all of them in one zip.

    A site that cannot have a poster is reported and skipped; the others are still made.
    """
    report = BatchReport()
    for site in sites:
        try:
            require_facts(site)
            page = poster_page(site, qr_text(site), made_on, font)
            path = out_dir / f"{site.code}{suffix}"
            write_poster(page, font, path, size=size, title=f"维权信息告示牌 {site.name}")
        except PosterError as exc:
            report.refused[site.code] = str(exc)
            continue
        report.written[site.code] = path
    if report.written:
        report.archive = out_dir / f"posters-{made_on:%Y%m%d}.zip"
        # PNG and PDF are compressed already; storing them keeps the zip fast.
        with zipfile.ZipFile(report.archive, "w", compression=zipfile.ZIP_STORED) as archive:
            for path in report.written.values():
                archive.write(path, arcname=path.name)
    return report
