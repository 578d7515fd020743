"""Shared fixtures: the app on each database, its client and CLI runner, and real servers.

Database tests run on SQLite always and also on PostgreSQL when ``TEST_DATABASE_URL`` is set
(``.ci/run`` sets it). The schema is built by the Alembic migrations, not ``create_all``.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from app import create_app
from config import normalise_database_url
from models import Base
from nlu.server import running_rasa
from webhooks.simulator import WeChatSimulator

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = Path(__file__).resolve().parent / "samples"

#: Nothing listens on the discard port: the NLU client falls back to rules at once.
NO_RASA = "http://127.0.0.1:9"

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


def pytest_collection_finish(session: pytest.Session) -> None:
    """Freeze what the imports and the collection built: the garbage collector skips it
    from then on.

    Every test builds an app, so full collections come every few seconds. Scanning the
    quarter of a million objects of the modules and collected tests each time paused the
    whole run for 0.3 s and more (measured: 275 ms median, 129 ms frozen), long enough on a
    busy machine to fail tests that time the 1 s duplicate wait or the 4 s reply budget.
    """
    gc.collect()
    gc.freeze()


def base_config(database_url: str) -> dict[str, Any]:
    """The configuration of a test app (development secrets, no Rasa, no Redis)."""
    return {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "RASA_URL": NO_RASA,
        # Jobs fail at once rather than waiting on WeChat's real (unreachable) servers;
        # the fake_wechat fixture points this at the local fake.
        "WECHAT_API_BASE": NO_RASA + "/cgi-bin/",
        "DUPLICATE_WAIT_SECONDS": 1.0,
    }


@pytest.fixture(scope="session")
def database_urls(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """One migrated database per backend, shared by the session and emptied between tests."""
    urls = {"sqlite": f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"}
    if "postgresql" in BACKENDS:
        urls["postgresql"] = normalise_database_url(os.environ["TEST_DATABASE_URL"])
        _reset_postgres_schema(urls["postgresql"])
    for url in urls.values():
        app = create_app(base_config(url))
        with app.app_context():
            upgrade()
        app.extensions["db"].engine.dispose()
    return urls


@pytest.fixture(params=BACKENDS)
def app(request: pytest.FixtureRequest, database_urls: dict[str, str]) -> Iterator[Flask]:
    """A fresh app on an empty, migrated database."""
    app = create_app(base_config(database_urls[request.param]))
    yield app
    app.extensions["jobs"].wait()  # background jobs must not outlive their test's rows
    _empty_tables(app)
    app.extensions["db"].engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """The app's test client."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """The app's CLI runner."""
    return app.test_cli_runner()


@pytest.fixture
def simulator(app: Flask) -> WeChatSimulator:
    """WeChat's side of the webhook, for one new worker, in plaintext mode."""
    return WeChatSimulator(
        app.config["WECHAT_TOKEN"],
        app.config["WECHAT_APPID"],
        app.config["WECHAT_ENCODING_AES_KEY"],
    )


@pytest.fixture(scope="session")
def rasa_url() -> Iterator[str]:
    """A real Rasa server on the trained model (trained first if the data changed)."""
    (ROOT / "instance").mkdir(exist_ok=True)
    with running_rasa(ROOT / "instance" / "rasa-test.log") as url:
        yield url


def _reset_postgres_schema(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def _empty_tables(app: Flask) -> None:
    engine = app.extensions["db"].engine
    tables = list(reversed(Base.metadata.sorted_tables))
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            names = ", ".join(table.name for table in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(table.delete())


@pytest.fixture
def fake_wechat(app: Flask) -> Iterator[str]:
    """The local fake of WeChat's API, with ``app``'s client pointed at it; yields its URL."""
    from devtools.fake_wechat import create_fake_app, serve_in_thread

    fake = create_fake_app(app.config["WECHAT_APPID"], app.config["WECHAT_SECRET"])
    with serve_in_thread(fake) as url:
        app.config["WECHAT_API_BASE"] = url + "/cgi-bin/"
        app.config["WECHAT_API_TIMEOUT"] = 2.0
        app.extensions["wechat"] = None  # rebuilt from the new base on first use
        yield url
