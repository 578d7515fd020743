"""Operations commands: ``flask backup`` (SQLite) and ``flask wait-for-db`` (boot script)."""

from __future__ import annotations

import sqlite3
import time
from datetime import datetime
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import make_url
from sqlalchemy.exc import SQLAlchemyError

from ops.health import check_database

PG_BACKUP_DOC = "docs/operations.md#postgresql-backups-and-restores"


@click.command("backup")
@click.option(
    "--to",
    "target",
    type=click.Path(dir_okay=True, path_type=Path),
    help="备份文件或目录(默认 instance/backups/)。",
)
@with_appcontext
def backup_command(target: Path | None) -> None:
    """Copy the SQLite database while the app runs, check the copy, print its path."""
    url = make_url(current_app.config["DATABASE_URL"])
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise click.ClickException(
            f"此命令只备份 SQLite 数据库;当前是 {url.get_backend_name()}。"
            f"PostgreSQL 请用 pg_dump 备份,步骤见 {PG_BACKUP_DOC}"
        )
    copy = backup_sqlite(Path(url.database), destination(target, Path(current_app.instance_path)))
    click.echo(f"备份完成,完整性检查通过:{copy}", err=True)
    click.echo(str(copy))


def destination(target: Path | None, instance: Path) -> Path:
    """The file to write: ``target`` itself, or a timestamped file in a directory."""
    folder = instance / "backups" if target is None else target
    if target is not None and not target.is_dir() and target.suffix:
        return target
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return folder / f"anxin-{stamp}.sqlite"


def backup_sqlite(source: Path, target: Path) -> Path:
    """Copy ``source`` with SQLite's online backup API, then verify the copy's integrity."""
    if not source.exists():
        raise click.ClickException(f"数据库文件不存在:{source}")
    if target.exists():
        raise click.ClickException(f"目标文件已存在,不覆盖:{target}")
    target.parent.mkdir(parents=True, exist_ok=True)
    # The backup API copies page by page under SQLite's own locking: safe while the web
    # workers write (a plain file copy of a WAL database may miss committed pages).
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
        result = dst.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        dst.close()
        src.close()
    if result != "ok":
        target.unlink()
        raise click.ClickException(f"备份文件完整性检查失败:{result}")
    return target


@click.command("wait-for-db")
@click.option("--attempts", default=30, show_default=True, help="最多尝试次数。")
@click.option("--interval", default=2.0, show_default=True, help="两次尝试间隔(秒)。")
@with_appcontext
def wait_for_db_command(attempts: int, interval: float) -> None:
    """Wait until the database answers ``SELECT 1``; fail after ``attempts`` tries."""
    engine = current_app.extensions["db"].engine
    for attempt in range(1, attempts + 1):
        try:
            check_database(engine)
        except SQLAlchemyError as exc:
            click.echo(f"数据库未就绪({attempt}/{attempts}):{type(exc).__name__}", err=True)
            if attempt < attempts:
                time.sleep(interval)
            continue
        click.echo("数据库已就绪", err=True)
        return
    raise click.ClickException(f"数据库在 {attempts} 次尝试后仍未就绪")


def init_app(app: Flask) -> None:
    """Register ``flask backup`` and ``flask wait-for-db``."""
    app.cli.add_command(backup_command)
    app.cli.add_command(wait_for_db_command)
