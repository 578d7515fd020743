"""The arrangement of the 维权信息告示牌: header, project, QR and hotlines, facts, footer.

Pure: content and a font's metrics in, a :class:`Page` out. Designed on A4 in points; A3
is the same page scaled by √2 (ISO sizes), which the renderers apply.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from reportlab.lib.pagesizes import A3, A4

from sites.posters.errors import PosterError
from sites.posters.layout import Measure, Modules, Page, Rect, Text, centred_x, wrap_text

PAGE_SIZES = {"A4": A4, "A3": A3}
TEMPLATE = "1"  # printed on the board; bump when the layout or wording changes
TITLE = "维权信息告示牌"
BASIS = "依据《保障农民工工资支付条例》（国务院令第724号）设置"
SCAN_LINE = "扫码即可反映欠薪问题，系统自动关联本项目"
PRIVACY = (
    "隐私提示：扫码提交的信息仅用于依法处理欠薪问题并严格保密；扫码统计只记次数，"
    "不向工地或用人单位提供扫码人身份。"
)
HOTLINES = (
    ("12333", "人力资源社会保障服务热线"),
    ("12345", "政务服务便民热线"),
    ("12348", "公共法律服务热线（法律援助）"),
)
INSPECTION_LABEL = "劳动保障监察投诉举报"
RED, NAVY, INK, GREY = "#B3261E", "#17325C", "#1B1B1B", "#4A4A4A"
PALE, LABEL_BG, RULE, WHITE = "#FFF4F2", "#EEF2F7", "#9AA5B4", "#FFFFFF"
MARGIN, GAP, QR_SIZE, LABEL_W = 32.0, 18.0, 252.0, 136.0
LEADING = 1.35
TABLE_LEADING = 1.28  # the table is dense text read at arm's length
TABLE_SIZES = (10.5, 10.0, 9.5, 9.0, 8.5, 8.0, 7.5)


@dataclass(frozen=True)
class PosterContent:
    """Everything the board prints; ``rows`` are the legally required facts as (label, value)."""

    code: str
    name: str
    address: str
    qr_data: list[list[bool]]
    rows: list[tuple[str, str]]
    inspection_phone: str
    labour_manager: str
    labour_manager_phone: str
    version: int
    made_on: date


class _Writer:
    """Appends ops to a page with the font's metrics at hand."""

    def __init__(self, page: Page, font: Measure) -> None:
        self.page, self.font = page, font

    def lines(
        self,
        text: str,
        size: float,
        x: float,
        y: float,
        width: float,
        *,
        color: str = INK,
        bold: bool = False,
        centre: bool = False,
        leading: float = LEADING,
    ) -> float:
        """Wrap ``text`` into [x, x + width] from top ``y``; return the y below the last line."""
        for line in wrap_text(self.font, text, size, width):
            left = centred_x(self.font, line, size, x, width) if centre else x
            # The baseline sits one em below the line's top; CJK glyphs fill about 0.88 em.
            self.page.ops.append(Text(left, y + size, line, size, color, bold))
            y += size * leading
        return y

    def height(self, text: str, size: float, width: float) -> float:
        """The height ``lines`` would take."""
        return len(wrap_text(self.font, text, size, width)) * size * LEADING


def layout_poster(content: PosterContent, font: Measure) -> Page:
    """Lay the board out on an A4 page (points); refuse content that cannot fit."""
    width, height = A4
    page = Page(width, height)
    out = _Writer(page, font)
    inner = width - 2 * MARGIN
    page.ops.append(Rect(0, 0, width, 98, fill=RED))
    out.lines(TITLE, 40, MARGIN, 16, inner, color=WHITE, bold=True, centre=True)
    out.lines(BASIS, 11, MARGIN, 70, inner, color=WHITE, centre=True)
    y = out.lines(content.name, 22, MARGIN, 116, inner, color=INK, bold=True, centre=True)
    y = out.lines(f"项目地址：{content.address}", 11, MARGIN, y + 2, inner, color=GREY, centre=True)
    y = _qr_and_hotlines(out, content, y + 12)
    footer_top = _footer(out, content, height)
    _facts_table(out, content.rows, y + 14, footer_top - 10)
    return page


def _qr_and_hotlines(out: _Writer, content: PosterContent, top: float) -> float:
    ops, width = out.page.ops, out.page.width
    ops.append(Modules(MARGIN, top, QR_SIZE, content.qr_data))
    ops.append(Rect(MARGIN, top, QR_SIZE, QR_SIZE, stroke=RED, line_width=2.5))
    y = out.lines(
        "微信扫一扫 · 反映欠薪",
        17,
        MARGIN,
        top + QR_SIZE + 8,
        QR_SIZE,
        color=RED,
        bold=True,
        centre=True,
    )
    y = out.lines(SCAN_LINE, 10, MARGIN, y + 1, QR_SIZE, color=INK, centre=True)
    y = out.lines(
        f"也可在公众号内发送：工地 {content.code}", 9, MARGIN, y, QR_SIZE, color=GREY, centre=True
    )
    left = MARGIN + QR_SIZE + GAP
    panel_w = width - MARGIN - left
    ops.append(Rect(left, top, panel_w, y - top, fill=PALE, stroke=RED, line_width=1))
    x, w = left + 14, panel_w - 28
    py = out.lines("欠薪投诉举报电话", 15, x, top + 12, w, color=RED, bold=True)
    for number, label in hotline_entries(content.inspection_phone):
        size = _fit_size(out.font, number, 22, w)
        py = out.lines(number, size, x, py + 6, w, color=INK, bold=True)
        py = out.lines(label, 9.5, x, py - 2, w, color=GREY)
    ops.append(Rect(x, py + 8, w, 0.8, fill=RULE))
    py = out.lines("劳资专管员", 9.5, x, py + 16, w, color=GREY)
    manager = f"{content.labour_manager}  {content.labour_manager_phone}"
    py = out.lines(manager, 14, x, py + 2, w, color=INK, bold=True)
    if py > y:
        raise PosterError("热线栏内容过长，无法排版；请缩短劳动保障监察电话或劳资专管员信息。")
    return y


def hotline_entries(inspection_phone: str) -> list[tuple[str, str]]:
    """The panel's numbers in order, each once: a site whose inspection line is 12333 gets
    one 12333 with both labels (numbers compared by their digits)."""
    merged: dict[str, tuple[str, list[str]]] = {}
    for number, label in [(inspection_phone, INSPECTION_LABEL), *HOTLINES]:
        key = "".join(ch for ch in number if ch.isdigit()) or number
        merged.setdefault(key, (number, []))[1].append(label)
    return [(number, "、".join(labels)) for number, labels in merged.values()]


def _fit_size(font: Measure, text: str, size: float, width: float) -> float:
    """The largest size up to ``size`` at which ``text`` fits on one line (a phone number)."""
    while size > 12 and font.width(text, size) > width:
        size -= 1
    return size


def _facts_table(out: _Writer, rows: list[tuple[str, str]], top: float, bottom: float) -> None:
    """The facts as a two-column table, in the largest type size that fits above the footer."""
    ops, width = out.page.ops, out.page.width
    value_w = width - 2 * MARGIN - LABEL_W
    for size in TABLE_SIZES:
        heights = list(_row_heights(out, rows, size, value_w))
        if top + 24 + sum(heights) <= bottom:
            break
    else:
        raise PosterError(
            "告示牌信息过长，一页排不下；请精简项目名称、地址、分包单位、调解仲裁或法律援助等内容。"
        )
    ops.append(Rect(MARGIN, top, width - 2 * MARGIN, 24, fill=NAVY))
    out.lines("项目基本信息", 12, MARGIN + 8, top + 4.5, LABEL_W, color=WHITE, bold=True)
    y = top + 24
    # CJK glyphs span 0.88 em above the baseline to 0.12 below; text starts 0.28 em down,
    # so each cell has 0.4 em of space above and below, shrinking with the type.
    pad = size * 0.28
    for (label, value), row_h in zip(rows, heights, strict=True):
        ops.append(Rect(MARGIN, y, LABEL_W, row_h, fill=LABEL_BG, stroke=RULE, line_width=0.6))
        ops.append(Rect(MARGIN + LABEL_W, y, value_w, row_h, stroke=RULE, line_width=0.6))
        for text, x, w, color in (
            (label, MARGIN + 7, LABEL_W - 12, NAVY),
            (value, MARGIN + LABEL_W + 8, value_w - 14, INK),
        ):
            out.lines(
                text, size, x, y + pad, w, color=color, bold=color == NAVY, leading=TABLE_LEADING
            )
        y += row_h


def _row_heights(
    out: _Writer, rows: list[tuple[str, str]], size: float, value_w: float
) -> Iterator[float]:
    for label, value in rows:
        label_lines = len(wrap_text(out.font, label, size, LABEL_W - 12))
        value_lines = len(wrap_text(out.font, value, size, value_w - 14))
        yield size * ((max(label_lines, value_lines) - 1) * TABLE_LEADING + 1.8)


def _footer(out: _Writer, content: PosterContent, height: float) -> float:
    """The privacy note and the version line at the foot of the page; returns their top."""
    ops, inner = out.page.ops, out.page.width - 2 * MARGIN
    note_h = out.height(PRIVACY, 8.5, inner - 16) + 10
    footer_y = height - MARGIN - 10
    top = footer_y - 8 - note_h
    ops.append(Rect(MARGIN, top, inner, note_h, stroke=RULE, line_width=0.6))
    out.lines(PRIVACY, 8.5, MARGIN + 8, top + 4, inner - 16, color=GREY)
    made = content.made_on.isoformat()
    left = f"告示牌版本 v{content.version} · 模板 {TEMPLATE} · 生成日期 {made}"
    right = f"工地编号 {content.code} · 安薪维权服务"
    ops.append(Text(MARGIN, footer_y + 8, left, 8, GREY))
    ops.append(Text(MARGIN + inner - out.font.width(right, 8), footer_y + 8, right, 8, GREY))
    return top
