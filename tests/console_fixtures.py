"""Helpers of the console tests: staff accounts, logged-in clients, filed complaints."""

from __future__ import annotations

import functools
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from cases.collective import collective_of, link_new
from console.auth import hash_password
from models import Complaint, Message, Site, StaffUser, StatusChange, Worker
from models.db import get_session
from tests.site_data import FULL_SITE

PASSWORD = "correct-horse-battery"
ROLES = ("admin", "hotline", "site_manager")
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@functools.cache
def _password_hash() -> str:
    # argon2 is slow on purpose: hash the shared test password once per session.
    return hash_password(PASSWORD)


def add_staff(app: Flask, username: str, role: str, site_codes: tuple[str, ...] = ()) -> int:
    """Store a staff account with :data:`PASSWORD`; return its id."""
    with app.app_context():
        session = get_session()
        user = StaffUser(username=username, password_hash=_password_hash(), role=role)
        user.sites = [session.query(Site).filter_by(code=code).one() for code in site_codes]
        session.add(user)
        session.commit()
        return user.id


def add_site(app: Flask, code: str, **overrides: Any) -> int:
    """Store a complete site under ``code``; return its id."""
    with app.app_context():
        session = get_session()
        site = Site(**{**FULL_SITE, "code": code, **overrides})
        session.add(site)
        session.commit()
        return site.id


def csrf_token(client: FlaskClient, url: str) -> str:
    """The CSRF token on the page at ``url``."""
    page = client.get(url)
    match = _CSRF.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {url} ({page.status_code})"
    return match.group(1)


def login(client: FlaskClient, username: str, password: str = PASSWORD) -> Any:
    """Log in through the form, as a browser would."""
    token = csrf_token(client, "/console/login")
    return client.post(
        "/console/login", data={"username": username, "password": password, "csrf_token": token}
    )


def add_complaint(
    app: Flask,
    case_no: str = "AX20261120001",
    *,
    openid: str | None = None,
    site_id: int | None = None,
    submitted: datetime | None = None,
    last_inbound: datetime | None = None,
    **fields: Any,
) -> int:
    """Store a worker with one submitted complaint; return the complaint id."""
    submitted = submitted or datetime.now(UTC)
    with app.app_context():
        session = get_session()
        worker = Worker(openid=openid or f"o_{case_no}", last_inbound_at=last_inbound)
        session.add(worker)
        session.flush()
        values: dict[str, Any] = {
            "employer": "常州恒力劳务有限公司",
            "project_name": "新城花园三期",
            "amount_owed": Decimal("35000"),
            "headcount": 5,
            "contact_name": "张三",
            "contact_phone": "13812345678",
            "id_number": "320402199001011234",
            "period_text": "三个月",
            "work_type": "木工",
        }
        values.update(fields)
        complaint = Complaint(
            case_no=case_no,
            worker_id=worker.id,
            site_id=site_id,
            status=values.pop("status", "submitted"),
            submitted_at=submitted,
            created_at=submitted,
            **values,
        )
        session.add(complaint)
        session.flush()
        session.add(StatusChange(complaint_id=complaint.id, to_status="submitted", note="提交"))
        session.add(
            Message(
                worker_id=worker.id,
                direction="in",
                msg_type="text",
                content="老板欠我们五个人三万五",
                intent="report_arrears",
                confidence=0.93,
                nlu_source="rasa",
            )
        )
        session.commit()
        return complaint.id


def days_ago(n: float) -> datetime:
    """An aware UTC time ``n`` days ago."""
    return datetime.now(UTC) - timedelta(days=n)


def long_ago() -> datetime:
    """A submission time whose every deadline has passed."""
    return datetime(2026, 1, 5, 2, 0, tzinfo=UTC)


def link_all(app: Flask, *ids: int) -> str:
    """Link the complaints into one collective case; return its number."""
    with app.app_context():
        session = get_session()
        for complaint_id in ids:
            link_new(session, session.get_one(Complaint, complaint_id))
        session.commit()
        found = collective_of(session, ids[0])
        assert found is not None
        return found.collective_no
