"""Page primitives shared by the PDF and PNG renderers, and CJK line breaking.

A layout is computed once, in points with the origin at the top left and text placed by its
baseline; each renderer only draws it. Widths come from the font itself, so a line that fits
in the PDF fits in the PNG.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol


class Measure(Protocol):
    """Anything that can tell the width of a text at a size (a PosterFont)."""

    def width(self, text: str, size: float) -> float:
        """Advance width in points."""
        ...


@dataclass(frozen=True)
class Rect:
    """A rectangle, filled and/or stroked."""

    x: float
    y: float
    w: float
    h: float
    fill: str | None = None
    stroke: str | None = None
    line_width: float = 0.75


@dataclass(frozen=True)
class Text:
    """One line of text, left-aligned at ``x``, with its baseline at ``y``."""

    x: float
    y: float
    text: str
    size: float
    color: str = "#000000"
    bold: bool = False


@dataclass(frozen=True)
class Modules:
    """A QR code: ``size`` points square, modules dark where True (quiet zone included)."""

    x: float
    y: float
    size: float
    modules: list[list[bool]]


Op = Rect | Text | Modules


@dataclass
class Page:
    """A page of ``width`` x ``height`` points and what to draw on it, in order."""

    width: float
    height: float
    ops: list[Op] = field(default_factory=list)

    def text(self) -> str:
        """All text on the page, one line each (for checks and search)."""
        return "\n".join(op.text for op in self.ops if isinstance(op, Text))


# Latin words, numbers and phone numbers stay whole; every CJK character may break.
_TOKEN = re.compile(r"[A-Za-z0-9@._+/#%\-]+|\s+|.", re.S)
# Chinese typesetting keeps closing punctuation off the start of a line and opening
# brackets off its end (禁则).
_NO_LINE_START = frozenset("，。、；：？！）》」』】〕”’,.;:?!)%")
_NO_LINE_END = frozenset("（《「『【〔“‘(")


def wrap_text(font: Measure, text: str, size: float, width: float) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` (an overlong word is cut)."""
    lines: list[str] = []
    line: list[str] = []
    for token in _TOKEN.findall(text):
        if not line and token in _NO_LINE_START and lines and lines[-1].rstrip():
            # A line broken at a space must not start with "、": take the character before,
            # and an opening bracket before that with it ("（工 、").
            previous = lines[-1].rstrip()
            cut = len(previous) - 1
            while (rest := previous[:cut].rstrip()) and rest[-1] in _NO_LINE_END:
                cut = len(rest) - 1
            lines[-1], line = previous[:cut], [previous[cut:]]
        if font.width("".join(line) + token, size) <= width:
            line.append(token)
        elif token.isspace():
            cut = len(line)
            while cut > 0 and line[cut - 1] in _NO_LINE_END:
                cut -= 1  # an opening bracket goes down with the word it opens
            lines.append("".join(line[:cut]))
            line = line[cut:]
        elif font.width(token, size) > width:
            for char in token:
                if line and font.width("".join(line) + char, size) > width:
                    lines.append("".join(line))
                    line = []
                line.append(char)
        else:
            kept, carried = _break_before(line, token)
            if not kept or font.width("".join(carried), size) > width:
                head, tail = _split_last_word(carried[:-1])  # a word of the line, not token
                kept, carried = [*kept, *head], [*tail, token]
            if kept and font.width("".join(carried), size) <= width:
                lines.append("".join(kept))
                line = carried
            else:  # the rules cannot be kept in this width: break plainly
                lines.append("".join(line))
                line = [token]
    if line:
        lines.append("".join(line))
    return [ln.strip() for ln in lines if ln.strip()] or [""]


def _break_before(line: list[str], token: str) -> tuple[list[str], list[str]]:
    """Split ``line`` where a break before ``token`` keeps the punctuation rules."""
    cut, carried = len(line), [token]
    while cut > 0 and (carried[0] in _NO_LINE_START or carried[0].isspace()):
        cut -= 1
        carried.insert(0, line[cut])
    # An opening bracket goes down with what it opens, even across a space ("（ 0").
    while cut > 0:
        before = line[cut - 1]
        bracket_then_space = before.isspace() and cut > 1 and line[cut - 2] in _NO_LINE_END
        if before not in _NO_LINE_END and not bracket_then_space:
            break
        cut -= 1
        carried.insert(0, before)
    return line[:cut], carried


def _split_last_word(tokens: list[str]) -> tuple[list[str], list[str]]:
    """Split ``tokens`` before the last character of their last word ("（000000、" ->
    "（00000" and "0、"): a number that fills a line goes down by its last digit with the
    punctuation after it, rather than a line starting with "、". ([], tokens) if no word."""
    for i in range(len(tokens) - 1, -1, -1):
        word = tokens[i]
        if len(word) > 1 and not word.isspace():
            return [*tokens[:i], word[:-1]], [word[-1], *tokens[i + 1 :]]
    return [], tokens


def centred_x(font: Measure, text: str, size: float, left: float, width: float) -> float:
    """The x that centres ``text`` in [left, left + width]."""
    return left + (width - font.width(text, size)) / 2
