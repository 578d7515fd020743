"""The confirmation: a summary that fits one phone screen, corrections of one named field,
and the submission.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from bot import slots, texts
from bot.state import Amount, Choice, Conversation, Form, Offer, SlotValue, Values
from bot.types import Context, Submit, Turn
from cases import reading
from cases.columns import columns
from nlu.types import ParseResult

YES = re.compile(
    r"^(1|确认|提交|确认提交|对|对的|是|是的|没错|没问题|好|好的|可以|行|嗯|嗯嗯|恩|要|登记|要登记"
    r"|要得|好嘞|中|妥|可以的|行的|没得问题|对头"
    # Cantonese, after the simplifying: "係", "係呀", "冇問題", "好呀", "得"
    r"|系|系呀|系啊|系嘅|冇问题|好呀|好啊|得|得呀|要呀)$"
)
#: Words naming a field, most specific first: "老板名字错了" names the boss, not the worker.
FIX_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("employer", re.compile(r"老板|公司|包工头|工头|单位|老总|欠钱的人|欠钱的是")),
    ("site", re.compile(r"工地|项目|地点|地方")),
    ("phone", re.compile(r"电话|手机|号码")),
    ("amount", re.compile(r"金额|钱|工资|欠款|数目|总数|总共|一共")),
    ("headcount", re.compile(r"人数|几个人|多少人")),
    ("period", re.compile(r"时间|日期|月份|期间|哪段")),
    ("work_type", re.compile(r"工种")),
    ("contact_name", re.compile(r"名字|姓名|称呼|我叫|我姓")),
)
WRONG = re.compile(r"不对|错了|有误|写错|弄错|搞错|说错|不是这个|改一下|改成|改为|应该是|更正")
#: At the confirmation: 1 files the complaint, 2 drops it.
SUBMIT_OFFER = Offer((Choice("submit"), Choice("cancel_form")), "yes")


def summary(values: Values) -> str:
    """Five short lines of the complaint (one phone screen with the notice)."""
    boss = slots.display("employer", values.get("employer"))
    contractor = values.get("contractor")
    if contractor and str(contractor) not in boss:
        boss += f"（{contractor}）"
    amount = slots.display("amount", values.get("amount"), values)
    people = slots.display("headcount", values.get("headcount"))
    if "×" in amount:  # "共24,000元（每人8,000元×3人）" already says how many
        people = ""
    period = slots.display("period", values.get("period"))
    work = slots.display("work_type", values.get("work_type"))
    name = slots.display("contact_name", values.get("contact_name"))
    phone = slots.display("phone", values.get("phone"))
    return "\n".join(
        (
            f"工地：{slots.display('site', values.get('site'))}",
            f"老板/公司：{boss}",
            f"欠款：{amount}，{people}".rstrip("，"),
            f"时间：{period}；工种：{work}",
            f"联系人：{name} {phone}",
        )
    )


def confirm(state: Conversation, lead: str = "") -> Turn:
    """Show the summary with the liability and consent notice, and wait for 1 or 2."""
    form = replace(open_form(state), stage="confirm", asking=None)
    reply = texts.CONFIRM.format(summary=summary(form.values))
    new_state = replace(state, form=form, offered=SUBMIT_OFFER)
    return Turn(new_state, ("\n".join(part for part in (lead, reply) if part),))


def changed(state: Conversation, names: list[str]) -> Turn:
    """Echo only the changed lines, then ask for the confirmation again."""
    form = replace(open_form(state), stage="confirm", asking=None)
    values = form.values
    if "headcount" in names and per_person(values) and "amount" not in names:
        names = [*names, "amount"]  # the total changes with the headcount
    lines = "；".join(line(name, values) for name in names)
    reply = texts.CHANGED.format(line=lines) + "\n" + texts.CONFIRM_AGAIN
    return Turn(replace(state, form=form, offered=SUBMIT_OFFER), (reply,))


def fix_slot(state: Conversation, slot: str) -> Turn:
    """Ask again for one slot at the confirmation, then come back to it."""
    form = replace(open_form(state), stage="fix", asking=slot)
    label = slots.BY_NAME[slot].label
    reply = texts.FIX_FIELD.format(label=label, prompt=slots.BY_NAME[slot].prompt)
    return Turn(replace(state, form=form), (reply,))


def on_confirm(state: Conversation, ctx: Context, parse: ParseResult) -> Turn | None:
    """A message at the confirmation; None: not about the confirmation (a question)."""
    form = open_form(state)
    text = reading.plain(parse.text).strip(" 。.!！")
    if YES.match(text) or (parse.intent == "affirm" and not slots.from_entities(parse)):
        return submit(state, ctx)
    named = named_slot(parse.text)
    values = corrections(parse, ctx.today)
    if values:
        kept = dict(form.values)
        if "employer" in values and "contractor" not in values:
            kept.pop("contractor", None)  # a new boss replaces the old one's name
        flags = {name: flag for name, flag in form.flags.items() if name not in values}
        form = replace(form, values={**kept, **values}, flags=flags)
        names = [name for name in values if name in slots.BY_NAME]
        return changed(replace(state, form=form), names)
    if named is not None:
        return fix_slot(state, named)
    if parse.intent == "deny" or WRONG.search(text):
        fields = "\n".join(f"{i}. {slot.label}" for i, slot in enumerate(slots.SLOTS, 1))
        offered = Offer(tuple(Choice("fix", slot.name) for slot in slots.SLOTS))
        return Turn(replace(state, offered=offered), (texts.WHICH_FIELD.format(fields=fields),))
    return None


def corrections(parse: ParseResult, today: date) -> dict[str, SlotValue]:
    """Every field a message corrects: "金额是两万五 人数是四个" changes two, each by its
    own clause; one clause is read whole."""
    clauses = [c for c in re.split(r"[\s，,；;。]+|还有|另外", parse.text) if c.strip()]
    named = [named_slot(clause) for clause in clauses]
    if len({n for n in named if n}) < 2:
        return correction(parse, named_slot(parse.text), today)
    values: dict[str, SlotValue] = {}
    for clause, name in zip(clauses, named, strict=True):
        if name is not None:
            values.update(correction(_part(parse, clause), name, today))
    return values


def _part(parse: ParseResult, clause: str) -> ParseResult:
    """The parse of one clause: its text, and the entities inside it."""
    entities = tuple(e for e in parse.entities if e.text in clause)
    return ParseResult(clause, parse.intent, parse.confidence, entities, parse.source)


def named_slot(text: str) -> str | None:
    """The one field a correction names in words, the most specific first."""
    plain = reading.plain(text)
    if re.search(r"我的?(?:名字|姓名)|我叫|我姓", plain):
        return "contact_name"
    return next((name for name, words in FIX_WORDS if words.search(plain)), None)


def correction(parse: ParseResult, named: str | None, today: date) -> dict[str, SlotValue]:
    """The new value(s) of the named field, or of the one fact the message holds."""
    found = slots.from_entities(parse)
    # "老板叫刘强 不是老王": the words after 不是 are the old value, not the new one.
    plain = re.sub(r"[，,\s]*(?:不是|而不是)[^，,。\s]*", " ", reading.plain(parse.text)).strip()
    tail = re.split(r"应该是|改成|改为|是|为|叫", plain, maxsplit=1)
    said = tail[1].strip(" ，,。") if len(tail) == 2 else ""
    if named is None:
        facts = {k: v for k, v in found.items() if k in slots.BY_NAME}
        if len(facts) == 1:
            return _with_contractor(found, facts)
        kind = reading.kind_of(said or parse.text)
        return slots.boss_value(said or parse.text) if kind == "employer" else {}
    if named == "employer":
        if said:
            return slots.boss_value(said)
        if "employer" not in found:
            return {}
        return _with_contractor(found, {"employer": found["employer"]})
    if named in found and not (said and named in slots.LOOSE):
        return {named: found[named]}  # "工地是紫荆苑二期": the words said, not a guess
    value = slots.read_answer(slots.BY_NAME[named], said, today) if said else None
    if value is not None:
        return {named: value}
    facts = {k: v for k, v in found.items() if k in slots.BY_NAME}
    return facts if len(facts) == 1 else {}  # "一共5个人" names the headcount by its value


def submit(state: Conversation, ctx: Context) -> Turn:
    """File the complaint and tell the worker the case number and the legal deadlines."""
    form = open_form(state)
    fields = columns(form, ctx.policy, ctx.now, ctx.today)
    evidence = tuple(media.message_id for media in form.evidence)
    reply = texts.SUBMITTED.format(
        case_no=ctx.next_case_no,
        accept_by=_day(fields["accept_by"], ctx.today),
        investigate_by=_day(fields["investigate_by"], ctx.today),
    )
    if fields["is_group"]:
        reply += texts.GROUP_CASE
    new_state = replace(state, form=None, offered=None)
    return Turn(new_state, (reply,), (Submit(ctx.next_case_no, fields, evidence),))


def _with_contractor(found: Values, facts: dict[str, SlotValue]) -> dict[str, SlotValue]:
    if "employer" in facts and "contractor" in found:
        return {**facts, "contractor": found["contractor"]}
    return facts


def line(name: str, values: Values) -> str:
    """A slot's label and value as the worker reads it (the boss with his own name)."""
    text = slots.display(name, values.get(name), values)
    contractor = values.get("contractor")
    if name == "employer" and contractor and str(contractor) not in text:
        text += f"（{contractor}）"
    return f"{slots.BY_NAME[name].label} {text}"


def per_person(values: Values) -> bool:
    """Whether the amount is each worker's share (its total needs the headcount)."""
    amount = values.get("amount")
    return isinstance(amount, Amount) and amount.per_person


def open_form(state: Conversation) -> Form:
    """The open form (its callers are reached only while one is open)."""
    assert state.form is not None
    return state.form


def _day(day: date, today: date) -> str:
    return (
        f"{day.month}月{day.day}日"
        if day.year == today.year
        else f"{day.year}年{day.month}月{day.day}日"
    )
