"""The legal deadlines (cases/deadlines.py): working days, clocks, and the extension that
every reader of a case applies the same way."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from cases.deadlines import add_workdays, case_clocks, china_day, investigation_ends
from models import CaseWork, Complaint
from models.db import get_session
from tests.console_fixtures import add_staff, csrf_token, login
from tests.test_bot_service import chat, say
from webhooks.simulator import WeChatSimulator

from .scripts import TERSE


def _day(day: date) -> str:
    """A date as the bot writes it to workers."""
    return f"{day.month}月{day.day}日"


def test_an_extended_investigation_ends_on_one_date_for_the_worker_and_the_api(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner, simulator: WeChatSimulator
) -> None:
    # A worker files through WeChat; staff accept the case, reach the worker, and extend it.
    chat(client, simulator, TERSE)
    with app.app_context():
        filed = get_session().scalars(select(Complaint)).one()
        case_no, original = filed.case_no, filed.investigate_by
    assert original is not None
    add_staff(app, "li", "hotline")
    staff = app.test_client()
    login(staff, "li")
    url = f"/console/complaints/{case_no}"
    for action in ("accept", "contacted", "extend"):
        token = csrf_token(staff, url)
        response = staff.post(f"{url}/action", data={"action": action, "csrf_token": token})
        assert response.status_code == 302, action
    with app.app_context():
        work = get_session().scalars(select(CaseWork)).one()
        assert work.extended

    token = runner.invoke(args=["staff", "token", "li"]).output.strip()
    shown = client.get(f"/api/complaints/{case_no}", headers={"Authorization": f"Bearer {token}"})
    item = shown.get_json()
    assert item["next_deadline_label"] == "办结"
    # One investigation deadline: the field and the next deadline are the same, later date.
    assert item["investigate_by"] == item["next_deadline"]
    extended = date.fromisoformat(item["investigate_by"])
    assert extended > original

    reply = say(client, simulator, simulator.text("进度", msg_id=99))
    assert case_no in reply and _day(extended) in reply and _day(original) not in reply


def _complaint(status: str, submitted: datetime) -> Complaint:
    return Complaint(
        case_no="X", worker_id=1, status=status, submitted_at=submitted, created_at=submitted
    )


def test_clocks_count_working_days_and_skip_holidays() -> None:
    # Submitted Thursday 2026-09-24 (China): Friday 25th is the Mid-Autumn Festival, so
    # 3 working days are the 28th-30th; acceptance skips the National Day week (1st-7th).
    submitted = datetime(2026, 9, 24, 2, tzinfo=UTC)
    clocks = case_clocks(_complaint("submitted", submitted), None)
    assert clocks.first_contact_by == date(2026, 9, 30)
    assert clocks.accept_by == date(2026, 10, 9)
    assert clocks.next_label == "首次联系" and clocks.next_due == clocks.first_contact_by


def test_clocks_follow_the_status() -> None:
    submitted = datetime(2026, 3, 2, 2, tzinfo=UTC)
    contacted = CaseWork(complaint_id=1, first_contact_at=submitted, extended=False)
    submitted_case = case_clocks(_complaint("submitted", submitted), contacted)
    assert submitted_case.next_label == "受理"
    investigating = case_clocks(_complaint("accepted", submitted), contacted)
    assert investigating.next_label == "办结"
    extended = CaseWork(complaint_id=1, first_contact_at=submitted, extended=True)
    longer = case_clocks(_complaint("accepted", submitted), extended)
    assert longer.investigate_by > investigating.investigate_by
    assert case_clocks(_complaint("closed", submitted), contacted).next_due is None
    assert investigating.overdue(date(2027, 1, 1)) and not investigating.overdue(date(2026, 3, 3))


@pytest.mark.parametrize("stored", [date(2026, 5, 27), None])
def test_an_extension_adds_thirty_working_days_to_the_deadline_in_force(
    stored: date | None,
) -> None:
    filed = date(2026, 3, 2)
    ends = investigation_ends(filed, stored, extended=False)
    assert ends == (stored or add_workdays(filed, 60))
    assert investigation_ends(filed, stored, extended=True) == add_workdays(ends, 30)


def test_the_china_day_turns_at_midnight_in_china() -> None:
    assert china_day(datetime(2026, 2, 25, 15, 59, tzinfo=UTC)) == date(2026, 2, 25)
    assert china_day(datetime(2026, 2, 25, 16, 0, tzinfo=UTC)) == date(2026, 2, 26)
