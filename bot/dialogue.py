"""The dialogue step: a pure function ``(state, incoming, parse, context) -> Turn``.

No Flask, no wechatpy and no database here: the service loads a :class:`Context`, runs the
step, stores the new state and carries out the effects. Every branch is table-testable.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta

from bot import faq, form, status, texts
from bot.types import AttachEvidence, Context, Incoming, RequestHuman, State, Turn
from nlu.types import FALLBACK_INTENT, ParseResult
from qr.scans import parse_site_command

MEDIA_KINDS = ("image", "voice", "video", "shortvideo", "location")
MENU_ACTIONS = ["report", "status", "policy", "human"]
CLICK_ACTIONS = {
    "MENU_REPORT": "report",
    "MENU_STATUS": "status",
    "MENU_POLICY": "policy",
    "MENU_HUMAN": "human",
}
CANCEL_WORDS = re.compile(r"^(取消|算了|不弄了|不办了|不投诉了|退出|撤销|不要了)")
HUMAN_WORDS = re.compile(r"人工|客服|真人|工作人员")
COMPLAINT_ENTITIES = {"amount", "wage_rate", "headcount", "employer", "site", "duration"}
DIGIT = str.maketrans("１２３４５６７８９", "123456789")
MAX_MISSES = 2


def step(state: State, incoming: Incoming, parse: ParseResult | None, ctx: Context) -> Turn:
    """Answer one inbound message or event."""
    if ctx.held_by_staff:
        return _stamp(Turn(state), ctx)  # a staff member holds the conversation: stay silent
    state, expired = _expire(state, ctx)
    turn = _dispatch(state, incoming, parse, ctx)
    if expired and turn.replies:
        turn = Turn(
            turn.state, (texts.EXPIRED + "\n" + turn.replies[0], *turn.replies[1:]), turn.effects
        )
    return _stamp(turn, ctx)


def _dispatch(state: State, incoming: Incoming, parse: ParseResult | None, ctx: Context) -> Turn:
    if incoming.kind == "event":
        return _on_event(state, incoming, ctx)
    if incoming.kind in MEDIA_KINDS:
        evidence = _on_media(state, incoming, ctx)
        if parse is None:  # a voice message without a transcript
            return evidence
        turn = _on_text(evidence.state, parse, ctx)
        return Turn(turn.state, turn.replies, evidence.effects + turn.effects)
    if parse is None or not parse.text.strip():
        return _unclear(state, "")
    return _on_text(state, parse, ctx)


def _on_text(state: State, parse: ParseResult, ctx: Context) -> Turn:
    text = parse.text.strip().translate(DIGIT)
    open_form = "form" in state
    if _wants_cancel(parse, open_form):
        return _cancel(state)
    if _wants_human(parse, open_form):
        return _human(state, "requested")
    if parse_site_command(text):
        return _with_site(state, ctx)
    offered, state = state.get("offered"), {k: v for k, v in state.items() if k != "offered"}
    if offered is None and not open_form and text in ("1", "2", "3", "4"):
        offered = {"actions": MENU_ACTIONS, "yes_no": None}  # the menu works without asking
    action = _choice(text, parse, offered)
    if action is not None:
        return _do(action, state, ctx, parse)
    if open_form and _idle_for(state, ctx) > timedelta(hours=ctx.policy.resume_after_hours):
        return Turn(
            {**state, "offered": {"actions": ["resume", "restart"], "yes_no": "both"}},
            (texts.RESUME,),
        )
    case_no = None if open_form else status.case_number_in(text)
    if case_no is not None:
        return status.status_turn(state, ctx.cases, case_no)
    if open_form:
        return form.on_message(state, ctx, parse)
    return _on_intent(state, parse, ctx)


def _on_intent(state: State, parse: ParseResult, ctx: Context) -> Turn:
    intent = effective_intent(parse)
    if intent in ("out_of_scope", "affirm", "deny", FALLBACK_INTENT) and not _looks_like_complaint(
        parse
    ):
        return _unclear(state, parse.text)
    state = {k: v for k, v in state.items() if k != "misses"}
    if intent in ("report_arrears", "provide_info") or _looks_like_complaint(parse):
        return form.start(state, ctx, parse, None)
    if intent == "query_status":
        return status.status_turn(state, ctx.cases)
    if intent == "ask_policy":
        return Turn(state, (faq.answer(parse.text),))
    if intent == "other_labour":
        return Turn(state, (texts.OTHER_LABOUR,))
    if intent == "greet":
        return _menu(state, texts.WELCOME)
    if intent == "thank":
        return Turn(state, (texts.THANK,))
    if intent == "goodbye":
        return Turn(state, (texts.GOODBYE,))
    return _unclear(state, parse.text)


def effective_intent(parse: ParseResult) -> str:
    """Rasa's best real intent when its FallbackClassifier fired on a near miss."""
    if parse.intent != FALLBACK_INTENT:
        return parse.intent
    for name, confidence in parse.ranking:
        if name != FALLBACK_INTENT:
            return name if confidence >= 0.25 else FALLBACK_INTENT
    return FALLBACK_INTENT


def _looks_like_complaint(parse: ParseResult) -> bool:
    # A fragment of a story ("一共三万五, 我们五个人") is a complaint even without a trigger word.
    return effective_intent(parse) in ("provide_info", "out_of_scope", FALLBACK_INTENT) and any(
        entity.name in COMPLAINT_ENTITIES for entity in parse.entities
    )


def _do(action: str, state: State, ctx: Context, parse: ParseResult | None) -> Turn:
    kind, _, arg = action.partition(":")
    if kind == "report":
        return form.start(state, ctx, None, None)
    if kind == "status":
        return status.status_turn(state, ctx.cases)
    if kind == "case":
        return status.status_turn(state, ctx.cases, arg)
    if kind == "policy":
        return Turn(state, (faq.DEFAULT,))
    if kind == "human":
        return _human(state, "requested")
    if "form" not in state:
        return _unclear(state, parse.text if parse else "")
    return _form_action(kind, arg, state, ctx)


def _form_action(kind: str, arg: str, state: State, ctx: Context) -> Turn:
    if kind == "submit":
        return form.submit(state, ctx)
    if kind == "cancel_form":
        return _cancel(state)
    if kind in ("resume", "new_case"):
        return form.continue_form(state, ctx)
    if kind == "restart":
        return Turn({k: v for k, v in state.items() if k != "form"}, (texts.RESTART,))
    if kind == "same_case":
        return form.keep_existing_case(state, arg)
    return form.fix_slot(state, arg)  # "fix:<slot>"


def _option_number(text: str) -> int | None:
    """The number of an offered option: "2", "２" or "②"."""
    if text.isdecimal():
        return int(text)
    # str.isdigit() is also true of "②" and "²", which int() refuses.
    return unicodedata.digit(text, None) if len(text) == 1 else None


def _choice(text: str, parse: ParseResult, offered: dict | None) -> str | None:  # type: ignore[type-arg]
    if offered is None:
        return None
    actions = offered["actions"]
    number = _option_number(text)
    if number is not None and 1 <= number <= len(actions):
        return str(actions[number - 1])
    short = len(text) <= 4 and not parse.entities
    if offered.get("yes_no") and short and (parse.intent == "affirm" or form.YES.match(text)):
        return str(actions[0])
    if offered.get("yes_no") == "both" and short and parse.intent == "deny":
        return str(actions[1])
    return None


def _on_event(state: State, incoming: Incoming, ctx: Context) -> Turn:
    if incoming.event in ("subscribe_scan", "scan") and ctx.site is not None:
        return _with_site(state, ctx)
    if incoming.event in ("subscribe", "subscribe_scan", "scan"):
        return _menu(state, texts.WELCOME)
    if incoming.event == "click":
        action = CLICK_ACTIONS.get(incoming.event_key or "")
        return _do(action, state, ctx, None) if action else _menu(state, texts.MENU)
    return Turn(state)  # unsubscribe and other events need no answer


def _with_site(state: State, ctx: Context) -> Turn:
    if ctx.site is None:
        return _menu(state, texts.WELCOME)
    if "form" in state:
        values = {**state["form"]["values"], "site": ctx.site.name}
        site = {
            "code": ctx.site.code,
            "name": ctx.site.name,
            "address": ctx.site.address,
            "general_contractor": ctx.site.general_contractor,
        }
        state = {**state, "form": {**state["form"], "values": values, "site": site}}
        return form.continue_form(state, ctx)
    return form.start(state, ctx, None, ctx.site)


def _on_media(state: State, incoming: Incoming, ctx: Context) -> Turn:
    mid, kind = incoming.message_id or 0, incoming.kind
    saved = (
        texts.LOCATION_RECEIVED.format(label=incoming.text or "已收到")
        if kind == "location"
        else texts.VOICE_WITHOUT_TEXT
        if kind == "voice"
        else texts.EVIDENCE_SAVED
    )
    if "form" in state:
        state = form.add_evidence(state, mid, kind)
        return Turn(state, (saved + "\n" + form.prompt(state),), (AttachEvidence(mid, kind),))
    if ctx.cases:
        case_no = ctx.cases[0].case_no
        return Turn(
            state,
            (texts.EVIDENCE_FOR_CASE.format(case_no=case_no),),
            (AttachEvidence(mid, kind, case_no),),
        )
    kept = {
        **state,
        "evidence": [*state.get("evidence", []), [mid, kind]],
        "offered": {"actions": ["report"], "yes_no": "yes"},
    }
    return Turn(kept, (saved + "要反映欠薪吗？回复1开始登记。",), (AttachEvidence(mid, kind),))


def _cancel(state: State) -> Turn:
    reply = texts.CANCEL_FORM if "form" in state else texts.CANCEL
    return Turn({k: v for k, v in state.items() if k not in ("form", "offered")}, (reply,))


def _human(state: State, reason: str) -> Turn:
    reply = texts.REQUEST_HUMAN if reason == "requested" else texts.MISUNDERSTOOD
    return Turn({**state, "human_requested": True, "misses": 0}, (reply,), (RequestHuman(reason),))


def _unclear(state: State, text: str) -> Turn:
    misses = int(state.get("misses", 0)) + 1
    if misses >= MAX_MISSES:
        return _human(state, "misunderstood")
    short = text if len(text) <= 20 else text[:20] + "…"
    return _menu({**state, "misses": misses}, texts.UNCLEAR.format(text=short))


def _menu(state: State, reply: str) -> Turn:
    return Turn({**state, "offered": {"actions": MENU_ACTIONS, "yes_no": None}}, (reply,))


def _wants_cancel(parse: ParseResult, open_form: bool) -> bool:
    words = CANCEL_WORDS.match(parse.text.strip())
    return bool(words) or (
        parse.intent == "cancel" and parse.confidence >= (0.8 if open_form else 0.5)
    )


def _wants_human(parse: ParseResult, open_form: bool) -> bool:
    words = HUMAN_WORDS.search(parse.text) and len(parse.text) <= 12
    return bool(words) or (
        parse.intent == "request_human" and parse.confidence >= (0.8 if open_form else 0.5)
    )


def _idle_for(state: State, ctx: Context) -> timedelta:
    last = state.get("updated_at")
    return ctx.now - datetime.fromisoformat(last) if last else timedelta(0)


def _expire(state: State, ctx: Context) -> tuple[State, bool]:
    if "form" in state and _idle_for(state, ctx) > timedelta(hours=ctx.policy.form_expiry_hours):
        return {k: v for k, v in state.items() if k not in ("form", "offered")}, True
    return state, False


def _stamp(turn: Turn, ctx: Context) -> Turn:
    return Turn({**turn.state, "updated_at": ctx.now.isoformat()}, turn.replies, turn.effects)
