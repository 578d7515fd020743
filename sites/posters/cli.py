"""``flask sites poster(s)`` (alias ``flask qr poster(s)``): print-ready posters."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from models import Site
from models.db import get_session
from sites.posters import PosterMaker, poster_maker
from sites.posters.board import PAGE_SIZES
from sites.posters.errors import PosterError, SiteNotFound
from sites.posters.pipeline import check_output, write_posters
from sites.registry import get_site

#: The commands' first name, kept as an alias of ``flask sites poster(s)``.
qr_cli = AppGroup("qr", help="工地维权二维码与告示牌（同 flask sites poster/posters）。")

size_option = click.option(
    "--size",
    type=click.Choice(list(PAGE_SIZES), case_sensitive=False),
    default="A4",
    show_default=True,
    help="纸张大小。",
)
source_option = click.option(
    "--wechat/--link",
    "wechat",
    default=None,
    help="二维码来源：公众号永久二维码，或落地页链接。默认：生产环境用公众号，否则用链接。",
)


@click.command("poster")
@click.argument("code")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="输出文件，.pdf 或 .png。",
)
@size_option
@source_option
@with_appcontext
def poster_command(code: str, out: Path, size: str, wechat: bool | None) -> None:
    """生成一个工地的维权信息告示牌（PDF 矢量或 300 dpi PNG）。"""
    session = get_session()
    try:
        fmt = check_output(out)
        site = get_site(session, code)
        if site is None:
            raise SiteNotFound(f"没有编号为 {code} 的启用工地。")
        maker = _maker(wechat)
        text = maker.write(site, out, size=size.upper(), fmt=fmt)
    except PosterError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"已生成 {out}（工地 {site.code}，二维码内容 {text}）")


@click.command("posters")
@click.argument("codes", nargs=-1)
@click.option("--all", "all_sites", is_flag=True, help="全部启用的工地。")
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="输出目录。",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["pdf", "png"]),
    default="pdf",
    show_default=True,
    help="文件格式。",
)
@size_option
@source_option
@with_appcontext
def posters_command(
    codes: tuple[str, ...],
    all_sites: bool,
    out_dir: Path,
    fmt: str,
    size: str,
    wechat: bool | None,
) -> None:
    """为多个工地各生成一张告示牌（CODE.pdf），并打包为一个 zip。"""
    if bool(codes) == all_sites:
        raise click.UsageError("请给出工地编号，或使用 --all（二者选一）。")
    session = get_session()
    query = select(Site).where(Site.active.is_(True)).order_by(Site.code)
    if codes:
        query = query.where(Site.code.in_([c.strip().upper() for c in codes]))
    sites = session.scalars(query).all()
    if not sites:
        raise click.ClickException("没有符合条件的启用工地。")
    try:
        maker = _maker(wechat)
    except PosterError as exc:
        raise click.ClickException(str(exc)) from None
    out_dir.mkdir(parents=True, exist_ok=True)
    report = write_posters(sites, out_dir, maker, size=size.upper(), fmt=f".{fmt}")
    click.echo(f"已生成 {len(report.written)} 张告示牌，位于 {out_dir}")
    if report.archive is not None:
        click.echo(f"压缩包：{report.archive}")
    for message in report.refused.values():
        click.echo(f"未生成：{message}", err=True)
    if report.refused:
        click.get_current_context().exit(1)


def _maker(choice: bool | None) -> PosterMaker:
    """The shared pipeline for this command; a development link is announced on stderr."""
    maker = poster_maker(current_app, get_session(), choice)
    if maker.source.warning:
        click.echo(maker.source.warning, err=True)
    return maker


#: Registered under ``flask sites`` and under the alias ``flask qr``.
POSTER_COMMANDS = (poster_command, posters_command)
for _command in POSTER_COMMANDS:
    qr_cli.add_command(_command)
