"""Who may open what: every console route and the API against every role."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from models import Evidence, Message
from models.db import get_session
from tests.console_fixtures import ROLES, add_complaint, add_site, add_staff, csrf_token, login

CASE = "AX20261120001"

#: GET routes and the status each role gets (site managers never see a complaint).
GET_ROUTES: dict[str, dict[str, int]] = {
    "/console/": {"admin": 200, "hotline": 200, "site_manager": 302},
    "/console/complaints": {"admin": 200, "hotline": 200, "site_manager": 403},
    "/console/complaints?format=csv": {"admin": 200, "hotline": 200, "site_manager": 403},
    "/console/complaints?format=xlsx": {"admin": 200, "hotline": 200, "site_manager": 403},
    f"/console/complaints/{CASE}": {"admin": 200, "hotline": 200, "site_manager": 403},
    "/console/evidence/{evidence}": {"admin": 200, "hotline": 200, "site_manager": 403},
    "/console/sites": {"admin": 200, "hotline": 200, "site_manager": 200},
    "/console/sites/OWN-1/poster.pdf": {"admin": 200, "hotline": 200, "site_manager": 200},
    "/console/sites/OTHER-1/poster.pdf": {"admin": 200, "hotline": 200, "site_manager": 404},
    "/console/dashboard": {"admin": 200, "hotline": 200, "site_manager": 403},
    "/console/review": {"admin": 200, "hotline": 200, "site_manager": 403},
    "/console/audit": {"admin": 200, "hotline": 403, "site_manager": 403},
    "/console/users": {"admin": 200, "hotline": 403, "site_manager": 403},
    "/console/workers/{worker}": {"admin": 200, "hotline": 200, "site_manager": 403},
}

#: POST routes (with a valid CSRF token) and the status each role gets.
POST_ROUTES: dict[str, dict[str, int]] = {
    f"/console/complaints/{CASE}/action": {"admin": 302, "hotline": 302, "site_manager": 403},
    f"/console/complaints/{CASE}/note": {"admin": 302, "hotline": 302, "site_manager": 403},
    f"/console/complaints/{CASE}/takeover": {"admin": 302, "hotline": 302, "site_manager": 403},
    f"/console/complaints/{CASE}/release": {"admin": 302, "hotline": 302, "site_manager": 403},
    f"/console/complaints/{CASE}/reply": {"admin": 302, "hotline": 302, "site_manager": 403},
    f"/console/complaints/{CASE}/reveal/contact_phone": {
        "admin": 200,
        "hotline": 200,
        "site_manager": 403,
    },
    "/console/review": {"admin": 302, "hotline": 302, "site_manager": 403},
    "/console/workers/{worker}/takeover": {"admin": 302, "hotline": 302, "site_manager": 403},
    "/console/workers/{worker}/release": {"admin": 302, "hotline": 302, "site_manager": 403},
    "/console/workers/{worker}/reply": {"admin": 302, "hotline": 302, "site_manager": 403},
}


@pytest.fixture
def world(app: Flask, tmp_path: Path) -> dict[str, int]:
    """Two sites, one staff user per role (the site manager has OWN-1), a case, evidence."""
    app.config["MEDIA_DIR"] = str(tmp_path)
    own = add_site(app, "OWN-1")
    add_site(app, "OTHER-1", name="另一个工地")
    for role in ROLES:
        add_staff(app, role, role, ("OWN-1",) if role == "site_manager" else ())
    add_complaint(app, CASE, site_id=own)
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0fake-jpeg")
    with app.app_context():
        session = get_session()
        message = session.query(Message).first()
        assert message is not None
        evidence = Evidence(
            complaint_id=None,
            message_id=message.id,
            kind="image",
            storage_path=str(photo),
            content_type="image/jpeg",
            download_status="stored",
        )
        session.add(evidence)
        session.commit()
        return {"evidence": evidence.id, "worker": message.worker_id}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", list(GET_ROUTES))
def test_get_routes_by_role(
    client: FlaskClient, world: dict[str, int], route: str, role: str
) -> None:
    login(client, role)
    response = client.get(route.format(**world))
    body = response.get_data()
    response.close()  # send_file keeps the evidence file open until then
    assert response.status_code == GET_ROUTES[route][role], body[:300]


@pytest.mark.parametrize("route", list(GET_ROUTES))
def test_anonymous_is_sent_to_login(client: FlaskClient, world: dict[str, int], route: str) -> None:
    response = client.get(route.format(**world))
    response.close()
    assert response.status_code == 302
    assert "/console/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", list(POST_ROUTES))
def test_post_routes_by_role(
    client: FlaskClient, world: dict[str, int], route: str, role: str
) -> None:
    login(client, role)
    token = csrf_token(client, "/console/sites")
    data = {"csrf_token": token, "action": "accept", "text": "您好", "message_id": "1"}
    data["intent"] = "report_arrears"
    response = client.post(route.format(**world), data=data)
    assert response.status_code == POST_ROUTES[route][role]


@pytest.mark.parametrize("route", list(POST_ROUTES))
def test_posts_without_csrf_token_are_refused(
    client: FlaskClient, world: dict[str, int], route: str
) -> None:
    login(client, "admin")
    response = client.post(route.format(**world), data={"action": "accept", "text": "您好"})
    assert response.status_code == 400
    assert "页面已过期" in response.get_data(as_text=True)


def test_site_manager_sees_only_own_sites_and_no_complaint_data(
    client: FlaskClient, world: dict[str, int]
) -> None:
    login(client, "site_manager")
    page = client.get("/console/sites").get_data(as_text=True)
    assert "OWN-1" in page and "OTHER-1" not in page
    assert "案件" not in page.split("<main>")[0]  # no queue link in the navigation
    assert "13812345678" not in page and "张三" not in page


def test_evidence_outside_media_dir_is_not_served(
    app: Flask, client: FlaskClient, world: dict[str, int], tmp_path: Path
) -> None:
    app.config["MEDIA_DIR"] = str(tmp_path / "elsewhere")
    login(client, "admin")
    assert client.get(f"/console/evidence/{world['evidence']}").status_code == 404
