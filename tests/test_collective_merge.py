"""Collective cases (issue 19): merging two into one (console and ``flask collective merge``),
the audit of links, unlinks and merges, and one action that skips members saying why."""

from __future__ import annotations

import json

import requests
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from cases.collective import collective_of, find, link_new, link_recent, members, unlink
from cases.collective_merge import merge
from models import AuditEntry, CollectiveMember, Complaint
from models.db import get_session
from tests.console_fixtures import add_complaint, add_site, add_staff, csrf_token, days_ago, login


def two_collectives(app: Flask) -> tuple[str, str]:
    """Two collective cases of two cases each, at two sites of two employers (the same
    arrears staff find split in two); returns their numbers."""
    numbers = []
    for site_no, employer in ((1, "甲劳务"), (2, "乙建筑")):
        site_id = add_site(app, f"S-{site_no}")
        ids = [
            add_complaint(
                app,
                f"26120{site_no}-000{i}",
                site_id=site_id,
                employer=employer,
                headcount=2,
                last_inbound=days_ago(1 / 24),
            )
            for i in (1, 2)
        ]
        with app.app_context():
            session = get_session()
            found = link_new(session, session.get_one(Complaint, ids[1]))
            session.commit()
            assert found is not None
            numbers.append(found.collective_no)
    return numbers[0], numbers[1]


def post(client: FlaskClient, url: str, path: str, **data: str) -> str:
    """Post a form of the page at ``url`` and follow the redirect."""
    data["csrf_token"] = csrf_token(client, url)
    response = client.post(url + path, data=data, follow_redirects=True)
    assert response.status_code == 200
    client.application.extensions["jobs"].wait()
    return response.get_data(as_text=True)


def member_nos(app: Flask, number: str) -> list[str]:
    """The case numbers of a collective case's current members."""
    with app.app_context():
        session = get_session()
        found = find(session, number)
        assert found is not None
        return [c.case_no for c in members(session, found)]


def audited(app: Flask, action: str) -> list[tuple[str | None, str | None, int | None]]:
    """(target, detail, staff id) of the audit entries of ``action``, oldest first."""
    with app.app_context():
        entries = get_session().scalars(
            select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        )
        return [(e.target, e.detail, e.staff_id) for e in entries]


def test_staff_merge_two_collective_cases_in_the_console(app: Flask, client: FlaskClient) -> None:
    first, second = two_collectives(app)
    staff_id = add_staff(app, "li", "hotline")
    login(client, "li")
    url = f"/console/collective/{first}"
    assert 'id="merge"' in client.get(url).get_data(as_text=True)

    # Without the confirmation box, or into itself: nothing moves.
    page = post(client, url, "/merge", into=second)
    assert "请勾选确认" in page
    page = post(client, url, "/merge", into=first, confirm="1")
    assert "不能将群体性案件并入其自身" in page
    page = post(client, url, "/merge", into="Q000000-0000", confirm="1")
    assert "未找到群体性案件Q000000-0000" in page
    assert member_nos(app, first) == ["261201-0001", "261201-0002"]

    page = post(client, url, "/merge", into=second, confirm="1")
    assert f"已将群体性案件{first}并入{second}" in page
    assert "8人" in page  # the totals of the collective case kept: four cases of two
    assert member_nos(app, second) == [
        "261201-0001",
        "261201-0002",
        "261202-0001",
        "261202-0002",
    ]
    assert member_nos(app, first) == []
    assert audited(app, "collective_merge") == [(first, second, staff_id)]
    # The merged number leads to the collective case kept, and leaves the list.
    response = client.get(url, follow_redirects=True)
    assert response.request.path == f"/console/collective/{second}"
    assert f"群体性案件{first}已并入{second}" in response.get_data(as_text=True)
    listing = client.get("/console/collective").get_data(as_text=True)
    assert f">{second}</a>" in listing and f">{first}</a>" not in listing


def test_a_case_taken_out_before_a_merge_stays_out(app: Flask) -> None:
    first, second = two_collectives(app)
    staff_id = add_staff(app, "li", "hotline")
    with app.app_context():
        session = get_session()
        source, target = find(session, first), find(session, second)
        assert source is not None and target is not None
        taken = session.scalar(select(Complaint).where(Complaint.case_no == "261201-0002"))
        assert taken is not None
        unlink(session, source, taken, staff_id)
        assert merge(session, source, target, staff_id) == ["261201-0001"]
        session.commit()
        # Its row moved with the others: the sweep still leaves it alone.
        assert link_recent(session) == 0
        assert collective_of(session, taken.id) is None
        rows = session.scalars(
            select(CollectiveMember).where(CollectiveMember.complaint_id == taken.id)
        ).all()
        assert [(r.collective_id, r.removed_at is not None) for r in rows] == [(target.id, True)]


def test_a_merge_leaves_a_case_in_one_collective_case_only(app: Flask) -> None:
    first, second = two_collectives(app)
    with app.app_context():
        session = get_session()
        source, target = find(session, first), find(session, second)
        assert source is not None and target is not None
        # A case in both at once (as two linkings at the same moment once left them).
        both = members(session, source)[0]
        session.add(CollectiveMember(collective_id=target.id, complaint_id=both.id))
        session.commit()
        merge(session, source, target, None)
        session.commit()
        current = session.scalars(
            select(CollectiveMember.collective_id).where(
                CollectiveMember.complaint_id == both.id, CollectiveMember.removed_at.is_(None)
            )
        ).all()
        assert current == [target.id]
        assert len(members(session, target)) == 4


def test_the_merge_command(app: Flask, runner: FlaskCliRunner) -> None:
    first, second = two_collectives(app)
    result = runner.invoke(args=["collective", "merge", first, second])
    assert result.exit_code == 0, result.output
    assert "261201-0001 261201-0002" in result.output
    shown = runner.invoke(args=["collective", "show", second, "--json"])
    item = json.loads(shown.output)
    assert item["members"] == ["261201-0001", "261201-0002", "261202-0001", "261202-0002"]
    assert item["headcount"] == 8
    assert audited(app, "collective_merge") == [(first, second, None)]
    again = runner.invoke(args=["collective", "merge", first, second])
    assert again.exit_code != 0 and "没有成员案件" in again.output
    missing = runner.invoke(args=["collective", "merge", "Q000000-0000", second])
    assert missing.exit_code != 0 and "Q000000-0000" in missing.output


def test_links_and_unlinks_by_hand_are_audited(app: Flask, client: FlaskClient) -> None:
    first, _second = two_collectives(app)
    staff_id = add_staff(app, "li", "hotline")
    login(client, "li")
    url = f"/console/collective/{first}"
    post(client, url, "/unlink/261201-0002")
    post(client, url, "/link", other="261202-0001")  # in the other one: refused
    add_complaint(app, "261203-0009", employer="别的公司")
    post(client, url, "/link", other="261203-0009")
    assert audited(app, "collective_unlink") == [(first, "261201-0002", staff_id)]
    assert audited(app, "collective_link") == [(first, "261203-0009", staff_id)]


def sent_to(fake_wechat: str) -> list[str]:
    """The OpenIDs of every customer-service message the fake WeChat accepted, in order."""
    sent = requests.get(f"{fake_wechat}/_fake/sent", timeout=5).json()["messages"]
    return [m["touser"] for m in sent]


def test_one_action_tells_staff_which_members_it_skipped_and_why(
    app: Flask, client: FlaskClient, fake_wechat: str
) -> None:
    first, _second = two_collectives(app)
    add_staff(app, "li", "hotline")
    login(client, "li")
    url = f"/console/collective/{first}"
    post(client, url, "/action", action="accept")  # both accepted and told
    with app.app_context():
        site = get_session().scalar(
            select(Complaint.site_id).where(Complaint.case_no == "261201-0001")
        )
    added = add_complaint(
        app, "261201-0003", site_id=site, employer="甲劳务", last_inbound=days_ago(1 / 24)
    )
    with app.app_context():
        session = get_session()
        link_new(session, session.get_one(Complaint, added))
        session.commit()
    told_before = len(sent_to(fake_wechat))
    page = post(client, url, "/action", action="mediate", when="12月5日上午 区劳动监察大队")
    assert "已处理2件：261201-0001、261201-0002" in page
    # The new member has not been accepted yet: it cannot go to mediation.
    assert "未处理（当前状态不能调解）：261201-0003（已提交，等待受理）" in page
    # Each member moved is told on its own; the one skipped is not.
    assert sorted(sent_to(fake_wechat)[told_before:]) == ["o_261201-0001", "o_261201-0002"]
    with app.app_context():
        statuses = dict(get_session().execute(select(Complaint.case_no, Complaint.status)).all())
    assert statuses["261201-0003"] == "submitted"
    assert statuses["261201-0001"] == statuses["261201-0002"] == "mediating"
