"""The dialogue step: a pure function from (state, incoming, NLU result) to a turn.

No Flask, no wechatpy and no database here, so every branch is table-testable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot import texts
from nlu.types import FALLBACK_INTENT, ParseResult

State = dict[str, Any]

#: A reply for each intent the first bot answers directly.
INTENT_REPLIES: dict[str, str] = {
    "report_arrears": texts.REPORT_ARREARS,
    "provide_info": texts.REPORT_ARREARS,
    "query_status": texts.QUERY_STATUS,
    "ask_policy": texts.ASK_POLICY,
    "other_labour": texts.OTHER_LABOUR,
    "request_human": texts.REQUEST_HUMAN,
    "greet": texts.WELCOME,
    "thank": texts.THANK,
    "goodbye": texts.GOODBYE,
    "cancel": texts.CANCEL,
}


@dataclass(frozen=True)
class Incoming:
    """What the worker did, free of WeChat's wire format."""

    kind: str  # text, image, voice, video, shortvideo, location, link, event, ...
    text: str = ""
    event: str | None = None
    event_key: str | None = None


@dataclass(frozen=True)
class Turn:
    """The outcome of one step: the new state and what to say (possibly nothing)."""

    state: State
    replies: tuple[str, ...] = ()


def step(state: State, incoming: Incoming, parse: ParseResult | None) -> Turn:
    """Answer one inbound message or event."""
    if incoming.kind == "event":
        return _on_event(state, incoming)
    if incoming.kind == "text" and parse is not None:
        return _on_text(state, parse)
    return Turn(state, (_on_other(incoming),))


def _on_event(state: State, incoming: Incoming) -> Turn:
    if incoming.event in ("subscribe_scan", "scan") and incoming.event_key:
        return Turn(
            {**state, "site_code": incoming.event_key},
            (texts.SITE_WELCOME.format(code=incoming.event_key),),
        )
    if incoming.event == "subscribe":
        return Turn(state, (texts.WELCOME,))
    if incoming.event == "click":
        return Turn(state, (texts.MENU,))
    return Turn(state)  # unsubscribe and other events need no answer


def _on_text(state: State, parse: ParseResult) -> Turn:
    new_state = {**state, "last_intent": parse.intent}
    reply = INTENT_REPLIES.get(parse.intent)
    if reply is None or parse.intent == FALLBACK_INTENT:
        reply = texts.ECHO_PREFIX.format(text=_short(parse.text)) + texts.UNCLEAR
    return Turn(new_state, (reply,))


def _on_other(incoming: Incoming) -> str:
    if incoming.kind == "voice":
        return texts.VOICE_WITHOUT_TEXT
    if incoming.kind == "location":
        return texts.LOCATION_RECEIVED.format(label=incoming.text or "已收到")
    if incoming.kind in ("image", "video", "shortvideo"):
        return texts.MEDIA_RECEIVED
    return texts.UNCLEAR


def _short(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[:limit] + "…"
