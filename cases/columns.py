"""What a filled-in complaint form becomes: the Complaint's column values.

One mapping for every channel (the bot's confirmed form, staff intake, spreadsheet
imports). Group (群体性) cases follow the configured thresholds; deadlines follow
``cases.deadlines``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Protocol

from cases import deadlines
from cases.readers import NOT_KNOWN, UNKNOWN_VALUE
from cases.values import Amount, Headcount, Period, SiteInfo, SlotValue, Values, amount_total
from models import Complaint
from models.complaint import masked_columns
from nlu.types import YearMonth

#: Form values meaning "not known": stored as empty columns (the flags say why).
UNKNOWN = (UNKNOWN_VALUE, NOT_KNOWN)
CONSTRUCTION = re.compile(r"工地|项目|工程|建筑|施工|包工头|装修|钢筋|木工|瓦工|架子|混凝土|搅拌")


class FilledForm(Protocol):
    """A filled-in form: the bot's (``bot.state.Form``) or one read from staff's fields."""

    @property
    def values(self) -> Values: ...

    @property
    def flags(self) -> Mapping[str, str]: ...

    @property
    def site(self) -> SiteInfo | None: ...

    @property
    def description(self) -> str | None: ...

    @property
    def id_number(self) -> str | None: ...


class GroupPolicy(Protocol):
    """The thresholds that make a case a group case (the bot's ``Policy`` has them)."""

    @property
    def group_headcount(self) -> int: ...

    @property
    def group_amount(self) -> Decimal: ...


@dataclass(frozen=True)
class GroupThresholds:
    """The group-case thresholds read from the app's configuration."""

    group_headcount: int
    group_amount: Decimal

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> GroupThresholds:
        """The thresholds as configured (GROUP_HEADCOUNT, GROUP_AMOUNT)."""
        return cls(int(config["GROUP_HEADCOUNT"]), Decimal(str(config["GROUP_AMOUNT"])))


def columns(form: FilledForm, policy: GroupPolicy, now: datetime, today: date) -> dict[str, Any]:
    """The Complaint column values of a filled-in form, filed ``now`` (``today`` in China)."""
    return fit_columns(_columns(form, policy, now, today))


def fit_columns(values: dict[str, Any]) -> dict[str, Any]:
    """Cut text longer than its Complaint column, marking the cut with "…".

    Two unreadable answers are kept as the worker wrote them, at any length, and PostgreSQL
    would refuse the whole complaint for one over-long column. The whole answer stays in
    ``flags`` and the transcript.
    """
    table_columns = Complaint.__table__.columns
    fitted = masked_columns(values)  # before the cut, which could split a phone number
    for name, value in fitted.items():
        length = (
            getattr(table_columns[name].type, "length", None) if name in table_columns else None
        )
        if isinstance(value, str) and length and len(value) > length:
            fitted[name] = value[: length - 1] + "…"
    return fitted


def _columns(form: FilledForm, policy: GroupPolicy, now: datetime, today: date) -> dict[str, Any]:
    site = form.site or SiteInfo("", "")
    values = {k: v for k, v in form.values.items() if v not in UNKNOWN}
    amount, headcount = values.get("amount"), values.get("headcount")
    yuan, approximate = amount_total(values)
    count = headcount.count if isinstance(headcount, Headcount) else None
    start, end, period_text = _period(values.get("period"))
    story = " ".join([form.description or ""] + [_text(v) or "" for v in values.values()])
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
        "consent_at": now,
        "submitted_at": now,
        "accept_by": deadlines.accept_by(today),
        "investigate_by": deadlines.investigate_by(today),
    }


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
