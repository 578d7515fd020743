"""A complaint's field values, typed: what each field holds, its total and how it reads.

The bot's form, staff intake and spreadsheet imports all hold these; the conversation
state (``bot/state.py``) stores them as JSON.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, TypeAlias

from nlu.types import Amount, Headcount, YearMonth

if TYPE_CHECKING:
    from models import Site

__all__ = [
    "Amount",
    "Headcount",
    "Period",
    "SiteInfo",
    "SlotValue",
    "Values",
    "amount_total",
    "display",
    "format_yuan",
]


@dataclass(frozen=True)
class Period:
    """When the wages were earned: months (day when said) and/or a length, as said."""

    text: str
    start: YearMonth | None = None
    end: YearMonth | None = None
    months: int | None = None  # a length of time ("三个多月")
    days: int | None = None


#: A slot's value: typed facts, or words (a name, a site, an answer kept raw for staff,
#: "不详"). ``contractor`` (the boss's own name) sits beside the slots.
SlotValue: TypeAlias = str | Amount | Headcount | Period
Values: TypeAlias = Mapping[str, SlotValue]


@dataclass(frozen=True)
class SiteInfo:
    """The facts of a registered site that a complaint takes over."""

    code: str
    name: str
    address: str = ""
    general_contractor: str = ""
    id: int | None = None  # the Site row (None in forms stored before it was kept)

    @classmethod
    def of(cls, site: Site) -> SiteInfo:
        """The facts of a registered ``site`` row."""
        return cls(site.code, site.name, site.address, site.general_contractor, site.id)


def display(name: str, value: SlotValue | None, values: Values | None = None) -> str:
    """A slot value as the worker reads it (``values``: the form, for a per-person total)."""
    if isinstance(value, Amount):
        return _display_amount(value, (values or {}).get("headcount"))
    if isinstance(value, Headcount):
        return f"{value.count}人" + ("左右" if value.approximate else "")
    if isinstance(value, Period):
        return value.text
    text = str(value)
    return text if len(text) <= 20 else text[:20] + "…"


def _display_amount(amount: Amount, headcount: SlotValue | None) -> str:
    each = format_yuan(amount.yuan) + ("左右" if amount.approximate else "")
    if not amount.per_person:
        return each
    if not isinstance(headcount, Headcount):
        return f"每人{each}"
    total, approximate = amount_total({"amount": amount, "headcount": headcount})
    if total is None:
        return f"每人{each}"
    about = "左右" if approximate else ""
    return f"共{format_yuan(total)}{about}（每人{each}×{headcount.count}人）"


def amount_total(values: Values) -> tuple[Decimal | None, bool]:
    """The sum owed and whether it is approximate: a per-person amount times the headcount.

    A per-person amount without a headcount is returned as it is (staff see the flag).
    """
    amount, headcount = values.get("amount"), values.get("headcount")
    if not isinstance(amount, Amount):
        return None, False
    yuan, approximate = amount.yuan, amount.approximate
    if amount.per_person and isinstance(headcount, Headcount):
        yuan *= headcount.count
        approximate = approximate or headcount.approximate
    return yuan, approximate


def format_yuan(yuan: Decimal) -> str:
    """35000 -> "35,000元"; 35000.5 -> "35,000.50元"."""
    if yuan == yuan.to_integral_value():
        return f"{int(yuan):,}元"
    return f"{yuan:,.2f}元"
