"""Fuzzing the dialogue step with whole conversations: whatever the worker sends, in any
order, the bot answers in words, its state stays storable (it is kept as encrypted JSON)
and a submitted complaint holds values its columns accept."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import count

from hypothesis import event, example, given
from hypothesis import strategies as st

from bot.dialogue import step
from bot.state import Conversation, dump, load
from bot.types import AttachEvidence, Context, Incoming, RequestHuman, Submit
from models import Complaint
from nlu.client import rule_parse

from .fuzzing import fuzz, messages
from .scripts import WITH_ID

NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)

#: What a worker may send: script answers, confirmations, corrections, anything else.
texts = st.one_of(
    st.sampled_from(WITH_ID),
    st.sampled_from(["1", "2", "是", "不是", "取消", "人工", "金额不对，是十三万", "电话错了"]),
    messages,
    st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=60, max_size=300),
)
incomings = st.one_of(
    texts.map(lambda text: ("text", text)),
    st.sampled_from(["image", "voice", "location", "video"]).map(lambda kind: (kind, "")),
    st.sampled_from(["subscribe", "unsubscribe", "click", "scan"]).map(lambda e: ("event", e)),
)


@st.composite
def conversations(draw: st.DrawFn) -> list[tuple[str, str]]:
    """Often the scripted complaint with detours and omissions, sometimes anything."""
    said: list[tuple[str, str]] = []
    if draw(st.booleans()):
        for line in WITH_ID:
            said += draw(st.lists(incomings, max_size=1))
            if draw(st.integers(0, 9)) > 0:  # most answers are given
                said.append(("text", line))
    return said + draw(st.lists(incomings, min_size=0 if said else 1, max_size=6))


def check_submit(effect: Submit, ctx: Context) -> None:
    fields = effect.fields
    event("a complaint was submitted")
    assert effect.case_no == ctx.next_case_no
    amount = fields["amount_owed"]
    assert amount is None or (isinstance(amount, Decimal) and amount >= 0)
    assert fields["headcount"] is None or fields["headcount"] >= 1
    for name in ("period_start", "period_end", "accept_by", "investigate_by"):
        assert fields[name] is None or isinstance(fields[name], date)
    json.dumps(fields["flags"])
    columns = Complaint.__table__.columns
    for name, value in fields.items():
        length = getattr(columns[name].type, "length", None) if name in columns else None
        assert not (isinstance(value, str) and length and len(value) > length), name


LONG = "这个嘛说起来话就长了" * 7  # 70 characters: no work type, kept raw when said twice


@fuzz(80)
@given(conversations(), st.sampled_from([0, 0, 0, 1, 3, 80]))
@example(  # found: a raw answer longer than its column (PostgreSQL refused the complaint)
    [("text", line) for line in WITH_ID[:6]]
    + [("text", LONG), ("text", LONG)]
    + [("text", line) for line in WITH_ID[7:]],
    0,
)
def test_any_conversation_gets_answers_and_keeps_a_storable_state(
    conversation: list[tuple[str, str]], hours_between: int
) -> None:
    state = Conversation()
    ids = count(1)
    for turn_no, (kind, text) in enumerate(conversation):
        now = NOW + timedelta(hours=hours_between * turn_no)
        ctx = Context(now=now, today=now.date(), next_case_no="261126-0001")
        if kind == "event":
            incoming = Incoming("event", event=text, message_id=next(ids))
            parse = None
        else:
            incoming = Incoming(kind, text, message_id=next(ids))
            parse = rule_parse(text) if kind == "text" else None
        turn = step(state, incoming, parse, ctx)
        assert all(isinstance(reply, str) and reply.strip() for reply in turn.replies)
        stored = json.loads(json.dumps(dump(turn.state)))
        assert load(stored) == turn.state  # the state is read back as it was stored
        for effect in turn.effects:
            assert isinstance(effect, Submit | AttachEvidence | RequestHuman)
            if isinstance(effect, Submit):
                check_submit(effect, ctx)
        state = turn.state
