"""``/metrics``: request and NLU series, the database's figures, access, multiprocess mode."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from prometheus_client.parser import text_string_to_metric_families

from app import create_app
from models import CaseWork, OutboxJob
from models.db import get_session
from ops.metrics import ObservedNLU
from tests.conftest import ROOT, base_config
from tests.console_fixtures import add_complaint, add_staff, login, long_ago
from tests.ops_helpers import fake_rasa
from webhooks.simulator import WeChatSimulator

#: The console's 403 page (console/blueprint.py), for staff only.
CONSOLE_FORBIDDEN = "您的账号无权查看此页面"


def samples(client: FlaskClient, headers: dict[str, str] | None = None) -> dict[tuple, float]:
    """Scrape ``/metrics``: {(sample name, sorted label items): value}."""
    response = client.get("/metrics", headers=headers or {})
    assert response.status_code == 200
    assert response.content_type.startswith("text/plain; version=")
    return parse(response.get_data(as_text=True))


def parse(text: str) -> dict[tuple, float]:
    """Samples of an exposition text by name and labels."""
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def test_requests_are_labelled_by_url_rule(client: FlaskClient) -> None:
    for code in ("ZL-01", "ZL-02", "ZL-03"):
        client.get(f"/s/{code}")
    client.get("/no/such/page")
    text = client.get("/metrics").get_data(as_text=True)
    found = parse(text)
    key = (("method", "GET"), ("route", "/s/<code>"), ("status", "404"))
    assert found[("anxin_http_requests_total", key)] == 3
    duration = (("method", "GET"), ("route", "/s/<code>"))
    assert found[("anxin_http_request_duration_seconds_count", duration)] == 3
    unmatched = (("method", "GET"), ("route", "<unmatched>"), ("status", "404"))
    assert found[("anxin_http_requests_total", unmatched)] == 1
    assert "ZL-0" not in text and "/no/such" not in text


def test_nlu_parses_by_source_through_the_webhook(app: Flask, client: FlaskClient) -> None:
    assert isinstance(app.extensions["nlu"], ObservedNLU)
    simulator = WeChatSimulator(
        app.config["WECHAT_TOKEN"],
        app.config["WECHAT_APPID"],
        app.config["WECHAT_ENCODING_AES_KEY"],
    )
    push = simulator.push(simulator.text("老板欠我们五个人三万块工资"))
    assert client.post("/wechat", query_string=push.args, data=push.body).status_code == 200
    found = samples(client)
    # The test app's RASA_URL has nobody listening: the rules answered.
    assert found[("anxin_nlu_parses_total", (("fallback", "false"), ("source", "rules")))] >= 1
    assert found[("anxin_nlu_parse_duration_seconds_count", (("source", "rules"),))] >= 1


def test_rasa_parses_and_not_understood_ones(database_urls: dict[str, str]) -> None:
    with fake_rasa(intent="nlu_fallback") as url:
        app = create_app({**base_config(database_urls["sqlite"]), "RASA_URL": url})
        for text in ("啊啊啊", "嗯嗯"):
            assert app.extensions["nlu"].parse(text).source == "rasa"
    found = samples(app.test_client())
    assert found[("anxin_nlu_parses_total", (("fallback", "true"), ("source", "rasa")))] == 2
    app.extensions["db"].engine.dispose()


def test_queue_and_complaint_figures(app: Flask, client: FlaskClient) -> None:
    now = datetime.now(UTC)
    with app.app_context():
        session = get_session()
        for status, attempts, run_after in [
            ("pending", 0, now - timedelta(seconds=120)),
            ("pending", 2, now + timedelta(minutes=5)),  # retrying, not yet due
            ("running", 1, now),
            ("dead", 5, now),
            ("dead", 5, now),
            ("done", 1, now),
        ]:
            session.add(
                OutboxJob(
                    kind="send_message", status=status, attempts=attempts, run_after=run_after
                )
            )
        session.commit()
    add_complaint(app, "AX1", submitted=long_ago())  # first contact overdue
    contacted = add_complaint(app, "AX2", submitted=long_ago())  # contacted: acceptance overdue
    accepted = add_complaint(
        app, "AX3", submitted=long_ago(), status="accepted", investigate_by=date(2026, 2, 1)
    )
    add_complaint(app, "AX4")  # submitted today: nothing overdue
    add_complaint(app, "AX5", submitted=long_ago(), status="closed")
    with app.app_context():
        session = get_session()
        session.add(CaseWork(complaint_id=contacted, first_contact_at=long_ago()))
        session.add(CaseWork(complaint_id=accepted, first_contact_at=long_ago()))
        session.commit()

    found = samples(client)
    jobs = {
        s: found[("anxin_outbox_jobs", (("status", s),))]
        for s in ("pending", "running", "done", "dead")
    }
    assert jobs == {"pending": 2, "running": 1, "done": 1, "dead": 2}
    assert found[("anxin_outbox_retrying_jobs", ())] == 1
    assert 100 < found[("anxin_outbox_oldest_due_seconds", ())] < 600
    assert found[("anxin_complaints", (("status", "submitted"),))] == 3
    assert found[("anxin_complaints", (("status", "accepted"),))] == 1
    assert found[("anxin_complaints", (("status", "closed"),))] == 1
    assert found[("anxin_complaints", (("status", "draft"),))] == 0
    overdue = {
        c: found[("anxin_complaints_overdue", (("clock", c),))]
        for c in ("first_contact", "accept", "investigate")
    }
    assert overdue == {"first_contact": 1, "accept": 1, "investigate": 1}
    assert found[("anxin_metrics_database_up", ())] == 1


def test_database_down_still_answers(database_urls: dict[str, str]) -> None:
    app = create_app(
        {**base_config(database_urls["sqlite"]), "DATABASE_URL": "postgresql://u@127.0.0.1:9/x"}
    )
    found = samples(app.test_client())
    assert found[("anxin_metrics_database_up", ())] == 0
    assert not any(name == "anxin_complaints" for name, _ in found)
    app.extensions["db"].engine.dispose()


@pytest.mark.parametrize(
    ("header", "status"),
    [(None, 403), ("Bearer wrong", 403), ("s3cret", 403), ("Bearer s3cret", 200)],
)
def test_metrics_token(database_urls: dict[str, str], header: str | None, status: int) -> None:
    app = create_app({**base_config(database_urls["sqlite"]), "METRICS_TOKEN": "s3cret"})
    headers = {"Authorization": header} if header else {}
    assert app.test_client().get("/metrics", headers=headers).status_code == status
    app.extensions["db"].engine.dispose()


def test_error_pages_belong_to_their_blueprint(app: Flask) -> None:
    """A wrong metrics token gets plain text; the console keeps its own 403 page."""
    app.config["METRICS_TOKEN"] = "s3cret"
    scrape = app.test_client().get("/metrics", headers={"Authorization": "Bearer wrong"})
    assert scrape.status_code == 403 and scrape.mimetype == "text/plain"
    assert "<html" not in scrape.get_data(as_text=True).lower()
    add_staff(app, "wang", "site_manager")
    staff = app.test_client()
    login(staff, "wang")
    page = staff.get("/console/complaints")
    assert page.status_code == 403 and page.mimetype == "text/html"
    assert CONSOLE_FORBIDDEN in page.get_data(as_text=True)


WORKER = """
import sys
from app import create_app
app = create_app({"TESTING": True, "DATABASE_URL": sys.argv[1], "RASA_URL": "http://127.0.0.1:9"})
client = app.test_client()
for _ in range(int(sys.argv[2])):
    client.get("/healthz")
if len(sys.argv) > 3:
    sys.stdout.write(client.get("/metrics").get_data(as_text=True))
"""


def test_multiprocess_mode_sums_the_workers(database_urls: dict[str, str], tmp_path: Path) -> None:
    """Two processes count requests; a third one's scrape reports their sum."""
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    url = database_urls["sqlite"]

    def run(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", WORKER, url, *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        return done.stdout

    run("3")
    run("4")
    found = parse(run("0", "scrape"))
    key = (("method", "GET"), ("route", "/healthz"), ("status", "200"))
    assert found[("anxin_http_requests_total", key)] == 7
    assert found[("anxin_metrics_database_up", ())] == 1
    assert len(list(tmp_path.glob("counter_*.db"))) == 3


def test_behind_a_proxy_the_client_address_is_forwarded(database_urls: dict[str, str]) -> None:
    seen: list[tuple[str | None, str]] = []
    for proxies in (0, 1):
        app = create_app({**base_config(database_urls["sqlite"]), "PROXY_COUNT": proxies})

        @app.get("/_who")
        def who() -> str:
            from flask import request

            seen.append((request.remote_addr, request.scheme))
            return "ok"

        app.test_client().get(
            "/_who",
            headers={"X-Forwarded-For": "203.0.113.7, 10.0.0.2", "X-Forwarded-Proto": "https"},
            environ_base={"REMOTE_ADDR": "10.0.0.2"},
        )
        app.extensions["db"].engine.dispose()
    # Without a proxy setting the header is ignored; with one, only the last hop is trusted.
    assert seen == [("10.0.0.2", "http"), ("10.0.0.2", "https")]
