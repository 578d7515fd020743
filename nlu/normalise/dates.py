"""Dates and date ranges ("去年10月到今年1月"), read against a given today."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from nlu.normalise.numbers import (
    _CN_DIGIT_VALUE,
    _NUM_SIMPLE,
    _count,
    _first_value,
    _Found,
    _parse_number,
    _strip_span,
)
from nlu.types import DateRange, YearMonth

# Dates

_MONTH_NUM = "1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九]"
_DAY = (
    r"(?:(?P<day>3[01]|[12][0-9]|0?[1-9]|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])"
    r"[日号])?"
)


def _year(alone: bool) -> str:
    """The year of a date. A 年 that begins 年初/年底/年末/年后 is left to that part
    ("2023年底", "23年底"). ``alone``: a four-digit year with no month after it needs its 年
    ("2023年"), because a bare "2000" is money far more often than a year ("欠我2000块")."""
    needs_nian = "(?=年)" if alone else ""
    return (
        r"(?:(?P<yrel>大前年|前年|去年|今年)(?![0-9一二三四五六七八九十]+岁)"
        rf"|(?P<y4>(?:19|20)[0-9]{{2}}){needs_nian}(?:年(?![初底末后]))?"
        r"|(?P<y2>[0-9]{2})(?:年(?![初底末后])|(?=年))"
        r"|(?P<ycn>[零〇一二三四五六七八九]{4})年)"
    )


_YEAR = _year(alone=False)
_YEAR_ALONE = _year(alone=True)
_PART = r"(?P<part>年初|年底|年末|上半年|下半年|春节以?后|春节过后|过完年|过了年|年后|开年后?|开春)"
_POINT_RE = re.compile(
    r"(?<![0-9零〇一二两三四五六七八九十百千万个第])(?:"
    # 1. "今年三月份", "2023年3月15日", "10月", "去年腊月"
    rf"(?:{_YEAR})?(?:(?P<mon>{_MONTH_NUM})月份?{_DAY}|(?P<lunar>正|冬|腊)月)"
    # 2. "2023.3", "2023-03-15", "2023/3"
    r"|(?P<dy>(?:19|20)[0-9]{2})[-/.](?P<dm>1[0-2]|0?[1-9])(?![0-9])(?:[-/.](?P<dd>[0-9]{1,2})(?![0-9]))?"
    r"(?!\s?(?:元|块|万|千|多))"  # "2000.5元" is money
    # 3. "去年", "2023年", "去年年底", "今年上半年", "年后"
    rf"|(?:{_YEAR_ALONE.replace('?P<', '?P<b')}(?:{_PART.replace('?P<', '?P<b')})?"
    rf"|{_PART.replace('?P<', '?P<n')})"
    # 4. "上个月", "这个月"
    r"|(?P<rel>上上个?月|上个?月|这个月|本月|当月|这月)"
    # 5. "三个月前", "半年前", "两年前"
    rf"|(?P<agon>{_NUM_SIMPLE}|半)个?(?P<agou>月|年)(?:以前|之前|前)"
    # 6. the present, only meaningful as the end of a range
    r"|(?P<now>现在|目前|如今|今天|眼下|当下|今日)"
    r")"
)
#: "3到6月", "今年3-6月": two months sharing one 月.
_MONTH_SPAN_RE = re.compile(
    rf"(?<![0-9零〇一二两三四五六七八九十百千万个第])(?:{_YEAR})?(?P<m1>{_MONTH_NUM})\s?"
    rf"(?:到|至|-|~|—|、)\s?(?P<m2>{_MONTH_NUM})月份?"
)
_CONNECTOR_RE = re.compile(
    # "9月和10月的工资": months listed together are one period of arrears.
    r"\s*(?:一直到|一直干到|一直做到|直到|干到|做到|干至|做至|到了|到|至|~|-|—|和|、)\s*"
)
_OPEN_PREFIX_RE = re.compile(r"(?:自从|从|自|打)$")
_SINCE_SUFFIX_RE = re.compile(r"以来|至今|迄今")
_OPEN_SUFFIX_RE = re.compile(r"开始|以后|之后|起")
_PART_MONTHS = {
    "年初": (1, 1), "年底": (12, 12), "年末": (12, 12), "上半年": (1, 6), "下半年": (7, 12),
}  # fmt: skip
#: Work resumes after the Spring Festival in February in practice (the festival itself falls
#: between 21 January and 20 February), so these all start an open period in February.
_AFTER_NEW_YEAR = frozenset(
    ("春节后", "春节以后", "春节过后", "过完年", "过了年", "年后", "开年", "开年后", "开春")
)


#: Lunar months workers name, as the Gregorian month they mostly fall in: 正月 is February,
#: 冬月 December, and the 腊月 of a lunar year is January of the next calendar year.
_LUNAR_MONTHS = {"正": (0, 2), "冬": (0, 12), "腊": (1, 1)}


@dataclass(frozen=True)
class _Point:
    """A date expression: the months it spans; years are None when the worker gave none."""

    y1: int | None
    m1: int
    y2: int | None
    m2: int
    open_after: bool = False  # "春节后": the period starts here and runs on
    now: bool = False  # "现在": only meaningful as the end of a range
    by_end: bool = False  # "3到6月": a written range, placed by its end like "3月到6月"
    d1: int | None = None  # the day of the first month, when written ("8月1号")
    d2: int | None = None  # the day of the last month


_YM = tuple[int | None, int]
_BAD_YEAR = 0  # a year that was written but cannot be right


def _month_value(token: str) -> int | None:
    """1..12 from "10", "03", "十一", "三"."""
    if token.isdecimal():
        month = int(token)
    else:
        parsed = _parse_number(token)
        month = int(parsed[0]) if parsed else 0
    return month if 1 <= month <= 12 else None


def _shift(year: int, month: int, delta: int) -> tuple[int, int]:
    """(year, month) moved by ``delta`` months."""
    index = year * 12 + month - 1 + delta
    return index // 12, index % 12 + 1


def _year_of(m: re.Match[str], prefix: str, today: date) -> int | None:
    """Year named in a match (groups prefixed ``prefix``); None if absent, _BAD_YEAR if
    implausible (before 1990 or after next year)."""
    rel, y4, y2, ycn = (m.group(f"{prefix}{g}") for g in ("yrel", "y4", "y2", "ycn"))
    if rel:
        return today.year - {"今年": 0, "去年": 1, "前年": 2, "大前年": 3}[rel]
    if y4:
        year = int(y4)
    elif y2:
        year = 2000 + int(y2)
    elif ycn:
        year = int("".join(str(_CN_DIGIT_VALUE[c]) for c in ycn))
    else:
        return None
    return year if 1990 <= year <= today.year + 1 else _BAD_YEAR


def _day_value(token: str | None) -> int | None:
    """1..31 from "1", "05", "十五"; None when absent or impossible."""
    if not token:
        return None
    parsed = None if token.isdecimal() else _parse_number(token)
    day = int(token) if token.isdecimal() else int(parsed[0]) if parsed else 0
    return day if 1 <= day <= 31 else None


def _month_point(year: int | None, month: int | None, day: int | None = None) -> _Point | None:
    """A single month, with or without a year, and the day when one was written."""
    if year == _BAD_YEAR or month is None:
        return None
    return _Point(year, month, year, month, d1=day, d2=day)


def _year_month(year: int, month: int, day: int | None) -> YearMonth:
    """A month with its day, the day dropped when that month has no such day ("2月30号")."""
    if day is not None and day > calendar.monthrange(year, month)[1]:
        day = None
    return YearMonth(year, month, day)


def _point_from_match(m: re.Match[str], today: date) -> _Point | None:
    """Interpret one ``_POINT_RE`` match relative to ``today``."""
    if m.group("now"):
        return _Point(today.year, today.month, today.year, today.month, now=True)
    if m.group("mon"):
        day = _day_value(m.group("day"))
        return _month_point(_year_of(m, "", today), _month_value(m.group("mon")), day)
    if m.group("lunar"):
        year = _year_of(m, "", today)
        offset, month = _LUNAR_MONTHS[m.group("lunar")]
        return _month_point(year + offset if year else year, month)
    if m.group("dy"):
        year = int(m.group("dy"))
        plausible = 1990 <= year <= today.year + 1
        day = _day_value(m.group("dd"))
        return _month_point(year if plausible else _BAD_YEAR, int(m.group("dm")), day)
    if m.group("rel"):
        back = {"上上个月": 2, "上上月": 2, "上个月": 1, "上月": 1}.get(m.group("rel"), 0)
        return _month_point(*_shift(today.year, today.month, -back))
    if m.group("agon"):
        if m.group("agon") == "半":
            number = 0.5
        else:
            counted = _count(m.group("agon"), 100)
            if counted is None:
                return None
            number = counted[0]
        months = int(number * (12 if m.group("agou") == "年" else 1))
        return _month_point(*_shift(today.year, today.month, -months))
    return _year_part_point(m, today)


def _year_part_point(m: re.Match[str], today: date) -> _Point | None:
    """A year ("去年"), a part of a year ("年底", "下半年") or both ("去年年底")."""
    year = _year_of(m, "b", today)
    part = m.group("bpart") or m.group("npart")
    if year == _BAD_YEAR or (m.group("by2") and not part):
        return None  # "23年" alone is more often a duration than a date
    y = year
    if part in _AFTER_NEW_YEAR:
        return _Point(y, 2, y, 2, open_after=True)
    if part:
        first, last = _PART_MONTHS[part]
        return _Point(y, first, y, last)
    if y is None:
        return None
    return _Point(y, 1, y, today.month if y == today.year else 12)


def _resolve_range(
    start: _YM, end: _YM, today: date, days: tuple[int | None, int | None] = (None, None)
) -> DateRange:
    """A range with missing years filled in; ``days`` are the days of its ends, if written.

    The end goes first: without a year it is the latest occurrence that has begun by
    ``today``.  A start without a year is in the end's year, or the year before when its
    month is later ("10月到1月"); an end without a year follows a known start the same way.
    """
    (sy, sm), (ey, em) = start, end
    if sy is None and ey is None:
        ey = today.year if em <= today.month else today.year - 1
    if sy is None:
        assert ey is not None
        sy = ey if sm <= em else ey - 1
    if ey is None:
        ey = sy if em >= sm else sy + 1
    first, last = _year_month(sy, sm, days[0]), _year_month(ey, em, days[1])
    if (first.year, first.month, first.day or 0) > (last.year, last.month, last.day or 0):
        first, last = last, first  # written backwards
    return DateRange(first, last)


def _resolve_point(point: _Point, today: date) -> DateRange:
    """A lone point or period: without a year, the latest occurrence that has begun."""
    if point.by_end:
        return _resolve_range((point.y1, point.m1), (point.y2, point.m2), today)
    days = (point.d1, point.d2)
    y1 = point.y1
    if y1 is None:
        y1 = today.year if point.m1 <= today.month else today.year - 1
    y2 = point.y2 if point.y2 is not None else (y1 if point.m2 >= point.m1 else y1 + 1)
    return DateRange(_year_month(y1, point.m1, days[0]), _year_month(y2, point.m2, days[1]))


def _find_points(text: str, today: date) -> list[tuple[int, int, _Point]]:
    """All date points in prepared ``text`` in order; "3到6月" spans are found first."""
    points: list[tuple[int, int, _Point]] = []
    spanned = bytearray(len(text))  # characters inside a "3到6月" span: linear overlap checks
    for m in _MONTH_SPAN_RE.finditer(text):
        year = _year_of(m, "", today)
        first, last = _month_value(m.group("m1")), _month_value(m.group("m2"))
        if year == _BAD_YEAR or first is None or last is None:
            continue
        y1 = year
        y2 = None if y1 is None else (y1 if last >= first else y1 + 1)
        points.append((m.start(), m.end(), _Point(y1, first, y2, last, by_end=True)))
        spanned[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
    for m in _POINT_RE.finditer(text):
        if any(spanned[m.start() : m.end()]):
            continue
        point = _point_from_match(m, today)
        if point is not None:
            points.append((m.start(), m.end(), point))
    points.sort(key=lambda p: p[0])
    return points


def _find_dates(text: str, today: date) -> Iterator[_Found]:
    """Date ranges in prepared ``text``.

    Two points joined by 到/至/- make a range; "X以来"/"X至今" run to ``today``; "从X",
    "X开始" and "春节后" are open (no end); a lone point is its own period.
    """
    points = _find_points(text, today)
    i = 0
    while i < len(points):
        start, end, point = points[i]
        i += 1
        if point.now:
            continue
        opened = _OPEN_PREFIX_RE.search(text, max(0, start - 2), start)
        if opened:
            start = opened.start()
        if i < len(points) and _CONNECTOR_RE.fullmatch(text, end, points[i][0]):
            _, end, last = points[i]
            i += 1
            ends = (point.y1, point.m1), (last.y2, last.m2)
            value = _resolve_range(*ends, today, (point.d1, last.d2))
        elif since := _SINCE_SUFFIX_RE.match(text, end):
            end = since.end()
            ends = (point.y1, point.m1), (today.year, today.month)
            value = _resolve_range(*ends, today, (point.d1, None))
        elif (open_end := _OPEN_SUFFIX_RE.match(text, end)) or opened or point.open_after:
            end = open_end.end() if open_end else end
            value = DateRange(_resolve_point(point, today).start, None)
        else:
            value = _resolve_point(point, today)
        yield _Found("date", start, end, value)


def normalise_date_range(span: str, today: date) -> DateRange | None:
    """Normalise a period of work or arrears to a ``DateRange`` of months.

    - "去年10月到今年1月", "2023年3月至2023年8月", "2023.3-2023.8": both ends as written.
    - "今年三月份到现在", "去年10月以来", "去年10月至今": the end is ``today``'s month.
    - "从上个月", "3月开始", "春节后": open periods, ``end`` is None.
    - A month without a year ("3月到6月", "12月") is its most recent past occurrence relative
      to ``today``: the latest year in which it has already started (for a lone point) or ended
      (for the end of a range); a start month after the end month goes back a year.
    - A lone month is a range of one month; "去年" is January to December; "今年" is January to
      ``today``'s month; "上半年"/"下半年" are January-June/July-December.
    - "春节后", "年后", "过完年" start an open period in February of that year: the festival
      moves between late January and February and work resumes after it, so February is the
      honest month-level approximation (``DateRange`` has no approximate flag).
    - A written day is kept ("8月1号到10月31号" -> ``YearMonth(…, 8, 1)`` to ``(…, 10, 31)``);
      a day the month does not have is dropped.  Ends given backwards are swapped.
    """
    return _first_value(_find_dates(_strip_span(span), today), DateRange)
