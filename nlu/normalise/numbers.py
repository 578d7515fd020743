"""Chinese and mixed numerals, and the candidate type the finders share."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import TypeVar

from nlu.normalise.text import _prepare, cap_text
from nlu.types import Amount, DateRange, Duration, EntityValue, Headcount

# Numerals

_CN_DIGIT_VALUE = {
    "零": 0, "〇": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "俩": 2, "三": 3, "叁": 3,
    "仨": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8,
    "捌": 8, "九": 9, "玖": 9,
}  # fmt: skip
_CN_UNIT_CHARS = "十拾百佰千仟万亿"
#: A Chinese numeral run starts with a digit, 十 or 几 (never with 百/千/万: "千万别", "万一").
_CN_LEAD = "一二两三四五六七八九十几廿壹贰叁肆伍陆柒捌玖拾俩仨"
_CN_BODY = _CN_LEAD + "零〇百佰千仟万亿"
#: Every repetition below is bounded, so that a pattern tried at each position of a long run
#: of digits or numerals costs a constant there and a whole message costs linear time (an
#: unbounded run made the duration finder quadratic: 20,000 digits took minutes). The bounds
#: are above anything ``_parse_number`` accepts (15 digits, 24 characters).
#: After a magnitude, a digit that begins a word is no part of the sum: "欠3万一直不给"
#: (一直), "三万五一直没给", "两千五一个月", "三万两个月了".
_NOT_A_WORD = "(?![直共起分下点些次天个年月样般定再边口家人趟回遍半周晚早切律])"
_DIGITS = "一二两三四五六七八九"
_AFTER_MAGNITUDE = (
    f"(?:(?<![百佰千仟万亿][{_DIGITS}])(?<![百佰千仟万亿][{_DIGITS}][{_DIGITS}])|{_NOT_A_WORD})"
)
_CN = f"[{_CN_LEAD}](?:[{_CN_BODY}]|[多来余](?=[万千百亿])){{0,23}}{_AFTER_MAGNITUDE}"
_AR = r"[0-9]{1,16}(?:,[0-9]{3}){0,5}(?:\.[0-9]{1,8})?"
#: "80多万", "470多万元", "3余万": a vague marker between digits and their magnitude.
# "10几万" as "十几万": 几 only after a round ten ("20几万"), as the numeral is said
_AR_VAGUE = f"{_AR}(?:(?:[多来余]|(?<=0)几)(?=\\s?[万千百亿wWkK]))?"
_NUMTOK = f"(?:{_AR_VAGUE}|{_CN})"
#: Magnitude written after Arabic digits; "w"/"k" are how many workers type 万/千.
_MAG = r"(?:[万千百亿]|[wWkK](?![A-Za-z]))"
#: A full number: "3", "三万五", "1.2万", "3万5", "1万2千", "2w", and the mixed forms of
#: typing and voice input: "3万零8百" (零 after a magnitude), "四千5百" (digits after a
#: Chinese magnitude).
_NUM = (
    f"{_NUMTOK}(?:\\s?{_MAG}(?:零?{_NUMTOK}{_NOT_A_WORD})?"
    f"|(?<=[十拾百佰千仟万亿])[0-9]{{1,16}}{_MAG}){{0,4}}"
)
#: Numbers for counts and durations, where magnitudes after Arabic digits make no sense.
_NUM_SIMPLE = f"(?:[0-9]{{1,16}}(?:\\.[0-9]{{1,8}})?|{_CN})"

_COLLOQUIAL = str.maketrans({"俩": "两", "仨": "三", "w": "万", "W": "万", "k": "千", "K": "千"})
_UNIT_VALUE = {"亿": 10**8, "万": 10**4, "千": 1000, "仟": 1000, "百": 100, "佰": 100}
_MAX_DIGITS = 15  # longer digit strings are IDs or noise, never a wage or a count

_APPROX_PREFIX = "将近|接近|差不多|大概|大约|约莫|估计|可能|至少|起码|不到|不止|好几|近|快|约"


@lru_cache(maxsize=1)
def _cn2an() -> Callable[[str, str], object]:
    """Import cn2an on first use: importing it costs ~0.15 s."""
    import cn2an  # type: ignore[import-untyped]  # the package ships no types

    convert: Callable[[str, str], object] = cn2an.cn2an
    return convert


def _cn_value(run: str) -> Decimal | None:
    """Value of a purely Chinese numeral with units ("三万五", "一百零八"), via cn2an."""
    if len(run) > 1 and not any(c in _CN_UNIT_CHARS for c in run):
        return None  # "一二三", "两两": a digit sequence, not a quantity
    try:
        value = _cn2an()(run, "normal")
    except (ValueError, KeyError, IndexError):  # cn2an raises KeyError on e.g. "三亿零"
        return None
    return Decimal(value) if isinstance(value, int) else None


def _mixed_value(text: str) -> Decimal | None:
    """Value of Arabic, Chinese or mixed numerals without vague markers.

    Splits on the largest magnitude present: "3万5" -> 3*10000 + 5*1000 (a single digit after a
    magnitude is the next smaller unit, as in speech), "1万2千" -> 10000 + 2000.
    """
    if re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", text):
        return Decimal(text)
    if all(c in _CN_DIGIT_VALUE or c in _CN_UNIT_CHARS for c in text):
        return _cn_value(text)
    for unit, size in _UNIT_VALUE.items():
        head, sep, tail = text.partition(unit)
        if not sep:
            continue
        head_value = _mixed_value(head) if head else None
        if head_value is None:
            return None
        if not tail:
            return head_value * size
        if len(tail) == 1:
            digit = int(tail) if tail.isdecimal() else _CN_DIGIT_VALUE.get(tail)
            return None if digit is None else head_value * size + digit * size // 10
        tail_value = _mixed_value(tail.lstrip("零0") or "0")
        if tail_value is None or tail_value >= size:
            return None
        return head_value * size + tail_value
    return None


def _drop_vague(run: str) -> tuple[str, bool] | None:
    """Remove vagueness markers from a numeral, returning the lower-bound numeral.

    "二十来万" -> "二十万", "十几" -> "十", "几万" -> "二万", "五六千" -> "五千", "一千几百" ->
    "一千".  Returns None when a "几" remains that has no sensible lower bound.
    """
    approx = False
    stripped = re.sub("[多来余]", "", run)
    if stripped != run:
        approx, run = True, stripped
    if "几" in run:
        approx = True
        run = re.sub("(?<=[0-9])几", "", run)  # "10几万": at least ten
        run = re.sub("^几", "二", run)
        run = re.sub("几(?=[万亿])", "", run)
        run = re.sub("几[十百千]?$", "", run)
        if "几" in run or not run:
            return None
    # "五六千", "二三十", "十五六": two neighbouring digits name a range; keep the lower.
    pair = re.search(
        f"(?:^|(?<=[{_CN_UNIT_CHARS}]))([一两二三四五六七八九])([两二三四五六七八九])"
        f"(?=[{_CN_UNIT_CHARS}]|$)",
        run,
    )
    if pair and _CN_DIGIT_VALUE[pair.group(2)] == _CN_DIGIT_VALUE[pair.group(1)] + 1:
        run = run[: pair.start(2)] + run[pair.end(2) :]
        approx = True
    return run, approx


def _parse_number(raw: str) -> tuple[Decimal, bool] | None:
    """Parse a numeral run into (lower-bound value, approximate); None if not a number."""
    text = raw.replace(",", "").replace(" ", "").replace("廿", "二十").translate(_COLLOQUIAL)
    if not text or sum(c.isdigit() for c in text) > _MAX_DIGITS or len(text) > 24:
        return None
    dropped = _drop_vague(text)
    if dropped is None:
        return None
    text, approx = dropped
    try:
        value = _mixed_value(text)
    except (InvalidOperation, ValueError):
        return None
    if value is None:
        return None
    return _tidy(value), approx


def _tidy(value: Decimal) -> Decimal:
    """Drop a meaningless fractional zero ("12000.0" -> "12000") while staying exact."""
    if value == value.to_integral_value():
        return Decimal(int(value))
    return value.normalize()


def _count(raw: str, limit: int) -> tuple[int, bool] | None:
    """A whole, positive count below ``limit`` from a numeral run."""
    parsed = _parse_number(raw)
    if parsed is None:
        return None
    value, approx = parsed
    if value <= 0 or value >= limit or value != value.to_integral_value():
        return None
    return int(value), approx


# Internal candidate type and helpers shared by the finders


_V = TypeVar("_V", Amount, Duration, Headcount, DateRange, str)


@dataclass(frozen=True)
class _Found:
    """An entity found in prepared text: offsets index the prepared (same-length) text."""

    name: str
    start: int
    end: int
    value: EntityValue


def _first_value(found: Iterator[_Found], kind: type[_V]) -> _V | None:
    """The value of the first candidate, if any (each finder yields one kind of value)."""
    value = next((f.value for f in found), None)
    return value if isinstance(value, kind) else None


def _strip_span(span: str) -> str:
    """Prepared span without surrounding spaces and punctuation."""
    return _prepare(cap_text(span)).strip(" \t\r\n,.;:!?，。；：！？、\"'“”")
