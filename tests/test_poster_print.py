"""The poster as printed: the PDF's small text as sharp as the PNG's, each hotline once."""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
import qrcode
from PIL import Image

from sites.posters.board import (
    HOTLINES,
    INSPECTION_LABEL,
    PosterContent,
    hotline_entries,
    layout_poster,
)
from sites.posters.fonts import find_font
from sites.posters.layout import Page, Text
from sites.posters.render import render_pdf, render_png


def content(inspection_phone: str = "0519-86688123") -> PosterContent:
    """A complete board for a made-up site."""
    code = qrcode.QRCode(border=0)
    code.add_data("http://127.0.0.1:8000/s/ZL-01")
    code.make()
    return PosterContent(
        code="ZL-01",
        name="新城花园三期工程",
        address="常州市钟楼区新闸街道龙江中路100号（钟楼区新闸街道）",
        qr_data=code.get_matrix(),
        rows=[("建设单位", "常州城建集团有限公司"), ("施工总承包单位", "江苏华建建设股份有限公司")],
        inspection_phone=inspection_phone,
        labour_manager="王建国",
        labour_manager_phone="13912345678",
        version=1,
        made_on=date(2026, 12, 3),
    )


def ink(image: Image.Image, op: Text, width: float, dpi: int) -> int:
    """Pixels of the line ``op`` that stand out from its background (the commonest shade)."""
    k = dpi / 72
    top, bottom = round((op.y - op.size) * k), round((op.y + 0.3 * op.size) * k)
    band = image.crop((round(op.x * k), top, round((op.x + width) * k), bottom)).convert("L")
    values = list(band.tobytes())  # one byte per pixel in mode L
    background = Counter(values).most_common(1)[0][0]
    return sum(1 for v in values if abs(v - background) > 80)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler-utils")
@pytest.mark.parametrize("dpi", [150, 300])
def test_small_pdf_text_is_as_sharp_as_the_png(tmp_path: Path, dpi: int) -> None:
    font = find_font()
    page: Page = layout_poster(content(), font)
    render_pdf(page, font, tmp_path / "p.pdf")
    render_png(page, font, tmp_path / "p.png", dpi=dpi)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            str(dpi),
            "-png",
            "-singlefile",
            str(tmp_path / "p.pdf"),
            str(tmp_path / "r"),
        ],
        check=True,
    )
    with Image.open(tmp_path / "r.png") as pdf, Image.open(tmp_path / "p.png") as png:
        small = [op for op in page.ops if isinstance(op, Text) and not op.bold and op.size <= 12]
        assert any("依据" in op.text for op in small)  # the white subtitle on the red band
        for op in small:
            width = font.width(op.text, op.size)
            ratio = ink(pdf, op, width, dpi) / max(1, ink(png, op, width, dpi))
            # A stroke leaking from the bold title made the subtitle ~3x as heavy.
            assert 0.8 < ratio < 1.25, (op.text, ratio)


def test_a_hotline_number_is_printed_once() -> None:
    entries = hotline_entries("12333")
    assert [number for number, _ in entries] == ["12333", "12345", "12348"]
    assert entries[0][1] == f"{INSPECTION_LABEL}、{HOTLINES[0][1]}"
    page = layout_poster(content("12333"), find_font())
    assert sum(op.text == "12333" for op in page.ops if isinstance(op, Text)) == 1


def test_distinct_numbers_are_all_printed() -> None:
    assert [n for n, _ in hotline_entries("0519-86688123")] == [
        "0519-86688123",
        "12333",
        "12345",
        "12348",
    ]
