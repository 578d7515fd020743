"""``/healthz`` and ``/readyz``: what is checked, what a failure looks like, how long it takes."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from app import create_app
from tests.conftest import NO_RASA, base_config
from tests.ops_helpers import fake_rasa, silent_server

REDIS_URL = os.environ.get("TEST_REDIS_URL")
#: Nothing listens there: connections are refused at once.
DEAD_POSTGRES = "postgresql://postgres@127.0.0.1:9/anxin"


@pytest.fixture
def make_app(database_urls: dict[str, str]) -> Iterator[Any]:
    """Build apps on the migrated SQLite database with extra settings; dispose them after."""
    apps: list[Flask] = []

    def make(**settings: Any) -> Flask:
        app = create_app({**base_config(database_urls["sqlite"]), **settings})
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.extensions["db"].engine.dispose()


def test_healthz_answers_without_any_dependency(make_app: Any) -> None:
    app = make_app(DATABASE_URL=DEAD_POSTGRES)
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_ready_when_everything_answers(make_app: Any) -> None:
    settings: dict[str, Any] = {}
    if REDIS_URL:
        settings["REDIS_URL"] = REDIS_URL
    with fake_rasa() as one, fake_rasa() as two:
        app = make_app(RASA_URL=f"{one}, {two}/", **settings)
        response = app.test_client().get("/readyz")
    assert response.status_code == 200
    body = response.json
    assert body["status"] == "ok" and body["down"] == []
    expected = {"database", "rasa 1", "rasa 2"} | ({"redis"} if REDIS_URL else set())
    assert set(body["checks"]) == expected
    assert set(body["checks"].values()) == {"ok"}
    assert one not in response.get_data(as_text=True)  # replicas by position, not by URL


def test_a_dead_rasa_replica_is_named(make_app: Any) -> None:
    with fake_rasa() as alive:
        app = make_app(RASA_URL=f"{alive},{NO_RASA}")
        response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["down"] == ["rasa 2"]
    assert response.json["checks"]["rasa 1"] == "ok"
    assert response.json["checks"]["database"] == "ok"


def test_a_replica_without_a_model_is_not_ready(make_app: Any) -> None:
    with fake_rasa(model_file=None) as empty:
        response = make_app(RASA_URL=empty).test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["rasa 1"] == "NotReady"


def test_redis_down(make_app: Any) -> None:
    with fake_rasa() as rasa:
        app = make_app(RASA_URL=rasa, REDIS_URL="redis://127.0.0.1:9/0")
        response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["down"] == ["redis"]


def test_database_down(make_app: Any) -> None:
    with fake_rasa() as rasa:
        response = make_app(DATABASE_URL=DEAD_POSTGRES, RASA_URL=rasa).test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["down"] == ["database"]
    assert "127.0.0.1:9" not in response.get_data(as_text=True)  # no URLs in the answer


def test_hung_replicas_cost_one_timeout_not_one_each(make_app: Any) -> None:
    with silent_server() as first, silent_server() as second, silent_server() as third:
        app = make_app(RASA_URL=",".join([first, second, third]), READY_TIMEOUT=0.5)
        started = time.monotonic()
        response = app.test_client().get("/readyz")
        elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert len(response.json["down"]) == 3
    assert {response.json["checks"][f"rasa {n}"] for n in (1, 2, 3)} == {"ReadTimeout"}
    assert elapsed < 1.2, f"checks ran one after another ({elapsed:.2f} s)"
