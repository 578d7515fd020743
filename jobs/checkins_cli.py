"""``flask --app app checkins ...``: send the pay-day check-ins due, and their figures."""

from __future__ import annotations

import json
from datetime import date

import click
from flask import current_app
from flask.cli import with_appcontext

from cases.checkin_report import FLAG_NAMES, SiteMonth, policy_from_config, report
from cases.checkins import month_key
from cases.deadlines import CHINA, china_day, china_today
from jobs.checkins import daytime, send_due
from jobs.dispatch import get_dispatcher
from models import utcnow
from models.db import get_session


@click.group("checkins")
def checkins_cli() -> None:
    """Pay-day check-ins: "本月工资按时足额发了吗?" a few days after each site's pay day."""


@checkins_cli.command("due")
@click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]), help="默认：今天（北京时间）")
@with_appcontext
def due_command(day: object) -> None:
    """Send the check-ins due on that day (the job worker does this daily); print how many
    went out per site. At night they wait for the morning."""
    now = utcnow()
    today = day.date() if day is not None else china_day(now)  # type: ignore[attr-defined]
    session = get_session()
    sent = send_due(session, today, now)
    session.commit()
    get_dispatcher(current_app).wait()
    for code, count in sorted(sent.items()):
        click.echo(f"{code}\t{count}")
    click.echo(f"共 {sum(sent.values())} 条（{today.isoformat()}）")
    morning = daytime(now, current_app.config)
    if sent and morning != now:
        click.echo(f"夜间不打扰：将于 {morning.astimezone(CHINA):%m月%d日 %H:%M} 发出")


@checkins_cli.command("report")
@click.option("--month", help="YYYY-MM；默认：本月")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@with_appcontext
def report_command(month: str | None, as_json: bool) -> None:
    """Per site: opted-in workers, answers of each kind, and whether the site is flagged."""
    today = china_today()
    month = month or month_key(today)
    try:
        date.fromisoformat(f"{month}-01")
    except ValueError as exc:
        raise click.BadParameter("月份格式应为 YYYY-MM", param_hint="--month") from exc
    rows = report(get_session(), month, today, policy_from_config(current_app.config))
    if as_json:
        click.echo(json.dumps({"month": month, "sites": [r.as_json() for r in rows]}))
        return
    for row in rows:
        click.echo(_line(row))


def _line(row: SiteMonth) -> str:
    flags = "、".join(FLAG_NAMES[f] for f in row.flags) or "-"
    return (
        f"{row.code}\t关注{row.opted_in}人\t已问{row.asked}\t发了{row.paid}\t没发{row.unpaid}"
        f"\t部分{row.partial}\t未答{row.unanswered}\t{flags}"
    )
