"""Fuzzing the normalisers and the slot readers: no exception, values of the right type and
range, and slot values the conversation state (JSON, encrypted) can hold."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal

from hypothesis import example, given
from hypothesis import strategies as st

from bot import slots
from bot.state import Period, dump_value, dump_values
from cases.readers import id_number_in, valid_id_number
from nlu.normalise import (
    extract_entities,
    is_person_name,
    normalise_amount,
    normalise_date_range,
    normalise_duration,
    normalise_headcount,
    normalise_phone,
    prepare_text,
    to_simplified,
)
from nlu.types import Amount, DateRange, Duration, Entity, Headcount, ParseResult, YearMonth

from .fuzzing import fuzz, messages

PHONE = re.compile(r"1[3-9][0-9]{9}|0[1-9][0-9]{1,2}-[1-9][0-9]{6,7}")
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))


def check_amount(value: object) -> None:
    assert isinstance(value, Amount) and isinstance(value.yuan, Decimal)
    assert value.yuan.is_finite() and 0 < value.yuan < Decimal(10) ** 10
    assert isinstance(value.approximate, bool)


def check_duration(value: object) -> None:
    assert isinstance(value, Duration)
    assert isinstance(value.months, int) and isinstance(value.days, int)
    assert value.months >= 0 and value.days >= 0 and value.months + value.days > 0


def check_headcount(value: object) -> None:
    assert isinstance(value, Headcount) and isinstance(value.count, int)
    assert 1 <= value.count < 100_000


def check_phone(value: object, source: str) -> None:
    assert isinstance(value, str) and PHONE.fullmatch(value), value
    # Every digit of the number was in the message, in order and together.
    assert value.replace("-", "") in re.sub(r"[^0-9]", "", prepare_text(source))


def check_dates(value: object, today: date) -> None:
    assert isinstance(value, DateRange)
    ends = [end for end in (value.start, value.end) if end is not None]
    for end in ends:
        assert isinstance(end, YearMonth) and 1 <= end.month <= 12
        assert today.year - 100 <= end.year <= today.year + 2
    if len(ends) == 2:
        assert (ends[0].year, ends[0].month) <= (ends[1].year, ends[1].month)


@fuzz(300)
@given(messages, days)
def test_normalisers_answer_none_or_a_value_in_range(text: str, today: date) -> None:
    if (amount := normalise_amount(text)) is not None:
        check_amount(amount)
    if (duration := normalise_duration(text)) is not None:
        check_duration(duration)
    if (headcount := normalise_headcount(text)) is not None:
        check_headcount(headcount)
    if (phone := normalise_phone(text)) is not None:
        check_phone(phone, text)
    if (period := normalise_date_range(text, today)) is not None:
        check_dates(period, today)
    assert isinstance(is_person_name(text), bool)
    assert len(prepare_text(text)) == len(to_simplified(text)) == len(text)


ENTITY_CHECKS = {
    "amount": check_amount,
    "wage_rate": check_amount,
    "duration": check_duration,
    "headcount": check_headcount,
}


def check_entity(entity: Entity, text: str, today: date) -> None:
    if entity.name in ENTITY_CHECKS:
        ENTITY_CHECKS[entity.name](entity.value)
    elif entity.name == "phone":
        check_phone(entity.value, entity.text)
    elif entity.name == "date":
        check_dates(entity.value, today)
    else:
        names = ("employer", "contractor", "site", "person_name", "work_type")
        assert entity.name in names, entity.name
        assert isinstance(entity.value, str) and entity.value.strip()
    assert entity.text and entity.text in text


@fuzz(300)
@given(messages, days)
def test_every_entity_has_a_value_of_its_kind(text: str, today: date) -> None:
    for entity in extract_entities(text, today):
        check_entity(entity, text, today)


@fuzz(300)
@given(messages, days)
@example("²", date(2000, 1, 1))  # found by Hypothesis: "²".isdigit() but int("²") fails
@example("0万", date(2000, 1, 1))  # found by Hypothesis: "万" left alone read as a surname
def test_slot_readers_return_storable_values(text: str, today: date) -> None:
    for slot in slots.SLOTS:
        value = slots.read_answer(slot, text, today)
        if value is None:
            continue
        json.dumps(dump_value(value))  # the conversation state is JSON
        assert isinstance(slots.display(slot.name, value), str)
        check_slot_value(slot.name, value, today, text)
    misplaced = slots.read_misplaced(text, today, list(slots.STRICT))
    assert set(misplaced) <= set(slots.STRICT)
    for name, value in misplaced.items():
        check_slot_value(name, value, today, text)


def check_slot_value(name: str, value: object, today: date, text: str) -> None:
    if value == slots.UNKNOWN_VALUE and slots.BY_NAME[name].accepts_unknown:
        return
    if name == "amount":
        assert isinstance(value, Amount) and isinstance(value.approximate, bool)
        assert Decimal(1) <= value.yuan <= Decimal(100_000_000)
    elif name == "headcount":
        assert isinstance(value, Headcount) and 1 <= value.count <= 5000
    elif name == "phone":
        assert isinstance(value, str) and PHONE.fullmatch(value)
    elif name == "period":
        assert isinstance(value, Period) and isinstance(value.text, str)
        for end in (value.start, value.end):
            if end is not None:
                year, month = end.year, end.month
                assert 1 <= month <= 12 and today.year - 100 <= year <= today.year + 2
    elif name == "contact_name":
        # A surname said alone ("刘") is enough to call back; otherwise a whole name.
        said_alone = value == to_simplified(text).strip()
        assert isinstance(value, str) and (2 <= len(value) <= 4 or said_alone)
    else:  # site, employer, work_type: the worker's words, kept short
        assert isinstance(value, str) and 2 <= len(value) <= 40


@fuzz(200)
@given(messages, days)
def test_slots_from_entities_are_storable(text: str, today: date) -> None:
    parse = ParseResult(text, "provide_info", 0.9, tuple(extract_entities(text, today)))
    found = slots.from_entities(parse)
    json.dumps(dump_values(found))
    assert set(found) <= set(slots.BY_NAME)
    for name, value in found.items():
        assert isinstance(slots.display(name, value), str)


@fuzz(200)
@given(st.one_of(messages, st.from_regex(r"[0-9]{17}[0-9Xx]", fullmatch=True)))
def test_an_id_number_is_kept_only_when_its_check_digit_is_right(text: str) -> None:
    number = id_number_in(text)
    if number is not None:
        assert isinstance(number, str) and valid_id_number(number)
        assert number == number.upper()
