"""The complaint form as the bot asks it: the fields of ``cases.fields`` in the order they
are asked, with their prompts and hints (Rasa's ``ask_<slot>`` vocabulary), and the slot
values the NLU's entities fill.

The readers that turn an answer into a value are the fields' own (``cases/readers.py``);
values are typed (``cases/values.py``) and :mod:`bot.state` stores them as JSON.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot import texts
from cases import fields, reading
from cases.readers import NOT_KNOWN as NOT_KNOWN
from cases.readers import UNKNOWN_VALUE as UNKNOWN_VALUE
from cases.readers import Reader as Reader
from cases.readers import amount_value as amount_value
from cases.readers import boss_value as boss_value
from cases.readers import period_value as period_value
from cases.readers import with_day
from cases.values import Period, SlotValue, Values
from cases.values import amount_total as amount_total
from cases.values import display as display
from cases.values import format_yuan as format_yuan
from nlu.normalise import to_simplified
from nlu.types import Amount, DateRange, Duration, Entity, EntityValue, Headcount, ParseResult


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


#: What the bot says for each field of ``cases.fields.FORM``: its question, the hint when an
#: answer could not be read, the NLU entity that fills it, and its words in the list of
#: what is still missing.
_CHAT: dict[str, tuple[str, str, str, str]] = {
    "site": (texts.ASK_SITE, texts.HINT_SITE, "site", "在哪个工地或单位"),
    "employer": (texts.ASK_EMPLOYER, texts.HINT_EMPLOYER, "employer", "欠钱的老板或公司"),
    "amount": (texts.ASK_AMOUNT, texts.HINT_AMOUNT, "amount", "欠多少钱"),
    "headcount": (texts.ASK_HEADCOUNT, texts.HINT_HEADCOUNT, "headcount", "几个人"),
    "period": (texts.ASK_PERIOD, texts.HINT_PERIOD, "date", "哪段时间"),
    "work_type": (texts.ASK_WORK_TYPE, texts.HINT_WORK_TYPE, "work_type", "工种"),
    "contact_name": (texts.ASK_CONTACT, texts.HINT_NAME, "person_name", ""),
    "phone": (texts.ASK_PHONE, texts.HINT_PHONE, "phone", ""),
}
SLOTS: tuple[Slot, ...] = tuple(
    Slot(
        f.name,
        f.label,
        prompt=_CHAT[f.name][0],
        hint=_CHAT[f.name][1],
        entity=_CHAT[f.name][2],
        read=f.read,
        required=f.required,
        short=_CHAT[f.name][3],
        why=f.why,
    )
    for f in fields.FORM
)
BY_NAME = {slot.name: slot for slot in SLOTS}
#: Asked together in one open question; contact details are always asked on their own.
FACTS = tuple(slot.name for slot in SLOTS if slot.short)
#: ``asking`` while the open question is out.
OPEN = "*"


def one_worker(name: str, value: object) -> bool:
    """Whether ``value`` is a headcount of one: "欠我工钱" says who speaks, a weak fact that
    a group told later replaces and that alone tells no complaint."""
    return name == "headcount" and isinstance(value, Headcount) and value.count == 1


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
        elif (owed := _monthly_wage_owed(entities, parse.text)) is not None:
            found["amount"] = owed
    found.update(_boss(entities, parse.text))
    period = _period(entities, parse.text)
    if period is not None:
        found["period"] = period
    return found


#: Months of pay owed, right before or after their count: "欠了八个月", "三个月没发".
_OWED_BEFORE = re.compile(r"(?:欠|拖|压|扣)了?$")
_OWED_AFTER = re.compile(
    r"^(?:的)?(?:工资|工钱|钱)?(?:都|一直|也)?(?:没|没有|未|不)(?:发|给|结|付)"
)


def _monthly_wage_owed(entities: list[Entity], text: str) -> Amount | None:
    """The sum owed when a story gives only a monthly wage and the months unpaid ("一个月
    四千, 欠了八个月": about 32,000); approximate, since part may have been paid."""
    rate = next((e for e in entities if e.name == "wage_rate" and "月" in e.text), None)
    if rate is None or not isinstance(rate.value, Amount):
        return None
    for entity in entities:
        value = entity.value
        if entity.name != "duration" or not isinstance(value, Duration) or entity.start is None:
            continue
        before, after = text[max(0, entity.start - 2) : entity.start], text[entity.end or 0 :]
        if (
            value.months
            and not value.days
            and (_OWED_BEFORE.search(before) or _OWED_AFTER.match(after))
        ):
            return Amount(rate.value.yuan * value.months, approximate=True)
    return None


def _per_person_amount(parse: ParseResult) -> Amount | None:
    for entity in parse.entities:
        if entity.name == "amount" and isinstance(entity.value, Amount):
            each = getattr(entity.value, "per_person", False) or reading.is_per_person(
                parse.text, entity.start, entity.text
            )
            marker = reading.per_person_word(parse.text, entity.start, entity.text)
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
    companies = [c for c in companies if not reading.UNKNOWN.match(reading.plain(c))]
    companies.sort(key=reading.is_generic_boss)
    company = companies[0] if companies else None
    person = next((e for e in entities if e.name == "contractor" and not _in_word(e, text)), None)
    if company is None and person is None:
        return {}
    if person is not None:
        named = company if company and not reading.is_generic_boss(company) else None
        employer = reading.tidy_boss(named or person.text)
        return {"employer": employer, "contractor": to_simplified(str(person.value))}
    return boss_value(str(company))


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
        start = with_day(start, dates[0].text, first=True)
        end = with_day(end, dates[-1].text, first=False)
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
