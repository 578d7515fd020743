"""The dashboard shows recovery the worker confirmed and satisfaction, per unit and handler."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from console.outcome_figures import outcome_figures
from models import CaseRating, CaseWork, Complaint, PaymentConfirmation, utcnow
from models.db import get_session
from tests.console_fixtures import add_complaint, add_staff, login


def resolved_case(
    app: Flask, case_no: str, handler: int | None, unit: str | None, answers: list[str]
) -> int:
    """A resolved case with its payment questions' answers, oldest first."""
    complaint_id = add_complaint(app, case_no)
    with app.app_context():
        session = get_session()
        complaint = session.get(Complaint, complaint_id)
        assert complaint is not None
        complaint.status = "resolved"
        session.add(
            CaseWork(complaint_id=complaint_id, assigned_staff_id=handler, transferred_to=unit)
        )
        for status in answers:
            session.add(PaymentConfirmation(complaint_id=complaint_id, status=status))
        session.commit()
    return complaint_id


def rating(app: Flask, complaint_id: int, score: int, handler: int | None, unit: str) -> None:
    with app.app_context():
        session = get_session()
        complaint = session.get(Complaint, complaint_id)
        assert complaint is not None
        session.add(
            CaseRating(
                complaint_id=complaint_id,
                worker_id=complaint.worker_id,
                score=score,
                handler_staff_id=handler,
                unit=unit,
                created_at=utcnow(),
            )
        )
        session.commit()


def test_recovery_counts_only_what_the_worker_confirmed(app: Flask, client: FlaskClient) -> None:
    wang = add_staff(app, "wang", "hotline")
    zhao = add_staff(app, "zhao", "hotline")
    a = resolved_case(app, "261101-0001", wang, None, ["paid"])
    resolved_case(app, "261101-0002", wang, None, ["unpaid", "asked"])  # reopened, asked again
    b = resolved_case(app, "261101-0003", zhao, None, ["paid"])
    resolved_case(app, "261101-0004", zhao, "市住建局", ["unconfirmed"])
    rating(app, a, 1, wang, "本局")
    rating(app, b, 3, zhao, "本局")
    with app.app_context():
        figures = outcome_figures(get_session())
    handlers = {row.name: row for row in figures.by_handler}
    assert (handlers["wang"].resolved, handlers["wang"].paid, handlers["wang"].unconfirmed) == (
        2,
        1,
        1,
    )
    assert handlers["wang"].recovery_rate == 50.0 and handlers["wang"].satisfaction == 100.0
    assert handlers["zhao"].recovery_rate == 50.0 and handlers["zhao"].satisfaction == 0.0
    units = {row.name: row for row in figures.by_unit}
    assert (units["本局"].resolved, units["本局"].paid) == (3, 2)
    assert units["市住建局"].recovery_rate == 0.0 and units["市住建局"].satisfaction is None
    login(client, "wang")
    page = client.get("/console/dashboard").get_data(as_text=True)
    assert "工人确认的追回与满意度" in page and "按办案人员" in page
    assert "市住建局" in page and "50.0%" in page


def test_empty_dashboard_says_no_data(app: Flask, client: FlaskClient) -> None:
    add_staff(app, "wang", "hotline")
    login(client, "wang")
    page = client.get("/console/dashboard").get_data(as_text=True)
    assert 'id="outcomes"' in page and "暂无数据" in page
