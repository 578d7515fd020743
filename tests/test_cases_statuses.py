"""Statuses and their named groups (cases/statuses.py)."""

from __future__ import annotations

from cases.statuses import (
    FILED,
    FINAL,
    FINISHED,
    INVESTIGATING,
    OPEN,
    STATUS_NAMES,
    STATUSES,
    status_name,
)
from models import STATUSES as COLUMN_STATUSES


def test_every_filed_status_has_a_chinese_name_and_a_draft_has_none() -> None:
    assert set(STATUS_NAMES) == set(STATUSES) - {"draft"} == FILED
    assert status_name("mediating") == "调解中" and status_name("draft") == "draft"


def test_the_groups_split_the_filed_statuses() -> None:
    assert OPEN | FINAL == FILED and not OPEN & FINAL
    assert INVESTIGATING < OPEN and "submitted" in OPEN - INVESTIGATING
    # A transferred case is over here but not finished: another unit still works it.
    assert FINAL - {"transferred"} == FINISHED


def test_the_column_knows_the_same_statuses() -> None:
    assert tuple(COLUMN_STATUSES) == STATUSES
