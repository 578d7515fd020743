"""Each field's reader: a person's words for that field turned into its typed value.

The same readers serve the bot (an answer to its question), staff intake and spreadsheet
imports, so "三万多", "十几个人" or "老板王德发(德发建筑劳务公司)" mean the same whoever
typed them. A reader returns None when the words cannot be read for its field.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from cases import reading
from cases.values import Period, SlotValue
from nlu.normalise import (
    is_person_name,
    normalise_amount,
    normalise_date_range,
    normalise_duration,
    normalise_headcount,
    normalise_phone,
    to_simplified,
)
from nlu.types import Amount, DateRange, Duration, Headcount, YearMonth

Reader = Callable[[str, date], SlotValue | None]

#: What an optional field holds when the worker does not know; a required one, after its
#: reason was explained, holds ``NOT_KNOWN`` and is flagged for staff.
UNKNOWN_VALUE = "不清楚"
NOT_KNOWN = "不详"
_CJK = re.compile(r"[\u4e00-\u9fff]")
_NOT_NAMES = {"好的", "是的", "没有", "不是", "知道", "谢谢", "你好", "您好", "可以", "不用"}
ID_NUMBER = re.compile(r"(?<!\d)(\d{17}[\dXx])(?!\d)")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def amount_value(amount: Amount) -> Amount:
    """An amount as the form keeps it (each worker's share is told apart by the words)."""
    return Amount(amount.yuan, amount.approximate)


def period_value(text: str, found: DateRange | Duration) -> Period:
    """A period (dates or a length of time) as the form keeps it."""
    if isinstance(found, Duration):
        return Period(text, months=found.months, days=found.days)
    return Period(text, with_day(found.start, text, True), with_day(found.end, text, False))


def with_day(month: YearMonth | None, span: str, first: bool) -> YearMonth | None:
    """The month, with its day when the NLU or the words said one ("8月1号")."""
    if month is None or month.day is not None:
        return month
    pairs = [d for m, d in reading.month_days(span) if m == month.month]
    day = (pairs[0] if first else pairs[-1]) if pairs else None
    return YearMonth(month.year, month.month, day or None)


def _short_text(text: str, _today: date) -> str | None:
    text = text.strip(" ，,。.！!")
    if reading.AFFIRM.match(text):  # "确认提交" said too early is no site or boss
        return None
    if 2 <= len(text) <= 40 and _CJK.search(text) and not text.isdigit():
        return text
    return None


def read_site(text: str, today: date) -> str | None:
    """The site or workplace named by an answer."""
    # "我在紫荆苑工地干活" names 紫荆苑; "我在工地干活" names no site at all.
    words = reading.plain(text)
    named = reading.site_in_story(words)
    if named:
        return named
    words = re.sub(r"^(?:工地|项目)?(?:是)?在", "", words)
    if reading.CLAUSE.search(words) or re.fullmatch(r"(?:在|那个|这个)?(?:工地|项目|工程)", words):
        return None
    return _short_text(words, today)


def read_boss(text: str, today: date) -> str | None:
    """The boss or company named by an answer, as written."""
    words = re.sub(r"^(?:他|她|就是|是)", "", reading.plain(text))
    return _short_text(words, today)


def read_amount(text: str, _today: date) -> Amount | None:
    """The sum owed named by an answer."""
    amount = normalise_amount(text)
    # Under 10 yuan is no sum owed: a bare "1" is a tap on an option, not one yuan.
    if amount is None or not Decimal(10) <= amount.yuan <= Decimal(100_000_000):
        return None
    return amount_value(amount)


def read_headcount(text: str, _today: date) -> Headcount | None:
    """How many workers are owed, by an answer."""
    plain = to_simplified(text).strip(" ，,。.！!")
    if re.fullmatch(
        r"(就|只有)?(我|俺|他|她)?(一个|1个|自己|自个儿?|一个人|1个人|本人)(人)?", plain
    ) or re.fullmatch(r"(就|只有|只)(我|俺|他|她)(自己|自个儿?)?", plain):
        return Headcount(1)
    if plain.isdecimal() and 1 <= int(plain) <= 5000:  # isdigit() admits "²"
        return Headcount(int(plain))
    headcount = normalise_headcount(plain)
    # "7个", "十几": a bare numeral is a count here, but "冯一" is a name.
    numeral = re.fullmatch(r"(?:我们|俺们|一共)?([\d一二两三四五六七八九十百几多来]+)个?", plain)
    if headcount is None and numeral:
        headcount = normalise_headcount(numeral.group(1) + "个人")
    if headcount is None or not 1 <= headcount.count <= 5000:
        return None
    return Headcount(headcount.count, headcount.approximate)


def read_period(text: str, today: date) -> Period | None:
    """When the wages were earned, by an answer (dates, or a length of time)."""
    dates = normalise_date_range(text, today)
    found: DateRange | Duration | None = dates
    if dates is None or (dates.start is None and dates.end is None):
        found = normalise_duration(text)
    return None if found is None else period_value(text.strip(), found)


def read_name(text: str, _today: date) -> str | None:
    """The worker's own name in an answer."""
    plain = re.sub(r"[\d\s，,。.！!：:+-]+", " ", to_simplified(text)).strip()
    called = re.search(r"(?:叫|名叫|名字是|名字叫)(?P<name>[\u4e00-\u9fff]{2,3})(?:$|\s)", plain)
    if called:  # "我姓马 叫马文"
        plain = called.group("name")
    plain = re.sub(r"^(我叫|我是|俺叫|俺是|叫我|我姓|姓名|名字|联系人|本人)", "", plain)
    plain = re.sub(r"(电话|手机|号码|联系方式|手机号)$", "", plain).strip()
    if plain in _NOT_NAMES:
        return None
    if is_person_name(plain) or re.fullmatch(r"[\u4e00-\u9fff]{2,4}", plain):
        return plain
    if re.fullmatch(reading.SURNAME, plain) and plain == to_simplified(text).strip():
        return plain  # "刘" alone is enough to call back; "0万" is not a name
    # "我是他老婆 王丽": the name is the last word that is one.
    words = [w for w in plain.split() if w not in _NOT_NAMES and reading.PERSON.match(w)]
    return words[-1] if words and is_person_name(words[-1]) else None


def read_work_type(text: str, today: date) -> str | None:
    """The worker's trade in an answer."""
    # A work type is a short word; a sentence is something else ("没有欠条怎么办").
    words = reading.plain(text)
    if reading.kind_of(words) == "work_type" or (
        len(words) <= 6 and reading.kind_of(words) is None
    ):
        return _short_text(words, today)
    return None


def read_phone(text: str, _today: date) -> str | None:
    """The phone number in an answer."""
    return normalise_phone(text)


def boss_value(text: str) -> dict[str, SlotValue]:
    """The employer and contractor values of one answer naming a boss, a company, or both."""
    text = reading.balance(to_simplified(text).strip(" ，,。.！!"))
    company, person = reading.split_employer(text)
    values: dict[str, SlotValue] = {"employer": company or reading.tidy_boss(text)}
    if company is None and person and len(text.split()) > 1 and reading.PERSON.match(person):
        values["employer"] = person  # "姓刘 叫刘大成": the name, not the whole sentence
    surname = re.fullmatch(rf"(?:{reading.ROLE})?姓(?P<surname>{reading.SURNAME})(?:的)?", text)
    if surname:  # "老板姓吴": the boss's surname is all the worker knows
        values["contractor"] = surname.group("surname") + "某"
    elif person is not None and not reading.is_generic_boss(reading.person_of(person)):
        values["contractor"] = reading.person_of(person)  # never a bare "包工头"
    return values


def id_number_in(text: str) -> str | None:
    """An ID number the worker volunteered, when its check digit is right."""
    match = ID_NUMBER.search(text)
    return match.group(1).upper() if match and valid_id_number(match.group(1)) else None


def valid_id_number(number: str) -> bool:
    """The GB 11643 check digit of an 18-character resident ID number."""
    if not re.fullmatch(r"\d{17}[\dXx]", number):
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return "10X98765432"[total % 11] == number[17].upper()
