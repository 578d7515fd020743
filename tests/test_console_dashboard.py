"""The dashboard: counts, amounts, medians and server-rendered SVG charts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from flask import Flask
from flask.testing import FlaskClient

from console.dashboard import bar_chart
from models import Complaint, StatusChange
from models.db import get_session
from tests.console_fixtures import add_complaint, add_staff, login


def test_dashboard_figures(app: Flask, client: FlaskClient) -> None:
    start = datetime(2026, 11, 2, 2, tzinfo=UTC)
    first = add_complaint(app, "AX1", submitted=start, employer="恒力劳务")
    add_complaint(app, "AX2", submitted=start, employer="恒力劳务", amount_owed=Decimal("5000"))
    add_complaint(app, "AX3", submitted=start + timedelta(days=7), employer="远大幕墙")
    with app.app_context():
        session = get_session()
        complaint = session.get(Complaint, first)
        assert complaint is not None
        complaint.status, complaint.amount_recovered = "resolved", Decimal("20000")
        session.add(
            StatusChange(
                complaint_id=first,
                from_status="submitted",
                to_status="accepted",
                created_at=start + timedelta(days=2),
            )
        )
        session.add(
            StatusChange(
                complaint_id=first,
                from_status="accepted",
                to_status="resolved",
                created_at=start + timedelta(days=6),
            )
        )
        session.commit()
    add_staff(app, "li", "hotline")
    login(client, "li")
    page = client.get("/console/dashboard").get_data(as_text=True)
    assert "75,000.00 元" in page and "20,000.00 元" in page
    assert "2.0 天" in page and "6.0 天" in page
    assert (
        page.count("<svg") == 4
        and "<script" not in page
        and "http" not in page.split("<main>")[1].replace("http://www.w3.org/2000/svg", "")
    )
    assert 'class="tag urgent repeat">恒力劳务<' in page and "远大幕墙<" in page
    assert "2026-11-02" in page and "2026-11-09" in page  # weeks start on Monday


def test_bar_chart_escapes_labels_and_highlights() -> None:
    svg = bar_chart([("<b>甲</b>", 3), ("乙", 1)], highlight_over=1)
    assert "&lt;b&gt;" in svg and "<b>" not in svg
    assert svg.count('class="bar hot"') == 1
    assert "暂无数据" in bar_chart([])
