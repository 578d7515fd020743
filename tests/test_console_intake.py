"""Staff intake at /console/complaints/new and the employer pages (一企一策)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from models import AuditEntry, Complaint
from models.db import get_session
from models.employer import Employer
from tests.console_fixtures import add_complaint, add_site, add_staff, csrf_token, login

NEW = "/console/complaints/new"
CALL = {
    "channel": "12333",
    "employer": "老板王德发(德发建筑劳务公司)",
    "amount": "三万多",
    "headcount": "3个人",
    "contact_name": "张三",
    "phone": "13812345678",
    "consent": "1",
}


@pytest.fixture
def hotline(app: Flask, client: FlaskClient) -> int:
    """A logged-in hotline operator."""
    user_id = add_staff(app, "li", "hotline")
    login(client, "li")
    return user_id


def _post(client: FlaskClient, data: dict[str, str]) -> Any:
    return client.post(NEW, data={**data, "csrf_token": csrf_token(client, NEW)})


def test_the_form_asks_the_bot_fields_with_the_required_ones_marked(
    client: FlaskClient, hotline: int
) -> None:
    page = client.get(NEW).get_data(as_text=True)
    for label in (
        "来源渠道",
        "欠钱的老板/公司 *",
        "欠款金额 *",
        "联系电话 *",
        "身份证号",
        "12345热线",
    ):
        assert label in page
    assert "微信" not in page.split("来源渠道")[1].split("</select>")[0]  # the bot files those


def test_unreadable_answers_are_shown_and_nothing_is_filed(
    app: Flask, client: FlaskClient, hotline: int
) -> None:
    response = _post(client, {**CALL, "amount": "很多", "phone": "", "consent": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "无法识别“很多”" in page and "必填" in page and "请先告知工人" in page
    assert 'value="老板王德发(德发建筑劳务公司)"' in page  # what was typed is kept
    with app.app_context():
        assert get_session().scalar(select(Complaint)) is None


def test_a_phone_case_gets_a_number_and_the_sms_text(
    app: Flask, client: FlaskClient, hotline: int
) -> None:
    add_site(app, "ZL-01")
    response = _post(client, {**CALL, "site_code": "ZL-01", "reference": "转-9"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        session = get_session()
        case = session.scalar(select(Complaint))
        assert case is not None and case.channel == "12333" and case.site is not None
        assert case.amount_owed == 30000 and case.contractor == "王德发"
        assert case.history[0].staff_id == hotline
        actions = session.scalars(select(AuditEntry.action)).all()
        assert "complaint_intake" in actions
    assert f"已登记，案件编号 {case.case_no}" in page
    assert f"【安薪】您反映的欠薪问题已登记，案件编号{case.case_no}" in page
    again = _post(client, {**CALL, "reference": "转-9"})
    assert again.status_code == 400 and f"已登记（案件 {case.case_no}）" in again.get_data(
        as_text=True
    )


def test_a_repeat_report_is_linked_and_the_employer_warned(
    app: Flask, client: FlaskClient, hotline: int
) -> None:
    add_complaint(app, "261201-0001", employer="德发建筑劳务公司", contact_phone="13812345678")
    page = client.get(_post(client, CALL).headers["Location"]).get_data(as_text=True)
    assert "已关联到已有案件 261201-0001" in page
    other = _post(client, {**CALL, "phone": "13900001111"})
    page = client.get(other.headers["Location"]).get_data(as_text=True)
    assert "已登记，案件编号" in page and "已有1件其他欠薪投诉" in page
    with app.app_context():
        assert len(get_session().scalars(select(Complaint)).all()) == 2


def test_employer_page_merge_and_blacklist(app: Flask, client: FlaskClient, hotline: int) -> None:
    add_complaint(app, "261201-0001", employer="德发建筑劳务公司", contact_phone="13700000000")
    add_complaint(app, "261201-0002", employer="老板王德发(德发建筑劳务公司)")
    add_complaint(app, "261201-0003", employer="德发劳务队", amount_recovered=5000)
    listing = client.get("/console/employers").get_data(as_text=True)
    assert listing.count("/console/employers/") == 2  # two spellings are one employer
    with app.app_context():
        session = get_session()
        defa = session.scalar(select(Employer).where(Employer.key == "德发建筑劳务"))
        team = session.scalar(select(Employer).where(Employer.key == "德发劳务队"))
        assert defa and team
        defa_id, team_id = defa.id, team.id
    url = f"/console/employers/{defa_id}"
    page = client.get(url).get_data(as_text=True)
    assert "261201-0001" in page and "261201-0002" in page and "261201-0003" not in page
    token = csrf_token(client, url)
    merged = client.post(f"{url}/merge", data={"other": team_id, "csrf_token": token})
    assert merged.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "261201-0003" in page and "德发劳务队" in page and "5,000元" in page
    assert client.get(f"/console/employers/{team_id}").headers["Location"].endswith(url)
    client.post(
        f"{url}/blacklist", data={"blacklisted": "1", "note": "2026第3号", "csrf_token": token}
    )
    page = client.get(url).get_data(as_text=True)
    assert "黑名单" in page and "2026第3号" in page
    case = client.get("/console/complaints/261201-0003").get_data(as_text=True)
    assert "黑名单单位" in case
    filed = _post(client, {**CALL, "employer": "德发建筑劳务有限公司", "phone": "13911112222"})
    assert "黑名单" in client.get(filed.headers["Location"]).get_data(as_text=True)


def test_site_managers_cannot_register_or_see_employers(app: Flask, client: FlaskClient) -> None:
    add_site(app, "ZL-01")
    add_staff(app, "wang", "site_manager", ("ZL-01",))
    login(client, "wang")
    assert client.get(NEW).status_code == 403
    assert client.get("/console/employers").status_code == 403


def test_dashboard_counts_channels_and_the_district_share(
    app: Flask, client: FlaskClient, hotline: int
) -> None:
    from models import StatusChange

    add_complaint(app, "261201-0001", status="resolved")
    add_complaint(app, "261201-0002", status="closed")
    add_complaint(app, "261201-0003", status="transferred")
    _post(client, CALL)
    with app.app_context():
        session = get_session()
        for case in session.scalars(select(Complaint).where(Complaint.status == "resolved")):
            session.add(StatusChange(complaint_id=case.id, to_status="resolved"))
        session.commit()
    page = client.get("/console/dashboard").get_data(as_text=True)
    assert "按来源渠道" in page and '<td>12333热线</td><td class="num">1<' in page
    assert '<td>微信</td><td class="num">3<' in page
    assert 'id="district-share">66.7%<' in page  # two settled here, one transferred
    assert "本级化解 2 件，转交 1 件" in page


def test_an_upload_imports_and_links_a_duplicate(
    app: Flask, client: FlaskClient, hotline: int
) -> None:
    import io

    add_complaint(app, "261201-0001", employer="德发建筑劳务公司", contact_phone="13812345678")
    csv = (
        "线索编号,反映人姓名,联系电话,被反映单位,欠薪金额\n"
        "GZ-1,张三,13812345678,德发建筑劳务有限公司,35000\n"
        "GZ-2,李四,13911112222,德发建筑劳务有限公司,很多\n"
    ).encode()
    token = csrf_token(client, "/console/complaints/import")
    response = client.post(
        "/console/complaints/import",
        data={"channel": "national", "csrf_token": token, "file": (io.BytesIO(csv), "a.csv")},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert 'id="created">0<' in page and 'id="linked">1<' in page and "无法识别“很多”" in page
    case = client.get("/console/complaints/261201-0001").get_data(as_text=True)
    assert "全国根治欠薪线索反映平台 GZ-1（重复反映，已关联）" in case and "微信" in case
    bad = client.post(
        "/console/complaints/import",
        data={"channel": "national", "csrf_token": token, "file": (io.BytesIO(b"x"), "a.pdf")},
        content_type="multipart/form-data",
    )
    assert "只能导入 CSV 或 XLSX" in bad.get_data(as_text=True)


def test_actions_on_a_phone_case_ask_staff_to_call_the_worker(
    app: Flask, client: FlaskClient, hotline: int
) -> None:
    location = _post(client, CALL).headers["Location"]
    case_no = location.rsplit("/", 1)[-1].split("?")[0]
    url = f"/console/complaints/{case_no}"
    response = client.post(
        url + "/action",
        data={"action": "accept", "note": "电话核实", "csrf_token": csrf_token(client, url)},
        follow_redirects=True,
    )
    app.extensions["jobs"].wait()
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "请电话联系工人" in page  # no WeChat to write to
    with app.app_context():
        case = get_session().scalar(select(Complaint).where(Complaint.case_no == case_no))
        assert case is not None and case.status == "accepted"


def test_the_queue_filters_by_channel_linked_reports_included(
    app: Flask, client: FlaskClient, hotline: int
) -> None:
    add_complaint(app, "261201-0001", employer="德发建筑劳务公司", contact_phone="13812345678")
    add_complaint(app, "261201-0002", employer="远大幕墙", contact_phone="13500000000")
    _post(client, CALL)  # 张三 again, by 12333: linked to 261201-0001
    _post(client, {**CALL, "employer": "恒力劳务", "channel": "12345"})

    def listed(channel: str) -> list[str]:
        page = client.get(f"/console/complaints?channel={channel}").get_data(as_text=True)
        return sorted(set(re.findall(r">(\d{6}-\d{4})</a>", page)))

    assert listed("12333") == ["261201-0001"]
    assert listed("wechat") == ["261201-0001", "261201-0002"]
    [hotline_case] = listed("12345")
    page = client.get("/console/complaints").get_data(as_text=True)
    assert page.count('<span class="tag">12345热线</span>') == 1 and hotline_case in page
