"""``flask data rotate-key`` and ``flask retention purge``."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from models import AuditEntry, Base, utcnow
from models.crypto import DataKeyError
from models.db import get_session
from privacy.retention import apply_purge, plan_purge, remove_files
from privacy.rotation import encrypted_columns, rotate_column
from wechat.media import media_dir

data_cli = AppGroup("data", help="Encryption of personal data at rest.")
retention_cli = AppGroup("retention", help="Deletion of personal data of old cases.")


@data_cli.command("rotate-key")
@click.option("--dry-run", is_flag=True, help="Only check that every value opens, and count.")
def rotate_key_command(dry_run: bool) -> None:
    """Re-encrypt every encrypted value under the first key of DATA_KEY.

    Run with the new key first and the old one after it; afterwards the old key may be
    removed. Running it again changes nothing.
    """
    session = get_session()
    keyring = current_app.extensions["data_keyring"]
    rotated = current = 0
    for table, column in encrypted_columns(Base.metadata):
        try:
            result = rotate_column(session, table, column, keyring, write=not dry_run)
        except DataKeyError as exc:
            session.rollback()
            raise click.ClickException(f"无法解密：{exc}") from None
        session.commit()  # column by column: a rerun resumes where this one stopped
        verb = "需重新加密" if dry_run else "重新加密"
        click.echo(f"{result.name}: {verb} {result.rotated}，已是当前密钥 {result.current}")
        rotated, current = rotated + result.rotated, current + result.current
    if dry_run:
        click.echo(f"试运行，未做修改。合计：需重新加密 {rotated}，已是当前密钥 {current}")
        return
    session.add(
        AuditEntry(
            staff_id=None,
            action="data_rotate_key",
            detail=f"rotated={rotated} current={current}",
        )
    )
    session.commit()
    click.echo(f"合计：重新加密 {rotated}，已是当前密钥 {current}")


@retention_cli.command("purge")
@click.option(
    "--days",
    type=click.IntRange(min=1),
    default=None,
    help="Cases finished more than this many days ago (default: RETENTION_DAYS).",
)
@click.option("--dry-run", is_flag=True, help="Only count what would be deleted.")
def purge_command(days: int | None, dry_run: bool) -> None:
    """Delete transcripts, conversation state and evidence of long-finished cases, and
    anonymise the cases (their statistics stay); and of workers who never filed a case
    and have been silent that long."""
    days = days or int(current_app.config["RETENTION_DAYS"])
    session = get_session()
    now = utcnow()
    plan = plan_purge(session, now=now, days=days, media_dir=media_dir(current_app))
    summary = (
        f"{len(plan.workers)} 名工人：匿名化投诉 {len(plan.complaints)} 件，"
        f"删除消息 {len(plan.messages)} 条、会话状态 {len(plan.states)} 个、"
        f"证据 {len(plan.evidence)} 条、证据文件 {len(plan.files)} 个"
        f"（其中从未投诉的工人 {len(plan.caseless)} 名）"
    )
    if dry_run:
        session.rollback()
        click.echo(f"试运行（{days} 天前结案，未做任何修改）：{summary}")
        return
    apply_purge(session, plan, now)
    session.add(
        AuditEntry(
            staff_id=None,
            action="retention_purge",
            detail=(
                f"days={days} workers={len(plan.workers)} caseless={len(plan.caseless)} "
                f"complaints={len(plan.complaints)} "
                f"messages={len(plan.messages)} states={len(plan.states)} "
                f"evidence={len(plan.evidence)} files={len(plan.files)}"
            ),
        )
    )
    session.commit()
    removed = remove_files(plan.files)
    click.echo(f"已清理（{days} 天前结案）：{summary}；实际删除文件 {removed} 个")
