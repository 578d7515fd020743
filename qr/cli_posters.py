"""``flask qr ...``: print-ready posters for one site or every active site."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select
from wechatpy import WeChatClient

from models import Site, utcnow
from models.db import get_session
from qr.analytics import china_date
from qr.codes import is_local_url, qr_text, use_wechat
from qr.errors import PosterError
from qr.fonts import PosterFont, find_font
from qr.poster import check_output, poster_page, require_facts, write_poster, write_posters
from qr.poster_layout import PAGE_SIZES
from qr.sites import get_site
from wechat.client import get_client

qr_cli = AppGroup("qr", help="工地维权二维码与告示牌。")

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


@qr_cli.command("poster")
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
def poster_command(code: str, out: Path, size: str, wechat: bool | None) -> None:
    """生成一个工地的维权信息告示牌（PDF 矢量或 300 dpi PNG）。"""
    session = get_session()
    try:
        check_output(out)
        site = get_site(session, code)
        if site is None or not site.active:
            raise PosterError(f"没有编号为 {code} 的启用工地。")
        require_facts(site)
        font = _font()
        text = _qr_text_for(site, _client(wechat))
        page = poster_page(site, text, china_date(utcnow()), font)
        write_poster(page, font, out, size=size.upper(), title=f"维权信息告示牌 {site.name}")
    except PosterError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"已生成 {out}（工地 {site.code}，二维码内容 {text}）")


@qr_cli.command("posters")
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
        font, client = _font(), _client(wechat)
    except PosterError as exc:
        raise click.ClickException(str(exc)) from None
    out_dir.mkdir(parents=True, exist_ok=True)
    report = write_posters(
        sites,
        out_dir,
        qr_text=lambda site: _qr_text_for(site, client),
        font=font,
        made_on=china_date(utcnow()),
        size=size.upper(),
        suffix=f".{fmt}",
    )
    click.echo(f"已生成 {len(report.written)} 张告示牌，位于 {out_dir}")
    if report.archive is not None:
        click.echo(f"压缩包：{report.archive}")
    for message in report.refused.values():
        click.echo(f"未生成：{message}", err=True)
    if report.refused:
        click.get_current_context().exit(1)


def _font() -> PosterFont:
    return find_font(current_app.config.get("POSTER_FONT"))


def _client(choice: bool | None) -> WeChatClient | None:
    """The WeChat client when posters carry WeChat codes, else None (landing-page links)."""
    config = current_app.config
    if not use_wechat(config, choice):
        if is_local_url(config["PUBLIC_BASE_URL"]):
            if config.get("ANXIN_ENV") == "production":
                raise PosterError(
                    "PUBLIC_BASE_URL 是本机地址，手机扫码无法打开；请先设置公网地址。"
                )
            click.echo(
                f"注意：二维码指向本机地址 {config['PUBLIC_BASE_URL']}，仅供测试。", err=True
            )
        return None
    try:
        return get_client(current_app)
    except RuntimeError as exc:
        raise PosterError(f"无法连接公众号接口（{exc}）；可改用 --link。") from None


def _qr_text_for(site: Site, client: WeChatClient | None) -> str:
    """The site's QR content; a new WeChat code is committed at once, as it is permanent."""
    session = get_session()
    text = qr_text(
        session,
        site,
        public_base_url=current_app.config["PUBLIC_BASE_URL"],
        client=client,
        limit=current_app.config["WECHAT_PERMANENT_QR_LIMIT"],
    )
    session.commit()
    return text
