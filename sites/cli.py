"""``flask sites ...``: register sites, import them from CSV, list them, report scans.

The poster commands (``sites poster``, ``sites posters``) live in :mod:`sites.posters.cli`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from flask.cli import AppGroup
from sqlalchemy import select

from models import Site, utcnow
from models.db import get_session
from sites.analytics import scan_report
from sites.csv_import import CSVFileError, ImportReport, decode_csv, import_sites
from sites.registry import (
    FIELDS,
    clean_site_values,
    get_site,
    missing_facts,
    save_site,
    site_as_dict,
)

sites_cli = AppGroup("sites", help="工地登记：新增、导入、列表、扫码统计、告示牌。")


def _field_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """One option per board field: ``--labour-manager-phone`` for ``labour_manager_phone``."""
    for spec in reversed(FIELDS):
        option = click.option(
            f"--{spec.name.replace('_', '-')}",
            spec.name,
            required=spec.name == "code",
            help=spec.label,
        )
        command = option(command)
    return command


@sites_cli.command("add")
@_field_options
@click.option("--update", is_flag=True, help="工地已存在时，修改所给的项。")
@click.option("--inactive", is_flag=True, help="登记为停用。")
def add_command(update: bool, inactive: bool, **values: str | None) -> None:
    """登记一个工地（--code 与 --name 必填）；加 --update 可修改已有工地。"""
    session = get_session()
    data, errors = clean_site_values({**values, "active": "0" if inactive else None})
    if data is None:
        raise click.ClickException("；".join(errors))
    existing = get_site(session, data.code)
    if existing is not None and not update:
        raise click.ClickException(f"工地 {data.code} 已存在；如需修改，请加 --update。")
    if existing is None and not data.facts.get("name"):
        raise click.ClickException("新工地须填写 --name（项目名称）。")
    result = save_site(session, data)
    session.commit()
    verb = "已登记" if result.created else ("已更新" if result.changed else "无变化：")
    click.echo(f"{verb}工地 {result.site.code}（{result.site.name}）")
    _warn_missing(result.site.code, missing_facts(result.site))


def _warn_missing(code: str, missing: list[str]) -> None:
    if missing:
        click.echo(
            f"注意：工地 {code} 尚缺告示牌必填信息：{'、'.join(missing)}；补全后才能生成告示牌。"
        )


@sites_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(path: Path) -> None:
    """从 CSV（UTF-8，可带 BOM）导入工地；已有编号的工地按文件更新。有错误的行不导入。"""
    session = get_session()
    try:
        report = import_sites(session, decode_csv(path.read_bytes()))
    except CSVFileError as exc:
        raise click.ClickException(str(exc)) from None
    session.commit()  # good rows are kept even when others are wrong
    _print_import(report)
    if report.errors:
        click.get_current_context().exit(1)


def _print_import(report: ImportReport) -> None:
    click.echo(
        f"新增 {len(report.created)} 个，更新 {len(report.updated)} 个，"
        f"未变 {len(report.unchanged)} 个工地。"
    )
    if report.errors:
        click.echo(f"{len(report.errors)} 行有误，未导入：", err=True)
        for line, message in report.errors:
            click.echo(f"  第 {line} 行：{message}", err=True)


@sites_cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON。")
def list_command(as_json: bool) -> None:
    """列出全部工地及其缺少的告示牌信息。"""
    sites = get_session().scalars(select(Site).order_by(Site.code)).all()
    rows = [site_as_dict(site) for site in sites]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        state = "启用" if row["active"] else "停用"
        missing = f"  缺：{'、'.join(row['missing'])}" if row["missing"] else ""
        click.echo(f"{row['code']:<16} {state}  v{row['facts_version']}  {row['name']}{missing}")


@sites_cli.command("activate")
@click.argument("code")
def activate_command(code: str) -> None:
    """启用工地：扫码可关联到此工地。"""
    _set_active(code, True)


@sites_cli.command("deactivate")
@click.argument("code")
def deactivate_command(code: str) -> None:
    """停用工地（如已完工）：扫码不再关联，告示牌不再生成。"""
    _set_active(code, False)


def _set_active(code: str, active: bool) -> None:
    session = get_session()
    site = get_site(session, code)
    if site is None:
        raise click.ClickException(f"没有编号为 {code} 的工地。")
    site.active = active
    session.commit()
    click.echo(f"工地 {site.code} 已{'启用' if active else '停用'}。")


@sites_cli.command("scans")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON。")
@click.option(
    "--days",
    default=30,
    show_default=True,
    type=click.IntRange(1, 3660),
    help="按日统计最近多少天。",
)
@click.option(
    "--silent-days",
    default=14,
    show_default=True,
    type=click.IntRange(1, 3660),
    help="多少天无人扫码视为告示牌可能缺失。",
)
def scans_command(as_json: bool, days: int, silent_days: int) -> None:
    """扫码统计：每个工地每天的扫码数、首次扫码日期、长期无人扫码的工地。"""
    report = scan_report(get_session(), now=utcnow(), days=days, silent_days=silent_days)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    click.echo(f"最近 {days} 天扫码（按日）：")
    for item in report["per_day"]:
        click.echo(f"  {item['day']}  {item['code']:<16} {item['scans']}")
    click.echo("各工地：")
    for item in report["sites"]:
        first = item["first_scan"] or "从未扫码"
        click.echo(f"  {item['code']:<16} 共 {item['total_scans']} 次  首次 {first}")
    click.echo(f"{silent_days} 天无人扫码的启用工地（告示牌可能缺失）：")
    for item in report["silent"]:
        click.echo(f"  {item['code']:<16} {item['name']}  最后扫码 {item['last_scan'] or '无'}")
    for item in report["unknown"]:
        click.echo(f"未知编号 {item['scene']!r}：{item['scans']} 次")
