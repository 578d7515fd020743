"""The staff actions' table (cases/actions.py): where each may start, what it records and
what the worker reads."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cases.actions import ACTIONS, actions_from, history_note, notice_text
from cases.statuses import FILED, FINISHED, STATUS_NAMES


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        ("submitted", ["accept", "transfer", "reject", "contacted"]),
        (
            "accepted",
            ["assign", "transfer", "mediate", "resolve", "close", "reject", "extend", "contacted"],
        ),
        ("transferred", ["resolve", "close", "contacted"]),
        ("closed", ["contacted"]),
        ("draft", []),
    ],
)
def test_actions_offered_follow_the_status(status: str, allowed: list[str]) -> None:
    assert list(actions_from(status)) == allowed


def test_every_action_leads_to_a_known_status_from_filed_ones() -> None:
    for action in ACTIONS.values():
        assert action.allowed_from <= FILED
        assert action.to_status is None or action.to_status in STATUS_NAMES
        assert bool(action.required) == bool(action.missing)
        assert bool(action.required or action.optional) == bool(action.record)
    # A finished case only gets closed (once resolved) or a note that the worker was phoned.
    assert {key for key, a in ACTIONS.items() if a.allowed_from & FINISHED} == {
        "close",
        "contacted",
    }


def test_history_notes_join_the_field_and_the_staff_note() -> None:
    assert history_note(ACTIONS["accept"], None, "") == "受理"
    assert history_note(ACTIONS["accept"], None, "材料齐全") == "受理：材料齐全"
    assert history_note(ACTIONS["assign"], "li", "急") == "分派：分派给li；急"
    assert history_note(ACTIONS["extend"], None, "") == "延长调查期（30个工作日）"


def test_a_status_change_tells_the_worker_and_a_note_does_not() -> None:
    text = notice_text(ACTIONS["resolve"], "261126-0001", Decimal("30000.50"))
    assert text == (
        "您的案件261126-0001有新进展：已解决。追回金额30000.50元。"
        "如有疑问，可直接回复本消息或拨打12333。"
    )
    assert "已转交钟楼区住建局处理。" in (
        notice_text(ACTIONS["transfer"], "X", "钟楼区住建局") or ""
    )
    assert notice_text(ACTIONS["extend"], "X", None) is None
    assert notice_text(ACTIONS["contacted"], "X", None) is None
