"""Filling, correcting, confirming and submitting the complaint form.

The form lives in ``state["form"]``: ``values`` by slot name, the slot being ``asking``,
failed ``tries`` and raw answers ``flags`` for staff, the ``stage`` (filling, fix, confirm),
the site that came from a QR code, the story as first told, and evidence message ids.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from bot import complaint, faq, slots, texts
from bot.types import AttachEvidence, Context, SiteInfo, State, Submit, Turn
from nlu.types import ParseResult

QUESTION = re.compile(r"[?？]|吗|么|呢$|怎么|什么|咋|哪|能不能|可不可以|是不是")
DETOUR_INTENTS = {"ask_policy", "query_status", "other_labour"}
CHITCHAT_INTENTS = {"greet", "thank", "goodbye", "affirm", "deny"}
YES = re.compile(r"^(1|确认|提交|确认提交|对|对的|是|是的|没错|没问题|好|好的|可以|行)$")
FIX_WORDS: dict[str, re.Pattern[str]] = {
    "amount": re.compile(r"金额|钱|工资|欠款|数目"),
    "phone": re.compile(r"电话|手机|号码"),
    "contact_name": re.compile(r"名字|姓名|称呼"),
    "site": re.compile(r"工地|项目|地点"),
    "employer": re.compile(r"老板|公司|包工头|单位"),
    "work_type": re.compile(r"工种"),
    "headcount": re.compile(r"人数|几个人|多少人"),
    "period": re.compile(r"时间|日期|月份|期间"),
}
BAD_PHONE = re.compile(r"(?<!\d)\d{7,13}(?!\d)")


def start(state: State, ctx: Context, parse: ParseResult | None, site: SiteInfo | None) -> Turn:
    """Open a form, take every slot the first message holds, and ask for what is missing."""
    form: dict[str, Any] = {
        "values": {},
        "tries": {},
        "flags": {},
        "stage": "filling",
        "asking": None,
        "evidence": list(state.get("evidence", [])),
    }
    if site is not None:
        form["site"] = {
            "code": site.code,
            "name": site.name,
            "address": site.address,
            "general_contractor": site.general_contractor,
        }
        form["values"]["site"] = site.name
    text = parse.text if parse else ""
    if len(text) >= 8:
        form["description"] = text
    found = slots.from_entities(parse)
    form["values"].update({k: v for k, v in found.items() if not form["values"].get(k)})
    new_state = {**state, "form": form}
    new_state.pop("evidence", None)
    if site is not None and not found:
        return Turn(new_state, (texts.SITE_WELCOME.format(name=site.name),))
    lead = texts.FORM_START if not found else texts.FORM_NOTED.format(facts=_facts(found))
    return _next(new_state, ctx, lead)


def on_message(state: State, ctx: Context, parse: ParseResult) -> Turn:
    """Handle a text message while a form is open."""
    if state["form"]["stage"] == "confirm":
        return _on_confirm(state, ctx, parse)
    return _on_answer(state, ctx, parse)


def prompt(state: State) -> str:
    """The question the open form is waiting on."""
    form = state["form"]
    if form["stage"] == "confirm":
        return texts.CONFIRM_AGAIN
    asking = form.get("asking")
    if asking in (slots.OPEN, None):
        return _open_question(form)
    return str(slots.BY_NAME[asking].prompt)


def add_evidence(state: State, message_id: int, kind: str) -> State:
    """Remember media sent while the form is open, to attach it on submission."""
    form = {**state["form"], "evidence": [*state["form"]["evidence"], [message_id, kind]]}
    return {**state, "form": form}


def fix_slot(state: State, slot: str) -> Turn:
    """Ask again for one slot at the confirmation, then come back to the summary."""
    form = {**state["form"], "stage": "fix", "asking": slot}
    label = slots.BY_NAME[slot].label
    return Turn(
        {**state, "form": form},
        (texts.FIX_FIELD.format(label=label, prompt=slots.BY_NAME[slot].prompt),),
    )


def _on_answer(state: State, ctx: Context, parse: ParseResult) -> Turn:
    form = _copy(state["form"])
    asking = form.get("asking")
    was_open = asking == slots.OPEN
    if was_open:  # an answer to the open question is read as one to the first missing fact
        asking = form["asking"] = next(s.name for s in slots.missing(form["values"]))
    found = slots.from_entities(parse)
    if asking and asking not in found and not _is_chitchat(parse, found):
        if _is_detour(parse, found):
            return _detour(state, parse)
        found.update(_read_direct_answer(form, asking, parse, found, ctx))
    filled = {k: v for k, v in found.items() if k == asking or not form["values"].get(k)}
    form["values"].update(filled)
    complaint.take_id_number(form, parse.text)
    new_state = {**state, "form": form}
    if asking and asking not in filled and not filled:
        if was_open:  # not read: ask for the first fact on its own, without blame
            return _next(new_state, ctx)
        return _failed(new_state, ctx, parse)
    phone_typo = asking in ("contact_name", "phone") and BAD_PHONE.search(parse.text)
    if phone_typo and not form["values"].get("phone"):  # digits, but not a phone number
        return _next(new_state, ctx, texts.HINT_PHONE)
    if form["stage"] == "fix" and asking in filled:
        return confirm(new_state)
    same = _same_case(form, ctx) if "employer" in filled else None
    if same is not None:
        return same_case_question(new_state, same)
    lead = texts.FORM_NOTED.format(facts=_facts(filled)) if len(filled) > 1 else ""
    return _next(new_state, ctx, lead)


def _read_direct_answer(
    form: dict[str, Any], asking: str, parse: ParseResult, found: dict[str, Any], ctx: Context
) -> dict[str, Any]:
    """Read the message as an answer to the question asked, when the NLU found no value.

    Leftover words next to other values ("干了" in "干了四个月") are no answer, except for
    the name beside a phone number ("张三 13912345678").
    """
    if any(not form["values"].get(name) for name in found) and asking != "contact_name":
        return {}
    if asking in slots.LOOSE:
        empty = [slot.name for slot in slots.missing(form["values"])]
        misplaced = slots.read_misplaced(parse.text, ctx.today, empty)
        if misplaced:
            return misplaced
    value = slots.read_answer(slots.BY_NAME[asking], _rest(parse), ctx.today)
    return {} if value is None else {asking: value}


def _failed(state: State, ctx: Context, parse: ParseResult) -> Turn:
    form = state["form"]
    asking = form["asking"]
    tries = form["tries"].get(asking, 0) + 1
    form["tries"][asking] = tries
    slot = slots.BY_NAME[asking]
    if tries < 2:
        return Turn(state, (f"{slot.hint}{slot.prompt}",))
    # Two misses: keep the worker's own words for staff rather than blocking them.
    form["values"][asking] = parse.text
    form["flags"][asking] = parse.text
    if form["stage"] == "fix":
        return confirm(state)
    return _next(state, ctx, texts.FLAGGED)


def _next(state: State, ctx: Context, lead: str = "") -> Turn:
    form = state["form"]
    todo = slots.missing(form["values"])
    if not todo:
        return confirm(state, lead)
    facts = [s for s in todo if s.name in slots.FACTS]
    if len(facts) >= 2 and not form.get("open_asked"):
        form["asking"], form["open_asked"] = slots.OPEN, True
        question = _open_question(form)
        return Turn(state, ("\n".join(part for part in (lead, question) if part),))
    slot = todo[0]
    if slot.name == "contact_name" and form["values"].get("phone"):
        question = texts.ASK_CONTACT.split("请一起")[0]  # the phone is known: ask the name only
    else:
        question = slot.prompt
    form["asking"] = slot.name
    return Turn(state, ("\n".join(part for part in (lead, question) if part),))


def _open_question(form: dict[str, Any]) -> str:
    facts = [s.short for s in slots.missing(form["values"]) if s.name in slots.FACTS]
    return texts.ASK_OPEN.format(items="、".join(facts))


def confirm(state: State, lead: str = "") -> Turn:
    """Show the summary with the privacy and liability notice, and wait for 1 or 2."""
    form = {**state["form"], "stage": "confirm", "asking": None}
    summary = "\n".join(
        f"{slot.label}：{slots.display(slot.name, form['values'].get(slot.name))}"
        for slot in slots.SLOTS
    )
    reply = texts.CONFIRM.format(summary=summary)
    new_state = {
        **state,
        "form": form,
        "offered": {"actions": ["submit", "cancel_form"], "yes_no": "yes"},
    }
    return Turn(new_state, ("\n".join(part for part in (lead, reply) if part),))


def _on_confirm(state: State, ctx: Context, parse: ParseResult) -> Turn:
    state = {**state, "form": _copy(state["form"])}
    text = parse.text.strip(" 。.!！")
    if YES.match(text) or (parse.intent == "affirm" and not slots.from_entities(parse)):
        return submit(state, ctx)
    corrections = _corrections(parse, ctx)
    for slot, value in corrections.items():
        if value is not None:
            state["form"]["values"][slot] = value
            state["form"]["flags"].pop(slot, None)
    if corrections and all(value is not None for value in corrections.values()):
        return confirm(state)
    if corrections:
        return fix_slot(state, next(s for s, v in corrections.items() if v is None))
    if parse.intent == "deny" or re.search(r"不对|错了|有误", text):
        fields = "\n".join(f"{i}. {slot.label}" for i, slot in enumerate(slots.SLOTS, 1))
        offered = {"actions": [f"fix:{slot.name}" for slot in slots.SLOTS], "yes_no": False}
        return Turn({**state, "offered": offered}, (texts.WHICH_FIELD.format(fields=fields),))
    if _is_detour(parse, {}):
        return _detour(state, parse)
    return Turn(
        {**state, "offered": {"actions": ["submit", "cancel_form"], "yes_no": "yes"}},
        (texts.CONFIRM_AGAIN,),
    )


def _corrections(parse: ParseResult, ctx: Context) -> dict[str, Any]:
    """Slots the worker corrects in words ("金额不对,是十三万"); None: value still to ask."""
    found = slots.from_entities(parse)
    named = [slot for slot, words in FIX_WORDS.items() if words.search(parse.text)]
    corrections: dict[str, Any] = dict(found)
    for slot in named:
        if slot not in corrections:
            tail = re.split(r"是|为|改成|改为|应该", parse.text, maxsplit=1)
            value = (
                slots.read_answer(slots.BY_NAME[slot], tail[1], ctx.today)
                if len(tail) == 2
                else None
            )
            corrections[slot] = value
    return corrections


def submit(state: State, ctx: Context) -> Turn:
    """File the complaint and tell the worker the case number and the legal deadlines."""
    form = state["form"]
    fields = complaint.fields(form, ctx)
    evidence = tuple(int(message_id) for message_id, _kind in form["evidence"])
    reply = texts.SUBMITTED.format(
        case_no=ctx.next_case_no,
        accept_by=_day(fields["accept_by"], ctx.today),
        investigate_by=_day(fields["investigate_by"], ctx.today),
    )
    if fields["is_group"]:
        reply += texts.GROUP_CASE
    new_state = {k: v for k, v in state.items() if k not in ("form", "offered")}
    return Turn(new_state, (reply,), (Submit(ctx.next_case_no, fields, evidence),))


def same_case_question(state: State, case: Any) -> Turn:
    """Ask whether a new complaint repeats a recent one against the same employer."""
    state["form"]["same_case_asked"] = True
    offered = {"actions": [f"same_case:{case.case_no}", "new_case"], "yes_no": "yes"}
    reply = texts.SAME_CASE.format(
        created=f"{case.created_on.month}月{case.created_on.day}日",
        employer=case.employer,
        case_no=case.case_no,
        status=texts.STATUS_NAMES.get(case.status, case.status),
    )
    return Turn({**state, "offered": offered}, (reply,))


def keep_existing_case(state: State, case_no: str) -> Turn:
    """The worker says it is the same case: drop the form, move its evidence to that case."""
    effects = tuple(
        AttachEvidence(int(mid), kind, case_no) for mid, kind in state["form"]["evidence"]
    )
    new_state = {k: v for k, v in state.items() if k not in ("form", "offered")}
    return Turn(new_state, (texts.SAME_CASE_KEPT.format(case_no=case_no),), effects)


def continue_form(state: State, ctx: Context) -> Turn:
    """Carry on with the form after an interruption."""
    return _next(state, ctx) if state["form"]["stage"] != "confirm" else confirm(state)


def _same_case(form: dict[str, Any], ctx: Context) -> Any:
    if form.get("same_case_asked"):
        return None
    employer = _employer_key(str(form["values"]["employer"]))
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


def _detour(state: State, parse: ParseResult) -> Turn:
    if parse.intent == "other_labour":
        answer = texts.OTHER_LABOUR
    elif parse.intent == "query_status":
        answer = "投诉提交后就能查询进度。"
    else:
        answer = faq.answer(parse.text)
    return Turn(state, (answer + "\n" + texts.CONTINUE.format(prompt=prompt(state)),))


def _is_detour(parse: ParseResult, found: dict[str, Any]) -> bool:
    return (
        not found
        and parse.intent in DETOUR_INTENTS
        and parse.confidence >= 0.5
        and bool(QUESTION.search(parse.text))
    )


def _is_chitchat(parse: ParseResult, found: dict[str, Any]) -> bool:
    return (
        not found
        and parse.intent in CHITCHAT_INTENTS
        and parse.confidence >= 0.7
        and len(parse.text) <= 6
    )


def _rest(parse: ParseResult) -> str:
    """The message without the entities already read, so "张三 139..." leaves "张三"."""
    text = parse.text
    for entity in parse.entities:
        text = text.replace(entity.text, " ")
    return text.strip() or parse.text


def _facts(found: dict[str, Any]) -> str:
    return "，".join(
        f"{slots.BY_NAME[name].label} {slots.display(name, value)}"
        for name, value in found.items()
        if name in slots.BY_NAME
    )


def _day(day: date, today: date) -> str:
    return (
        f"{day.month}月{day.day}日"
        if day.year == today.year
        else f"{day.year}年{day.month}月{day.day}日"
    )


def _copy(form: dict[str, Any]) -> dict[str, Any]:
    return {
        **form,
        "values": dict(form["values"]),
        "tries": dict(form["tries"]),
        "flags": dict(form["flags"]),
    }
