"""The CJK font of the posters: found on the system, embedded in PDFs, drawn in PNGs.

reportlab embeds TrueType outlines only (a .ttf, or one font of a .ttc); Noto CJK's .ttc
files are CFF outlines and are refused. Debian's fonts-wqy-microhei (Apache-2.0 / GPLv3 with
the font exception, which allows embedding) is the one ``make install`` provides.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from sites.posters.errors import FontNotFound

#: Tried first, in order: fixed Debian paths of TrueType-outline CJK fonts.
SYSTEM_FONT_PATHS: tuple[str, ...] = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)
NOT_FOUND = (
    "未找到可嵌入的中文 TrueType 字体，无法生成告示牌。请运行 make install，"
    "或 apt-get install fonts-wqy-microhei。"
    " / No embeddable CJK TrueType font found: install fonts-wqy-microhei."
)


@dataclass(frozen=True)
class PosterFont:
    """A usable font: its file, its index in a .ttc, and its reportlab name."""

    path: str
    index: int
    name: str

    def width(self, text: str, size: float) -> float:
        """The advance width of ``text`` at ``size`` points (same metrics in PDF and PNG)."""
        return float(pdfmetrics.stringWidth(text, self.name, size))

    def missing_glyphs(self, text: str) -> str:
        """The characters of ``text`` the font cannot draw (they would print as boxes)."""
        cmap = pdfmetrics.getFont(self.name).face.charToGlyph
        return "".join(sorted({c for c in text if not c.isspace() and ord(c) not in cmap}))

    def pillow(self, size_px: int) -> ImageFont.FreeTypeFont:
        """The same face for Pillow at ``size_px`` pixels."""
        return _pillow_font(self.path, self.index, size_px)


def find_font(explicit: str | None = None) -> PosterFont:
    """The configured font file, else the first usable system CJK font; or FontNotFound."""
    if explicit:
        if not Path(explicit).is_file():
            raise FontNotFound(f"找不到配置的字体文件：{explicit}")
        font = _load(explicit)
        if font is None:
            raise FontNotFound(f"字体 {explicit} 不是可嵌入的 TrueType 字体。{NOT_FOUND}")
        return font
    for path in (*SYSTEM_FONT_PATHS, *_fontconfig_candidates()):
        font = _load(path) if Path(path).is_file() else None
        if font is not None:
            return font
    raise FontNotFound(NOT_FOUND)


def _fontconfig_candidates() -> list[str]:
    """Chinese fonts fontconfig knows; CFF ones are skipped by _load."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return []
    result = subprocess.run(
        [fc_list, ":lang=zh", "file"], capture_output=True, text=True, timeout=10, check=False
    )
    paths = {line.split(":", 1)[0].strip() for line in result.stdout.splitlines()}
    return sorted(p for p in paths if p.lower().endswith((".ttf", ".ttc")))


@lru_cache(maxsize=8)
def _load(path: str) -> PosterFont | None:
    """Register the file's first font with reportlab (once per process), or None if unusable."""
    name = f"AnxinCJK-{Path(path).stem}"
    try:
        font = TTFont(name, path, subfontIndex=0)
    except (TTFError, OSError):
        return None  # CFF outlines ("postscript outlines are not supported"), or unreadable
    if ord("薪") not in font.face.charToGlyph:
        return None  # not a Chinese font after all
    pdfmetrics.registerFont(font)
    return PosterFont(path, 0, name)


@lru_cache(maxsize=64)
def _pillow_font(path: str, index: int, size_px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size_px, index=index)
