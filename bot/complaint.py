"""What a confirmed form becomes: the Complaint's column values.

Group (群体性) cases follow the configured thresholds; deadlines follow ``cases.deadlines``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from bot import slots
from bot.state import Amount, Form, Headcount, Period, SiteInfo, SlotValue
from bot.types import Context
from cases import deadlines
from models import Complaint
from models.complaint import masked_columns
from nlu.types import YearMonth

ID_NUMBER = re.compile(r"(?<!\d)(\d{17}[\dXx])(?!\d)")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
#: Form values meaning "not known": stored as empty columns (the flags say why).
UNKNOWN = (slots.UNKNOWN_VALUE, slots.NOT_KNOWN)
CONSTRUCTION = re.compile(r"工地|项目|工程|建筑|施工|包工头|装修|钢筋|木工|瓦工|架子|混凝土|搅拌")


def id_number_in(text: str) -> str | None:
    """An ID number the worker volunteered, when its check digit is right."""
    match = ID_NUMBER.search(text)
    return match.group(1).upper() if match and valid_id_number(match.group(1)) else None


def fields(form: Form, ctx: Context) -> dict[str, Any]:
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


def _columns(form: Form, ctx: Context) -> dict[str, Any]:
    site = form.site or SiteInfo("", "")
    values = {k: v for k, v in form.values.items() if v not in UNKNOWN}
    amount, headcount = values.get("amount"), values.get("headcount")
    yuan, approximate = slots.amount_total(values)
    count = headcount.count if isinstance(headcount, Headcount) else None
    start, end, period_text = _period(values.get("period"))
    story = " ".join([form.description or ""] + [_text(v) or "" for v in values.values()])
    policy = ctx.policy
    return {
        "site_id": site.id,
        "site_code": site.code or None,  # for a form stored without the site's id
        "project_name": _text(values.get("site")),
        "project_address": site.address or None,
        "general_contractor": site.general_contractor or None,
        "employer": _text(values.get("employer")) or None,
        "contractor": _text(values.get("contractor")) or None,
        "work_type": _text(values.get("work_type")),
        "period_start": start,
        "period_end": end,
        "period_text": period_text,
        "amount_owed": yuan,
        "amount_approximate": approximate,
        "headcount": count,
        "contact_name": _text(values.get("contact_name")),
        "contact_phone": _text(values.get("phone")),
        "id_number": form.id_number,
        "description": form.description,
        "is_group": bool(
            (count or 0) >= policy.group_headcount or (yuan or 0) >= policy.group_amount
        ),
        "is_construction": form.site is not None or bool(CONSTRUCTION.search(story)),
        "flags": _flags(form.flags, amount, count),
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


def _text(value: SlotValue | None) -> str | None:
    """A value kept as the worker's words (a text slot, or an answer kept raw)."""
    if value is None or isinstance(value, str):
        return value
    return value.text if isinstance(value, Period) else None


def _period(value: SlotValue | None) -> tuple[date | None, date | None, str | None]:
    if not isinstance(value, Period):
        return None, None, _text(value)
    return _month(value.start), _month(value.end, last_day=True), value.text


def _flags(flags: Mapping[str, str], amount: SlotValue | None, count: int | None) -> dict[str, Any]:
    """The form's flags, and a per-person amount whose headcount is unknown (not summed)."""
    if isinstance(amount, Amount) and amount.per_person and count is None:
        return {**flags, "amount": f"每人{amount.yuan}元，人数不详"}
    return dict(flags)


def _month(month: YearMonth | None, last_day: bool = False) -> date | None:
    """The day of a month said (its first or last day when the day was not said)."""
    if month is None:
        return None
    year, number = month.year, month.month
    if month.day:
        try:
            return date(year, number, month.day)
        except ValueError:  # "9月31号": keep the month
            pass
    if not last_day:
        return date(year, number, 1)
    following = date(year + number // 12, number % 12 + 1, 1)
    return following - timedelta(days=1)
