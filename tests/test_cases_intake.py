"""Cases from every channel: the shared field readers, filing, duplicates, employers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from flask import Flask
from sqlalchemy import select

from cases import employers
from cases.fields import FIELDS, columns, display, read_fields
from cases.intake import EMPLOYER_FLAG, file_report, sms_text, sources_of
from models import Complaint, StatusChange
from models.db import get_session
from models.employer import Employer
from tests.console_fixtures import add_complaint

TODAY = date(2026, 12, 3)
CALL = {
    "site": "紫荆苑工地",
    "employer": "老板王德发(德发建筑劳务公司)",
    "amount": "三万多",
    "headcount": "十几个人",
    "period": "今年8月到10月",
    "work_type": "木工",
    "contact_name": "张三",
    "phone": "138 1234 5678",
}


def test_fields_are_the_bot_slots_plus_the_staff_only_ones() -> None:
    from bot import slots

    names = [f.name for f in FIELDS]
    assert names[: len(slots.SLOTS)] == [s.name for s in slots.SLOTS]
    assert names[len(slots.SLOTS) :] == ["id_number", "description"]
    assert {f.name for f in FIELDS if f.required} == {"employer", "amount", "phone"}


def test_staff_text_is_read_as_the_bot_reads_a_worker(app: Flask) -> None:
    reading = read_fields(CALL, TODAY, None)
    assert reading.ok, reading.errors
    now = datetime(2026, 12, 3, 2, tzinfo=UTC)
    values = columns(reading, app.config, now, TODAY)
    assert values["employer"] == "德发建筑劳务公司" and values["contractor"] == "王德发"
    assert values["amount_owed"] == Decimal(30000) and values["amount_approximate"]
    assert values["headcount"] == 10 and values["is_group"]  # 10+ workers: urgent
    assert values["contact_phone"] == "13812345678" and values["project_name"] == "紫荆苑工地"
    assert values["period_start"] == date(2026, 8, 1) and values["period_end"] == date(2026, 10, 31)
    assert values["accept_by"] > TODAY and values["submitted_at"] == now
    assert display(reading)["欠款金额"] == "30,000元左右"


@pytest.mark.parametrize(
    ("raw", "field", "why"),
    [
        ({**CALL, "amount": ""}, "amount", "必填"),
        ({**CALL, "phone": "12345"}, "phone", "无法识别"),
        ({**CALL, "amount": "很多钱"}, "amount", "无法识别"),
        ({**CALL, "id_number": "320402199001011235"}, "id_number", "校验位"),
    ],
)
def test_unreadable_or_missing_fields_are_errors(raw: dict[str, str], field: str, why: str) -> None:
    reading = read_fields(raw, TODAY, None)
    assert field in reading.errors and why in reading.errors[field]


def test_not_known_in_a_required_field_is_kept_and_flagged(app: Flask) -> None:
    reading = read_fields({**CALL, "employer": "不清楚"}, TODAY, None)
    assert reading.ok
    assert reading.values["employer"] == "不详" and reading.flags == {"employer": "不详"}
    values = columns(reading, app.config, datetime(2026, 12, 3, tzinfo=UTC), TODAY)
    assert values["employer"] is None and values["flags"] == {"employer": "不详"}


def test_employer_names_are_matched_after_normalisation() -> None:
    key = employers.employer_key
    assert (
        key("德发建筑劳务公司")
        == key("老板王德发(德发建筑劳务公司)")
        == key("德发建筑劳务有限公司")
    )
    assert key("常州恒力劳务有限公司") != key("德发建筑劳务公司")
    assert key("包工头王德发") == "王德发"
    assert key("老板") is None and key("不详") is None and key("") is None


def _file(app: Flask, raw: dict[str, str], channel: str = "12345", ref: str | None = "A1"):
    with app.app_context():
        session = get_session()
        filed = file_report(
            session, read_fields(raw, TODAY, None), channel=channel, reference=ref,
            config=app.config,
        )  # fmt: skip
        session.commit()
        return filed.complaint.case_no, filed.linked, filed.warning


def test_a_hotline_case_is_numbered_with_its_channel_and_source(app: Flask) -> None:
    case_no, linked, warning = _file(app, CALL)
    assert not linked and warning is None
    with app.app_context():
        c = get_session().scalar(select(Complaint).where(Complaint.case_no == case_no))
        assert c is not None and c.channel == "12345" and c.status == "submitted"
        assert c.is_group and c.amount_owed == Decimal("30000") and c.contact_phone == "13812345678"
        assert c.employer_record is not None and c.employer_record.key == "德发建筑劳务"
        assert sources_of(c) == [{"channel": "12345", "reference": "A1"}]
        assert c.worker.last_inbound_at is None  # notices ask staff to phone instead
        assert case_no in sms_text(c)
        history = get_session().scalars(
            select(StatusChange).where(StatusChange.complaint_id == c.id)
        )
        assert [h.note for h in history] == ["经12345热线登记"]


def test_same_phone_and_employer_within_60_days_is_linked_not_filed(app: Flask) -> None:
    first, _, _ = _file(app, CALL)
    again, linked, _ = _file(app, {**CALL, "employer": "德发建筑劳务有限公司"}, "national", "N9")
    assert linked and again == first
    other, linked, warning = _file(app, {**CALL, "phone": "13900001111"}, "12345", "A2")
    assert not linked and other != first
    assert warning is not None and "已有1件" in warning  # a repeat employer is flagged
    with app.app_context():
        session = get_session()
        assert session.scalar(select(Complaint).where(Complaint.case_no == other)).flags == {
            EMPLOYER_FLAG: warning
        }
        c = session.scalar(select(Complaint).where(Complaint.case_no == first))
        assert sources_of(c) == [
            {"channel": "12345", "reference": "A1"},
            {"channel": "national", "reference": "N9"},
        ]


def test_an_old_case_is_not_a_duplicate(app: Flask) -> None:
    add_complaint(
        app, "251001-0001", employer="德发建筑劳务公司", contact_phone="13812345678",
        submitted=datetime.now(UTC) - timedelta(days=61),
    )  # fmt: skip
    with app.app_context():
        employers.link_unlinked(get_session())
        get_session().commit()
    _case, linked, warning = _file(app, CALL)
    assert not linked and warning is not None


def test_a_wechat_case_is_found_as_duplicate_once_linked(app: Flask) -> None:
    add_complaint(app, "261201-0001", employer="德发建筑劳务公司", contact_phone="13812345678")
    with app.app_context():
        assert employers.link_unlinked(get_session()) == 1
        get_session().commit()
    case_no, linked, _ = _file(app, CALL)
    assert linked and case_no == "261201-0001"


def test_blacklist_is_flagged_and_merge_moves_cases(app: Flask) -> None:
    add_complaint(app, "261201-0001", employer="恒力劳务", contact_phone="13700000000")
    case_no, _, _ = _file(app, CALL)
    with app.app_context():
        session = get_session()
        employers.link_unlinked(session)
        hengli = session.scalar(select(Employer).where(Employer.key == "恒力劳务"))
        defa = session.scalar(select(Employer).where(Employer.key == "德发建筑劳务"))
        assert hengli and defa
        hengli.blacklisted = True
        assert employers.merge(session, defa, hengli) == 1
        with pytest.raises(ValueError):
            employers.merge(session, hengli, defa)  # would close a loop
        session.commit()
        assert employers.employer_for(session, "德发建筑劳务公司") == hengli
        assert [s.cases for s in employers.summaries(session)] == [2]
    _case, _, warning = _file(app, {**CALL, "phone": "13600000000"}, "12345", "A3")
    assert warning is not None and "黑名单" in warning and "已有2件" in warning


def test_purge_forgets_what_linked_reports_said(app: Flask) -> None:
    from models.complaint import ComplaintSource

    first, _, _ = _file(app, CALL)
    _file(app, CALL, "national", "N1")  # the same worker again: linked
    long_ago = datetime.now(UTC) - timedelta(days=400)
    with app.app_context():
        session = get_session()
        case = session.scalar(select(Complaint).where(Complaint.case_no == first))
        assert case is not None
        case.status = "closed"
        session.add(StatusChange(complaint_id=case.id, to_status="closed", created_at=long_ago))
        session.commit()
        assert all(s.details.get("contact_phone") for s in case.sources)
    result = app.test_cli_runner().invoke(args=["retention", "purge", "--days", "365"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        sources = get_session().scalars(select(ComplaintSource)).all()
        assert [s.reference for s in sources] == ["A1", "N1"]  # where it came from stays
        assert [s.details for s in sources] == [{}, {}]
