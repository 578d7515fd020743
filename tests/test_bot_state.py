"""The typed conversation state and its JSON: rows stored before the state was typed are
read (and carry on), and what is stored reads back the same."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from bot import state
from bot.dialogue import step
from bot.state import Amount, Choice, Conversation, Form, Headcount, Media, Offer, Period
from bot.types import Context, Incoming, SiteInfo, Submit
from nlu.client import rule_parse
from nlu.types import YearMonth

NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)

#: A row as the untyped bot stored it: a confirmation waiting, with every kind of value.
STORED_AT_CONFIRMATION: dict[str, Any] = {
    "form": {
        "values": {
            "site": "紫荆苑二期",
            "employer": "包工头老王",
            "contractor": "老王",
            "amount": {"yuan": "8000", "approximate": True, "per_person": True},
            "headcount": {"count": 3, "approximate": False},
            "period": {"text": "去年10月到今年1月", "start": "2025-10", "end": "2026-01-15"},
            "work_type": "反正就是干活的那种",  # kept raw after two misses
            "contact_name": "张三",
            "phone": "13912345678",
        },
        "tries": {"work_type": 2},
        "flags": {"work_type": "反正就是干活的那种"},
        "explained": ["amount"],
        "stage": "confirm",
        "asking": None,
        "evidence": [[41, "image"], [42, "voice"]],
        "site": {
            "code": "ZJY001",
            "name": "紫荆苑二期",
            "address": "钟楼区紫荆路8号",
            "general_contractor": "常州建工集团",
        },
        "description": "老板欠我们三个人工资，每人八千左右",
        "open_asked": True,
        "same_case_asked": True,
    },
    "offered": {"actions": ["submit", "cancel_form"], "yes_no": "yes"},
    "handoff_at": "2026-11-25T09:30:00+00:00",
    "human_requested": True,
    "updated_at": "2026-11-26T01:00:00+00:00",
}


def test_a_row_stored_before_the_state_was_typed_is_read_into_types() -> None:
    conversation = state.load(STORED_AT_CONFIRMATION)
    form = conversation.form
    assert form is not None and form.stage == "confirm" and form.asking is None
    assert form.values["amount"] == Amount(Decimal(8000), approximate=True, per_person=True)
    assert form.values["headcount"] == Headcount(3)
    assert form.values["period"] == Period(
        "去年10月到今年1月", YearMonth(2025, 10), YearMonth(2026, 1, 15)
    )
    assert form.values["work_type"] == "反正就是干活的那种"
    assert form.evidence == (Media(41, "image"), Media(42, "voice"))
    assert form.site == SiteInfo("ZJY001", "紫荆苑二期", "钟楼区紫荆路8号", "常州建工集团")
    assert form.tries == {"work_type": 2} and form.explained == ("amount",)
    assert form.open_asked and form.same_case_asked and not form.boss_asked
    assert conversation.offered == Offer((Choice("submit"), Choice("cancel_form")), "yes")
    assert conversation.handoff_at == datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
    assert conversation.human_requested and conversation.misses == 0


def test_offers_of_every_stored_kind_are_read() -> None:
    fixes = {"actions": ["fix:site", "fix:phone"], "yes_no": False}  # False: numbers only
    assert state.load({"offered": fixes}).offered == Offer(
        (Choice("fix", "site"), Choice("fix", "phone")), None
    )
    cases = {"actions": ["case:261120-0002", "case:261121-0001"], "yes_no": False}
    offer = state.load({"offered": cases}).offered
    assert offer is not None and offer.choices[1] == Choice("case", "261121-0001")
    story = {
        "actions": ["report"],
        "yes_no": "yes",
        "story": {
            "text": "老板欠我三万",
            "values": {"amount": {"yuan": "30000", "approximate": False}},
        },
    }
    offer = state.load({"offered": story, "evidence": [[7, "image"]], "misses": 1}).offered
    assert offer is not None and offer.story is not None
    assert offer.story.values == {"amount": Amount(Decimal(30000))}


def test_periods_of_every_stored_shape_are_read() -> None:
    length = {"text": "三个月", "months": 3, "days": 0}  # a length only (no start or end)
    both = {"start": None, "end": None, "months": 2, "days": 10, "text": "两个月零十天"}
    open_end = {"text": "8月1号开始", "start": "2026-08-01", "end": None}
    assert state.load_values({"period": length})["period"] == Period("三个月", months=3, days=0)
    assert state.load_values({"period": both})["period"] == Period(
        "两个月零十天", None, None, 2, 10
    )
    assert state.load_values({"period": open_end})["period"] == Period(
        "8月1号开始", YearMonth(2026, 8, 1)
    )


def test_what_is_stored_reads_back_the_same_and_keeps_the_stored_shape() -> None:
    conversation = state.load(STORED_AT_CONFIRMATION)
    stored = json.loads(json.dumps(state.dump(conversation)))
    assert state.load(stored) == conversation
    # The shape is the one older versions read (a rollback keeps working).
    assert stored["form"]["values"]["amount"] == {
        "yuan": "8000",
        "approximate": True,
        "per_person": True,
    }
    assert stored["offered"]["actions"] == ["submit", "cancel_form"]
    assert stored["form"]["evidence"] == [[41, "image"], [42, "voice"]]
    assert state.dump(Conversation()) == {} and state.load({}) == Conversation()
    assert state.load(None) == Conversation()


def test_a_conversation_stored_before_the_state_was_typed_carries_on_to_its_complaint() -> None:
    ctx = Context(now=NOW, today=date(2026, 11, 26), next_case_no="261126-0007")
    turn = step(state.load(STORED_AT_CONFIRMATION), Incoming("text", "1"), rule_parse("1"), ctx)
    assert "261126-0007" in turn.replies[0]
    [submit] = [e for e in turn.effects if isinstance(e, Submit)]
    fields = submit.fields
    assert fields["amount_owed"] == Decimal(24000) and fields["amount_approximate"] is True
    assert (fields["period_start"], fields["period_end"]) == (date(2025, 10, 1), date(2026, 1, 15))
    assert fields["project_address"] == "钟楼区紫荆路8号" and fields["site_code"] == "ZJY001"
    assert fields["site_id"] is None  # looked up by its code when filed (no id was stored)
    assert fields["flags"] == {"work_type": "反正就是干活的那种"}
    assert submit.evidence_message_ids == (41, 42)
    assert turn.state.form is None and turn.state.offered is None


def test_the_form_keeps_the_site_id_it_was_given() -> None:
    site = SiteInfo("ZJY001", "紫荆苑二期", id=5)
    stored = state.dump(Conversation(form=Form(site=site)))
    assert stored["form"]["site"]["id"] == 5
    assert state.load(stored).form == Form(site=site)


def test_an_offer_to_join_keeps_the_scanned_site_through_storage() -> None:
    site = SiteInfo("S-ZJY", "紫荆苑", "城南路1号", "德发建设", 7)
    story = state.Story("", {"site": "紫荆苑", "headcount": Headcount(1)}, site)
    conversation = Conversation(offered=Offer((Choice("report"),), "yes", story))
    stored = json.loads(json.dumps(state.dump(conversation)))
    assert state.load(stored) == conversation
    assert stored["offered"]["story"]["site"]["id"] == 7
    # A story stored without a site (every row before) still reads.
    del stored["offered"]["story"]["site"]
    assert state.load(stored).offered.story.site is None
