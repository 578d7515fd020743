"""The normalisers cost time linear in the message (issue 14, item 3).

A pattern that scans a whole run of digits from each position of that run is quadratic: 20,000
digits once took minutes and delayed other workers' replies past WeChat's 5 seconds. These
tests feed adversarial runs to every finder and bound both the time per character and how it
grows. CPU time of this process is measured, so other work on the machine does not count.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import date

import pytest

from nlu.normalise import (
    _FINDERS,
    MAX_TEXT_CHARS,
    cap_text,
    extract_entities,
    is_person_name,
    normalise_amount,
    normalise_date_range,
    normalise_duration,
    normalise_headcount,
    normalise_phone,
    prepare_text,
)

pytestmark = pytest.mark.security

TODAY = date(2026, 12, 1)

#: Units repeated to build hostile messages: digit and numeral runs, repeated units and
#: magnitudes, vague markers, punctuation, and the words the name finders key on.
UNITS = {
    "digits": "1",
    "decimal": "1.",
    "thousands": "1,",
    "numerals": "三",
    "ten": "十",
    "few": "几",
    "magnitudes": "万",
    "mixed": "3万五",
    "months": "个月",
    "years": "1年",
    "half": "半",
    "days": "天",
    "more": "多",
    "rate": "一天300",
    "span": "3到6月",
    "phone": "13800138000 ",
    "punctuation": "，。！",
    "spaces": " ",
    "boss": "老板",
    "site": "工地",
    "company": "公司",
    "surname": "王",
    "people": "人",
    "each": "一人8",
    "owed": "还欠1万",
    "loose": "万多元",
    "pause": "七、",
    "dated": "8月1号到",
    "later": "一个礼拜后",
}


def _hostile(unit: str, length: int) -> str:
    return (unit * (length // len(unit) + 1))[:length]


def _shuffled(length: int) -> str:
    """Digits, numerals and units in a fixed random order (the same on every run)."""
    alphabet = "0123456789一二三十百千万几多来余个月年天人号元块半两俩仨老板工地，"
    rng = random.Random(14)
    return "".join(rng.choice(alphabet) for _ in range(length))


def _cpu_seconds(call: Callable[[], object], repeat: int = 3) -> float:
    """Least CPU time of ``repeat`` calls (the least is the least disturbed)."""
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        call()
        best = min(best, time.process_time() - started)
    return best


def _finders_on(text: str) -> Callable[[], None]:
    """A call that runs every finder on ``text``, prepared beforehand, without the cap."""
    prepared = prepare_text(text)

    def run() -> None:
        for finder in _FINDERS:
            for _ in finder(prepared, TODAY):
                pass

    return run


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    """Load cn2an and OpenCC before timing anything."""
    extract_entities("三万五 繁體 三個月", TODAY)


@pytest.mark.parametrize("unit", UNITS.values(), ids=UNITS.keys())
def test_every_finder_is_linear_on_repeated_units(unit: str) -> None:
    short = _cpu_seconds(_finders_on(_hostile(unit, 1_000)))
    long = _cpu_seconds(_finders_on(_hostile(unit, 10_000)), repeat=1)
    # Linear work gives about 10; a quadratic pattern gives about 100.
    assert long < max(short, 0.005) * 30, (unit, short, long)
    assert long < 3.0, (unit, long)  # under 0.3 ms a character, cap or no cap


def test_every_finder_is_linear_on_mixed_numerals_and_units() -> None:
    short = _cpu_seconds(_finders_on(_shuffled(1_000)))
    long = _cpu_seconds(_finders_on(_shuffled(10_000)), repeat=1)
    assert long < max(short, 0.005) * 30, (short, long)


@pytest.mark.parametrize("unit", ["1", "三", "几", "个月", "万", "老板"])
def test_extract_entities_bounds_the_time_of_a_long_message(unit: str) -> None:
    short = _cpu_seconds(lambda: extract_entities(_hostile(unit, 2_000), TODAY))
    long = _cpu_seconds(lambda: extract_entities(_hostile(unit, 20_000), TODAY))
    assert long < 1.0, (unit, long)  # the report measured 192 s for 20,000 digits
    assert long < max(short, 0.005) * 30, (unit, short, long)


def test_the_normalisers_bound_their_time_too() -> None:
    text = _hostile("1三几个月", 50_000)

    def normalise_all() -> None:
        normalise_amount(text)
        normalise_duration(text)
        normalise_headcount(text)
        normalise_phone(text)
        normalise_date_range(text, TODAY)
        is_person_name(text)

    assert _cpu_seconds(normalise_all, repeat=1) < 1.0


def test_only_the_capped_prefix_is_read_and_offsets_stay_valid() -> None:
    head = "老板欠我们5个人三万块"
    message = head + "，" * (MAX_TEXT_CHARS - len(head) - 2) + "两个月" + "欠我八千块" * 100
    assert cap_text(message) == message[:MAX_TEXT_CHARS]
    entities = extract_entities(message, TODAY)
    assert {e.name for e in entities} == {"headcount", "amount"}  # "两个月" is cut in half
    for entity in entities:
        assert entity.start is not None and entity.end is not None
        assert message[entity.start : entity.end] == entity.text


def test_a_long_digit_run_is_no_quantity_at_all() -> None:
    # A run longer than any wage or count is an ID or noise: none of its tails is read.
    for text in ("1" * 40 + "元", "1" * 40 + "个月", "1" * 40 + "个人", "1" * 40):
        names = {e.name for e in extract_entities(text, TODAY)}
        assert not names & {"amount", "duration", "headcount"}, (text, names)
