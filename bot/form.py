"""Filling the complaint form: every answer is read for every slot.

The form is a :class:`bot.state.Form`: ``values`` by slot name (plus ``contractor``, the
boss's own name), the slot being ``asking``, failed ``tries``, raw or unknown answers in
``flags`` for staff, the ``stage`` (filling, fix, confirm), required slots whose reason was
``explained``, the site that came from a QR code, the story as first told, and evidence.
The confirmation, corrections and submission are in :mod:`bot.confirm`.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

from bot import answers, faq, slots, texts
from bot.confirm import (
    SUBMIT_OFFER,
    WRONG,
    YES,
    changed,
    confirm,
    correction,
    fix_slot,
    line,
    named_slot,
    on_confirm,
    open_form,
    per_person,
    submit,
)
from bot.state import Amount, Choice, Conversation, Form, Media, Offer, SlotValue, Story, Values
from bot.types import AttachEvidence, CaseSummary, Context, Effect, RequestHuman, SiteInfo, Turn
from cases import reading
from cases.readers import id_number_in
from cases.statuses import STATUS_NAMES
from nlu.guard import MIN_STORY
from nlu.normalise import MAX_TEXT_CHARS
from nlu.types import ParseResult

__all__ = ["YES", "confirm", "fix_slot", "submit", "start", "on_message", "prompt"]

CHITCHAT_INTENTS = {"greet", "thank", "goodbye", "affirm", "deny"}
#: A message read as one of these, sent while a question waits, is more of the story when
#: it is long enough to be no bare answer (``nlu.guard.MIN_STORY``).
STORY_INTENTS = {"report_arrears", "other_labour", "query_status", "out_of_scope"}
DETOUR_INTENTS = {"ask_policy", "query_status", "other_labour"}
BAD_PHONE = answers.BAD_PHONE


def start(
    state: Conversation,
    ctx: Context,
    parse: ParseResult | None,
    site: SiteInfo | None,
    story: Story | None = None,
) -> Turn:
    """Open a form, take every fact of the first message (or of ``story``, the facts of a
    message the worker confirmed by one tap), and ask for what is missing."""
    text = parse.text if parse else (story.text if story else "")
    found = facts_of(parse) if story is None else dict(story.values)
    values: dict[str, SlotValue] = {"site": site.name} if site is not None else {}
    values.update({k: v for k, v in found.items() if not values.get(k)})
    form = Form(
        values=values,
        evidence=state.evidence,
        site=site,
        description=text if len(text) >= 8 else None,
        id_number=id_number_in(text),
    )
    new_state = replace(state, form=form, evidence=())
    if site is not None and not found:
        return Turn(new_state, (texts.SITE_WELCOME.format(name=site.name),))
    lead = texts.FORM_START if not found else _noted(found, form.values)
    return _next(new_state, ctx, lead)


def facts_of(parse: ParseResult | None) -> dict[str, SlotValue]:
    """Every fact of a first message: the NLU's entities, and what the words left over hold
    ("9000" beside them, a site inside a run-on story)."""
    found = slots.from_entities(parse)
    # a lone worker's count is read off "我" alone: it says nothing of the words around it
    if parse is not None and any(not slots.one_worker(k, v) for k, v in found.items()):
        found.update(answers.leftovers(found, "", answers.rest_of(parse, whole=False), found))
    return found


def on_message(state: Conversation, ctx: Context, parse: ParseResult) -> Turn:
    """Handle a text message while a form is open."""
    if open_form(state).stage == "confirm":
        turn = on_confirm(state, ctx, parse)
        if turn is not None:
            return turn
        if _is_question(parse, {}):
            return _detour(state, parse)
        return Turn(replace(state, offered=SUBMIT_OFFER), (texts.CONFIRM_AGAIN,))
    return _on_answer(state, ctx, parse)


def prompt(state: Conversation) -> str:
    """The question the open form is waiting on."""
    form = open_form(state)
    if form.stage == "confirm":
        return texts.CONFIRM_AGAIN
    if form.asking in (slots.OPEN, None):
        return _open_question(form)
    return _question(form, form.asking)


def add_evidence(state: Conversation, message_id: int, kind: str) -> Conversation:
    """Remember media sent while the form is open, to attach it on submission."""
    form = open_form(state)
    return replace(state, form=replace(form, evidence=(*form.evidence, Media(message_id, kind))))


def _on_answer(state: Conversation, ctx: Context, parse: ParseResult) -> Turn:
    form = open_form(state)
    asking = form.asking
    was_open = asking == slots.OPEN
    if was_open or asking is None:  # an answer to the open question: first missing fact
        asking = next((s.name for s in slots.missing(form.values)), None)
        form = replace(form, asking=asking)
        state = replace(state, form=form)
    found = slots.from_entities(parse)
    call = _asks_call(parse)
    if not call and _is_chitchat(parse, found):
        reply = texts.THANKS_MID_FORM if parse.intent == "thank" else texts.STILL_HERE
        return Turn(state, (reply + prompt(state),))
    if not found and reading.is_stall(parse.text):  # "稍等一下" is no site, and no miss
        return Turn(state, (texts.TAKE_YOUR_TIME,))
    if not call and _is_question(parse, found):
        return _detour(state, parse)
    if asking and reading.is_unknown(parse.text):  # "不清楚有几个人": its "几个人" is no count
        if asking == "employer" and form.boss_asked and form.values.get("employer"):
            boss = str(form.values["employer"])  # a generic "包工头" stays, flagged
            form = replace(form, flags={**form.flags, "employer": "姓名不详"})
            lead = texts.BOSS_NAME_UNKNOWN.format(boss=boss)
            return _next(replace(state, form=form), ctx, lead)
        return _unknown(state, ctx, asking)
    fixed = _correction(parse, ctx)
    if fixed:  # "人数不对，是4个人" while other questions are out: change that one field
        form = filled_in(form, fixed)
        names = [*fixed, "amount"] if "headcount" in fixed and per_person(form.values) else fixed
        lines = "；".join(line(name, form.values) for name in names if name in slots.BY_NAME)
        lead = texts.CHANGED.format(line=lines)
        return _next(replace(state, form=form), ctx, lead)
    # More of the story gives the facts in it, but is never itself the answer to the
    # question asked ("现在打他电话也不接" is no boss); the case keeps the whole story.
    piece = _story_piece(parse, asking)
    filled = answers.read(form.values, None if piece else asking, parse, found, ctx)
    form = filled_in(form, filled)
    if piece:
        form = replace(form, description=_told(form.description, parse.text))
    number = id_number_in(parse.text)
    if number is not None:
        form = replace(form, id_number=number)
    state = replace(state, form=form)
    effects: tuple[Effect, ...] = (RequestHuman("call"),) if call else ()
    lead = texts.CALL_NOTED if call else ""
    mistyped = asking in ("contact_name", "phone") and BAD_PHONE.search(parse.text)
    if mistyped and not form.values.get("phone"):  # digits, but not a phone number
        lead = _join(_noted(filled, form.values), texts.HINT_PHONE)
        return _with_effects(_next(state, ctx, lead), effects)
    if not filled:
        if piece and not call:  # still telling, not answering: no "没看懂", and no try spent
            return _next(state, ctx, texts.STORY_NOTED)
        if call or was_open or found:  # not read: ask the first fact on its own, without blame
            return _with_effects(_next(state, ctx, lead), effects)
        return _failed(state, ctx, parse)
    lead = "\n".join(part for part in (_noted(filled, form.values), lead) if part)
    if form.stage == "fix":
        return _with_effects(changed(state, [k for k in filled if k in slots.BY_NAME]), effects)
    if _generic_boss(form, filled):  # "包工头": staff need a name; ask for it once
        state = replace(state, form=replace(form, boss_asked=True, asking="employer"))
        boss = str(form.values["employer"])
        return _with_effects(
            Turn(state, (_join(lead, texts.ASK_BOSS_NAME.format(boss=boss)),)), effects
        )
    same = _same_case(form, ctx) if "employer" in filled else None
    if same is not None:
        return same_case_question(state, same)
    return _with_effects(_next(state, ctx, lead), effects)


def _correction(parse: ParseResult, ctx: Context) -> dict[str, SlotValue]:
    """A correction of a field already given, named in words ("老板名字错了，是刘强")."""
    if not WRONG.search(reading.plain(parse.text)):
        return {}
    named = named_slot(parse.text)
    return correction(parse, named, ctx.today) if named is not None else {}


def filled_in(form: Form, filled: Values) -> Form:
    """``form`` with the values of one answer, which are no longer flagged; a new boss
    drops the old one's own name."""
    values = dict(form.values)
    if "employer" in filled and "contractor" not in filled:
        values.pop("contractor", None)
    flags = {name: flag for name, flag in form.flags.items() if name not in filled}
    return replace(form, values={**values, **filled}, flags=flags)


def _generic_boss(form: Form, filled: Values) -> bool:
    employer = filled.get("employer")
    return (
        isinstance(employer, str)
        and reading.is_generic_boss(employer)
        and not form.boss_asked
        and form.stage == "filling"
    )


def _unknown(state: Conversation, ctx: Context, asking: str) -> Turn:
    """An answer of "不知道": unknown at once if optional; if required, say why first."""
    form = open_form(state)
    slot = slots.BY_NAME[asking]  # after the open question: the first fact it listed
    if slot.required and asking not in form.explained:
        form = replace(form, explained=(*form.explained, asking))
        return Turn(replace(state, form=form), (slot.why + slot.prompt,))
    if slot.required:
        values = {**form.values, asking: slots.NOT_KNOWN}
        form = replace(form, values=values, flags={**form.flags, asking: slots.NOT_KNOWN})
        lead = texts.KEPT_UNKNOWN.format(label=slot.label)
    else:
        form = replace(form, values={**form.values, asking: slots.UNKNOWN_VALUE})
        lead = texts.NOTED_UNKNOWN.format(label=slot.label)
    state = replace(state, form=form)
    if form.stage == "fix":
        return changed(state, [asking])
    return _next(state, ctx, lead)


def _failed(state: Conversation, ctx: Context, parse: ParseResult) -> Turn:
    form = open_form(state)
    asking = str(form.asking)
    tries = form.tries.get(asking, 0) + 1
    form = replace(form, tries={**form.tries, asking: tries})
    slot = slots.BY_NAME[asking]
    if tries < 2 or answers.other_kind(parse.text):
        # An answer of another kind (a name to the headcount question) is never kept here.
        return Turn(replace(state, form=form), (f"{slot.hint}{slot.prompt}",))
    # Two misses: keep the worker's own words for staff rather than blocking them.
    values = {**form.values, asking: parse.text}
    form = replace(form, values=values, flags={**form.flags, asking: parse.text})
    state = replace(state, form=form)
    if form.stage == "fix":
        return changed(state, [asking])
    return _next(state, ctx, texts.FLAGGED)


def _next(state: Conversation, ctx: Context, lead: str = "") -> Turn:
    form = open_form(state)
    todo = slots.missing(form.values)
    if not todo:
        return confirm(state, lead)
    facts = [s for s in todo if s.name in slots.FACTS]
    if len(facts) >= 2 and not form.open_asked:
        form = replace(form, asking=slots.OPEN, open_asked=True)
        return Turn(replace(state, form=form), (_join(lead, _open_question(form)),))
    form = replace(form, asking=todo[0].name)
    return Turn(replace(state, form=form), (_join(lead, _question(form, todo[0].name)),))


def _question(form: Form, name: str) -> str:
    values = form.values
    amount = values.get("amount")
    if name == "headcount" and isinstance(amount, Amount) and amount.per_person:
        return texts.ASK_EACH.format(each=slots.display("amount", amount))
    if name == "contact_name" and values.get("phone"):
        return texts.ASK_CONTACT.split("请一起")[0]  # the phone is known: ask the name only
    return str(slots.BY_NAME[name].prompt)


def _open_question(form: Form) -> str:
    facts = [s.short for s in slots.missing(form.values) if s.name in slots.FACTS]
    return texts.ASK_OPEN.format(items="、".join(facts))


def _noted(filled: Values, values: Values) -> str:
    """One short line of what this answer recorded."""
    names = [name for name in slots.BY_NAME if name in filled]
    if "headcount" in filled and "amount" not in filled and per_person(values):
        names.append("amount")  # the total is known now: show it
    if not names:
        return ""
    facts = "，".join(line(name, values) for name in names)
    return texts.FORM_NOTED.format(facts=facts)


def same_case_question(state: Conversation, case: CaseSummary) -> Turn:
    """Ask whether a new complaint repeats a recent one against the same employer."""
    form = replace(open_form(state), same_case_asked=True)
    offered = Offer((Choice("same_case", case.case_no), Choice("new_case")), "yes")
    reply = texts.SAME_CASE.format(
        created=f"{case.created_on.month}月{case.created_on.day}日",
        employer=case.employer,
        case_no=case.case_no,
        status=STATUS_NAMES.get(case.status, case.status),
    )
    return Turn(replace(state, form=form, offered=offered), (reply,))


def keep_existing_case(state: Conversation, case_no: str) -> Turn:
    """The worker says it is the same case: drop the form, move its evidence to that case."""
    effects = tuple(
        AttachEvidence(media.message_id, media.kind, case_no) for media in open_form(state).evidence
    )
    new_state = replace(state, form=None, offered=None)
    return Turn(new_state, (texts.SAME_CASE_KEPT.format(case_no=case_no),), effects)


def continue_form(state: Conversation, ctx: Context) -> Turn:
    """Carry on with the form after an interruption."""
    return _next(state, ctx) if open_form(state).stage != "confirm" else confirm(state)


def _same_case(form: Form, ctx: Context) -> CaseSummary | None:
    if form.same_case_asked:
        return None
    employer = _employer_key(str(form.values["employer"]))
    since = ctx.today - timedelta(days=ctx.policy.same_case_days)
    for case in ctx.cases:
        other = _employer_key(case.employer)
        if (
            case.created_on >= since
            and employer
            and other
            and (employer in other or other in employer)
        ):
            return case
    return None


def _employer_key(name: str) -> str:
    return re.sub(r"包工头|老板|公司|有限|责任|的|\s", "", name)


def _detour(state: Conversation, parse: ParseResult) -> Turn:
    answer = faq.detour(parse.intent, parse.text)
    return Turn(state, (answer + "\n" + texts.CONTINUE.format(prompt=prompt(state)),))


def _is_question(parse: ParseResult, found: Values) -> bool:
    """A question asked mid-form, with no fact to record: answer it, then resume."""
    if found or reading.is_unknown(parse.text):
        return False
    if parse.intent in DETOUR_INTENTS and parse.confidence >= 0.5:
        return reading.is_question(parse.text)
    return reading.is_question(parse.text) and reading.kind_of(parse.text) is None


def _is_chitchat(parse: ParseResult, found: Values) -> bool:
    return (
        not found
        and parse.intent in ("greet", "thank", "goodbye")
        and parse.confidence >= 0.6
        and len(parse.text) <= 10
    )


def _story_piece(parse: ParseResult, asking: str | None) -> bool:
    """Whether a message sent mid-form is more of the story ("后来又去项目部找了三次,每次都说
    下个月"): long enough to be no bare answer, and read as telling, not answering. Never
    when the worker's own name and phone are asked ("俺叫刘大山 电话158…" answers)."""
    return (
        parse.intent in STORY_INTENTS
        and len(parse.text.strip()) >= MIN_STORY
        and asking not in ("contact_name", "phone")
    )


def _told(description: str | None, piece: str) -> str:
    """The story so far with one more piece, up to as many characters as the NLU reads."""
    story = piece.strip() if not description else f"{description}\n{piece.strip()}"
    return story[:MAX_TEXT_CHARS]


def _asks_call(parse: ParseResult) -> bool:
    return reading.asks_for_call(parse.text) or (
        parse.intent == "request_human" and parse.confidence >= 0.5
    )


def _join(*parts: str) -> str:
    return "\n".join(part for part in parts if part)


def _with_effects(turn: Turn, effects: tuple[Effect, ...]) -> Turn:
    return Turn(turn.state, turn.replies, turn.effects + effects) if effects else turn
