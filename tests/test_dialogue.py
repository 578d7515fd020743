"""The first bot's pure step, table-tested with no server."""

from __future__ import annotations

import pytest

from bot import texts
from bot.dialogue import Incoming, step
from nlu.types import ParseResult


def text(intent: str, words: str = "……") -> tuple[Incoming, ParseResult]:
    return Incoming("text", words), ParseResult(text=words, intent=intent, confidence=0.9)


@pytest.mark.parametrize(
    ("intent", "expected"),
    [
        ("report_arrears", texts.REPORT_ARREARS),
        ("query_status", texts.QUERY_STATUS),
        ("ask_policy", texts.ASK_POLICY),
        ("other_labour", texts.OTHER_LABOUR),
        ("request_human", texts.REQUEST_HUMAN),
        ("greet", texts.WELCOME),
        ("thank", texts.THANK),
        ("goodbye", texts.GOODBYE),
        ("cancel", texts.CANCEL),
    ],
)
def test_each_intent_has_its_answer(intent: str, expected: str) -> None:
    turn = step({}, *text(intent))
    assert turn.replies == (expected,)
    assert turn.state["last_intent"] == intent


@pytest.mark.parametrize("intent", ["nlu_fallback", "out_of_scope", "affirm", "deny"])
def test_unclear_messages_get_the_menu_and_an_echo(intent: str) -> None:
    [reply] = step({}, *text(intent, "今天天气怎么样")).replies
    assert "今天天气怎么样" in reply and texts.MENU in reply


def test_long_text_is_shortened_in_the_echo() -> None:
    [reply] = step({}, *text("nlu_fallback", "啊" * 100)).replies
    assert "啊" * 30 + "…" in reply and "啊" * 31 not in reply


@pytest.mark.parametrize(
    ("incoming", "expected"),
    [
        (Incoming("event", event="subscribe"), texts.WELCOME),
        (Incoming("event", event="click", event_key="MENU"), texts.MENU),
        (Incoming("voice"), texts.VOICE_WITHOUT_TEXT),
        (Incoming("image"), texts.MEDIA_RECEIVED),
        (Incoming("location", text="紫荆苑"), texts.LOCATION_RECEIVED.format(label="紫荆苑")),
    ],
)
def test_events_and_media(incoming: Incoming, expected: str) -> None:
    assert step({}, incoming, None).replies == (expected,)


@pytest.mark.parametrize("event", ["subscribe_scan", "scan"])
def test_qr_scan_remembers_the_site(event: str) -> None:
    turn = step({"x": 1}, Incoming("event", event=event, event_key="ZJY001"), None)
    assert turn.state == {"x": 1, "site_code": "ZJY001"}
    assert "ZJY001" in turn.replies[0]


def test_unsubscribe_says_nothing() -> None:
    assert step({}, Incoming("event", event="unsubscribe"), None).replies == ()


def test_step_does_not_mutate_the_given_state() -> None:
    state = {"site_code": "A"}
    step(state, *text("report_arrears"))
    assert state == {"site_code": "A"}


@pytest.mark.parametrize(
    "reply",
    [
        texts.WELCOME,
        texts.REPORT_ARREARS,
        texts.UNCLEAR,
        texts.ASK_POLICY,
        texts.REQUEST_HUMAN,
    ],
)
def test_replies_fit_wechat(reply: str) -> None:
    assert len(reply) < 300
