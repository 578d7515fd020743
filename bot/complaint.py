"""What a confirmed form becomes: the Complaint's column values.

Group (群体性) cases follow the configured thresholds; deadlines follow ``bot.deadlines``.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from bot import slots
from bot.types import Context
from cases import deadlines
from models import Complaint
from models.complaint import masked_columns

ID_NUMBER = re.compile(r"(?<!\d)(\d{17}[\dXx])(?!\d)")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
#: Form values meaning "not known": stored as empty columns (the flags say why).
UNKNOWN = (slots.UNKNOWN_VALUE, slots.NOT_KNOWN)
CONSTRUCTION = re.compile(r"工地|项目|工程|建筑|施工|包工头|装修|钢筋|木工|瓦工|架子|混凝土|搅拌")


def take_id_number(form: dict[str, Any], text: str) -> None:
    """Keep an ID number the worker volunteered, when its check digit is right."""
    match = ID_NUMBER.search(text)
    if match and valid_id_number(match.group(1)):
        form["id_number"] = match.group(1).upper()


def fields(form: dict[str, Any], ctx: Context) -> dict[str, Any]:
    """The Complaint column values of a confirmed form."""
    return fit_columns(_columns(form, ctx))


def fit_columns(values: dict[str, Any]) -> dict[str, Any]:
    """Cut text longer than its Complaint column, marking the cut with "…".

    Two unreadable answers are kept as the worker wrote them, at any length, and PostgreSQL
    would refuse the whole complaint for one over-long column. The whole answer stays in
    ``flags`` and the transcript.
    """
    columns = Complaint.__table__.columns
    fitted = masked_columns(values)  # before the cut, which could split a phone number
    for name, value in fitted.items():
        length = getattr(columns[name].type, "length", None) if name in columns else None
        if isinstance(value, str) and length and len(value) > length:
            fitted[name] = value[: length - 1] + "…"
    return fitted


def _columns(form: dict[str, Any], ctx: Context) -> dict[str, Any]:
    site = form.get("site") or {}
    values = {k: (None if v in UNKNOWN else v) for k, v in form["values"].items()}
    amount, headcount = values.get("amount"), values.get("headcount")
    yuan, approximate = slots.amount_total(values)
    count = headcount["count"] if isinstance(headcount, dict) else None
    start, end, period_text = _period(values.get("period"))
    story = " ".join([str(form.get("description") or "")] + [str(v) for v in values.values()])
    policy = ctx.policy
    return {
        "site_code": site.get("code"),
        "project_name": values.get("site"),
        "project_address": site.get("address") or None,
        "general_contractor": site.get("general_contractor") or None,
        "employer": values.get("employer") or None,
        "contractor": values.get("contractor") or None,
        "work_type": values.get("work_type"),
        "period_start": start,
        "period_end": end,
        "period_text": period_text,
        "amount_owed": yuan,
        "amount_approximate": approximate,
        "headcount": count,
        "contact_name": values.get("contact_name"),
        "contact_phone": values.get("phone"),
        "id_number": form.get("id_number"),
        "description": form.get("description"),
        "is_group": bool(
            (count or 0) >= policy.group_headcount or (yuan or 0) >= policy.group_amount
        ),
        "is_construction": bool(site) or bool(CONSTRUCTION.search(story)),
        "flags": _flags(form["flags"], amount, count),
        "consent_at": ctx.now,
        "submitted_at": ctx.now,
        "accept_by": deadlines.accept_by(ctx.today),
        "investigate_by": deadlines.investigate_by(ctx.today),
    }


def valid_id_number(number: str) -> bool:
    """The GB 11643 check digit of an 18-character resident ID number."""
    if not re.fullmatch(r"\d{17}[\dXx]", number):
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return "10X98765432"[total % 11] == number[17].upper()


def _period(value: Any) -> tuple[date | None, date | None, str | None]:
    if not isinstance(value, dict):
        return None, None, value
    start = _month(value.get("start"))
    end = _month(value.get("end"), last_day=True)
    return start, end, value.get("text")


def _flags(flags: dict[str, Any], amount: Any, count: int | None) -> dict[str, Any]:
    """The form's flags, and a per-person amount whose headcount is unknown (not summed)."""
    if isinstance(amount, dict) and amount.get("per_person") and count is None:
        return {**flags, "amount": f"每人{amount['yuan']}元，人数不详"}
    return dict(flags)


def _month(text: str | None, last_day: bool = False) -> date | None:
    """A stored "2026-08" (the month's first or last day) or "2026-08-01" (that day)."""
    if not text:
        return None
    year, month, *day = (int(part) for part in text.split("-"))
    if day:
        try:
            return date(year, month, day[0])
        except ValueError:  # "9月31号": keep the month
            day = []
    if not last_day:
        return date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)
