"""Draw a laid-out :class:`Page` as a vector PDF (reportlab) or a 300 dpi PNG (Pillow)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from PIL import Image, ImageDraw
from reportlab.lib.colors import HexColor
from reportlab.pdfgen.canvas import Canvas

from sites.posters.fonts import PosterFont
from sites.posters.layout import Modules, Page, Rect, Text

PNG_DPI = 300
BOLD_STROKE = 0.035  # of the type size: a stroked outline stands in for a bold face

Target = str | Path | BinaryIO


def dark_runs(modules: list[list[bool]]) -> Iterator[tuple[int, int, int]]:
    """(row, first column, length) of each horizontal run of dark modules."""
    for row, cells in enumerate(modules):
        col = 0
        while col < len(cells):
            if cells[col]:
                start = col
                while col < len(cells) and cells[col]:
                    col += 1
                yield row, start, col - start
            else:
                col += 1


def render_pdf(
    page: Page, font: PosterFont, target: Target, *, scale: float = 1.0, title: str = ""
) -> None:
    """Write the page as a one-page PDF: vector QR, real text in the embedded CJK subset."""
    out = str(target) if isinstance(target, Path) else target
    canvas = Canvas(
        out,
        pagesize=(page.width * scale, page.height * scale),
        initialFontName=font.name,
        pageCompression=1,
    )
    canvas.setTitle(title)
    canvas.setAuthor("安薪 Anxin")
    canvas.setCreator("安薪 Anxin qr poster")
    canvas.scale(scale, scale)
    for op in page.ops:
        if isinstance(op, Rect):
            _pdf_rect(canvas, page, op)
        elif isinstance(op, Text):
            _pdf_text(canvas, page, font, op)
        else:
            _pdf_modules(canvas, page, op)
    canvas.showPage()
    canvas.save()


def _pdf_rect(canvas: Canvas, page: Page, op: Rect) -> None:
    if op.fill:
        canvas.setFillColor(HexColor(op.fill))
    if op.stroke:
        canvas.setStrokeColor(HexColor(op.stroke))
        canvas.setLineWidth(op.line_width)
    y = page.height - op.y - op.h  # PDF's origin is the bottom left
    canvas.rect(op.x, y, op.w, op.h, stroke=int(bool(op.stroke)), fill=int(bool(op.fill)))


def _pdf_text(canvas: Canvas, page: Page, font: PosterFont, op: Text) -> None:
    # The render mode, stroke colour and width are graphics state in PDF and outlive the
    # text object (reportlab does not write the default mode 0 again): a bold line is drawn
    # inside q/Q, or the title's 1.4 pt stroke smears every smaller line after it.
    canvas.saveState()
    text = canvas.beginText(op.x, page.height - op.y)
    text.setFont(font.name, op.size)
    text.setFillColor(HexColor(op.color))
    if op.bold:
        canvas.setStrokeColor(HexColor(op.color))
        canvas.setLineWidth(op.size * BOLD_STROKE)
        text.setTextRenderMode(2)  # fill, then stroke: still plain, selectable text
    text.textOut(op.text)
    canvas.drawText(text)
    canvas.restoreState()


def _pdf_modules(canvas: Canvas, page: Page, op: Modules) -> None:
    unit = op.size / len(op.modules)
    canvas.setFillColor(HexColor("#FFFFFF"))
    canvas.rect(op.x, page.height - op.y - op.size, op.size, op.size, stroke=0, fill=1)
    canvas.setFillColor(HexColor("#000000"))
    path = canvas.beginPath()
    for row, col, length in dark_runs(op.modules):
        top = page.height - op.y - (row + 1) * unit
        path.rect(op.x + col * unit, top, length * unit, unit)
    canvas.drawPath(path, stroke=0, fill=1)


def render_png(
    page: Page, font: PosterFont, target: Target, *, scale: float = 1.0, dpi: int = PNG_DPI
) -> None:
    """Write the page as an RGB PNG at ``dpi`` (300 by default), whole pixels per module."""
    k = scale * dpi / 72
    image = Image.new("RGB", (round(page.width * k), round(page.height * k)), "white")
    draw = ImageDraw.Draw(image)
    for op in page.ops:
        if isinstance(op, Rect):
            _png_rect(draw, op, k)
        elif isinstance(op, Text):
            _png_text(draw, font, op, k)
        else:
            _png_modules(draw, op, k)
    out = str(target) if isinstance(target, Path) else target
    image.save(out, format="PNG", dpi=(dpi, dpi))
    image.close()


def _png_rect(draw: ImageDraw.ImageDraw, op: Rect, k: float) -> None:
    box = (
        round(op.x * k),
        round(op.y * k),
        round((op.x + op.w) * k) - 1,
        round((op.y + op.h) * k) - 1,
    )
    width = max(1, round(op.line_width * k)) if op.stroke else 0
    draw.rectangle(box, fill=op.fill, outline=op.stroke, width=width)


def _png_text(draw: ImageDraw.ImageDraw, font: PosterFont, op: Text, k: float) -> None:
    stroke = round(op.size * BOLD_STROKE * k / 2) if op.bold else 0  # Pillow strokes both sides
    draw.text(
        (op.x * k, op.y * k),
        op.text,
        fill=op.color,
        font=font.pillow(round(op.size * k)),
        anchor="ls",
        stroke_width=stroke,
        stroke_fill=op.color,
    )


def _png_modules(draw: ImageDraw.ImageDraw, op: Modules, k: float) -> None:
    count = len(op.modules)
    unit = int(op.size * k // count)  # whole pixels per module keep the edges sharp
    left = round(op.x * k + (op.size * k - unit * count) / 2)
    top = round(op.y * k + (op.size * k - unit * count) / 2)
    draw.rectangle(
        (
            round(op.x * k),
            round(op.y * k),
            round((op.x + op.size) * k) - 1,
            round((op.y + op.size) * k) - 1,
        ),
        fill="white",
    )
    for row, col, length in dark_runs(op.modules):
        x0, y0 = left + col * unit, top + row * unit
        draw.rectangle((x0, y0, x0 + length * unit - 1, y0 + unit - 1), fill="black")
