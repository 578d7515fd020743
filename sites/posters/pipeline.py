"""The one poster pipeline of ``flask sites poster(s)`` and the console's PDF download.

Site -> checks (active, every fact) -> QR content (:func:`choose_source` decides WeChat code
or landing page, the same way for every caller) -> page -> PDF or PNG, or a batch and a zip.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session
from wechatpy import WeChatClient

from models import Site
from sites.posters.board import PAGE_SIZES, PosterContent, layout_poster
from sites.posters.codes import is_local_url, qr_modules, qr_text, use_wechat
from sites.posters.errors import MissingFacts, PosterError, SiteNotFound
from sites.posters.fonts import PosterFont
from sites.posters.layout import Page
from sites.posters.render import Target, render_pdf, render_png
from sites.registry import LABELS, missing_facts

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


@dataclass(frozen=True)
class QRSource:
    """Where posters' QR codes point: WeChat permanent codes (``client``) or landing pages.

    ``warning`` is for the person making posters (a development link to this machine).
    """

    public_base_url: str
    limit: int
    client: WeChatClient | None = None
    warning: str | None = None


def choose_source(
    config: Mapping[str, Any], choice: bool | None, connect: Callable[[], WeChatClient]
) -> QRSource:
    """The rule for every poster: WeChat's code in production or when asked, else the page.

    ``choice`` is ``--wechat``/``--link`` (None: by environment); ``connect`` gives the WeChat
    client and is called only when codes come from WeChat.
    """
    base, limit = config["PUBLIC_BASE_URL"], int(config["WECHAT_PERMANENT_QR_LIMIT"])
    if use_wechat(config, choice):
        try:
            return QRSource(base, limit, client=connect())
        except RuntimeError as exc:
            raise PosterError(f"无法连接公众号接口（{exc}）；可改用 --link。") from None
    if not is_local_url(base):
        return QRSource(base, limit)
    if config.get("ANXIN_ENV") == "production":
        raise PosterError("PUBLIC_BASE_URL 是本机地址，手机扫码无法打开；请先设置公网地址。")
    return QRSource(base, limit, warning=f"注意：二维码指向本机地址 {base}，仅供测试。")


@dataclass
class PosterMaker:
    """Makes the posters of one command or download: one QR source, font and date for all."""

    session: Session
    source: QRSource
    font: PosterFont
    made_on: date

    def qr_text(self, site: Site) -> str:
        """The site's QR content; a new WeChat code is committed at once, as it is permanent."""
        had_code = site.qr_url is not None
        text = qr_text(
            self.session,
            site,
            public_base_url=self.source.public_base_url,
            client=self.source.client,
            limit=self.source.limit,
        )
        if self.source.client is not None and not had_code:
            # WeChat counts the code against the account's cap whether we keep it or not.
            self.session.commit()
        return text

    def page(self, site: Site) -> tuple[Page, str]:
        """The site's laid-out poster and its QR content; facts are checked before a code."""
        if not site.active:
            raise SiteNotFound(f"工地 {site.code} 已停用，不再生成告示牌。")
        require_facts(site)
        text = self.qr_text(site)
        return poster_page(site, text, self.made_on, self.font), text

    def write(self, site: Site, target: Target, *, size: str = "A4", fmt: str = ".pdf") -> str:
        """Write the site's poster to a path or binary file; return its QR content."""
        page, text = self.page(site)
        render(page, self.font, target, size=size, fmt=fmt, title=f"维权信息告示牌 {site.name}")
        return text


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


def render(
    page: Page, font: PosterFont, target: Target, *, size: str, fmt: str, title: str
) -> None:
    """Write the page as ``fmt`` (".pdf" or ".png") at ``size`` ("A4" or "A3")."""
    scale = PAGE_SIZES[size][0] / PAGE_SIZES["A4"][0]
    if isinstance(target, Path):
        target.parent.mkdir(parents=True, exist_ok=True)
    if fmt == ".pdf":
        render_pdf(page, font, target, scale=scale, title=title)
    else:
        render_png(page, font, target, scale=scale)


@dataclass
class BatchReport:
    """What ``sites posters`` made: files by site code, refusals by code, and the zip."""

    written: dict[str, Path] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)
    archive: Path | None = None


def write_posters(
    sites: Iterable[Site], out_dir: Path, maker: PosterMaker, *, size: str = "A4", fmt: str = ".pdf"
) -> BatchReport:
    """One poster per site in ``out_dir`` (CODE.pdf), then all of them in one zip.

    A site that cannot have a poster is reported and skipped; the others are still made.
    """
    report = BatchReport()
    for site in sites:
        path = out_dir / f"{site.code}{fmt}"
        try:
            maker.write(site, path, size=size, fmt=fmt)
        except PosterError as exc:
            report.refused[site.code] = str(exc)
            continue
        report.written[site.code] = path
    if report.written:
        report.archive = out_dir / f"posters-{maker.made_on:%Y%m%d}.zip"
        # PNG and PDF are compressed already; storing them keeps the zip fast.
        with zipfile.ZipFile(report.archive, "w", compression=zipfile.ZIP_STORED) as archive:
            for path in report.written.values():
                archive.write(path, arcname=path.name)
    return report
