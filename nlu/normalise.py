"""Normalisers and a regex/lexicon entity extractor for workers' messages.

Everything here is a pure function of its arguments (``today`` is passed in, never read from
the clock) and never raises on arbitrary text: when a span cannot be understood the answer is
``None`` (or no entity), because a wrong value in a complaint is worse than a question.

Conventions shared by all normalisers:

- Vague quantities are recorded as their lower bound with ``approximate=True``: "十几个人" ->
  10, "三万多" -> 30000, "五六千" -> 5000, "二十来万" -> 200000.  A leading "几" counts as 2
  ("几万" -> 20000), because "a few" is at least two.
- Input is first converted to half-width characters and simplified Chinese; both conversions
  keep the length of the text, so entity offsets point into the worker's original message.
- cn2an converts purely Chinese numerals; Arabic and mixed forms ("1.2万", "3万5") are parsed
  here with ``Decimal`` so that money stays exact.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import TypeVar

from nlu.types import Amount, DateRange, Duration, Entity, EntityValue, Headcount, YearMonth

# --------------------------------------------------------------------------------------------
# Character-level preparation
# --------------------------------------------------------------------------------------------

#: Full-width ASCII (U+FF01..U+FF5E) and the ideographic space map to half-width; one
#: character for one character, so offsets survive.
_HALF_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


@lru_cache(maxsize=1)
def _t2s_converter() -> Callable[[str], str]:
    """Build the OpenCC converter once, on first use (import ~10 ms, dictionaries ~3 ms)."""
    from opencc import OpenCC  # imported lazily: most messages are already simplified

    return OpenCC("t2s").convert


def to_simplified(text: str) -> str:
    """Convert traditional Chinese characters in ``text`` to simplified ones.

    Uses OpenCC's ``t2s`` tables (phrases first, then characters).  Every mapping in those
    tables keeps the length, so offsets computed on the result are valid on the input.
    ASCII-only text is returned untouched without loading the tables.
    """
    if not text or text.isascii():
        return text
    return _t2s_converter()(text)


def prepare_text(text: str) -> str:
    """Half-width, simplified-Chinese version of ``text`` with the same length.

    Full-width letters, digits and punctuation ("１３８", "，") become ASCII and traditional
    characters become simplified, one character for one, so offsets stay valid.
    """
    return to_simplified(text.translate(_HALF_WIDTH))


_prepare = prepare_text


# --------------------------------------------------------------------------------------------
# Numerals
# --------------------------------------------------------------------------------------------

_CN_DIGIT_VALUE = {
    "零": 0, "〇": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "俩": 2, "三": 3, "叁": 3,
    "仨": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8,
    "捌": 8, "九": 9, "玖": 9,
}  # fmt: skip
_CN_UNIT_CHARS = "十拾百佰千仟万亿"
#: A Chinese numeral run starts with a digit, 十 or 几 (never with 百/千/万: "千万别", "万一").
_CN_LEAD = "一二两三四五六七八九十几廿壹贰叁肆伍陆柒捌玖拾俩仨"
_CN_BODY = _CN_LEAD + "零〇百佰千仟万亿"
_CN = f"[{_CN_LEAD}](?:[{_CN_BODY}]|[多来余](?=[万千百亿]))*"
_AR = r"[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?"
_NUMTOK = f"(?:{_AR}|{_CN})"
#: Magnitude written after Arabic digits; "w"/"k" are how many workers type 万/千.
_MAG = r"(?:[万千百亿]|[wWkK](?![A-Za-z]))"
#: A full number: "3", "三万五", "1.2万", "3万5", "1万2千", "2w".
_NUM = f"{_NUMTOK}(?:{_MAG}(?:{_NUMTOK})?)*"
#: Numbers for counts and durations, where magnitudes after Arabic digits make no sense.
_NUM_SIMPLE = f"(?:[0-9]+(?:\\.[0-9]+)?|{_CN})"

_COLLOQUIAL = str.maketrans({"俩": "两", "仨": "三", "w": "万", "W": "万", "k": "千", "K": "千"})
_UNIT_VALUE = {"亿": 10**8, "万": 10**4, "千": 1000, "仟": 1000, "百": 100, "佰": 100}
_MAX_DIGITS = 15  # longer digit strings are IDs or noise, never a wage or a count

_APPROX_PREFIX = (
    "将近|接近|差不多|大概|大约|约莫|估计|可能|至少|起码|不到|不止|好几|近|快|约"
)


@lru_cache(maxsize=1)
def _cn2an() -> Callable[[str, str], object]:
    """Import cn2an on first use: importing it costs ~0.15 s."""
    import cn2an

    return cn2an.cn2an


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
            digit = int(tail) if tail.isdigit() else _CN_DIGIT_VALUE.get(tail)
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
        run = re.sub("^几", "二", run)
        run = re.sub("几(?=[万亿])", "", run)
        run = re.sub("几[十百千]?$", "", run)
        if "几" in run or not run:
            return None
    # "五六千", "二三十", "十五六": two neighbouring digits name a range; keep the lower.
    pair = re.search(f"(?:^|(?<=[{_CN_UNIT_CHARS}]))([一两二三四五六七八九])([两二三四五六七八九])"
                     f"(?=[{_CN_UNIT_CHARS}]|$)", run)
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


# --------------------------------------------------------------------------------------------
# Internal candidate type and helpers shared by the finders
# --------------------------------------------------------------------------------------------


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
    return _prepare(span).strip(" \t\r\n,.;:!?，。；：！？、\"'“”")


# --------------------------------------------------------------------------------------------
# Amounts
# --------------------------------------------------------------------------------------------

_AMOUNT_RE = re.compile(
    rf"(?<![0-9.第])(?P<pre>{_APPROX_PREFIX})?"
    r"(?P<cur>[¥￥$]|RMB|rmb|人民币)?\s?"
    rf"(?P<num>{_NUM})"
    rf"(?:\s?(?:-|~|到|至|、|或)\s?(?P<num2>{_NUM}))?"
    r"(?P<post>多|来|余|左右|上下|出头)?"
    r"(?P<unit>块钱|块|元钱|元(?!旦)|圆|RMB|rmb|人民币)?"
    r"(?P<post2>多|左右|上下|出头)?"
)
#: After a bare number these words make it a count, a time or a size, not money.
_NOT_MONEY_NEXT = re.compile(
    r"[0-9个人名位号天日月年周岁次米平方斤吨层栋楼户套台辆张条点分倍%期届]"
)
#: Words right before a bare number that make it money ("欠我4500", "工资一共8000").
_MONEY_CUE = re.compile(
    r"(?:欠|工资|工钱|欠款|欠薪|薪水|薪资|工费|人工费|钱|还差|差|剩下|剩|少给|少了|结了|结|"
    r"一共|总共|合计|共计|共|月薪|日薪|工价|给了|发了|只给|只发|"
    r"每人|每个人|一人|人均|每天|一天|每月|一个月)"
    r"[我们你他她了的是有还为约才就只:\s]{0,4}$"
)
_HOTLINES = frozenset({"110", "119", "120", "12315", "12320", "12333", "12345", "12348", "12351"})


def _amount_from_match(m: re.Match[str]) -> Amount | None:
    """Amount for one ``_AMOUNT_RE`` match, ignoring whether it is money at all."""
    first, second = m.group("num"), m.group("num2")
    approx = bool(m.group("pre") or m.group("post") or m.group("post2") or second)
    if second:
        # "5-6千": the magnitude of the upper bound applies to the lower one.
        magnitude = re.search(f"{_MAG}$", second)
        if magnitude and not re.search(f"{_MAG}", first):
            first += magnitude.group(0)
    parsed = _parse_number(first)
    if parsed is None:
        return None
    value, vague = parsed
    if value <= 0 or value >= Decimal(10) ** 10:
        return None
    return Amount(yuan=value, approximate=approx or vague)


def _has_money_marker(m: re.Match[str]) -> bool:
    """True when the match itself says it is money: currency or a magnitude word."""
    if m.group("cur") or m.group("unit"):
        return True
    return bool(re.search(f"{_MAG}|[百千万亿]", m.group("num") + (m.group("num2") or "")))


def _find_amounts(text: str, whole: bool = False) -> Iterator[_Found]:
    """Money amounts in prepared ``text``.

    A number is money when it carries a currency word or a magnitude ("三千", "2万"), or when a
    money cue precedes it ("欠我4500").  ``whole`` also accepts a bare number that is the
    entire text (a reply to "how much?").
    """
    for m in _AMOUNT_RE.finditer(text):
        if not m.group("num"):
            continue
        marked = _has_money_marker(m)
        if not m.group("unit") and _NOT_MONEY_NEXT.match(text, m.end()):
            continue
        if not marked:
            bare = m.group("num")
            if not bare[0].isdigit() and not re.search("[十拾]", bare):
                continue  # lone Chinese digits ("一直", "三天两头") are words, not sums
            cued = _MONEY_CUE.search(text, max(0, m.start() - 8), m.start()) is not None
            if bare in _HOTLINES or not (cued or (whole and m.group(0) == text)):
                continue
        amount = _amount_from_match(m)
        if amount is not None:
            yield _Found("amount", m.start(), m.end(), amount)


def normalise_amount(span: str) -> Amount | None:
    """Normalise a money span to yuan as an exact ``Decimal``.

    "三万五" -> 35000, "1.2万" -> 12000, "¥3,500" -> 3500, "3万5" -> 35000, "一万多块" -> 10000
    (approximate), "五六千" -> 5000 (approximate).  A bare number ("4500") is accepted when it
    is the whole span; numbers that are counts or times ("5个人", "12月") give None.
    """
    text = _strip_span(span)
    return _first_value(_find_amounts(text, whole=True), Amount)


# --------------------------------------------------------------------------------------------
# Durations
# --------------------------------------------------------------------------------------------

_DURATION_RE = re.compile(
    rf"(?P<pre>{_APPROX_PREFIX}|整整|足足|满)?"
    rf"(?:(?P<ybig>[大小])?(?P<yhalf_only>半)年|(?P<yn>{_NUM_SIMPLE})(?P<ya>多|来)?年"
    r"(?P<yhalf>半)?(?P<ya2>多)?)?"
    r"(?:零|又)?"
    rf"(?:(?P<mn>{_NUM_SIMPLE})(?P<ma>多|来)?个(?P<mhalf>半)?(?P<ma2>多|来)?月"
    r"|(?P<mhalf_only>半)个月|(?P<mroughly>个把)月|(?P<mn2>[两俩])月)?"
    r"(?:零|又)?"
    rf"(?:(?P<wn>{_NUM_SIMPLE})(?P<wa>多|来)?个?(?:星期|礼拜|周)"
    rf"|(?P<dn>{_NUM_SIMPLE})(?P<da>多|来)?天)?"
    r"(?P<post>左右|上下|出头|多)?"
)
_DURATION_PARTS = ("yn", "yhalf_only", "mn", "mhalf_only", "mroughly", "mn2", "wn", "dn")
_EXACT_PREFIX = {"整整", "足足", "满"}


def _duration_from_match(m: re.Match[str]) -> Duration | None:
    """Duration for one ``_DURATION_RE`` match with at least one part."""
    approx = bool(m.group("post") or (m.group("pre") and m.group("pre") not in _EXACT_PREFIX))
    approx |= any(m.group(g) for g in ("ya", "ya2", "ma", "ma2", "wa", "da", "ybig", "mroughly"))
    months, days = Decimal(0), Decimal(0)
    if m.group("yhalf_only"):
        months += 4 if m.group("ybig") == "小" else 6  # 小半年: "nearly half a year"
    if m.group("yn"):
        parsed = _parse_number(m.group("yn"))
        if parsed is None or parsed[0] > 60:
            return None  # "2023年" is a date, not 2023 years
        months += parsed[0] * 12 + (6 if m.group("yhalf") else 0)
        approx |= parsed[1]
    for group, size in (("mn", 1), ("mn2", 1)):
        if m.group(group):
            parsed = _parse_number(m.group(group))
            if parsed is None or parsed[0] > 120:
                return None
            months += parsed[0] * size
            approx |= parsed[1]
    if m.group("mhalf") or m.group("mhalf_only"):
        days += 15
    if m.group("mroughly"):
        months += 1
    for group, size in (("wn", 7), ("dn", 1)):
        if m.group(group):
            parsed = _parse_number(m.group(group))
            if parsed is None or parsed[0] > 3660:
                return None
            days += parsed[0] * size
            approx |= parsed[1]
    whole_months = int(months)
    days += (months - whole_months) * 30  # "1.5个月", "1.5年"
    if whole_months == 0 and days <= 0:
        return None
    return Duration(months=whole_months, days=int(days), approximate=approx)


def _find_durations(text: str) -> Iterator[_Found]:
    """Lengths of time ("三个多月", "一年半", "两个月零十天", "45天") in prepared ``text``."""
    for m in _DURATION_RE.finditer(text):
        if not any(m.group(g) for g in _DURATION_PARTS):
            continue
        duration = _duration_from_match(m)
        if duration is not None:
            yield _Found("duration", m.start(), m.end(), duration)


def normalise_duration(span: str) -> Duration | None:
    """Normalise a length of time to months and days.

    "三个多月" -> 3 months (approximate), "半年" -> 6, "一年半" -> 18, "两个月零十天" -> 2 months
    10 days, "45天" -> 45 days (days are not folded into months), "大半年" -> 6 (approximate),
    "两周" -> 14 days.  Month names ("三月") are dates, not durations, and give None.
    """
    return _first_value(_find_durations(_strip_span(span)), Duration)


# --------------------------------------------------------------------------------------------
# Headcounts
# --------------------------------------------------------------------------------------------

_HEADCOUNT_RE = re.compile(
    rf"(?<![第每0-9])(?P<pre>{_APPROX_PREFIX}|一共|总共|共|足足|整整)?"
    rf"(?P<num>{_NUM_SIMPLE})(?P<a>多|来|余)?(?:个|名|位|号)?(?P<a2>多)?"
    r"(?:人(?!民)|工人|农民工|兄弟|工友|老乡|员工|伙计|师傅)"
    r"(?P<post>左右|上下)?"
)
_TOTAL_PREFIX = frozenset(("一共", "总共", "共", "足足", "整整"))
#: "我们俩", "我们五个": a group named by a pronoun and a number without a noun.
_PRONOUN_COUNT_RE = re.compile(
    rf"(?:我们|咱们|他们|俺们|我|咱|俺|他|她)(?P<num>俩|仨|{_NUM_SIMPLE}个(?![月星礼小半多钟把工]))"
)


def _find_headcounts(text: str) -> Iterator[_Found]:
    """Numbers of workers ("我们五个人", "十几个工友", "班组12人") in prepared ``text``."""
    for m in _HEADCOUNT_RE.finditer(text):
        counted = _count(m.group("num"), 100_000)
        if counted is None:
            continue
        count, vague = counted
        approx = vague or any(m.group(g) for g in ("a", "a2", "post"))
        approx |= bool(m.group("pre")) and m.group("pre") not in _TOTAL_PREFIX
        yield _Found("headcount", m.start(), m.end(), Headcount(count, approx))
    for m in _PRONOUN_COUNT_RE.finditer(text):
        counted = _count(m.group("num").rstrip("个"), 100_000)
        if counted is not None:
            start = m.start("num")
            yield _Found("headcount", start, m.end(), Headcount(counted[0], counted[1]))


def normalise_headcount(span: str) -> Headcount | None:
    """Normalise a number of workers.

    "我们五个人" -> 5, "班组12人" -> 12, "将近四十个人" -> 40 (approximate), "十几个人" -> 10
    (approximate), "二三十个工人" -> 20 (approximate), "我一个人" -> 1.  A bare number is
    accepted when it is the whole span (a reply to "how many of you?").
    """
    text = _strip_span(span)
    found = _first_value(_find_headcounts(text), Headcount)
    if found is None and re.fullmatch(_NUM_SIMPLE, text):
        counted = _count(text, 100_000)
        found = Headcount(*counted) if counted else None
    return found


# --------------------------------------------------------------------------------------------
# Phone numbers
# --------------------------------------------------------------------------------------------

_MOBILE_RE = re.compile(
    r"(?<![0-9])(?:(?:\+|00)?86[ -]?)?(?P<num>1[3-9](?:[ -]?[0-9]){9})(?![0-9])"
)
_LANDLINE_RE = re.compile(
    r"(?<![0-9])(?P<code>\(?0[1-9][0-9]{1,2}\)?)[ -]?(?P<local>[1-9][0-9]{6,7})(?![0-9])"
)


def _landline(code: str, local: str) -> str | None:
    """Format a landline as "0519-88776655", using the national rule for area code lengths."""
    digits = code.strip("()") + local
    code_len = 3 if digits[:2] in {"01", "02"} else 4
    area, number = digits[:code_len], digits[code_len:]
    if not 7 <= len(number) <= 8 or number.startswith("0"):
        return None
    return f"{area}-{number}"


def _find_phones(text: str) -> Iterator[_Found]:
    """Mainland mobile and landline numbers in prepared ``text``."""
    taken: list[tuple[int, int]] = []
    for m in _MOBILE_RE.finditer(text):
        taken.append(m.span())
        yield _Found("phone", m.start(), m.end(), re.sub("[ -]", "", m.group("num")))
    for m in _LANDLINE_RE.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        number = _landline(m.group("code"), m.group("local"))
        if number is not None:
            yield _Found("phone", m.start(), m.end(), number)


def normalise_phone(span: str) -> str | None:
    """Normalise a phone number; None unless it is a valid mainland number.

    Mobiles (1[3-9] and 9 digits; spaces, dashes, +86/0086 and full-width digits allowed)
    become 11 digits; landlines (0, a 2-3 digit area code, 7-8 digits) become "0519-88776655".
    Surrounding words ("手机:") are ignored; a longer digit string is rejected.
    """
    return _first_value(_find_phones(_strip_span(span)), str)


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------

_MONTH_NUM = "1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九]"
_DAY = (
    r"(?:(?:3[01]|[12][0-9]|0?[1-9]|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])"
    r"[日号])?"
)
_YEAR = (
    r"(?:(?P<yrel>大前年|前年|去年|今年)(?![0-9一二三四五六七八九十]+岁)|(?P<y4>(?:19|20)[0-9]{2})年?|(?P<y2>[0-9]{2})年"
    r"|(?P<ycn>[零〇一二三四五六七八九]{4})年)"
)
_PART = (
    r"(?P<part>年初|年底|年末|上半年|下半年|春节以?后|春节过后|过完年|过了年|年后|开年后?|开春)"
)
_POINT_RE = re.compile(
    r"(?<![0-9零〇一二两三四五六七八九十百千万个第])(?:"
    # 1. "今年三月份", "2023年3月15日", "10月", "去年腊月"
    rf"(?:{_YEAR})?(?:(?P<mon>{_MONTH_NUM})月份?{_DAY}|(?P<lunar>正|冬|腊)月)"
    # 2. "2023.3", "2023-03-15", "2023/3"
    r"|(?P<dy>(?:19|20)[0-9]{2})[-/.](?P<dm>1[0-2]|0?[1-9])(?![0-9])(?:[-/.][0-9]{1,2}(?![0-9]))?"
    # 3. "去年", "2023年", "去年年底", "今年上半年", "年后"
    rf"|(?:{_YEAR.replace('?P<', '?P<b')}(?:{_PART.replace('?P<', '?P<b')})?"
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
    rf"(?:到|至|-|~|—)\s?(?P<m2>{_MONTH_NUM})月份?"
)
_CONNECTOR_RE = re.compile(r"\s*(?:一直到|一直干到|直到|到了|到|至|~|-|—)\s*")
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


_YM = tuple[int | None, int]
_BAD_YEAR = 0  # a year that was written but cannot be right


def _month_value(token: str) -> int | None:
    """1..12 from "10", "03", "十一", "三"."""
    if token.isdigit():
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


def _month_point(year: int | None, month: int | None) -> _Point | None:
    """A single month, with or without a year."""
    if year == _BAD_YEAR or month is None:
        return None
    return _Point(year, month, year, month)


def _point_from_match(m: re.Match[str], today: date) -> _Point | None:
    """Interpret one ``_POINT_RE`` match relative to ``today``."""
    if m.group("now"):
        return _Point(today.year, today.month, today.year, today.month, now=True)
    if m.group("mon"):
        return _month_point(_year_of(m, "", today), _month_value(m.group("mon")))
    if m.group("lunar"):
        year = _year_of(m, "", today)
        offset, month = _LUNAR_MONTHS[m.group("lunar")]
        return _month_point(year + offset if year else year, month)
    if m.group("dy"):
        year = int(m.group("dy"))
        plausible = 1990 <= year <= today.year + 1
        return _month_point(year if plausible else _BAD_YEAR, int(m.group("dm")))
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


def _resolve_range(start: _YM, end: _YM, today: date) -> DateRange:
    """A range with missing years filled in.

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
    first, last = YearMonth(sy, sm), YearMonth(ey, em)
    if (first.year, first.month) > (last.year, last.month):
        first, last = last, first  # written backwards
    return DateRange(first, last)


def _resolve_point(point: _Point, today: date) -> DateRange:
    """A lone point or period: without a year, the latest occurrence that has begun."""
    if point.by_end:
        return _resolve_range((point.y1, point.m1), (point.y2, point.m2), today)
    y1 = point.y1
    if y1 is None:
        y1 = today.year if point.m1 <= today.month else today.year - 1
    y2 = point.y2 if point.y2 is not None else (y1 if point.m2 >= point.m1 else y1 + 1)
    return DateRange(YearMonth(y1, point.m1), YearMonth(y2, point.m2))


def _find_points(text: str, today: date) -> list[tuple[int, int, _Point]]:
    """All date points in prepared ``text`` in order; "3到6月" spans are found first."""
    points: list[tuple[int, int, _Point]] = []
    for m in _MONTH_SPAN_RE.finditer(text):
        year = _year_of(m, "", today)
        first, last = _month_value(m.group("m1")), _month_value(m.group("m2"))
        if year == _BAD_YEAR or first is None or last is None:
            continue
        y1 = year
        y2 = None if y1 is None else (y1 if last >= first else y1 + 1)
        points.append((m.start(), m.end(), _Point(y1, first, y2, last, by_end=True)))
    for m in _POINT_RE.finditer(text):
        if any(s < m.end() and m.start() < e for s, e, _ in points):
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
            value = _resolve_range((point.y1, point.m1), (last.y2, last.m2), today)
        elif since := _SINCE_SUFFIX_RE.match(text, end):
            end = since.end()
            value = _resolve_range((point.y1, point.m1), (today.year, today.month), today)
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
    - Days are dropped ("3月15日" -> March).  Ends given backwards are swapped.
    """
    return _first_value(_find_dates(_strip_span(span), today), DateRange)


# --------------------------------------------------------------------------------------------
# Names: employers, sites, people, work types
# --------------------------------------------------------------------------------------------

_NAME_CHARS = r"[\u4e00-\u9fffA-Za-z0-9#·()]"
#: Words that end the text before a name: the name starts after the last one found.
_NAME_BREAKS = (
    "我们", "他们", "你们", "咱们", "这个", "那个", "一个", "这家", "那家", "一家", "就是", "叫做",
    "名叫", "去年", "今年", "前年", "现在", "以前", "之前", "后来", "当时", "一直", "已经", "月份",
    "在", "的", "是", "到", "去", "了", "给", "从", "叫", "被", "欠", "跟", "找", "帮", "替", "为",
    "干", "做", "于", "由", "该", "这", "那", "我", "他", "她", "个", "过", "对", "向", "把", "说",
    "年", "月", "和", "与",
)  # fmt: skip
_GENERIC_NAMES = frozenset(
    (
        "这个", "那个", "一个", "建筑", "建设", "施工", "装修", "装饰", "劳务", "工程", "政府",
        "我们", "他们", "你们", "大", "小", "新", "老", "本", "该", "总", "分", "子", "外包",
        "包工", "别人", "人家", "那边", "这边", "市里", "县里", "镇上", "村里", "物业", "保安",
        "家政", "快递", "外卖", "工地", "项目",
    )
)  # fmt: skip
_COMPANY_RE = re.compile(
    rf"(?P<name>{_NAME_CHARS}{{2,30}}?)"
    r"(?P<suffix>有限责任公司|股份有限公司|集团有限公司|有限公司|集团公司|公司|集团)"
)
_INDUSTRY_WORDS = re.compile(
    "(?:建设|建筑|劳务|工程|建工|装饰|装修|置业|房地产|地产|物业|实业|科技|贸易|物流|人力资源|"
    "发展|制造|电子|服装|机械|安装|市政|路桥|园林|绿化|保安服务|家政|餐饮|投资|开发|集团)+$"
)
_SITE_RE = re.compile(
    rf"(?P<name>{_NAME_CHARS}{{2,24}}?)(?P<suffix>工地|项目(?!部|经理|款|上的钱))"
)
# "天宁寺旁边的工地": the landmark with its locative is the best name the worker has.
_NEAR_SITE_RE = re.compile(
    rf"(?P<name>{_NAME_CHARS}{{2,16}}?(?:旁边|附近|那边|对面|边上))的?(?:工地|项目(?!部))"
)
# Workplaces outside construction keep their kind in the name ("川味饭店", "宏达电子厂").
_WORKPLACE_RE = re.compile(
    rf"(?P<name>{_NAME_CHARS}{{2,16}}?(?:饭店|餐馆|餐厅|酒店|宾馆|工厂|厂|超市|商场|物流园|仓库))"
    r"(?![长房子家里区])"
)
_PLACE_RE = re.compile(
    rf"在(?P<name>{_NAME_CHARS}{{2,12}}?(?:小区|花园|苑|园|广场|大厦|家园|公寓|大楼|新城|商城))"
)
_PROJECT_DEPT_RE = re.compile(rf"(?P<name>{_NAME_CHARS}{{0,24}}?)项目部")

_SURNAMES = (
    "欧阳|司马|诸葛|上官|东方|皇甫|令狐|"
    "[王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万"
    "钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包"
    "宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳"
    "时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇"
    "栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝]"
)
#: Characters that never belong to a given name: verbs and particles that follow names.
_NOT_GIVEN = (
    "欠不拖说跑还没给的了把让叫带一就都也又在和跟是要已现到从他她我你们啥那这电手打人家老板总工头"
)
_GIVEN = f"[^\\s0-9A-Za-z,.;:!?，。；：！？、()（）{_NOT_GIVEN}]"
_PERSON = f"(?:{_SURNAMES}){_GIVEN}{{1,2}}"
#: Words that start with a surname character but are not names ("马上", "安排").
_NOT_NAMES = (
    "马上", "安排", "高兴", "方便", "周末", "于是", "连续", "连着", "常常", "时间", "任何",
    "全部", "全都", "许多", "金额", "明天", "明年", "平时", "万一", "文件", "应该", "成功",
    "简单", "关系", "包括", "从来", "向来", "齐了", "单位", "工资", "管理", "司机", "师傅",
    "路上", "项目", "公司", "华为", "吉利", "车子", "宁愿",
)  # fmt: skip
_ROLE = "包工头|工头|老板娘|老板|班组长|带班的|带班|承包人|承包商|小包工头|老总|经理"
_SURNAME = f"(?:{_SURNAMES})"
# "刘老三", "王老五": a surname with a family rank is a common way to name a boss.
_BOSS_NAME = (
    f"(?:[老小]{_SURNAME}|阿[\u4e00-\u9fff]|{_SURNAME}老[大二三四五六七八九幺]"
    f"|{_SURNAME}(?:总|老板|经理|工|某某|某)"
    f"|{_PERSON})"
)
_CONTRACTOR_RE = re.compile(
    rf"(?P<role4>{_ROLE})姓{_SURNAME}[，,\s]*(?:叫|名叫)(?P<who4>{_PERSON})"
    rf"|(?P<role>{_ROLE})(?:叫|是|名叫|就是)?(?P<who>{_BOSS_NAME})"
    rf"|姓(?P<surname>{_SURNAME})的(?P<role2>{_ROLE})"
    rf"|(?P<role3>{_ROLE})姓(?P<surname3>{_SURNAME})"
)
_PERSON_RE = re.compile(
    rf"(?:我叫|我的名字叫|我的名字是|我名字叫|名字叫|我名叫|本人|我是|姓名[:\s]?)(?P<who>{_PERSON})"
    r"(?=$|[\s,.;:!?，。；：！？、]|电话|手机|今年|来自|老家|家住|身份证|我|在|是|从)"
)
_WORK_TYPES = {
    "塔吊司机": "塔吊司机", "挖机司机": "挖机司机", "铲车司机": "铲车司机", "吊车司机": "吊车司机",
    "叉车司机": "叉车司机", "水电工": "水电工", "钢筋工": "钢筋工", "泥瓦工": "泥瓦工",
    "泥水工": "泥瓦工", "泥水匠": "泥瓦工", "架子工": "架子工", "油漆工": "油漆工",
    "砌筑工": "砌筑工", "抹灰工": "抹灰工", "装修工": "装修工", "模板工": "模板工",
    "混凝土工": "混凝土工", "防水工": "防水工", "电焊工": "焊工", "搬运工": "搬运工",
    "装卸工": "装卸工", "清洁工": "保洁", "洗碗工": "洗碗工", "操作工": "操作工",
    "服务员": "服务员", "快递员": "快递员", "外卖员": "外卖员", "木工": "木工", "木匠": "木工",
    "瓦工": "瓦工", "小工": "小工", "杂工": "杂工", "电工": "电工", "焊工": "焊工",
    "钳工": "钳工", "保洁": "保洁", "保安": "保安", "厨师": "厨师", "帮厨": "帮厨",
    "普工": "普工", "司机": "司机", "保姆": "保姆", "月嫂": "月嫂", "门卫": "门卫", "骑手": "骑手",
}  # fmt: skip
_WORK_TYPE_RE = re.compile(
    "|".join(sorted(map(re.escape, _WORK_TYPES), key=len, reverse=True))
    + "(?!程|厂|资|地|具|钱|作)"
)


def _trim_name(text: str, start: int, end: int) -> tuple[int, str] | None:
    """Cut a greedy name candidate ``text[start:end]`` after its last break word.

    Regex candidates start at the earliest possible character ("我在紫荆苑"); the name proper
    begins after the last pronoun, preposition or particle ("紫荆苑").
    """
    raw = text[start:end]
    cut = 0
    for word in _NAME_BREAKS:
        at = raw.rfind(word)
        if at >= 0:
            cut = max(cut, at + len(word))
    name = raw[cut:].strip("()")
    if len(name) < 2 or name in _GENERIC_NAMES:
        return None
    return start + cut, name


def _find_companies(text: str) -> Iterator[_Found]:
    """Employers written as a company name ("江苏华远建设工程有限公司", "华星公司")."""
    for m in _COMPANY_RE.finditer(text):
        trimmed = _trim_name(text, m.start("name"), m.end("name"))
        if trimmed is None:
            continue
        start, name = trimmed
        core = _INDUSTRY_WORDS.sub("", name)
        if len(core) < 2 or core in _GENERIC_NAMES:
            continue  # "劳务公司", "我们公司": no usable name
        yield _Found("employer", start, m.end(), name + m.group("suffix"))


def _find_project_departments(text: str) -> Iterator[_Found]:
    """Employers written as a project department ("万科城项目部", bare "项目部")."""
    for m in _PROJECT_DEPT_RE.finditer(text):
        trimmed = _trim_name(text, m.start("name"), m.end("name"))
        start, name = trimmed if trimmed else (m.start("name") + len(m.group("name")), "")
        yield _Found("employer", start, m.end(), name + "项目部")


def _find_contractors(text: str) -> Iterator[_Found]:
    """Employers written as a boss or contractor with a name ("包工头老王", "老板张三")."""
    matches = list(_CONTRACTOR_RE.finditer(text))
    named = any(m.group("who") or m.group("who4") for m in matches)
    for m in matches:
        if m.group("who4"):
            yield _Found("employer", m.start(), m.end(), m.group("role4") + m.group("who4"))
            continue
        if m.group("surname") or m.group("surname3"):
            if named:
                continue  # "包工头姓李，叫李德明": the full name says more than "包工头李某"
            role = m.group("role2") or m.group("role3")
            surname = m.group("surname") or m.group("surname3")
            yield _Found("employer", m.start(), m.end(), f"{role}{surname}某")  # "包工头李某"
            continue
        who = m.group("who")
        if who.startswith(_NOT_NAMES):
            continue
        role = m.group("role").removesuffix("的")
        yield _Found("employer", m.start(), m.end(), role + who)


def _find_sites(text: str) -> Iterator[_Found]:
    """Work sites: "紫荆苑工地" -> 紫荆苑, "万达广场项目" -> 万达广场, "在阳光花园" -> 阳光花园."""
    for m in _SITE_RE.finditer(text):
        trimmed = _trim_name(text, m.start("name"), m.end("name"))
        if trimmed is not None:
            yield _Found("site", trimmed[0], m.end(), trimmed[1])
    for pattern in (_NEAR_SITE_RE, _PLACE_RE, _WORKPLACE_RE):
        for m in pattern.finditer(text):
            trimmed = _trim_name(text, m.start("name"), m.end("name"))
            if trimmed is not None:
                yield _Found("site", trimmed[0], m.end(), trimmed[1])


def is_person_name(text: str) -> bool:
    """True when the whole of ``text`` looks like a Chinese personal name ("张三", "欧阳明")."""
    name = _strip_span(text)
    return bool(re.fullmatch(_PERSON, name)) and not name.startswith(_NOT_NAMES)


def _find_people(text: str) -> Iterator[_Found]:
    """The worker's own name, only when introduced ("我叫张三", "我是李四")."""
    for m in _PERSON_RE.finditer(text):
        who = m.group("who")
        if not who.startswith(_NOT_NAMES):
            yield _Found("person_name", m.start("who"), m.end("who"), who)


def _find_work_types(text: str) -> Iterator[_Found]:
    """Trades from a lexicon, longest first ("水电工" before "电工"), canonicalised."""
    for m in _WORK_TYPE_RE.finditer(text):
        yield _Found("work_type", m.start(), m.end(), _WORK_TYPES[m.group(0)])


# --------------------------------------------------------------------------------------------
# Whole-message extraction
# --------------------------------------------------------------------------------------------

#: Finders in priority order: an earlier finder claims its characters, so digits are used
#: once (a phone is not an amount, "5个人" is a headcount, "12月" a date, "三个月" a duration)
#: and names win over the numerals inside them ("百花苑工地").
_FINDERS: tuple[Callable[[str, date], Iterator[_Found]], ...] = (
    lambda t, d: _find_phones(t),
    _find_dates,
    lambda t, d: _find_companies(t),
    lambda t, d: _find_project_departments(t),
    lambda t, d: _find_contractors(t),
    lambda t, d: _find_sites(t),
    lambda t, d: _find_people(t),
    lambda t, d: _find_work_types(t),
    lambda t, d: _find_durations(t),
    lambda t, d: _find_headcounts(t),
    lambda t, d: _find_amounts(t, whole=True),
)


def extract_entities(text: str, today: date) -> list[Entity]:
    """Find amount, duration, headcount, phone, date, work_type, employer, site and
    person_name entities in a raw message, ordered by position.

    The message is converted to half-width simplified Chinese first; offsets and ``text`` of
    each entity refer to the original message.  Each character belongs to at most one entity.
    """
    prepared = _prepare(text)
    aligned = len(prepared) == len(text)
    claimed = bytearray(len(prepared))
    found: list[_Found] = []
    for finder in _FINDERS:
        for item in finder(prepared, today):
            if item.end <= item.start or any(claimed[item.start : item.end]):
                continue
            claimed[item.start : item.end] = b"\x01" * (item.end - item.start)
            found.append(item)
    found.sort(key=lambda f: f.start)
    source = text if aligned else prepared
    return [
        Entity(
            name=f.name,
            text=source[f.start : f.end],
            value=f.value,
            start=f.start if aligned else None,
            end=f.end if aligned else None,
        )
        for f in found
    ]
