"""Reading one answer into slot values: the NLU's facts first, then the words left over,
each put in the slot of its kind, whatever question was asked.
"""

from __future__ import annotations

import re
from datetime import date

from bot import slots
from bot.types import Context
from cases import fields, reading
from cases.values import SlotValue, Values
from nlu.types import ParseResult

#: What an empty-looking slot may hold and still be filled by a later fact.
SOFT = (None, "", slots.UNKNOWN_VALUE, slots.NOT_KNOWN)
BAD_PHONE = re.compile(r"(?<!\d)\d{7,13}(?!\d)")
_NO_DAY = date(2000, 1, 1)  # the readers of text slots ignore the day


def read(
    values: Values,
    asking: str | None,
    parse: ParseResult,
    found: Values,
    ctx: Context,
) -> dict[str, SlotValue]:
    """The slot values of one answer (``values``: the form's so far): the NLU's facts, then
    the words left over, each put in the slot of its kind (a boss is never a site, a
    question never a work type)."""
    filled = {k: v for k, v in found.items() if k == asking or soft(values, k)}
    if "contractor" in found and "employer" in filled:
        filled["contractor"] = found["contractor"]
    if asking in ("contact_name", "phone"):  # "1391234567" is a mistyped phone, not money
        filled.pop("amount", None)
    rest, remainder = rest_of(parse), rest_of(parse, whole=False)
    if asking is None or asking in found:
        filled.update(leftovers(values, "", remainder, filled) if found else {})
        return filled
    if set(filled) - {"contractor"}:  # new facts: the words left over may hold more
        filled.update(leftovers(values, asking, remainder, filled))
        return filled
    if found:  # only facts already known ("5" read as money): read the whole answer
        rest = parse.text
    empty = [slot.name for slot in slots.missing(values)]
    kind = reading.kind_of(rest)
    if kind is not None and kind != asking and soft(values, kind):
        return as_slot(kind, rest, ctx) or {}
    if asking in slots.LOOSE:
        misplaced = slots.read_misplaced(rest, ctx.today, empty)
        if misplaced:
            return misplaced
        if kind not in (None, asking):
            return {}  # another kind of fact, already known: ask again
    value = as_slot(asking, rest, ctx)
    if value:
        return value
    if is_own_name(values, asking, rest):  # "张三" to the headcount question: the boss is known
        return {"contact_name": reading.plain(rest)}
    misplaced = slots.read_misplaced(rest, ctx.today, [n for n in empty if n != asking])
    return misplaced


def leftovers(values: Values, asking: str, rest: str, filled: Values) -> dict[str, SlotValue]:
    """Words next to the NLU's facts: a name beside a phone, or pieces of a known kind."""
    beside_phone = "phone" in filled and soft(values, "contact_name")
    if (asking == "contact_name" or beside_phone) and "contact_name" not in filled:
        name = slots.BY_NAME["contact_name"].read(rest, _NO_DAY)
        # Asked for the name, "老赵" is the worker's own; beside a phone only a plain name is.
        if name is not None and (asking == "contact_name" or reading.kind_of(str(name)) is None):
            return {"contact_name": name}
    extra: dict[str, SlotValue] = {}
    for piece in re.split(r"[\s，,。.、；;！!]+", rest):
        kind = reading.kind_of(piece, strict=True)
        if kind and kind not in filled and kind not in extra and soft(values, kind):
            extra.update(as_slot(kind, re.sub(r"^(?:在|就在|是在)", "", piece), None) or {})
        elif kind is None and piece:  # "9000" beside the other facts: the sum owed
            empty = [n for n in slots.STRICT if soft(values, n) and n not in filled]
            extra.update(slots.read_misplaced(piece, _NO_DAY, [n for n in empty if n not in extra]))
    site = reading.site_in_story(rest)
    if site and soft(values, "site") and "site" not in filled and "site" not in extra:
        extra["site"] = site
    boss = reading.boss_in_story(rest)
    if boss and soft(values, "employer") and "employer" not in filled and "employer" not in extra:
        extra["employer"], extra["contractor"] = boss
    work = reading.work_in_story(rest) if soft(values, "work_type") else None
    if work and "work_type" not in filled and "work_type" not in extra:
        extra["work_type"] = work
    return extra


def is_own_name(values: Values, asking: str, text: str) -> bool:
    """A bare full name, when the boss is known and the worker's own name is still missing."""
    return (
        asking in slots.STRICT
        and bool(reading.PERSON.match(reading.plain(text)))
        and not soft(values, "employer")
        and soft(values, "contact_name")
    )


def soft(values: Values, name: str) -> bool:
    """Whether slot ``name`` may still be filled by a fact the worker did not answer to."""
    value = values.get(name)
    if name == "employer" and isinstance(value, str) and reading.is_generic_boss(value):
        return True
    if slots.one_worker(name, value):
        return True  # "欠我工钱", then "我们五个人": the group told later counts
    return value in SOFT


def as_slot(name: str, text: str, ctx: Context | None) -> dict[str, SlotValue] | None:
    """Read ``text`` as a direct answer for slot ``name`` (the field's own reader)."""
    return fields.read_as(name, text, ctx.today if ctx else _NO_DAY)


def other_kind(text: str) -> bool:
    """Whether an unread answer is plainly another kind of fact (a boss, a name, a phone)."""
    words = reading.plain(text)
    return bool(reading.kind_of(words) or reading.PERSON.match(words) or BAD_PHONE.search(words))


def rest_of(parse: ParseResult, whole: bool = True) -> str:
    """The message without the entities already read, so "张三 139..." leaves "张三";
    when nothing is left, the whole message (``whole``) or nothing."""
    text = parse.text
    for entity in parse.entities:
        text = text.replace(entity.text, " ")
    return text.strip() or (parse.text if whole else "")
