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

from collections.abc import Callable, Iterator
from datetime import date

from nlu.normalise.dates import _find_dates, normalise_date_range
from nlu.normalise.money import _find_amounts, _find_wage_rates, normalise_amount
from nlu.normalise.names import (
    _find_companies,
    _find_contractors,
    _find_people,
    _find_project_departments,
    _find_sites,
    _find_work_types,
    is_person_name,
)
from nlu.normalise.numbers import _Found
from nlu.normalise.quantities import (
    _find_durations,
    _find_headcounts,
    _find_lone_worker,
    _find_phones,
    normalise_duration,
    normalise_headcount,
    normalise_phone,
)
from nlu.normalise.text import MAX_TEXT_CHARS, _prepare, cap_text, prepare_text, to_simplified
from nlu.types import Entity

# Whole-message extraction

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
    lambda t, d: _find_wage_rates(t),  # before durations: "一天三百二" is no 1-day period
    lambda t, d: _find_durations(t),
    lambda t, d: _find_headcounts(t),
    lambda t, d: _find_amounts(t, whole=True),
    lambda t, d: _find_lone_worker(t),  # last: only where no other finder claimed the words
)


def extract_entities(text: str, today: date) -> list[Entity]:
    """Find amount, duration, headcount, phone, date, work_type, employer, contractor, site
    and person_name entities in a raw message, ordered by position.

    The message is converted to half-width simplified Chinese first; offsets and ``text`` of
    each entity refer to the original message.  Each character belongs to at most one entity.
    Only the first ``MAX_TEXT_CHARS`` characters are read (a bound on the work per message).
    """
    text = cap_text(text)
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


__all__ = [
    "MAX_TEXT_CHARS",
    "cap_text",
    "extract_entities",
    "is_person_name",
    "normalise_amount",
    "normalise_date_range",
    "normalise_duration",
    "normalise_headcount",
    "normalise_phone",
    "prepare_text",
    "to_simplified",
]
