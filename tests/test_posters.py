"""Posters: what the files hold, checked with independent tools (zbar, pypdf, poppler)."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from hypothesis import assume, given
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader

import sites.posters.fonts
from cases.deadlines import china_day
from models import utcnow
from sites.posters.board import HOTLINES, SCAN_LINE
from sites.posters.fonts import find_font
from sites.posters.layout import wrap_text

from .site_data import FULL_SITE, add_site, decode_png

CODE = FULL_SITE["code"]
LINK = f"http://127.0.0.1:8000/s/{CODE}"
A4_PT, A3_PT = (595.28, 841.89), (841.89, 1190.55)


def make(runner: FlaskCliRunner, out: Path, *args: str) -> None:
    result = runner.invoke(args=["qr", "poster", CODE, "--out", str(out), *args])
    assert result.exit_code == 0, result.output


def squeeze(text: str) -> str:
    """Text without whitespace: wrapped lines break values anywhere."""
    return re.sub(r"\s+", "", text)


# --- PNG --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("size", "pixels"), [("A4", (2480, 3508)), ("A3", (3508, 4961))])
def test_png_is_300_dpi_and_its_qr_is_exactly_the_link(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path, size: str, pixels: tuple[int, int]
) -> None:
    add_site(app)
    out = tmp_path / "poster.png"
    make(runner, out, "--size", size)
    with Image.open(out) as image:
        assert image.size == pixels
        assert [round(d) for d in image.info["dpi"]] == [300, 300]
    assert decode_png(out) == [LINK]


# --- PDF --------------------------------------------------------------------------------------


@pytest.fixture
def pdf(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> Path:
    add_site(app)
    out = tmp_path / "poster.pdf"
    make(runner, out)
    return out


def test_pdf_text_holds_every_required_fact(pdf: Path) -> None:
    text = squeeze(PdfReader(pdf).pages[0].extract_text())
    for name, value in FULL_SITE.items():
        assert squeeze(value) in text, name
    for number, _label in HOTLINES:
        assert number in text
    assert squeeze(SCAN_LINE) in text and "维权信息告示牌" in text and "隐私提示" in text
    assert "告示牌版本v1" in text and china_day(utcnow()).isoformat() in text


def test_pdf_embeds_its_cjk_font_and_draws_no_images(pdf: Path) -> None:
    page = PdfReader(pdf).pages[0]
    fonts = [font.get_object() for font in page["/Resources"]["/Font"].values()]
    assert fonts
    for font in fonts:
        assert "WenQuanYi" in font["/BaseFont"]
        assert "/FontFile2" in font["/FontDescriptor"]  # the TrueType program is embedded
    assert "/XObject" not in page["/Resources"]  # the QR is vector paths, not a picture


@pytest.mark.parametrize(("size", "points"), [("A4", A4_PT), ("A3", A3_PT)])
def test_pdf_page_size(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path, size: str, points: tuple[float, float]
) -> None:
    add_site(app)
    out = tmp_path / "poster.pdf"
    make(runner, out, "--size", size.lower())
    box = PdfReader(out).pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(points, abs=0.5)


def test_pdf_qr_scans_once_rasterised(pdf: Path, tmp_path: Path) -> None:
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "poppler-utils is missing: run make install"
    subprocess.run([pdftoppm, "-r", "150", "-png", str(pdf), str(tmp_path / "r")], check=True)
    assert decode_png(next(tmp_path.glob("r*.png"))) == [LINK]


# --- refusals ---------------------------------------------------------------------------------


def test_a_site_missing_facts_is_refused_by_name(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    add_site(app, authority="", labour_manager_phone="")
    out = tmp_path / "poster.pdf"
    result = runner.invoke(args=["qr", "poster", CODE, "--out", str(out)])
    assert result.exit_code == 1
    assert "缺少告示牌必填信息：行业工程建设主管部门、劳资专管员电话" in result.output
    assert not out.exists()


@pytest.mark.parametrize(
    ("code", "out", "message"),
    [("NOPE", "p.pdf", "没有编号为 NOPE 的启用工地"), (CODE, "p.jpg", ".pdf 或 .png")],
)
def test_unknown_site_or_format_is_refused(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path, code: str, out: str, message: str
) -> None:
    add_site(app)
    result = runner.invoke(args=["qr", "poster", code, "--out", str(tmp_path / out)])
    assert result.exit_code == 1 and message in result.output


def test_without_a_cjk_font_the_command_says_what_to_install(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sites.posters.fonts, "SYSTEM_FONT_PATHS", ())
    monkeypatch.setattr(sites.posters.fonts, "_fontconfig_candidates", lambda: [])
    add_site(app)
    result = runner.invoke(args=["qr", "poster", CODE, "--out", str(tmp_path / "p.pdf")])
    assert result.exit_code == 1
    assert "未找到可嵌入的中文 TrueType 字体" in result.output
    assert "fonts-wqy-microhei" in result.output


@pytest.mark.parametrize(("content", "message"), [(None, "找不到"), (b"not a font", "不是可嵌入")])
def test_a_configured_font_must_be_a_truetype_file(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path, content: bytes | None, message: str
) -> None:
    font = tmp_path / "font.ttf"
    if content is not None:
        font.write_bytes(content)
    app.config["POSTER_FONT"] = str(font)
    add_site(app)
    result = runner.invoke(args=["qr", "poster", CODE, "--out", str(tmp_path / "p.pdf")])
    assert result.exit_code == 1 and message in result.output


def test_characters_the_font_lacks_are_refused(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    add_site(app, builder="𠀾建设有限公司")  # a CJK Extension B character, not in the font
    result = runner.invoke(args=["qr", "poster", CODE, "--out", str(tmp_path / "p.pdf")])
    assert result.exit_code == 1 and "字体无法显示的字符：𠀾" in result.output


def test_text_too_long_for_one_page_is_refused(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    add_site(app, mediation="调解" * 500, legal_aid="援助" * 500)
    result = runner.invoke(args=["qr", "poster", CODE, "--out", str(tmp_path / "p.pdf")])
    assert result.exit_code == 1 and "一页排不下" in result.output


def test_long_facts_shrink_the_table_but_still_fit(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    long_list = "；".join(f"常州第{i}劳务有限公司（木工）" for i in range(1, 25))
    add_site(app, subcontractors=long_list)
    make(runner, tmp_path / "p.pdf")
    assert squeeze(long_list) in squeeze(PdfReader(tmp_path / "p.pdf").pages[0].extract_text())


# --- many posters -----------------------------------------------------------------------------


def test_posters_all_makes_one_file_per_active_site_and_a_zip(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    add_site(app)
    add_site(app, code="B-2", name="二号地块")
    add_site(app, code="OLD", active=False)
    add_site(app, code="HALF", pay_day="")
    out = tmp_path / "out"
    result = runner.invoke(args=["qr", "posters", "--all", "--out", str(out), "--format", "png"])
    assert result.exit_code == 1  # HALF was refused, the others were made
    assert "工地 HALF 缺少告示牌必填信息：工资支付日期" in result.output
    assert sorted(p.name for p in out.glob("*.png")) == ["B-2.png", f"{CODE}.png"]
    assert decode_png(out / "B-2.png") == ["http://127.0.0.1:8000/s/B-2"]
    (archive,) = out.glob("posters-*.zip")
    with zipfile.ZipFile(archive) as zipped:
        assert sorted(zipped.namelist()) == ["B-2.png", f"{CODE}.png"]
        assert zipped.read("B-2.png") == (out / "B-2.png").read_bytes()


def test_posters_for_named_sites(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> None:
    add_site(app)
    add_site(app, code="B-2")
    result = runner.invoke(args=["qr", "posters", "b-2", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert [p.name for p in tmp_path.glob("*.pdf")] == ["B-2.pdf"]


@pytest.mark.parametrize("args", [[], ["A", "--all"]])
def test_posters_needs_codes_or_all(
    runner: FlaskCliRunner, tmp_path: Path, args: list[str]
) -> None:
    result = runner.invoke(args=["qr", "posters", *args, "--out", str(tmp_path)])
    assert result.exit_code == 2 and "--all" in result.output


# --- line breaking ----------------------------------------------------------------------------


FONT = find_font()


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("电话0519-85681234", 80, ["电话", "0519-85681234"]),  # numbers stay whole
        ("甲乙丙丁，戊", 40, ["甲乙丙", "丁，戊"]),  # no line starts with "，"
        ("ab cd", 14, ["ab", "cd"]),
        # a number that fills the line keeps "、、" off the next line's start by its last digit
        ("00000000、、", 60, ["0000000", "0、、"]),
        ("（000000、、", 60, ["（00000", "0、、"]),
        ("0（000000、、", 60, ["0（00000", "0、、"]),
        # "、" after a space takes the character before, and the bracket that opens it
        ("0-、、工（工 、", 60, ["0-、、工", "（工、"]),
        ("00、、工（ 0 、", 60, ["00、、工", "（ 0、"]),
        ("", 50, [""]),
    ],
)
def test_wrap_text_cases(text: str, width: float, lines: list[str]) -> None:
    assert wrap_text(FONT, text, 10, width) == lines


@given(
    st.text(alphabet="工资欠薪项目部，。、（）ab 0123-", max_size=80),
    st.floats(min_value=30, max_value=300),
)
def test_wrapped_lines_fit_and_lose_nothing(text: str, width: float) -> None:
    lines = wrap_text(FONT, text, 10, width)
    assert all(FONT.width(line, 10) <= width for line in lines)
    assert squeeze("".join(lines)) == squeeze(text)


@given(st.text(alphabet="工资欠薪项目部，。、（）ab 0123-", max_size=80))
def test_lines_keep_the_punctuation_rules(text: str) -> None:
    assume(not re.search(r"[，。、（）\s]{3}", text))  # longer runs cannot always be kept
    lines = wrap_text(FONT, text, 10, 60)
    assert not any(line[0] in "，。、）" for line in lines[1:])
    assert not any(line[-1] == "（" for line in lines[:-1])
