"""``flask collective ...``: a collective case as JSON (the issue 19 contract), the sweep
that links recent cases filed by a path that does not link them itself, and merging two."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy.orm import Session

from cases.collective import CollectiveError, find, link_recent, members, totals
from cases.collective_merge import MERGE_AUDIT, merge
from cases.columns import GroupThresholds
from console import audit
from models import CollectiveCase
from models.db import get_session

collective_cli = AppGroup("collective", help="群体性案件：查看、关联近期案件、合并。")


def init_app(app: Flask) -> None:
    """Register the ``flask collective`` commands."""
    app.cli.add_command(collective_cli)


def collective_json(session: Session, collective: CollectiveCase) -> dict[str, Any]:
    """One collective case: its members' case numbers, headcount, amount and group flag."""
    sums = totals(session, collective, GroupThresholds.from_config(current_app.config))
    amount = sums.amount_owed
    return {
        "collective_no": collective.collective_no,
        "members": [c.case_no for c in members(session, collective)],
        "headcount": sums.headcount,
        # Whole yuan as an integer, as complaints show theirs; cents kept when present.
        "amount_owed": int(amount) if amount == amount.to_integral_value() else float(amount),
        "is_group": sums.is_group,
    }


@collective_cli.command("show")
@click.argument("no")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object.")
def show_command(no: str, as_json: bool) -> None:
    """Show one collective case by its number."""
    session = get_session()
    item = collective_json(session, _find(session, no))
    if as_json:
        click.echo(json.dumps(item, ensure_ascii=False, indent=2))
        return
    for key, value in item.items():
        click.echo(f"{key}: {value}")


def _find(session: Session, no: str) -> CollectiveCase:
    found = find(session, no)
    if found is None:
        raise click.ClickException(f"没有编号为 {no} 的群体性案件")
    return found


@collective_cli.command("merge")
@click.argument("no_from")
@click.argument("no_into")
def merge_command(no_from: str, no_into: str) -> None:
    """Merge collective case NO_FROM into NO_INTO: every member moves, NO_FROM is left empty."""
    session = get_session()
    source, target = _find(session, no_from), _find(session, no_into)
    try:
        moved = merge(session, source, target, staff_id=None)
    except CollectiveError as exc:
        session.rollback()
        raise click.ClickException(str(exc)) from None
    audit.record(session, MERGE_AUDIT, staff_id=None, target=no_from, detail=no_into)
    session.commit()
    click.echo(f"merged {no_from} into {no_into}: {' '.join(moved)}")


@collective_cli.command("link")
@click.option("--days", default=7, show_default=True, help="Cases filed this many days back.")
def link_command(days: int) -> None:
    """Link recent cases that are in no collective case (e.g. filed through the bot)."""
    session = get_session()
    linked = link_recent(session, since=timedelta(days=days))
    session.commit()
    click.echo(f"linked {linked}")
