"""The Flask edge of the database: one engine per app, one session per request or command.

Kept apart from the models so that ``bot/`` can use the models without importing Flask.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g
from flask_migrate import Migrate
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from models.base import Base


@dataclass
class Database:
    """The engine and session factory kept in ``app.extensions["db"]``.

    ``metadata`` is what Flask-Migrate's commands hand to Alembic.
    """

    engine: Engine
    sessions: sessionmaker[Session]
    metadata: Any = Base.metadata


def init_app(app: Flask) -> None:
    """Create the engine, register session teardown and the ``flask db`` commands."""
    engine = make_engine(
        app.config["DATABASE_URL"], pgbouncer=bool(app.config.get("DATABASE_PGBOUNCER"))
    )
    app.extensions["db"] = Database(engine, sessionmaker(engine, expire_on_commit=False))
    app.teardown_appcontext(_close_session)
    Migrate(app, app.extensions["db"], directory=str(Path(app.root_path) / "migrations"))


def make_engine(url: str, pgbouncer: bool = False) -> Engine:
    """An engine with settings that suit a webhook: short waits, dead connections detected.

    ``hide_parameters``: a database error's message would otherwise carry the statement's
    values (a worker's message, phone, ID number) into logs and tracebacks.
    ``pgbouncer``: behind PgBouncer's transaction pooling each transaction may run on another
    server connection, where psycopg's prepared statements do not exist: turn them off.
    """
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 15}, hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    connect_args: dict[str, Any] = {"connect_timeout": 3}
    if pgbouncer:
        connect_args["prepare_threshold"] = None
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=5,
        max_overflow=10,
        connect_args=connect_args,
        hide_parameters=True,
    )


def get_session() -> Session:
    """The session of the current request or command, opened on first use."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["db"].sessions()
    session: Session = g.db_session
    return session


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets the web workers read while one writes; foreign keys are off by default.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()
