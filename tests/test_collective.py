"""Collective cases (issue 19): linking on filing, the overlap rule, totals and the group
flag, linking and unlinking by hand, one action for all members, and the JSON contracts."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import requests
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from cases.collective import (
    collective_of,
    link_by_hand,
    link_new,
    link_recent,
    members,
    open_for_site,
    overlapping,
    totals,
    unlink,
)
from cases.columns import GroupThresholds
from cases.fields import read_fields
from cases.intake import file_report
from models import (
    CollectiveCase,
    Complaint,
    PaymentConfirmation,
    StatusChange,
)
from models.db import get_session
from models.employer import Employer
from tests.console_fixtures import add_complaint, add_site, add_staff, csrf_token, days_ago, login
from tests.scripts import TERSE
from webhooks.simulator import WeChatSimulator

TODAY = date(2026, 12, 3)
NOW = datetime(2026, 12, 3, 2, tzinfo=UTC)


def report(phone: str, name: str, amount: str = "四万", period: str = "今年8月到10月") -> dict:
    """One worker's call about 德发建筑劳务公司: three workers each, so no call alone is a
    group case (the thresholds are 10 workers or 100,000 yuan)."""
    return {
        "employer": "德发建筑劳务公司",
        "amount": amount,
        "headcount": "3个人",
        "period": period,
        "work_type": "木工",
        "contact_name": name,
        "phone": phone,
    }


def file(app: Flask, raw: dict[str, str]) -> Complaint:
    """File a staff-registered report (the intake path) and commit it."""
    reading = read_fields(raw, TODAY, None)
    assert reading.ok, reading.errors
    session = get_session()
    filed = file_report(session, reading, channel="12333", reference=None, config=app.config)
    session.commit()
    assert not filed.linked
    return filed.complaint


def thresholds(app: Flask) -> GroupThresholds:
    return GroupThresholds.from_config(app.config)


def test_three_workers_filing_separately_become_one_urgent_collective_case(app: Flask) -> None:
    with app.app_context():
        session = get_session()
        first = file(app, report("13800000001", "张一"))
        assert collective_of(session, first.id) is None  # alone: no collective case yet
        second = file(app, report("13800000002", "张二"))
        third = file(app, report("13800000003", "张三"))
        assert not any(c.is_group for c in (first, second, third))
        collective = collective_of(session, third.id)
        assert collective is not None and collective_of(session, first.id) is collective
        assert collective.collective_no == f"Q{first.case_no}"
        assert [c.case_no for c in members(session, collective)] == [
            first.case_no,
            second.case_no,
            third.case_no,
        ]
        sums = totals(session, collective, thresholds(app))
        assert (sums.members, sums.headcount, sums.amount_owed) == (3, 9, Decimal(120000))
        # 9 workers is under 10, but 120,000 yuan crosses 100,000: urgent together.
        assert sums.is_group


def test_totals_under_both_thresholds_are_not_urgent(app: Flask) -> None:
    with app.app_context():
        session = get_session()
        file(app, report("13800000001", "张一", amount="一万"))
        second = file(app, report("13800000002", "张二", amount="一万"))
        collective = collective_of(session, second.id)
        assert collective is not None
        sums = totals(session, collective, thresholds(app))
        assert (sums.headcount, sums.amount_owed, sums.is_group) == (6, Decimal(20000), False)


def test_other_months_of_the_same_employer_stay_apart(app: Flask) -> None:
    with app.app_context():
        session = get_session()
        file(app, report("13800000001", "张一", period="2025年1月到3月"))
        later = file(app, report("13800000002", "张二", period="今年8月到10月"))
        assert collective_of(session, later.id) is None


def complaint(filed: datetime, start: date | None = None, end: date | None = None) -> Complaint:
    return Complaint(submitted_at=filed, created_at=filed, period_start=start, period_end=end)


def test_overlap_rule() -> None:
    aug_oct = complaint(NOW, date(2026, 8, 1), date(2026, 10, 31))
    assert overlapping(aug_oct, complaint(NOW, date(2026, 10, 1), date(2026, 11, 30)))
    assert not overlapping(aug_oct, complaint(NOW, date(2026, 11, 1), date(2026, 11, 30)))
    # An open end runs to the day it was filed.
    assert overlapping(aug_oct, complaint(NOW, date(2026, 6, 1)))
    assert not overlapping(aug_oct, complaint(datetime(2026, 7, 20, tzinfo=UTC), date(2026, 7, 1)))
    # No period on one side: filed within 60 days of each other.
    assert overlapping(aug_oct, complaint(NOW - timedelta(days=59)))
    assert not overlapping(aug_oct, complaint(NOW - timedelta(days=61)))


def test_same_site_links_even_with_different_employers(app: Flask) -> None:
    site_id = add_site(app, "S-ZJY")
    first_id = add_complaint(app, "261203-0001", site_id=site_id, employer="甲公司")
    second_id = add_complaint(app, "261203-0002", site_id=site_id, employer="乙公司")
    other_site = add_site(app, "S-OTHER")
    third_id = add_complaint(app, "261203-0003", site_id=other_site, employer="丙公司")
    with app.app_context():
        session = get_session()
        assert link_new(session, session.get(Complaint, second_id)) is not None
        assert link_new(session, session.get(Complaint, third_id)) is None
        collective = collective_of(session, first_id)
        assert collective is not None and collective.site_id == site_id
        assert [c.id for c in members(session, collective)] == [first_id, second_id]


def test_merged_employer_names_are_one_employer(app: Flask) -> None:
    with app.app_context():
        session = get_session()
        target, alias = Employer(name="德发劳务", key="德发劳务"), Employer(name="德发", key="德发")
        session.add_all([target, alias])
        session.flush()
        alias.merged_into_id = target.id
        session.commit()
        ids = (target.id, alias.id)
    first = add_complaint(app, "261203-0001", employer_id=ids[0])
    second = add_complaint(app, "261203-0002", employer_id=ids[1])
    with app.app_context():
        session = get_session()
        assert link_new(session, session.get(Complaint, second)) is not None
        assert collective_of(session, first) is collective_of(session, second)


def test_the_sweep_links_cases_filed_elsewhere_and_respects_unlinking(app: Flask) -> None:
    site_id = add_site(app, "S-ZJY")
    staff_id = add_staff(app, "li", "hotline")
    ids = [add_complaint(app, f"261203-000{i}", site_id=site_id) for i in (1, 2, 3)]
    with app.app_context():
        session = get_session()
        # Filed by a path that does not link (the bot before its hook): the sweep does.
        assert link_recent(session) == 1  # the first links all three at once
        collective = collective_of(session, ids[0])
        assert collective is not None and len(members(session, collective)) == 3
        assert collective.collective_no == "Q261203-0001"  # the earliest filed names it
        unlink(session, collective, session.get(Complaint, ids[2]), staff_id)
        session.commit()
        assert link_recent(session) == 0
        assert collective_of(session, ids[2]) is None
        assert len(members(session, collective)) == 2


def hotline_with_three(app: Flask, client: FlaskClient) -> tuple[int, str]:
    """A logged-in hotline user and three recent cases at one site, linked."""
    staff_id = add_staff(app, "li", "hotline")
    site_id = add_site(app, "S-ZJY")
    for i, amount in enumerate(("30000", "20000", "10000"), start=1):
        add_complaint(
            app,
            f"261203-000{i}",
            site_id=site_id,
            last_inbound=days_ago(1 / 24),
            amount_owed=Decimal(amount),
            headcount=2,
        )
    with app.app_context():
        session = get_session()
        assert link_recent(session) == 1
        session.commit()
        collective = session.scalar(select(CollectiveCase))
        assert collective is not None
        no = collective.collective_no
    login(client, "li")
    return staff_id, no


def post(client: FlaskClient, url: str, path: str, **data: str) -> str:
    data["csrf_token"] = csrf_token(client, url)
    response = client.post(url + path, data=data, follow_redirects=True)
    assert response.status_code == 200
    client.application.extensions["jobs"].wait()
    return response.get_data(as_text=True)


def test_collective_page_shows_members_and_totals(app: Flask, client: FlaskClient) -> None:
    _staff, no = hotline_with_three(app, client)
    page = client.get(f"/console/collective/{no}").get_data(as_text=True)
    assert "261203-0001" in page and "261203-0003" in page
    assert "6人" in page and "60,000元" in page and 'id="urgent"' not in page
    case_page = client.get("/console/complaints/261203-0002").get_data(as_text=True)
    assert f"/console/collective/{no}" in case_page and "群体性·紧急" not in case_page
    assert no in client.get("/console/collective").get_data(as_text=True)


def test_one_action_moves_each_member_with_its_own_notice_and_payment_question(
    app: Flask, client: FlaskClient, fake_wechat: str
) -> None:
    staff_id, no = hotline_with_three(app, client)
    url = f"/console/collective/{no}"
    page = post(client, url, "/action", action="accept", note="材料齐全")
    assert "已处理3件" in page
    messages = requests.get(f"{fake_wechat}/_fake/sent", timeout=5).json()["messages"]
    assert sorted(m["touser"] for m in messages) == [f"o_261203-000{i}" for i in (1, 2, 3)]
    with app.app_context():
        session = get_session()
        ids = {c.case_no: c.id for c in session.scalars(select(Complaint))}
    amounts = {
        "amount-" + str(ids["261203-0001"]): "30000",
        "amount-" + str(ids["261203-0002"]): "",
    }
    amounts["amount-" + str(ids["261203-0003"])] = "10000"
    # A member without its amount stops the whole action: nothing is half resolved.
    page = post(client, url, "/action", action="resolve", **amounts)
    assert "261203-0002" in page and "追回金额" in page
    with app.app_context():
        statuses = set(get_session().scalars(select(Complaint.status)))
        assert statuses == {"accepted"}
    amounts["amount-" + str(ids["261203-0002"])] = "20000"
    post(client, url, "/action", action="resolve", **amounts)
    with app.app_context():
        session = get_session()
        cases = list(session.scalars(select(Complaint).order_by(Complaint.id)))
        assert [c.status for c in cases] == ["resolved"] * 3
        assert [c.amount_recovered for c in cases] == [
            Decimal(30000),
            Decimal(20000),
            Decimal(10000),
        ]
        asked = set(session.scalars(select(PaymentConfirmation.complaint_id)))
        assert asked == {c.id for c in cases}  # each worker confirms their own payment
        notes = [
            h.note
            for h in session.scalars(select(StatusChange).where(StatusChange.staff_id == staff_id))
        ]
        assert len(notes) == 6 and all(no in (n or "") for n in notes)


def test_staff_unlink_and_link_by_hand(app: Flask, client: FlaskClient) -> None:
    _staff, no = hotline_with_three(app, client)
    url = f"/console/collective/{no}"
    page = post(client, url, "/unlink/261203-0003")
    assert "移出" in page
    add_complaint(app, "261203-0009", employer="别的公司")
    page = post(client, url, "/link", other="261203-0009")
    assert "已将案件261203-0009关联" in page
    with app.app_context():
        session = get_session()
        collective = session.scalar(select(CollectiveCase))
        assert collective is not None
        assert [c.case_no for c in members(session, collective)] == [
            "261203-0001",
            "261203-0002",
            "261203-0009",
        ]
    # Another collective case's member cannot be linked twice.
    page = post(client, url, "/link", other="261203-0001")
    assert "已在本群体性案件中" in page


def test_json_contracts(app: Flask, runner: FlaskCliRunner, client: FlaskClient) -> None:
    _staff, no = hotline_with_three(app, client)
    result = runner.invoke(args=["collective", "show", no, "--json"])
    assert result.exit_code == 0, result.output
    item = json.loads(result.output)
    assert item == {
        "collective_no": no,
        "members": ["261203-0001", "261203-0002", "261203-0003"],
        "headcount": 6,
        "amount_owed": 60000,
        "is_group": False,
    }
    shown = json.loads(runner.invoke(args=["complaints", "show", "261203-0002", "--json"]).output)
    assert shown["collective_no"] == no
    add_complaint(app, "261203-0009", employer="别的公司", site_id=None)
    alone = json.loads(runner.invoke(args=["complaints", "show", "261203-0009", "--json"]).output)
    assert alone["collective_no"] is None


def test_a_case_taken_out_may_start_another_collective_case(app: Flask) -> None:
    staff_id = add_staff(app, "li", "hotline")
    site_id = add_site(app, "S-ZJY")
    first, second = (add_complaint(app, f"261203-000{i}", site_id=site_id) for i in (1, 2))
    other = add_complaint(app, "261203-0009", employer="别的公司")
    with app.app_context():
        session = get_session()
        collective = link_new(session, session.get(Complaint, second))
        assert collective is not None and collective.collective_no == "Q261203-0001"
        unlink(session, collective, session.get(Complaint, first), staff_id)
        again = link_by_hand(
            session, None, session.get(Complaint, first), session.get(Complaint, other), staff_id
        )
        session.commit()
        assert again.collective_no == "Q261203-0001-2"
        assert [c.id for c in members(session, again)] == [first, other]


def test_workers_filing_through_the_bot_are_linked_on_submission(
    app: Flask, client: FlaskClient, simulator: WeChatSimulator
) -> None:
    # Three workers of 包工头老王 for the same months, each 5 people and 35,000 yuan:
    # 15 workers and 105,000 yuan together cross both thresholds.
    for n in range(3):
        worker = replace(simulator, openid=f"o_sim_collective_{n}")
        script = [text.replace("13912345678", f"1391234567{n}") for text in TERSE]
        for text in script:
            push = worker.push(worker.text(text))
            response = client.post("/wechat", query_string=push.args, data=push.body)
            assert response.status_code == 200
    with app.app_context():
        session = get_session()
        filed = list(session.scalars(select(Complaint).order_by(Complaint.id)))
        assert len(filed) == 3 and filed[0].employer_id is not None
        collective = collective_of(session, filed[2].id)
        assert collective is not None
        assert [c.id for c in members(session, collective)] == [c.id for c in filed]
        sums = totals(session, collective, thresholds(app))
        assert (sums.headcount, sums.amount_owed, sums.is_group) == (15, Decimal(105000), True)


def test_the_open_collective_case_of_a_site(app: Flask) -> None:
    site_id, other_site = add_site(app, "S-ZJY"), add_site(app, "S-OTHER")
    ids = [add_complaint(app, f"261203-000{i}", site_id=site_id) for i in (1, 2)]
    with app.app_context():
        session = get_session()
        assert open_for_site(session, site_id) is None  # not linked yet
        collective = link_new(session, session.get(Complaint, ids[1]))
        assert collective is not None and open_for_site(session, site_id) is collective
        assert open_for_site(session, other_site) is None
        for complaint_id in ids:
            session.get(Complaint, complaint_id).status = "closed"
        session.flush()
        assert open_for_site(session, site_id) is None  # finished: nothing to join


def test_the_link_command_links_cases_filed_without_linking(
    app: Flask, runner: FlaskCliRunner
) -> None:
    site_id = add_site(app, "S-ZJY")
    for i in (1, 2):
        add_complaint(app, f"261203-000{i}", site_id=site_id)
    add_complaint(app, "261203-0003", site_id=site_id, submitted=days_ago(30))
    result = runner.invoke(args=["collective", "link", "--days", "7"])
    assert result.exit_code == 0 and "linked 1" in result.output
    with app.app_context():
        session = get_session()
        collective = session.scalars(select(CollectiveCase)).one()
        # The older case is outside the sweep's window but matches (no period: 30 days).
        assert [c.case_no for c in members(session, collective)] == [
            "261203-0001",
            "261203-0002",
            "261203-0003",
        ]


def _say(client: FlaskClient, worker: WeChatSimulator, xml: str) -> str:
    push = worker.push(xml)
    response = client.post("/wechat", query_string=push.args, data=push.body)
    assert response.status_code == 200
    return worker.read_reply(response.data) or ""


def test_a_worker_scanning_a_site_with_an_open_collective_case_joins_it_by_one_tap(
    app: Flask, client: FlaskClient, simulator: WeChatSimulator
) -> None:
    site_id = add_site(app, "S-ZJY")
    ids = [
        add_complaint(app, f"261203-000{i}", site_id=site_id, employer="德发建筑劳务公司")
        for i in (1, 2)
    ]
    with app.app_context():
        session = get_session()
        collective = link_new(session, session.get(Complaint, ids[1]))
        session.commit()
        assert collective is not None
    offer = _say(client, simulator, simulator.event("SCAN", "S-ZJY"))
    assert "已有工友反映欠薪" in offer and "德发建筑劳务公司" in offer and "回复1加入" in offer
    asked = _say(client, simulator, simulator.text("1"))
    # Site, employer and the worker's own headcount are known: only the rest is asked.
    missing = asked.split("还需要知道：")[-1].split("。")[0]
    assert "欠多少钱" in missing and not any(w in missing for w in ("工地", "老板", "几个人"))
    for text in ("欠我八千", "今年9月到11月", "钢筋工", "李四 13912340000", "1"):
        reply = _say(client, simulator, simulator.text(text))
    assert "编号" in reply
    with app.app_context():
        session = get_session()
        joined = session.scalars(select(Complaint).where(Complaint.id.not_in(ids))).one()
        assert joined.site_id == site_id and joined.headcount == 1
        assert joined.amount_owed == Decimal(8000)
        assert collective_of(session, joined.id) is not None
        assert collective_of(session, joined.id).id == collective_of(session, ids[0]).id


def test_a_scan_without_an_open_collective_case_opens_the_form_as_before(
    app: Flask, client: FlaskClient, simulator: WeChatSimulator
) -> None:
    add_site(app, "S-ZJY")
    greeting = _say(client, simulator, simulator.event("SCAN", "S-ZJY"))
    assert "已有工友" not in greeting and "维权码" in greeting
