"""The complaint form as data: required slots in the order they are asked, their prompts,
and pure readers that turn a message into a stored value (Rasa's ``ask_<slot>`` /
``validate_<slot>`` vocabulary).

Values are typed (:data:`bot.state.SlotValue`); :mod:`bot.state` stores them as JSON.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from bot import reader, texts
from bot.state import Period, SlotValue, Values
from nlu.normalise import (
    is_person_name,
    normalise_amount,
    normalise_date_range,
    normalise_duration,
    normalise_headcount,
    normalise_phone,
    to_simplified,
)
from nlu.types import (
    Amount,
    DateRange,
    Duration,
    Entity,
    EntityValue,
    Headcount,
    ParseResult,
    YearMonth,
)

Reader = Callable[[str, date], SlotValue | None]

#: What an optional slot holds when the worker does not know; a required one, after its
#: reason was explained, holds ``NOT_KNOWN`` and is flagged for staff.
UNKNOWN_VALUE = "不清楚"
NOT_KNOWN = "不详"
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
    #: Required: "不知道" is explained once (``why``), then kept as unknown and flagged.
    #: Optional: "不知道" is kept as unknown at once.
    required: bool = False
    short: str = ""  # in the list of what is still missing
    why: str = ""


def amount_value(amount: Amount) -> Amount:
    """An amount as the form keeps it (each worker's share is told apart by the words)."""
    return Amount(amount.yuan, amount.approximate)


def period_value(text: str, found: DateRange | Duration) -> Period:
    """A period (dates or a length of time) as the form keeps it."""
    if isinstance(found, Duration):
        return Period(text, months=found.months, days=found.days)
    return Period(text, _with_day(found.start, text, True), _with_day(found.end, text, False))


def _short_text(text: str, _today: date) -> str | None:
    text = text.strip(" ，,。.！!")
    if reader.AFFIRM.match(text):  # "确认提交" said too early is no site or boss
        return None
    if 2 <= len(text) <= 40 and _CJK.search(text) and not text.isdigit():
        return text
    return None


def _read_site(text: str, today: date) -> str | None:
    # "我在紫荆苑工地干活" names 紫荆苑; "我在工地干活" names no site at all.
    words = reader.plain(text)
    named = reader.site_in_story(words)
    if named:
        return named
    words = re.sub(r"^(?:工地|项目)?(?:是)?在", "", words)
    if reader.CLAUSE.search(words) or re.fullmatch(r"(?:在|那个|这个)?(?:工地|项目|工程)", words):
        return None
    return _short_text(words, today)


def _read_boss(text: str, today: date) -> str | None:
    words = re.sub(r"^(?:他|她|就是|是)", "", reader.plain(text))
    return _short_text(words, today)


def _read_amount(text: str, _today: date) -> Amount | None:
    amount = normalise_amount(text)
    # Under 10 yuan is no sum owed: a bare "1" is a tap on an option, not one yuan.
    if amount is None or not Decimal(10) <= amount.yuan <= Decimal(100_000_000):
        return None
    return amount_value(amount)


def _read_headcount(text: str, _today: date) -> Headcount | None:
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


def _read_period(text: str, today: date) -> Period | None:
    dates = normalise_date_range(text, today)
    found: DateRange | Duration | None = dates
    if dates is None or (dates.start is None and dates.end is None):
        found = normalise_duration(text)
    return None if found is None else period_value(text.strip(), found)


def _read_name(text: str, _today: date) -> str | None:
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
    if re.fullmatch(reader.SURNAME, plain) and plain == to_simplified(text).strip():
        return plain  # "刘" alone is enough to call back; "0万" is not a name
    # "我是他老婆 王丽": the name is the last word that is one.
    words = [w for w in plain.split() if w not in _NOT_NAMES and reader.PERSON.match(w)]
    return words[-1] if words and is_person_name(words[-1]) else None


def _read_work_type(text: str, today: date) -> str | None:
    # A work type is a short word; a sentence is something else ("没有欠条怎么办").
    words = reader.plain(text)
    if reader.kind_of(words) == "work_type" or (len(words) <= 6 and reader.kind_of(words) is None):
        return _short_text(words, today)
    return None


def _read_phone(text: str, _today: date) -> str | None:
    return normalise_phone(text)


SLOTS: tuple[Slot, ...] = (
    Slot("site", "工地/项目", texts.ASK_SITE, texts.HINT_SITE, "site", _read_site,
         short="在哪个工地或单位"),
    Slot("employer", "欠钱的老板/公司", texts.ASK_EMPLOYER, texts.HINT_EMPLOYER, "employer",
         _read_boss, required=True, short="欠钱的老板或公司", why=texts.WHY_EMPLOYER),
    Slot("amount", "欠款金额", texts.ASK_AMOUNT, texts.HINT_AMOUNT, "amount", _read_amount,
         required=True, short="欠多少钱", why=texts.WHY_AMOUNT),
    Slot("headcount", "被欠薪人数", texts.ASK_HEADCOUNT, texts.HINT_HEADCOUNT, "headcount",
         _read_headcount, short="几个人"),
    Slot("period", "欠薪时间", texts.ASK_PERIOD, texts.HINT_PERIOD, "date", _read_period,
         short="哪段时间"),
    Slot("work_type", "工种", texts.ASK_WORK_TYPE, texts.HINT_WORK_TYPE, "work_type",
         _read_work_type, short="工种"),
    Slot("contact_name", "您的姓名", texts.ASK_CONTACT, texts.HINT_NAME, "person_name", _read_name),
    Slot("phone", "联系电话", texts.ASK_PHONE, texts.HINT_PHONE, "phone", _read_phone,
         required=True, why=texts.WHY_PHONE),
)  # fmt: skip
BY_NAME = {slot.name: slot for slot in SLOTS}
#: Asked together in one open question; contact details are always asked on their own.
FACTS = tuple(slot.name for slot in SLOTS if slot.short)
#: ``asking`` while the open question is out.
OPEN = "*"


def from_entities(parse: ParseResult | None) -> dict[str, SlotValue]:
    """Every slot value the NLU found in one message.

    Beyond the first entity of each kind: a boss and a company go to ``contractor`` and
    ``employer``; every date and duration make one period; an amount said per person is
    marked so (its total needs the headcount).
    """
    if parse is None:
        return {}
    found: dict[str, SlotValue] = {}
    entities = list(parse.entities)
    per_person = _per_person_amount(parse)
    for entity in entities:
        if entity.name in ("employer", "contractor", "date", "duration", "amount"):
            continue
        if entity.name == "headcount" and per_person and _is_each(entity.text):
            continue  # "一人" in "一人八千多" is no headcount
        value = _entity_value(entity.name, entity.text, entity.value)
        slot = _slot_for_entity(entity.name)
        if slot and value is not None and slot not in found:
            found[slot] = value
    if per_person is not None:
        found["amount"] = per_person
    else:
        amount = next((e for e in entities if e.name == "amount"), None)
        value = _entity_value("amount", amount.text, amount.value) if amount else None
        if value is not None:
            found["amount"] = value
    found.update(_boss(entities, parse.text))
    period = _period(entities, parse.text)
    if period is not None:
        found["period"] = period
    return found


def _per_person_amount(parse: ParseResult) -> Amount | None:
    for entity in parse.entities:
        if entity.name == "amount" and isinstance(entity.value, Amount):
            each = getattr(entity.value, "per_person", False) or reader.is_per_person(
                parse.text, entity.start, entity.text
            )
            marker = reader.per_person_word(parse.text, entity.start, entity.text)
            if marker in ("一人", "一个人", "一个") and not _other_headcount(parse):
                each = False  # "欠他一个人两万": one worker, and this is his sum
            if each and entity.value.yuan >= 1:
                return Amount(entity.value.yuan, entity.value.approximate, per_person=True)
            return None
    return None


def _other_headcount(parse: ParseResult) -> bool:
    """Whether the message counts the workers apart from "一人" ("俺们仨人 一人八千多")."""
    return any(
        e.name == "headcount" and isinstance(e.value, Headcount) and e.value.count > 1
        for e in parse.entities
    )


def _is_each(text: str) -> bool:
    return bool(re.fullmatch(r"(?:每|一)个?人|每位|各", to_simplified(text).strip()))


#: Words that end in a surname character: "工钱老板" names no 钱老板.
_WORD_BEFORE = re.compile(r"(?:工|汗|苦|欠|的|价|要|分|块|这|那)$")


def _in_word(entity: Entity, text: str) -> bool:
    """Whether a boss's surname is the end of a word before it ("工钱老板")."""
    if not entity.value:
        return True
    start = entity.start
    return bool(start and _WORD_BEFORE.search(text[:start]) and entity.text[0] == "钱")


def _boss(entities: list[Entity], text: str = "") -> dict[str, SlotValue]:
    """``employer`` (the company, or the boss as written) and ``contractor`` (a person)."""
    companies = [str(e.value) for e in entities if e.name == "employer" and e.value]
    # "不晓得公司" is no company; a generic "项目部" yields to a named one.
    companies = [c for c in companies if not reader.UNKNOWN.match(reader.plain(c))]
    companies.sort(key=reader.is_generic_boss)
    company = companies[0] if companies else None
    person = next((e for e in entities if e.name == "contractor" and not _in_word(e, text)), None)
    if company is None and person is None:
        return {}
    if person is not None:
        named = company if company and not reader.is_generic_boss(company) else None
        employer = reader.tidy_boss(named or person.text)
        return {"employer": employer, "contractor": to_simplified(str(person.value))}
    return boss_value(str(company))


def boss_value(text: str) -> dict[str, SlotValue]:
    """The employer and contractor slots of one answer naming a boss, a company, or both."""
    text = reader.balance(to_simplified(text).strip(" ，,。.！!"))
    company, person = reader.split_employer(text)
    values: dict[str, SlotValue] = {"employer": company or reader.tidy_boss(text)}
    if company is None and person and len(text.split()) > 1 and reader.PERSON.match(person):
        values["employer"] = person  # "姓刘 叫刘大成": the name, not the whole sentence
    surname = re.fullmatch(rf"(?:{reader.ROLE})?姓(?P<surname>{reader.SURNAME})(?:的)?", text)
    if surname:  # "老板姓吴": the boss's surname is all the worker knows
        values["contractor"] = surname.group("surname") + "某"
    elif person is not None and not reader.is_generic_boss(reader.person_of(person)):
        values["contractor"] = reader.person_of(person)  # never a bare "包工头"
    return values


#: Words before a date that make it a promise, not the time worked ("说好年底结账").
_PROMISED = re.compile(r"(?:说好|说了|答应|承诺|保证|说|等到|拖到)$")


def _period(entities: list[Entity], text: str = "") -> Period | None:
    dates = [
        e
        for e in entities
        if e.name == "date" and isinstance(e.value, DateRange) and not _promised(e, text)
    ]
    lengths = [e for e in entities if e.name == "duration" and isinstance(e.value, Duration)]
    if not dates and not lengths:
        return None
    start = end = None
    if dates:
        first, last = dates[0].value, dates[-1].value
        start = first.start if isinstance(first, DateRange) else None
        end = last.end if isinstance(last, DateRange) else None
        if len(dates) > 1 and end is None and isinstance(last, DateRange):
            end = last.start
        start = _with_day(start, dates[0].text, first=True)
        end = _with_day(end, dates[-1].text, first=False)
    duration = lengths[0].value if lengths else None
    spans = [e.text for e in dates] + [f"（{e.text}）" if dates else e.text for e in lengths[:1]]
    said = to_simplified("到".join(spans[: len(dates)]) + "".join(spans[len(dates) :]))
    if isinstance(duration, Duration):
        return Period(said, start, end, duration.months, duration.days)
    return Period(said, start, end)


def _promised(entity: Entity, text: str) -> bool:
    if entity.start is None:
        return False
    return bool(_PROMISED.search(to_simplified(text[max(0, entity.start - 3) : entity.start])))


def _with_day(month: YearMonth | None, span: str, first: bool) -> YearMonth | None:
    """The month, with its day when the NLU or the words said one ("8月1号")."""
    if month is None or month.day is not None:
        return month
    pairs = [d for m, d in reader.month_days(span) if m == month.month]
    day = (pairs[0] if first else pairs[-1]) if pairs else None
    return YearMonth(month.year, month.month, day or None)


def _slot_for_entity(entity: str) -> str | None:
    if entity == "duration":
        return "period"
    return next((slot.name for slot in SLOTS if slot.entity == entity), None)


def _entity_value(name: str, text: str, value: EntityValue | None) -> SlotValue | None:
    if isinstance(value, Amount):  # under 10 yuan is a tapped option ("1"), not money owed
        return amount_value(value) if value.yuan >= 10 else None
    if isinstance(value, Headcount):
        return Headcount(value.count, value.approximate) if value.count >= 1 else None
    if isinstance(value, DateRange | Duration):
        return period_value(text, value)
    return str(value) if isinstance(value, str) and value.strip() else None


#: Slots whose readers accept almost any short text: an answer that a strict reader
#: recognises ("就他一个", "三个月") belongs to that stricter slot instead.
LOOSE = {"site", "employer", "work_type"}
STRICT = ("headcount", "amount", "period", "phone")


def read_misplaced(text: str, today: date, empty: list[str]) -> dict[str, SlotValue]:
    """An answer to another (still empty) slot than the one asked, read by strict readers."""
    for name in STRICT:
        if name in empty:
            value = BY_NAME[name].read(text, today)
            if value is not None:
                return {name: value}
    return {}


def read_answer(slot: Slot, text: str, today: date) -> SlotValue | None:
    """Read a direct answer to ``slot``'s prompt; None when it cannot be read."""
    return slot.read(text, today)


def missing(form: Values) -> list[Slot]:
    """The required slots not filled yet, in asking order."""
    return [slot for slot in SLOTS if form.get(slot.name) in (None, "")]


def display(name: str, value: SlotValue | None, values: Values | None = None) -> str:
    """A slot value as the worker reads it (``values``: the form, for a per-person total)."""
    if isinstance(value, Amount):
        return _display_amount(value, (values or {}).get("headcount"))
    if isinstance(value, Headcount):
        return f"{value.count}人" + ("左右" if value.approximate else "")
    if isinstance(value, Period):
        return value.text
    text = str(value)
    return text if len(text) <= 20 else text[:20] + "…"


def _display_amount(amount: Amount, headcount: SlotValue | None) -> str:
    each = format_yuan(amount.yuan) + ("左右" if amount.approximate else "")
    if not amount.per_person:
        return each
    if not isinstance(headcount, Headcount):
        return f"每人{each}"
    total, approximate = amount_total({"amount": amount, "headcount": headcount})
    if total is None:
        return f"每人{each}"
    about = "左右" if approximate else ""
    return f"共{format_yuan(total)}{about}（每人{each}×{headcount.count}人）"


def amount_total(values: Values) -> tuple[Decimal | None, bool]:
    """The sum owed and whether it is approximate: a per-person amount times the headcount.

    A per-person amount without a headcount is returned as it is (staff see the flag).
    """
    amount, headcount = values.get("amount"), values.get("headcount")
    if not isinstance(amount, Amount):
        return None, False
    yuan, approximate = amount.yuan, amount.approximate
    if amount.per_person and isinstance(headcount, Headcount):
        yuan *= headcount.count
        approximate = approximate or headcount.approximate
    return yuan, approximate


def format_yuan(yuan: Decimal) -> str:
    """35000 -> "35,000元"; 35000.5 -> "35,000.50元"."""
    if yuan == yuan.to_integral_value():
        return f"{int(yuan):,}元"
    return f"{yuan:,.2f}元"
