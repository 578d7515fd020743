"""``flask staff ...``: accounts and API tokens."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select, update

from console import audit
from console.api import issue_token
from console.auth import end_sessions, hash_password
from models import ROLES, ApiToken, Site, StaffUser, utcnow
from models.db import get_session

staff_cli = AppGroup("staff", help="Manage console accounts and API tokens.")

MIN_PASSWORD = 10


def _user(username: str) -> StaffUser:
    user = get_session().scalar(select(StaffUser).where(StaffUser.username == username))
    if user is None:
        raise click.ClickException(f"没有用户 {username}")
    return user


@staff_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--site", "sites", multiple=True, help="A site code (site managers); repeatable.")
@click.password_option(help="Prompted for (or read from stdin) when not given.")
def create_command(username: str, role: str, sites: tuple[str, ...], password: str) -> None:
    """Create a staff account; the password is prompted for or read from stdin."""
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
@click.password_option(help="Prompted for (or read from stdin) when not given.")
def password_command(username: str, password: str) -> None:
    """Set a new password; every console session of the account ends."""
    session = get_session()
    user = _user(username)
    if len(password) < MIN_PASSWORD:
        raise click.ClickException(f"密码至少 {MIN_PASSWORD} 位")
    user.password_hash = hash_password(password)
    end_sessions(session, user)
    audit.record(session, "staff_password", staff_id=None, target=username)
    session.commit()
    click.echo(f"已为 {username} 设置新密码，其所有登录会话已失效")
