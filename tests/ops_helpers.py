"""Helpers of the operations tests: a fake Rasa, a hung server, scratch PostgreSQL databases."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from sqlalchemy import create_engine, make_url, text

from devtools.fake_wechat import serve_in_thread


def fake_rasa_app(model_file: str | None = "models/anxin-nlu-test.tar.gz", intent: str = "greet"):  # type: ignore[no-untyped-def]
    """A Flask app answering Rasa's ``/status`` and ``/model/parse`` like a loaded server."""
    app = Flask("fake_rasa")

    @app.get("/status")
    def status() -> dict[str, Any]:
        return {"model_file": model_file} if model_file else {"fingerprint": {}}

    @app.post("/model/parse")
    def parse() -> dict[str, Any]:
        return {
            "intent": {"name": intent, "confidence": 0.9},
            "entities": [],
            "intent_ranking": [{"name": intent, "confidence": 0.9}],
        }

    return app


@contextmanager
def fake_rasa(**kwargs: Any) -> Iterator[str]:
    """Serve :func:`fake_rasa_app` on a free port; yield its URL."""
    with serve_in_thread(fake_rasa_app(**kwargs)) as url:
        yield url


@contextmanager
def silent_server() -> Iterator[str]:
    """A port that accepts connections but never answers (a hung Rasa); yield its URL."""
    with socket.create_server(("127.0.0.1", 0), backlog=16) as server:
        yield f"http://127.0.0.1:{server.getsockname()[1]}"


@contextmanager
def scratch_database(url: str, suffix: str) -> Iterator[str]:
    """A new, empty database next to ``url``'s (named ``<its name>_<suffix>``); dropped after."""
    base = make_url(url)
    name = f"{base.database}_{suffix}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield base.set(database=name).render_as_string(hide_password=False)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()
