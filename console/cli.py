"""``flask complaints ...``: the filed complaints as JSON, for staff and other systems."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cases.deadlines import acceptance_ends, filed_on, investigation_ends
from models import CaseWork, Complaint, Evidence, Worker
from models.db import get_session

complaints_cli = AppGroup("complaints", help="List and show complaints.")


def init_app(app: Flask) -> None:
    """Register the ``flask complaints`` commands."""
    app.cli.add_command(complaints_cli)


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
    }


@complaints_cli.command("list")
@click.option("--openid", default=None, help="Only this worker's complaints.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
def list_command(openid: str | None, as_json: bool) -> None:
    """List complaints, newest first."""
    session = get_session()
    query = select(Complaint).where(Complaint.status != "draft").order_by(Complaint.id.desc())
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


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)
