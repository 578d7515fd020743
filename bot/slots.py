"""The complaint form as data: required slots in the order they are asked, their prompts,
and pure readers that turn a message into a stored value (Rasa's ``ask_<slot>`` /
``validate_<slot>`` vocabulary).

Values are JSON-friendly so they can live in the conversation state.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from bot import texts
from nlu.normalise import (
    is_person_name,
    normalise_amount,
    normalise_date_range,
    normalise_duration,
    normalise_headcount,
    normalise_phone,
    to_simplified,
)
from nlu.types import Amount, DateRange, Duration, Headcount, ParseResult

Value = Any
Reader = Callable[[str, date], Value | None]

#: Answers meaning "I don't know"; some slots accept them (flagged for staff).
UNKNOWN = re.compile(r"^(我)?(也)?(不知道|不清楚|不晓得|不记得|记不清|忘了|不懂|不太清楚)")
UNKNOWN_VALUE = "不清楚"
_CJK = re.compile(r"[\u4e00-\u9fff]")
_NOT_NAMES = {"好的", "是的", "没有", "不是", "知道", "谢谢", "你好", "您好", "可以", "不用"}


@dataclass(frozen=True)
class Slot:
    """One field of the complaint form."""

    name: str
    label: str  # in the summary
    prompt: str  # the question, with an example answer
    hint: str  # added when an answer could not be read
    entity: str  # the NLU entity that fills it
    read: Reader  # reads a direct answer to the prompt
    accepts_unknown: bool = False
    short: str = ""  # in the list of what is still missing


def amount_value(amount: Amount) -> dict[str, Any]:
    """An amount as stored in the form."""
    return {"yuan": str(amount.yuan), "approximate": amount.approximate}


def headcount_value(headcount: Headcount) -> dict[str, Any]:
    """A headcount as stored in the form."""
    return {"count": headcount.count, "approximate": headcount.approximate}


def period_value(text: str, found: DateRange | Duration) -> dict[str, Any]:
    """A period (dates or a length of time) as stored in the form."""
    if isinstance(found, Duration):
        return {"text": text, "months": found.months, "days": found.days}
    start, end = found.start, found.end
    return {
        "text": text,
        "start": f"{start.year}-{start.month:02d}" if start else None,
        "end": f"{end.year}-{end.month:02d}" if end else None,
    }


def _short_text(text: str, _today: date) -> str | None:
    text = text.strip(" ，,。.！!")
    if 2 <= len(text) <= 40 and _CJK.search(text) and not text.isdigit():
        return text
    return None


def _read_amount(text: str, _today: date) -> dict[str, Any] | None:
    amount = normalise_amount(text)
    if amount is None or not Decimal(1) <= amount.yuan <= Decimal(100_000_000):
        return None
    return amount_value(amount)


def _read_headcount(text: str, _today: date) -> dict[str, Any] | None:
    plain = to_simplified(text).strip(" ，,。.！!")
    if re.fullmatch(r"(就|只有)?(我|俺|他|她)?(一个|1个|自己|一个人|1个人|本人)(人)?", plain):
        return {"count": 1, "approximate": False}
    if plain.isdecimal() and 1 <= int(plain) <= 5000:  # isdigit() admits "²"
        return {"count": int(plain), "approximate": False}
    headcount = normalise_headcount(plain) or normalise_headcount(plain + "个人")
    if headcount is None or not 1 <= headcount.count <= 5000:
        return None
    return headcount_value(headcount)


def _read_period(text: str, today: date) -> dict[str, Any] | None:
    found: DateRange | Duration | None = normalise_date_range(text, today)
    if found is None or (found.start is None and found.end is None):
        found = normalise_duration(text)
    return None if found is None else period_value(text.strip(), found)


def _read_name(text: str, _today: date) -> str | None:
    plain = re.sub(r"[\d\s，,。.！!：:+-]+", " ", to_simplified(text)).strip()
    plain = re.sub(r"^(我叫|我是|俺叫|俺是|叫我|我姓|姓名|名字|联系人|本人)", "", plain)
    plain = re.sub(r"(电话|手机|号码|联系方式|手机号)$", "", plain).strip()
    if plain in _NOT_NAMES:
        return None
    if is_person_name(plain) or re.fullmatch(r"[\u4e00-\u9fff]{2,4}", plain):
        return plain
    return None


def _read_phone(text: str, _today: date) -> str | None:
    return normalise_phone(text)


SLOTS: tuple[Slot, ...] = (
    Slot(
        "site",
        "工地/项目",
        texts.ASK_SITE,
        texts.HINT_SITE,
        "site",
        _short_text,
        True,
        "在哪个工地或单位",
    ),
    Slot(
        "employer",
        "欠钱的老板/公司",
        texts.ASK_EMPLOYER,
        texts.HINT_EMPLOYER,
        "employer",
        _short_text,
        True,
        "欠钱的老板或公司",
    ),
    Slot(
        "amount",
        "欠款金额",
        texts.ASK_AMOUNT,
        texts.HINT_AMOUNT,
        "amount",
        _read_amount,
        True,
        "欠多少钱",
    ),
    Slot(
        "headcount",
        "被欠薪人数",
        texts.ASK_HEADCOUNT,
        texts.HINT_HEADCOUNT,
        "headcount",
        _read_headcount,
        True,
        "几个人",
    ),
    Slot(
        "period",
        "欠薪时间",
        texts.ASK_PERIOD,
        texts.HINT_PERIOD,
        "date",
        _read_period,
        True,
        "哪段时间",
    ),
    Slot(
        "work_type",
        "工种",
        texts.ASK_WORK_TYPE,
        texts.HINT_WORK_TYPE,
        "work_type",
        _short_text,
        True,
        "工种",
    ),
    Slot("contact_name", "您的姓名", texts.ASK_CONTACT, texts.HINT_NAME, "person_name", _read_name),
    Slot("phone", "联系电话", texts.ASK_PHONE, texts.HINT_PHONE, "phone", _read_phone),
)
BY_NAME = {slot.name: slot for slot in SLOTS}
#: Asked together in one open question; contact details are always asked on their own.
FACTS = tuple(slot.name for slot in SLOTS if slot.short)
#: ``asking`` while the open question is out.
OPEN = "*"


def from_entities(parse: ParseResult | None) -> dict[str, Value]:
    """Every slot value the NLU found in one message (the first entity of each kind)."""
    if parse is None:
        return {}
    found: dict[str, Value] = {}
    for entity in parse.entities:
        value = _entity_value(entity.name, entity.text, entity.value)
        slot = _slot_for_entity(entity.name)
        if slot and value is not None and slot not in found:
            found[slot] = value
    return found


def _slot_for_entity(entity: str) -> str | None:
    if entity == "duration":
        return "period"
    return next((slot.name for slot in SLOTS if slot.entity == entity), None)


def _entity_value(name: str, text: str, value: Any) -> Value | None:
    if isinstance(value, Amount):
        return amount_value(value) if value.yuan >= 1 else None
    if isinstance(value, Headcount):
        return headcount_value(value) if value.count >= 1 else None
    if isinstance(value, DateRange | Duration):
        return period_value(text, value)
    return str(value) if isinstance(value, str) and value.strip() else None


#: Slots whose readers accept almost any short text: an answer that a strict reader
#: recognises ("就他一个", "三个月") belongs to that stricter slot instead.
LOOSE = {"site", "employer", "work_type"}
STRICT = ("headcount", "amount", "period", "phone")


def read_misplaced(text: str, today: date, empty: list[str]) -> dict[str, Value]:
    """An answer to another (still empty) slot than the one asked, read by strict readers."""
    for name in STRICT:
        if name in empty:
            value = BY_NAME[name].read(text, today)
            if value is not None:
                return {name: value}
    return {}


def read_answer(slot: Slot, text: str, today: date) -> Value | None:
    """Read a direct answer to ``slot``'s prompt; None when it cannot be read."""
    if slot.accepts_unknown and UNKNOWN.match(to_simplified(text).strip()):
        return UNKNOWN_VALUE
    return slot.read(text, today)


def missing(form: dict[str, Value]) -> list[Slot]:
    """The required slots not filled yet, in asking order."""
    return [slot for slot in SLOTS if form.get(slot.name) in (None, "")]


def display(name: str, value: Value) -> str:
    """A slot value as the worker reads it in the summary."""
    if isinstance(value, dict) and "yuan" in value:
        return format_yuan(Decimal(value["yuan"])) + ("左右" if value["approximate"] else "")
    if isinstance(value, dict) and "count" in value:
        return f"{value['count']}人" + ("左右" if value["approximate"] else "")
    if isinstance(value, dict) and "text" in value:
        return str(value["text"])
    text = str(value)
    return text if len(text) <= 20 else text[:20] + "…"


def format_yuan(yuan: Decimal) -> str:
    """35000 -> "35,000元"; 35000.5 -> "35,000.50元"."""
    if yuan == yuan.to_integral_value():
        return f"{int(yuan):,}元"
    return f"{yuan:,.2f}元"
