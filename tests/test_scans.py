"""Scans: recording each arrival through a site code, and the analytics over them."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from models import Scan, Site, Worker
from models.db import get_session
from sites import parse_site_command, record_scan
from sites.analytics import scan_report
from sites.scans import TYPED

from .site_data import add_site

NOW = datetime(2026, 3, 20, 4, 0, tzinfo=UTC)  # 12:00 in China


def add_worker(app: Flask, openid: str = "o_scan") -> int:
    with app.app_context():
        session = get_session()
        worker = Worker(openid=openid)
        session.add(worker)
        session.commit()
        return worker.id


# --- record_scan ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "kind"),
    [("ZL-2026-001", "scan"), ("qrscene_ZL-2026-001", "subscribe"), ("zl-2026-001", "text")],
)
def test_a_known_code_returns_the_site_and_is_recorded(app: Flask, code: str, kind: str) -> None:
    site_id, worker_id = add_site(app), add_worker(app)
    with app.app_context():
        session = get_session()
        site = record_scan(session, code=code, worker_id=worker_id, kind=kind)
        session.commit()
        assert site is not None and site.id == site_id
        scan = session.scalars(select(Scan)).one()
        assert (scan.site_id, scan.worker_id, scan.scene, scan.kind, scan.known) == (
            site_id,
            worker_id,
            code,
            kind,
            True,
        )
        assert abs(scan.created_at - datetime.now(UTC)) < timedelta(minutes=1)


def test_unknown_and_inactive_codes_are_recorded_and_logged(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    inactive_id = add_site(app, code="OLD", active=False)
    worker_id = add_worker(app)
    caplog.set_level(logging.WARNING, logger="sites.scans")
    with app.app_context():
        session = get_session()
        assert record_scan(session, code="NOPE", worker_id=worker_id, kind="subscribe") is None
        assert record_scan(session, code="OLD", worker_id=worker_id, kind="scan") is None
        session.commit()
        scans = session.scalars(select(Scan).order_by(Scan.id)).all()
    assert [(s.site_id, s.scene, s.known) for s in scans] == [
        (None, "NOPE", False),
        (inactive_id, "OLD", False),
    ]
    assert "unknown site code 'NOPE'" in caplog.text and "inactive site code 'OLD'" in caplog.text


def test_a_typed_code_that_names_no_site_is_not_kept(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    worker_id = add_worker(app)
    caplog.set_level(logging.WARNING, logger="sites.scans")
    with app.app_context():
        session = get_session()
        assert record_scan(session, code="13912345678", worker_id=worker_id, kind="text") is None
        session.commit()
        [scan] = session.scalars(select(Scan)).all()
    assert (scan.scene, scan.kind, scan.known) == (TYPED, "text", False)
    assert "13912345678" not in caplog.text and f"unknown site code {TYPED}" in caplog.text


def test_record_scan_refuses_an_unknown_kind(app: Flask) -> None:
    worker_id = add_worker(app)
    with app.app_context(), pytest.raises(ValueError, match="kind"):
        record_scan(get_session(), code="A", worker_id=worker_id, kind="click")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("工地 ZL-01", "ZL-01"),
        ("工地ZL-01", "ZL-01"),
        ("工地：zl_01", "zl_01"),
        ("  工地\u3000A1  ", "A1"),
        ("工地: A1", "A1"),
        ("工地", None),
        ("工地 A1 欠我工资", None),
        ("我在工地干活", None),
        ("工地 工地", None),
    ],
)
def test_parse_site_command(text: str, code: str | None) -> None:
    assert parse_site_command(text) == code


# --- analytics --------------------------------------------------------------------------------


def scan_at(app: Flask, site_id: int | None, worker_id: int, when: datetime, scene: str) -> None:
    with app.app_context():
        session = get_session()
        session.add(
            Scan(
                site_id=site_id,
                worker_id=worker_id,
                scene=scene,
                kind="scan",
                known=site_id is not None,
                created_at=when,
            )
        )
        session.commit()


def backdate(app: Flask, site_id: int, when: datetime) -> None:
    with app.app_context():
        session = get_session()
        session.get_one(Site, site_id).created_at = when
        session.commit()


@pytest.fixture
def scanned(app: Flask) -> Flask:
    """Four sites: busy, silent for weeks, never scanned, new; plus an unknown code."""
    worker = add_worker(app)
    busy = add_site(app, code="BUSY")
    silent = add_site(app, code="SILENT")
    never = add_site(app, code="NEVER")
    add_site(app, code="NEW")
    add_site(app, code="CLOSED", active=False)
    for site_id in (busy, silent, never):
        backdate(app, site_id, NOW - timedelta(days=90))
    # 23:30 UTC on 18 March is 07:30 on 19 March in China: the day must follow China.
    scan_at(app, busy, worker, datetime(2026, 3, 18, 23, 30, tzinfo=UTC), "BUSY")
    scan_at(app, busy, worker, datetime(2026, 3, 19, 2, 0, tzinfo=UTC), "BUSY")
    scan_at(app, busy, worker, datetime(2026, 3, 18, 15, 59, tzinfo=UTC), "BUSY")
    scan_at(app, busy, worker, datetime(2026, 1, 5, 8, 0, tzinfo=UTC), "BUSY")
    scan_at(app, silent, worker, NOW - timedelta(days=20), "SILENT")
    scan_at(app, None, worker, NOW - timedelta(days=1), "TYPO")
    scan_at(app, None, worker, NOW - timedelta(days=2), "TYPO")
    return app


def test_scans_per_site_per_china_day(scanned: Flask) -> None:
    with scanned.app_context():
        report = scan_report(get_session(), now=NOW, days=30, silent_days=14)
    assert report["per_day"] == [
        {"code": "SILENT", "day": "2026-02-28", "scans": 1},
        {"code": "BUSY", "day": "2026-03-18", "scans": 1},
        {"code": "BUSY", "day": "2026-03-19", "scans": 2},
    ]
    assert report["unknown"] == [{"scene": "TYPO", "scans": 2}]


def test_first_scan_and_totals_per_site(scanned: Flask) -> None:
    with scanned.app_context():
        sites = {s["code"]: s for s in scan_report(get_session(), now=NOW)["sites"]}
    assert (sites["BUSY"]["first_scan"], sites["BUSY"]["last_scan"]) == ("2026-01-05", "2026-03-19")
    assert sites["BUSY"]["total_scans"] == 4
    assert (sites["NEVER"]["first_scan"], sites["NEVER"]["total_scans"]) == (None, 0)


def test_silent_sites_are_old_active_sites_without_recent_scans(scanned: Flask) -> None:
    with scanned.app_context():
        report = scan_report(get_session(), now=NOW, silent_days=14)
        assert [s["code"] for s in report["silent"]] == ["NEVER", "SILENT"]
        longer = scan_report(get_session(), now=NOW, silent_days=30)
        assert [s["code"] for s in longer["silent"]] == ["NEVER"]


def test_sites_scans_json(scanned: Flask, runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["sites", "scans", "--json", "--days", "3660"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert {"per_day", "sites", "silent", "unknown", "days", "silent_days"} <= report.keys()
    assert report["days"] == 3660
    assert {s["code"] for s in report["sites"]} == {"BUSY", "SILENT", "NEVER", "NEW", "CLOSED"}
    text = runner.invoke(args=["sites", "scans"]).output
    assert "BUSY" in text and "告示牌可能缺失" in text
