"""The dialogue step: a pure function ``(state, incoming, parse, context) -> Turn``.

No Flask, no wechatpy and no database here: the service loads a :class:`Context`, runs the
step, stores the new state and carries out the effects. Every branch is table-testable.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from datetime import timedelta

from bot import faq, form, slots, status, texts
from bot.state import Choice, Conversation, Headcount, Media, Offer, SiteInfo, SlotValue, Story
from bot.types import AttachEvidence, Context, Incoming, RequestHuman, Turn
from nlu.guard import (
    MIN_STORY,
    asks_about_rules,
    complained_elsewhere,
    in_crisis,
    money_came_back,
    says_wages_owed,
)
from nlu.normalise import to_simplified
from nlu.types import FALLBACK_INTENT, ParseResult

MEDIA_KINDS = ("image", "voice", "video", "shortvideo", "location")
MENU = Offer((Choice("report"), Choice("status"), Choice("policy"), Choice("human")))
CLICK_ACTIONS = {
    "MENU_REPORT": "report",
    "MENU_STATUS": "status",
    "MENU_POLICY": "policy",
    "MENU_HUMAN": "human",
}
CANCEL_WORDS = re.compile(
    r"^(取消|算了|不弄了|不办了|不投诉了|退出|撤销|不要了|唔要了|唔搞了|唔使了)"
)
HUMAN_WORDS = re.compile(r"人工|客服|真人|工作人员")
#: Facts of a complaint; a pay rate alone ("三块钱一斤") tells what work paid, not that it is owed.
COMPLAINT_ENTITIES = {"amount", "headcount", "employer", "site", "duration"}
DIGIT = str.maketrans("１２３４５６７８９", "123456789")
MAX_MISSES = 2
#: Below this a report_arrears with no fact in it gets the one-tap offer, not the form.
SURE = 0.6
#: An unclear message this long that speaks of the writer gets the one-tap offer.
MIN_OWN_LIFE = 8
OWN_LIFE = re.compile(r"我|俺|咱|本人")
#: Facts (site, boss, amount, headcount, period) that make a message a complaint by itself.
RICH_FACTS = 3
#: Thanks for wages that came back: never a complaint.
THANKS = re.compile(r"谢谢|感谢|多谢|谢了|辛苦了|感激")
STILL_OWED = re.compile(
    r"还(?:欠|差|有|剩)|剩下|剩余|尾款|没给|没发|不给|没结|没拿到|拿不到|要不到"
)
#: Messages that mean nothing more than "is anybody there" while staff are called.
IDLE_INTENTS = {"greet", "out_of_scope", "affirm", "deny", "request_human", FALLBACK_INTENT}


def step(state: Conversation, incoming: Incoming, parse: ParseResult | None, ctx: Context) -> Turn:
    """Answer one inbound message or event."""
    if ctx.held_by_staff:  # a staff member holds the conversation: stay silent
        return _stamp(Turn(replace(state, handoff_at=None)), ctx)
    state, expired = _expire(state, ctx)
    turn = _dispatch(state, incoming, parse, ctx)
    if expired and turn.replies:
        turn = Turn(
            turn.state, (texts.EXPIRED + "\n" + turn.replies[0], *turn.replies[1:]), turn.effects
        )
    return _stamp(turn, ctx)


def _dispatch(
    state: Conversation, incoming: Incoming, parse: ParseResult | None, ctx: Context
) -> Turn:
    if incoming.kind == "event":
        return _on_event(state, incoming, ctx)
    if incoming.kind in MEDIA_KINDS:
        evidence = _on_media(state, incoming, ctx)
        if parse is None:  # a voice message without a transcript
            return evidence
        turn = _on_text(evidence.state, parse, ctx, incoming)
        return Turn(turn.state, turn.replies, evidence.effects + turn.effects)
    if parse is None or not parse.text.strip():
        return _unclear(state, "")
    turn = _on_text(state, parse, ctx, incoming)
    return _in_crisis(turn) if in_crisis(parse.text) else turn


def _in_crisis(turn: Turn) -> Turn:
    """A worker who speaks of ending their life hears the crisis hotline first, and staff
    are called at once; the message is answered as usual after that (the form goes on)."""
    state = replace(turn.state, human_requested=True)
    effects = tuple(e for e in turn.effects if not isinstance(e, RequestHuman))
    return Turn(state, (texts.CRISIS, *turn.replies), (*effects, RequestHuman("crisis")))


def _on_text(state: Conversation, parse: ParseResult, ctx: Context, incoming: Incoming) -> Turn:
    text = to_simplified(parse.text.strip()).translate(DIGIT)  # "對", "轉人工" as "对", "转人工"
    open_form = state.form is not None
    if _wants_cancel(text, parse, open_form):
        return _cancel(state)
    waiting = _handoff_waiting(state, ctx)
    if not waiting and state.handoff_at is not None:
        state = replace(state, handoff_at=None)
    if _wants_human(text, parse, open_form):
        return _waiting(state) if waiting else _human(state, "requested")
    if incoming.site_code:  # "工地 ZJY001"
        return _with_site(state, ctx)
    offered = state.offered
    if offered is not None:  # answered now, or passed by
        state = replace(state, offered=None)
    if offered is None and not open_form and text in ("1", "2", "3", "4"):
        offered = MENU  # the menu works without asking
    story = offered.story if offered else None
    choice = _choice(text, parse, offered)
    if choice is not None:
        return _do(choice, state, ctx, parse, story)
    if story is not None and not open_form and (_complaint_facts(parse) or says_wages_owed(text)):
        # The worker goes on telling instead of tapping: that is a yes, with more facts.
        merged = Story(f"{story.text} {parse.text}", {**form.facts_of(parse), **story.values})
        return form.start(_calm(state), ctx, None, None, merged)
    if waiting and _is_idle(parse, open_form):  # "喂 有人吗": staff were called, say so
        return _waiting(state)
    if open_form and _idle_for(state, ctx) > timedelta(hours=ctx.policy.resume_after_hours):
        offer = Offer((Choice("resume"), Choice("restart")), "both")
        return Turn(replace(state, offered=offer), (texts.RESUME,))
    case_no = None if open_form else status.case_number_in(text)
    if case_no is not None:
        return status.status_turn(state, ctx.cases, case_no)
    if open_form:
        return form.on_message(state, ctx, parse)
    return _on_intent(state, parse, ctx, story)


def _on_intent(
    state: Conversation, parse: ParseResult, ctx: Context, pending: Story | None = None
) -> Turn:
    """A worker with no open form: open it, offer it by one tap, or answer.

    What the worker experiences decides, not only the label: a message that says wages are
    owed opens the form when the NLU is sure (or the message holds facts), and gets the
    one-tap offer otherwise; thanks and greetings never open a form.
    """
    intent = effective_intent(parse)
    owed = says_wages_owed(parse.text)
    facts = _complaint_facts(parse)
    if intent == "goodbye":
        return Turn(_calm(state), (texts.GOODBYE,))
    if _thanks_for_recovery(parse.text):
        return Turn(_calm(state), (texts.THANK,))  # "感谢…要回了血汗钱", whatever its label
    if intent == "thank":
        if owed:  # thanks around wages still owed ("谢谢你们,老板到现在一分没给"): one tap files
            return _offer(_calm(state), parse, texts.THANK + "\n" + texts.OFFER_AFTER_ANSWER)
        return Turn(_calm(state), (texts.THANK,))
    if intent == "greet":
        if owed and facts and len(parse.text) >= MIN_STORY:  # a letter, not a hello
            return _offer(_calm(state), parse, pending=pending)
        return _menu(state, texts.WELCOME)
    if intent == "report_arrears":
        if asks_about_rules(parse.text) and not _is_rich_story(parse):
            # "公司拖欠工资,赔偿怎么算?": the question is answered and filing is one tap away,
            # so a question never drops the worker into a form they did not ask for.
            answer = faq.answer(parse.text)
            return _offer(_calm(state), parse, answer + "\n" + texts.OFFER_AFTER_ANSWER)
        if not ctx.cases and complained_elsewhere(parse.text):
            # a letter that went to the hotline or the bureau first: say that nothing was
            # filed here, and filing is one tap away with every fact kept
            return _offer(_calm(state), parse, texts.NO_CASES)
        if (parse.confidence >= SURE and (owed or facts)) or (owed and facts):
            return form.start(_calm(state), ctx, parse, None)
        # Sure of the label but nothing owed or told ("趁年轻多干几年" read as a complaint):
        # one tap files it, and a chat about work never lands in a form.
        return _offer(_calm(state), parse, pending=pending)
    if owed and _is_rich_story(parse) and not (intent == "query_status" and ctx.cases):
        # A letter that says wages are owed and names three facts is a complaint, whatever
        # the label ("…包工头赵刚一直推脱" read as a status question).
        return form.start(_calm(state), ctx, parse, None)
    if intent == "provide_info" and facts:  # a fragment of a story: "一共三万五, 五个人"
        return form.start(_calm(state), ctx, parse, None)
    if intent == "ask_policy":
        answer = faq.answer(parse.text)
        if owed or faq.about_wages(parse.text):
            return _offer(_calm(state), parse, answer + "\n" + texts.OFFER_AFTER_ANSWER)
        return Turn(_calm(state), (answer,))
    if intent == "query_status":
        if owed and not ctx.cases:  # nothing filed with us yet: offer, keeping the facts
            return _offer(_calm(state), parse, texts.NO_CASES)
        return status.status_turn(_calm(state), ctx.cases)
    if intent == "other_labour":
        if owed:
            return _offer(_calm(state), parse, texts.OTHER_LABOUR + "\n" + texts.OFFER_REPORT)
        return Turn(_calm(state), (texts.OTHER_LABOUR,))
    if owed or facts or _tells_own_life(intent, parse.text):
        # Unsure what it is, but it may be a complaint: ask by one tap, not "没太明白".
        return _offer(_calm(state), parse, pending=pending)
    return _unclear(state, parse.text)


def _tells_own_life(intent: str, text: str) -> bool:
    # Real complaints often begin with what the arrears did to the writer, with no word of
    # wages ("这下全家的日子都没法过了"); a worker who tells that hears the one-tap question.
    return (
        intent in (FALLBACK_INTENT, "out_of_scope")
        and len(text) >= MIN_OWN_LIFE
        and OWN_LIFE.search(text) is not None
    )


def _thanks_for_recovery(text: str) -> bool:
    # "还欠一万" after thanks for half the money is still a complaint. "謝謝…討回" too.
    # "谢谢,希望帮我们要回工钱" pleads for the money: it has not come back.
    words = to_simplified(text)
    came_back = money_came_back(words)
    return THANKS.search(words) is not None and came_back and not STILL_OWED.search(words)


def _is_rich_story(parse: ParseResult) -> bool:
    found = slots.from_entities(parse)
    facts = {name for name in found if not slots.one_worker(name, found[name])}
    return len(facts & {"site", "employer", "amount", "headcount", "period"}) >= RICH_FACTS


def _complaint_facts(parse: ParseResult) -> bool:
    return any(
        entity.name in COMPLAINT_ENTITIES and not slots.one_worker(entity.name, entity.value)
        for entity in parse.entities
    )


def _calm(state: Conversation) -> Conversation:
    return replace(state, misses=0) if state.misses else state


def _offer(
    state: Conversation,
    parse: ParseResult,
    reply: str = texts.OFFER_REPORT,
    pending: Story | None = None,
) -> Turn:
    """Ask by one tap whether to file; the facts of this message (and of an offer still
    waiting) wait in the offer."""
    story = Story(parse.text, form.facts_of(parse))
    if pending is not None:
        story = Story(f"{pending.text} {parse.text}", {**story.values, **pending.values})
    offered = Offer((Choice("report"),), "yes", story)
    return Turn(replace(state, offered=offered), (reply,))


def effective_intent(parse: ParseResult) -> str:
    """Rasa's best real intent when its FallbackClassifier fired on a near miss."""
    if parse.intent != FALLBACK_INTENT:
        return parse.intent
    for name, confidence in parse.ranking:
        if name != FALLBACK_INTENT:
            return name if confidence >= 0.25 else FALLBACK_INTENT
    return FALLBACK_INTENT


def _do(
    choice: Choice,
    state: Conversation,
    ctx: Context,
    parse: ParseResult | None,
    story: Story | None = None,
) -> Turn:
    kind, arg = choice.kind, choice.arg
    if kind == "report":
        return form.start(state, ctx, None, story.site if story else None, story)
    if kind == "status":
        return status.status_turn(state, ctx.cases)
    if kind == "case":
        return status.status_turn(state, ctx.cases, arg)
    if kind == "policy":
        return Turn(state, (faq.DEFAULT,))
    if kind == "human":
        return _human(state, "requested")
    if state.form is None:
        return _unclear(state, parse.text if parse else "")
    return _form_action(kind, arg, state, ctx)


def _form_action(kind: str, arg: str, state: Conversation, ctx: Context) -> Turn:
    if kind == "submit":
        return form.submit(state, ctx)
    if kind == "cancel_form":
        return _cancel(state)
    if kind in ("resume", "new_case"):
        return form.continue_form(state, ctx)
    if kind == "restart":
        return Turn(replace(state, form=None), (texts.RESTART,))
    if kind == "same_case":
        return form.keep_existing_case(state, arg)
    return form.fix_slot(state, arg)  # Choice("fix", <slot>)


def _option_number(text: str) -> int | None:
    """The number of an offered option: "2", "２" or "②"."""
    if text.isdecimal():
        return int(text)
    # str.isdigit() is also true of "②" and "²", which int() refuses.
    return unicodedata.digit(text, None) if len(text) == 1 else None


def _choice(text: str, parse: ParseResult, offered: Offer | None) -> Choice | None:
    if offered is None:
        return None
    choices = offered.choices
    number = _option_number(text)
    if number is not None and 1 <= number <= len(choices):
        return choices[number - 1]
    short = len(text) <= 4 and not parse.entities
    if offered.yes_no and short and (parse.intent == "affirm" or form.YES.match(text)):
        return choices[0]
    if offered.yes_no == "both" and short and parse.intent == "deny":
        return choices[1]
    return None


def _on_event(state: Conversation, incoming: Incoming, ctx: Context) -> Turn:
    if incoming.event in ("subscribe_scan", "scan") and ctx.site is not None:
        return _with_site(state, ctx)
    if incoming.event in ("subscribe", "subscribe_scan", "scan"):
        return _menu(state, texts.WELCOME)
    if incoming.event == "click":
        action = CLICK_ACTIONS.get(incoming.event_key or "")
        return _do(Choice(action), state, ctx, None) if action else _menu(state, texts.MENU)
    return Turn(state)  # unsubscribe and other events need no answer


def _with_site(state: Conversation, ctx: Context) -> Turn:
    if ctx.site is None:
        return _menu(state, texts.WELCOME)
    if state.form is not None:
        values = {**state.form.values, "site": ctx.site.name}
        state = replace(state, form=replace(state.form, values=values, site=ctx.site))
        return form.continue_form(state, ctx)
    if ctx.site_collective_employer is not None:
        return _offer_to_join(state, ctx.site, ctx.site_collective_employer)
    return form.start(state, ctx, None, ctx.site)


def _offer_to_join(state: Conversation, site: SiteInfo, employer: str) -> Turn:
    """Fellow workers of this site already complained: one tap joins them, and only the
    worker's own sum, period and contact are left to ask (site and employer are known)."""
    values: dict[str, SlotValue] = {"site": site.name, "headcount": Headcount(1)}
    if employer:
        values["employer"] = employer
    story = Story("", values, site)
    boss = texts.JOIN_BOSS.format(employer=employer) if employer else ""
    offered = Offer((Choice("report"),), "yes", story)
    return Turn(replace(state, offered=offered), (texts.JOIN_COLLECTIVE.format(boss=boss),))


def _on_media(state: Conversation, incoming: Incoming, ctx: Context) -> Turn:
    mid, kind = incoming.message_id or 0, incoming.kind
    saved = (
        texts.LOCATION_RECEIVED.format(label=incoming.text or "已收到")
        if kind == "location"
        else texts.VOICE_WITHOUT_TEXT
        if kind == "voice"
        else texts.EVIDENCE_SAVED
    )
    if state.form is not None:
        state = form.add_evidence(state, mid, kind)
        return Turn(state, (saved + "\n" + form.prompt(state),), (AttachEvidence(mid, kind),))
    if ctx.cases:
        case_no = ctx.cases[0].case_no
        return Turn(
            state,
            (texts.EVIDENCE_FOR_CASE.format(case_no=case_no),),
            (AttachEvidence(mid, kind, case_no),),
        )
    kept = replace(
        state,
        evidence=(*state.evidence, Media(mid, kind)),
        offered=Offer((Choice("report"),), "yes"),
    )
    return Turn(kept, (saved + "要反映欠薪吗？回复1开始登记。",), (AttachEvidence(mid, kind),))


def _cancel(state: Conversation) -> Turn:
    reply = texts.CANCEL_FORM if state.form is not None else texts.CANCEL
    return Turn(replace(state, form=None, offered=None), (reply,))


def _human(state: Conversation, reason: str) -> Turn:
    """Call staff (the step's stamp notes when, from the RequestHuman effect)."""
    reply = texts.REQUEST_HUMAN if reason == "requested" else texts.MISUNDERSTOOD
    if state.form is not None:  # the form stays open: the worker may go on meanwhile
        reply += "\n" + texts.CONTINUE.format(prompt=form.prompt(state))
    new_state = replace(state, human_requested=True, misses=0)
    return Turn(new_state, (reply,), (RequestHuman(reason),))


def _waiting(state: Conversation) -> Turn:
    """Staff were called: say so again, instead of the menu."""
    reply = texts.HANDOFF_WAIT
    if state.form is not None:
        reply += "\n" + texts.CONTINUE.format(prompt=form.prompt(state))
    return Turn(state, (reply,))


def _handoff_waiting(state: Conversation, ctx: Context) -> bool:
    """Whether staff were called and have not answered yet (nor 24 hours passed)."""
    since = state.handoff_at
    if since is None or ctx.handoff_open is False:
        return False
    return ctx.now - since < timedelta(hours=ctx.policy.handoff_hours)


def _is_idle(parse: ParseResult, open_form: bool) -> bool:
    """A message that only checks whether anybody is there (in a form: nothing it can use,
    so "不对"/"老板名字错了" still reach the form)."""
    if _complaint_facts(parse):
        return False
    if open_form:
        return effective_intent(parse) == "greet" and len(parse.text) <= 10
    return effective_intent(parse) in IDLE_INTENTS


def _unclear(state: Conversation, text: str) -> Turn:
    misses = state.misses + 1
    if misses >= MAX_MISSES:
        return _human(state, "misunderstood")
    short = text if len(text) <= 20 else text[:20] + "…"
    return _menu(replace(state, misses=misses), texts.UNCLEAR.format(text=short))


def _menu(state: Conversation, reply: str) -> Turn:
    return Turn(replace(state, offered=MENU), (reply,))


def _wants_cancel(text: str, parse: ParseResult, open_form: bool) -> bool:
    words = CANCEL_WORDS.match(text)
    return bool(words) or (
        parse.intent == "cancel" and parse.confidence >= (0.8 if open_form else 0.5)
    )


def _wants_human(text: str, parse: ParseResult, open_form: bool) -> bool:
    if open_form and slots.from_entities(parse):
        return False  # "打电话给我 137…": the form keeps the phone and flags the call
    words = HUMAN_WORDS.search(text) and len(parse.text) <= 12
    return bool(words) or (
        parse.intent == "request_human" and parse.confidence >= (0.8 if open_form else 0.5)
    )


def _idle_for(state: Conversation, ctx: Context) -> timedelta:
    return ctx.now - state.updated_at if state.updated_at else timedelta(0)


def _expire(state: Conversation, ctx: Context) -> tuple[Conversation, bool]:
    expiry = timedelta(hours=ctx.policy.form_expiry_hours)
    if state.form is not None and _idle_for(state, ctx) > expiry:
        return replace(state, form=None, offered=None), True
    return state, False


def _stamp(turn: Turn, ctx: Context) -> Turn:
    called = any(isinstance(effect, RequestHuman) for effect in turn.effects)  # staff, now
    handoff_at = ctx.now if called else turn.state.handoff_at
    state = replace(turn.state, updated_at=ctx.now, handoff_at=handoff_at)
    return Turn(state, turn.replies, turn.effects)
