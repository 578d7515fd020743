"""Backups: ``flask backup`` for SQLite, and the PostgreSQL dump and restore of the docs."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from app import create_app
from config import normalise_database_url
from models import Complaint
from models.db import get_session
from tests.conftest import base_config
from tests.console_fixtures import add_complaint
from tests.ops_helpers import scratch_database


def _dialect(app: Flask) -> str:
    return app.extensions["db"].engine.dialect.name


def _schema_version(session: Session) -> str:
    version = session.scalar(text("SELECT version_num FROM alembic_version"))
    assert version, "no migration recorded"
    return str(version)


def test_sqlite_backup_is_a_checked_copy(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    if _dialect(app) != "sqlite":
        pytest.skip("SQLite only")
    add_complaint(app, "AX-BACKUP-1")
    result = runner.invoke(args=["backup", "--to", str(tmp_path)])
    assert result.exit_code == 0, result.output
    copy = Path(result.stdout.strip())
    assert copy.parent == tmp_path and copy.name.startswith("anxin-")
    with sqlite3.connect(copy) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT case_no FROM complaint").fetchall() == [("AX-BACKUP-1",)]
    db.close()
    assert "完整性检查通过" in result.stderr


def test_sqlite_backup_to_a_file_never_overwrites(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    if _dialect(app) != "sqlite":
        pytest.skip("SQLite only")
    target = tmp_path / "nightly.sqlite"
    assert runner.invoke(args=["backup", "--to", str(target)]).exit_code == 0
    assert target.stat().st_size > 0
    again = runner.invoke(args=["backup", "--to", str(target)])
    assert again.exit_code != 0 and "已存在" in again.output


def test_postgresql_is_pointed_to_the_docs(app: Flask, runner: FlaskCliRunner) -> None:
    if _dialect(app) != "postgresql":
        pytest.skip("PostgreSQL only")
    result = runner.invoke(args=["backup"])
    assert result.exit_code != 0
    assert "pg_dump" in result.output and "docs/operations.md" in result.output


@pytest.mark.skipif(not shutil.which("pg_dump"), reason="pg_dump/pg_restore not installed")
def test_postgresql_dump_and_restore_as_documented(app: Flask, tmp_path: Path) -> None:
    """The commands of docs/operations.md (PostgreSQL backups and restores) on a scratch db."""
    if _dialect(app) != "postgresql":
        pytest.skip("PostgreSQL only")
    add_complaint(app, "AX-PG-1", contact_phone="13812345678")
    add_complaint(app, "AX-PG-2")
    with app.app_context():
        original_version = _schema_version(get_session())
    source = os.environ["TEST_DATABASE_URL"]
    dump = tmp_path / "anxin.dump"
    subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", f"--dbname={source}"],
        check=True,
        timeout=120,
    )
    with scratch_database(source, "restore") as restored:
        subprocess.run(
            [
                "pg_restore",
                "--no-owner",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={restored}",
                str(dump),
            ],
            check=True,
            timeout=120,
        )
        # The restored database serves the app: same schema version, rows readable (and
        # encrypted columns decrypt with the same DATA_KEY).
        copy = create_app(base_config(normalise_database_url(restored)))
        with copy.app_context():
            session = get_session()
            assert session.scalar(select(func.count()).select_from(Complaint)) == 2
            phone = session.scalar(
                select(Complaint.contact_phone).where(Complaint.case_no == "AX-PG-1")
            )
            assert phone == "13812345678"
            assert _schema_version(session) == original_version
        copy.extensions["db"].engine.dispose()
