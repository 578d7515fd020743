"""The console's commands: ``flask complaints ...`` (the filed complaints as JSON, for staff
and other systems) and ``flask staff ...`` (accounts and API tokens)."""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from cases.channels import IMPORT_CHANNELS, channel_name
from cases.collective import collective_of
from cases.deadlines import acceptance_ends, filed_on, investigation_ends
from cases.importing import ImportFileError, ImportResult, import_file, parse_mapping
from cases.intake import sources_of
from cases.payment import payment_confirmed, satisfaction
from console import audit
from console.auth import end_sessions, hash_password
from models import ROLES, ApiToken, CaseWork, Complaint, Evidence, Site, StaffUser, Worker, utcnow
from models.db import get_session

complaints_cli = AppGroup("complaints", help="List, show and import complaints.")
staff_cli = AppGroup("staff", help="Manage console accounts and API tokens.")


def init_app(app: Flask) -> None:
    """Register the ``flask complaints`` and ``flask staff`` commands."""
    app.cli.add_command(complaints_cli)
    app.cli.add_command(staff_cli)


def complaint_json(session: Session, complaint: Complaint) -> dict[str, Any]:
    """One complaint with the keys of the dialogue issue's contract; its deadlines are the
    ones in force (an extended investigation ends later than filed)."""
    evidence_count = session.scalar(
        select(func.count(Evidence.id)).where(Evidence.complaint_id == complaint.id)
    )
    extended = session.scalar(
        select(CaseWork.extended).where(CaseWork.complaint_id == complaint.id)
    )
    filed = filed_on(complaint)
    return {
        "case_no": complaint.case_no,
        "status": complaint.status,
        "channel": complaint.channel,
        "sources": sources_of(complaint),
        "openid": complaint.worker.openid,
        "site_code": complaint.site.code if complaint.site else None,
        "project_name": complaint.project_name,
        "employer": complaint.employer,
        "work_type": complaint.work_type,
        "period_start": _iso(complaint.period_start),
        "period_end": _iso(complaint.period_end),
        "period_text": complaint.period_text,
        "amount_owed": _number(complaint.amount_owed),
        "amount_approximate": complaint.amount_approximate,
        "headcount": complaint.headcount,
        "contact_name": complaint.contact_name,
        "contact_phone": complaint.contact_phone,
        "description": complaint.description,
        "is_group": complaint.is_group,
        "flags": complaint.flags,
        "evidence_count": evidence_count or 0,
        "accept_by": acceptance_ends(filed, complaint.accept_by).isoformat(),
        "investigate_by": investigation_ends(
            filed, complaint.investigate_by, bool(extended)
        ).isoformat(),
        "created_at": complaint.created_at.isoformat(),
        # The worker's own word (issue 17): null until asked and answered, true when all
        # was paid; their rating 1-3 only after that.
        "payment_confirmed": payment_confirmed(session, complaint.id),
        "satisfaction": satisfaction(session, complaint.id),
        "collective_no": getattr(collective_of(session, complaint.id), "collective_no", None),
    }


@complaints_cli.command("list")
@click.option("--openid", default=None, help="Only this worker's complaints.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
def list_command(openid: str | None, as_json: bool) -> None:
    """List complaints, newest first."""
    session = get_session()
    query = (
        select(Complaint)
        .where(Complaint.status != "draft")
        .options(selectinload(Complaint.sources))
        .order_by(Complaint.id.desc())
    )
    if openid:
        query = query.join(Worker).where(Worker.openid == openid)
    items = [complaint_json(session, c) for c in session.scalars(query)]
    if as_json:
        click.echo(json.dumps(items, ensure_ascii=False, indent=2))
        return
    for item in items:
        click.echo(
            f"{item['case_no']}  {item['status']:10}  {item['employer'] or '-'}  "
            f"{item['amount_owed'] or '-'}元  {item['headcount'] or '-'}人"
        )


@complaints_cli.command("show")
@click.argument("case_no")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object.")
def show_command(case_no: str, as_json: bool) -> None:
    """Show one complaint by its case number."""
    session = get_session()
    complaint = session.scalar(select(Complaint).where(Complaint.case_no == case_no))
    if complaint is None:
        raise click.ClickException(f"没有编号为 {case_no} 的案件")
    item = complaint_json(session, complaint)
    if as_json:
        click.echo(json.dumps(item, ensure_ascii=False, indent=2))
        return
    for key, value in item.items():
        click.echo(f"{key}: {value}")


@complaints_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--channel", type=click.Choice(IMPORT_CHANNELS), required=True)
@click.option("--map", "pairs", multiple=True, help="A column's own name: 表头=字段 (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object.")
def import_command(file: Path, channel: str, pairs: tuple[str, ...], as_json: bool) -> None:
    """Import an exported CSV or XLSX (columns: docs/import.md); rows already imported are
    skipped, duplicates of filed cases linked to them."""
    from flask import current_app

    session = get_session()
    try:
        mapping = parse_mapping(pairs)
    except ValueError as exc:
        _import_failed(ImportFileError(str(exc)), as_json)
    try:
        result = import_file(
            session, file, channel=channel, config=current_app.config, mapping=mapping
        )
    except ImportFileError as exc:  # the file as a whole: nothing was imported
        session.rollback()
        _import_failed(exc, as_json)
    audit.record(
        session, "complaints_import", staff_id=None, target=channel_name(channel), detail=file.name
    )
    session.commit()
    if as_json:
        click.echo(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
        return
    click.echo(
        f"新建 {result.created} 件，关联重复 {result.linked} 件，已导入过 {result.skipped} 行"
    )
    for error in result.errors:
        click.echo(f"第{error['line']}行：{error['why']}", err=True)


def _import_failed(exc: ImportFileError, as_json: bool) -> NoReturn:
    if as_json:
        failed = ImportResult(errors=[{"line": exc.line, "why": str(exc)}])
        click.echo(json.dumps(failed.as_json(), ensure_ascii=False, indent=2))
    raise click.ClickException(str(exc))


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


# --- flask staff ... ------------------------------------------------------------------------

MIN_PASSWORD = 10
PASSWORD_OPTION = click.option(
    "--password",
    default=None,
    help="Typed twice at a terminal when not given; from a pipe, its first line is read once.",
)


def read_password(given: str | None) -> str:
    """The password: ``--password``, else typed twice at a terminal, else stdin's first line.

    ``echo "$PW" | flask staff create li --role hotline`` then works as written: a pipe
    carries the password once, not twice as a confirming prompt would need.
    """
    if given is not None:
        return given
    stdin = sys.stdin
    if stdin.isatty():
        return str(click.prompt("密码", hide_input=True, confirmation_prompt="再次输入密码"))
    return stdin.readline().rstrip("\r\n")


def _user(username: str) -> StaffUser:
    user = get_session().scalar(select(StaffUser).where(StaffUser.username == username))
    if user is None:
        raise click.ClickException(f"没有用户 {username}")
    return user


@staff_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--site", "sites", multiple=True, help="A site code (site managers); repeatable.")
@PASSWORD_OPTION
def create_command(username: str, role: str, sites: tuple[str, ...], password: str | None) -> None:
    """Create a staff account; the password is typed twice, or read once from a pipe."""
    password = read_password(password)
    session = get_session()
    if session.scalar(select(StaffUser).where(StaffUser.username == username)):
        raise click.ClickException(f"用户 {username} 已存在")
    if len(password) < MIN_PASSWORD:
        raise click.ClickException(f"密码至少 {MIN_PASSWORD} 位")
    if role == "site_manager" and not sites:
        raise click.ClickException("工地管理员需要至少一个 --site")
    found = session.scalars(select(Site).where(Site.code.in_([s.upper() for s in sites]))).all()
    missing = {s.upper() for s in sites} - {s.code for s in found}
    if missing:
        raise click.ClickException("没有这些工地：" + ", ".join(sorted(missing)))
    user = StaffUser(username=username, password_hash=hash_password(password), role=role)
    user.sites = list(found)
    session.add(user)
    session.flush()
    audit.record(session, "staff_create", staff_id=None, target=username, detail=role)
    session.commit()
    click.echo(f"已创建 {username}（{role}）")


@staff_cli.command("token")
@click.argument("username")
def token_command(username: str) -> None:
    """Issue an API token and print it once (only its hash is stored)."""
    session = get_session()
    # Imported here: console.api imports this module (complaint_json).
    from console.api import issue_token

    user = _user(username)
    token = issue_token(session, user)
    audit.record(session, "token_issue", staff_id=None, target=username)
    session.commit()
    click.echo(token)


@staff_cli.command("revoke-token")
@click.argument("username")
def revoke_command(username: str) -> None:
    """Revoke every API token of a user."""
    session = get_session()
    user = _user(username)
    result = session.execute(
        update(ApiToken)
        .where(ApiToken.staff_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    audit.record(session, "token_revoke", staff_id=None, target=username)
    session.commit()
    click.echo(f"已吊销 {username} 的 {result.rowcount} 个令牌")  # type: ignore[attr-defined]


@staff_cli.command("deactivate")
@click.argument("username")
def deactivate_command(username: str) -> None:
    """Deactivate an account: it can no longer log in or use its tokens; its sessions end."""
    session = get_session()
    user = _user(username)
    user.active = False
    end_sessions(session, user)
    audit.record(session, "staff_deactivate", staff_id=None, target=username)
    session.commit()
    click.echo(f"已停用 {username}")


@staff_cli.command("password")
@click.argument("username")
@PASSWORD_OPTION
def password_command(username: str, password: str | None) -> None:
    """Set a new password; every console session of the account ends."""
    password = read_password(password)
    session = get_session()
    user = _user(username)
    if len(password) < MIN_PASSWORD:
        raise click.ClickException(f"密码至少 {MIN_PASSWORD} 位")
    user.password_hash = hash_password(password)
    end_sessions(session, user)
    audit.record(session, "staff_password", staff_id=None, target=username)
    session.commit()
    click.echo(f"已为 {username} 设置新密码，其所有登录会话已失效")
