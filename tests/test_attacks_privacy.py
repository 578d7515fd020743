"""Security review (issue 14): personal data at rest, start-up settings, operations endpoints
and the pinned dependency set. Each test reproduces one finding; ``pytest -m security``."""

from __future__ import annotations

import re
import time
import tomllib
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from flask import Flask
from flask.testing import FlaskCliRunner
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from sqlalchemy import func, select, text

from app import create_app
from cases import deadlines
from cases.columns import fit_columns
from cases.deadlines import case_clocks, china_day
from config import ConfigError, load_config
from models import (
    CaseWork,
    Complaint,
    ConversationState,
    Evidence,
    Message,
    StatusChange,
    Worker,
)
from models.crypto import Keyring, bind_keyring
from models.db import get_session
from models.masking import mask_numbers
from ops.collectors import CLOCK_LABELS, overdue_counts
from tests.conftest import ROOT, base_config
from tests.console_fixtures import add_complaint, long_ago

pytestmark = pytest.mark.security

PHONE = "13912345678"
ID_NUMBER = "11010519491231002X"
STRONG = {
    "ANXIN_ENV": "production",
    "SECRET_KEY": "k" * 40,
    "WECHAT_TOKEN": "t",
    "WECHAT_APPID": "wx1234",
    "WECHAT_SECRET": "sec",
    "WECHAT_ENCODING_AES_KEY": "k" * 43,
    "DATA_KEY": "cHJvZHVjdGlvbi10ZXN0LWtleS1wcm9kdWN0aW9uLTE=",
}


def ago(days: float) -> datetime:
    return datetime.now(UTC) - timedelta(days=days)


def leaks(stored: str) -> list[str]:
    """Five or more consecutive digits of PHONE or ID_NUMBER found in ``stored``."""
    digits = re.sub(r"[\s\-]", "", stored)
    return [
        number[i : i + 5]
        for number in (PHONE, ID_NUMBER)
        for i in range(len(number) - 4)
        if number[i : i + 5] in digits
    ]


# --- 5. phone and ID numbers in plaintext columns -------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("13912345678", "139****5678"),
        ("电话 139 1234 5678 找我", "电话 139****5678 找我"),
        ("139-1234-5678", "139****5678"),
        ("+86 139 1234 5678", "139****5678"),
        ("１３９１２３４５６７８", "139****5678"),
        ("身份证11010519491231002x", "身份证**************002X"),
        ("110105 19491231 002X", "**************002X"),
        ("老身份证110105491231002号", "老身份证***********1002号"),
        ("13912345678、13812345678", "139****5678、138****5678"),
        ("1391234567813812345678", "******************5678"),
    ],
)
def test_phone_and_id_numbers_in_free_text_are_masked(typed: str, stored: str) -> None:
    assert mask_numbers(typed) == stored


@pytest.mark.parametrize(
    "typed", ["欠了120000元", "2023-01至2023-05", "ZL-01 紫荆苑3期", "干了3个月", "139****5678"]
)
def test_other_numbers_are_left_as_typed(typed: str) -> None:
    assert mask_numbers(typed) == typed


@pytest.mark.parametrize("unit", ["1", "1 ", "139 ", "86", "1-", "１"])
def test_masking_time_is_linear_in_the_text(unit: str) -> None:
    """An adversarial answer (a long run of digits) costs microseconds per character."""
    text_ = unit * (200_000 // len(unit))
    started = time.perf_counter()
    mask_numbers(text_)
    assert time.perf_counter() - started < 1.0  # a quadratic pattern takes minutes here


def test_plaintext_columns_never_hold_a_phone_or_id_number(app: Flask) -> None:
    """What the queue, exports, API and dashboard read is masked; flags keep the original."""
    with app.app_context():
        session = get_session()
        worker = Worker(openid="o_leak")
        session.add(worker)
        session.flush()
        session.add(
            Complaint(
                case_no="261201-0001",
                worker_id=worker.id,
                status="submitted",
                employer=f"我的身份证{ID_NUMBER}",
                contractor=f"包工头 {PHONE[:3]} {PHONE[3:7]} {PHONE[7:]}",
                project_name=f"工地电话{PHONE}",
                work_type=ID_NUMBER,
                period_text=f"{PHONE[:3]}-{PHONE[3:7]}-{PHONE[7:]}",
                work_content=f"联系{PHONE}",
                flags={"employer": f"我的身份证{ID_NUMBER}"},
            )
        )
        session.commit()
        columns = "employer, contractor, project_name, work_type, period_text, work_content"
        raw = session.execute(text(f"SELECT {columns} FROM complaint")).one()
        assert all(value for value in raw)
        assert leaks(" | ".join(raw)) == []
        complaint = session.scalars(select(Complaint)).one()
        assert complaint.employer == "我的身份证**************002X"
        assert complaint.flags == {"employer": f"我的身份证{ID_NUMBER}"}


def test_a_long_answer_is_masked_before_it_is_cut_to_the_column() -> None:
    """The cut at 200 characters must not leave the first digits of a phone unmasked."""
    answer = "某" * 190 + PHONE + "尾" * 20
    fitted = fit_columns({"employer": answer})["employer"]
    assert len(fitted) <= 200 and fitted.endswith("…")
    assert leaks(fitted) == []


def test_retention_masks_numbers_left_in_rows_stored_before_masking(
    app: Flask, runner: FlaskCliRunner
) -> None:
    with app.app_context():
        session = get_session()
        worker = Worker(openid="o_old")
        session.add(worker)
        session.flush()
        complaint = Complaint(case_no="A-1", worker_id=worker.id, status="closed")
        session.add(complaint)
        session.flush()
        closed = StatusChange(complaint_id=complaint.id, to_status="closed", created_at=ago(400))
        session.add(closed)
        # A row written by an older version, around the model's validator.
        session.execute(text("UPDATE complaint SET employer = :value"), {"value": f"老板{PHONE}"})
        session.commit()
    result = runner.invoke(args=["retention", "purge", "--days", "365"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        stored = get_session().execute(text("SELECT employer FROM complaint")).scalar_one()
    assert stored == "老板139****5678"


# --- 7. workers who never filed a case -------------------------------------------------------


def _worker_with_messages(openid: str, *days: float, state_days: float | None = None) -> Worker:
    session = get_session()
    worker = Worker(openid=openid)
    session.add(worker)
    session.flush()
    for age in days:
        session.add(
            Message(
                worker_id=worker.id,
                direction="in",
                msg_type="text",
                content=f"我叫张三{PHONE}",
                created_at=ago(age),
            )
        )
    if state_days is not None:
        form = {"values": {"contact_name": "张三", "phone": PHONE}}
        session.add(
            ConversationState(worker_id=worker.id, state={"form": form}, updated_at=ago(state_days))
        )
    session.flush()
    return worker


def _count(model: Any, worker_id: int) -> int:
    query = select(func.count()).select_from(model).where(model.worker_id == worker_id)
    return int(get_session().scalar(query) or 0)


def test_workers_who_never_filed_are_purged_once_silent_for_the_period(
    app: Flask, runner: FlaskCliRunner
) -> None:
    with app.app_context():
        session = get_session()
        silent = _worker_with_messages("o_silent", 420, 380, state_days=380)
        photo = Message(
            worker_id=silent.id,
            direction="in",
            msg_type="image",
            media_id="m1",
            created_at=ago(390),
        )
        session.add(photo)
        session.flush()
        session.add(Evidence(message_id=photo.id, kind="image", download_status="failed"))
        recent = _worker_with_messages("o_recent", 400, 10)
        waiting = _worker_with_messages("o_waiting", 400, state_days=5)
        session.commit()
        ids = silent.id, recent.id, waiting.id
    result = runner.invoke(args=["retention", "purge", "--days", "365"])
    assert result.exit_code == 0, result.output
    assert "删除消息 3 条、会话状态 1 个、证据 1 条" in result.output
    assert "其中从未投诉的工人 1 名" in result.output
    with app.app_context():
        assert _count(Message, ids[0]) == 0 and _count(ConversationState, ids[0]) == 0
        assert get_session().scalar(select(func.count()).select_from(Evidence)) == 0
        assert _count(Message, ids[1]) == 2  # wrote ten days ago: the whole chat stays
        assert _count(Message, ids[2]) == 1 and _count(ConversationState, ids[2]) == 1


# --- 12. production settings ------------------------------------------------------------------


def test_production_spelled_with_capitals_is_production(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="SECRET_KEY: must be set in production"):
        load_config(str(tmp_path), {"ANXIN_ENV": "Production"}, environ={})
    config = load_config(str(tmp_path), {**STRONG, "ANXIN_ENV": " PRODUCTION "}, environ={})
    assert config["ANXIN_ENV"] == "production"


@pytest.mark.parametrize("name", ["prod", "staging", "production2", ""])
def test_an_unknown_environment_is_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(ConfigError, match="ANXIN_ENV: unknown environment"):
        load_config(str(tmp_path), {"ANXIN_ENV": name}, environ={})


@pytest.mark.parametrize("key", ["a", "short-but-not-default", "x" * 31])
def test_production_refuses_a_weak_secret_key(tmp_path: Path, key: str) -> None:
    with pytest.raises(ConfigError, match="SECRET_KEY: must be at least 32 characters"):
        load_config(str(tmp_path), {**STRONG, "SECRET_KEY": key}, environ={})


# --- 13. /metrics and /readyz -----------------------------------------------------------------


def test_metrics_are_closed_in_production_without_a_token(tmp_path: Path) -> None:
    settings = {
        **STRONG,
        "DATABASE_URL": f"sqlite:///{tmp_path}/m.sqlite",
        "RASA_URL": "http://127.0.0.1:9",
    }
    closed = create_app(settings)
    response = closed.test_client().get("/metrics")
    assert response.status_code == 503 and b"METRICS_TOKEN" in response.data
    opened = create_app({**settings, "METRICS_TOKEN": "m" * 32})
    headers = {"Authorization": "Bearer " + "m" * 32}
    assert opened.test_client().get("/metrics", headers=headers).status_code == 200
    for app in (closed, opened):
        app.extensions["db"].engine.dispose()


def test_a_scrape_decrypts_no_personal_data(app: Flask) -> None:
    """Counted in SQL: even with a key that opens nothing, the overdue figures come out."""
    add_complaint(app, "AX1", submitted=long_ago())
    add_complaint(app, "AX2")
    bind_keyring(app.extensions["db"].engine, Keyring([Fernet.generate_key()]))
    response = app.test_client().get("/metrics")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert 'anxin_complaints_overdue{clock="first_contact"} 1.0' in body
    assert "anxin_metrics_database_up 1.0" in body


def test_sql_overdue_counts_agree_with_the_console_clocks(app: Flask) -> None:
    """Over a year of filings (Spring Festival, National Day), statuses and clock states."""
    statuses = ["submitted", "accepted", "assigned", "mediating", "transferred", "closed"]
    with app.app_context():
        session = get_session()
        worker = Worker(openid="o_many")
        session.add(worker)
        session.flush()
        for n in range(60):
            filed = datetime(2025, 9, 1, 1, 30, tzinfo=UTC) + timedelta(days=7 * n, hours=n % 24)
            day = china_day(filed)
            stored = n % 4 != 0  # some rows carry no deadline: counted from the filing day
            complaint = Complaint(
                case_no=f"X-{n}",
                worker_id=worker.id,
                status=statuses[n % len(statuses)],
                submitted_at=filed,
                accept_by=deadlines.accept_by(day) if stored else None,
                investigate_by=deadlines.investigate_by(day) if stored else None,
            )
            session.add(complaint)
            session.flush()
            if n % 3:
                contacted = filed + timedelta(days=1) if n % 3 == 1 else None
                session.add(
                    CaseWork(
                        complaint_id=complaint.id, first_contact_at=contacted, extended=n % 5 == 0
                    )
                )
        session.commit()
        cases = session.execute(
            select(Complaint, CaseWork).outerjoin(CaseWork, CaseWork.complaint_id == Complaint.id)
        ).all()
        for now in (
            datetime(2026, 2, 13, 3, tzinfo=UTC),
            datetime(2026, 2, 25, 17, tzinfo=UTC),  # already the 26th in China
            datetime(2026, 6, 1, 8, tzinfo=UTC),
            datetime(2026, 10, 9, 2, tzinfo=UTC),
            datetime(2027, 1, 4, 2, tzinfo=UTC),
        ):
            expected = dict.fromkeys(CLOCK_LABELS.values(), 0)
            for complaint, work in cases:
                clocks = case_clocks(complaint, work)
                if clocks.overdue(china_day(now)):
                    expected[CLOCK_LABELS[clocks.next_label or ""]] += 1
            assert overdue_counts(session, now) == expected, now
            assert sum(expected.values()) > 0


def test_readyz_names_no_url_or_credential(database_urls: dict[str, str]) -> None:
    url = "http://anxin:s3cret@127.0.0.1:9/rasa"
    app = create_app({**base_config(database_urls["sqlite"]), "RASA_URL": f"{url},{url}2"})
    body = app.test_client().get("/readyz").get_data(as_text=True)
    app.extensions["db"].engine.dispose()
    for secret in ("s3cret", "anxin:", "127.0.0.1", "http"):
        assert secret not in body
    assert '"rasa 1"' in body and '"rasa 2"' in body


# --- Also: the pinned dependency set ----------------------------------------------------------


def _constraints() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = line.split("==")
            assert canonicalize_name(name) not in pins, f"{name} pinned twice"
            pins[canonicalize_name(name)] = version
    return pins


def _requirements(dist: str, extras: set[str]) -> list[Requirement]:
    found = []
    for raw in metadata.requires(dist) or []:
        requirement = Requirement(raw)
        marker = requirement.marker
        if marker is None or any(marker.evaluate({"extra": e}) for e in extras or {""}):
            found.append(requirement)
    return found


def test_the_whole_resolved_dependency_set_is_pinned() -> None:
    """Everything the app and its dev extra pull in is in constraints.txt at the version
    installed here, and both installs (make install, the Docker build) use the file."""
    pins = _constraints()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for raw in project["dependencies"] + project["optional-dependencies"]["dev"]:
        requirement = Requirement(raw)
        assert pins.get(canonicalize_name(requirement.name)) in {
            spec.version for spec in requirement.specifier
        }, f"pyproject pins {raw}, constraints.txt does not agree"
    todo, seen = [("anxin", {"dev"})], set()
    while todo:
        dist, extras = todo.pop()
        for requirement in _requirements(dist, extras):
            name = canonicalize_name(requirement.name)
            assert name in pins, f"{name} (needed by {dist}) is not in constraints.txt"
            assert metadata.version(name) == pins[name], f"{name} installed is not the pin"
            if (name, frozenset(requirement.extras)) not in seen:
                seen.add((name, frozenset(requirement.extras)))
                todo.append((name, set(requirement.extras)))
    assert len({name for name, _ in seen}) == len(pins), "constraints.txt pins unused packages"
    assert "-c constraints.txt" in (ROOT / "Makefile").read_text()
    assert "-c constraints.txt" in (ROOT / "docker" / "Dockerfile").read_text()
    assert "bash .ci/audit" in (ROOT / ".ci" / "run").read_text()


def test_amounts_stay_exact_after_masking(app: Flask) -> None:
    """Masking touches text columns only: the figures staff and the dashboard use are kept."""
    complaint_id = add_complaint(app, "AX9", employer=f"老板{PHONE}", amount_owed=Decimal("35000"))
    with app.app_context():
        complaint = get_session().get(Complaint, complaint_id)
        assert complaint is not None
        assert complaint.employer == "老板139****5678"
        assert complaint.amount_owed == Decimal("35000") and complaint.headcount == 5
        assert complaint.contact_phone == "13812345678"  # encrypted: kept whole
