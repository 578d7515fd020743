"""A complaint's fields, one definition for every channel: the bot's form, staff intake
and spreadsheet imports.

Each field has its label, whether it is required (and why, for whoever does not know it)
and its reader (``cases/readers.py``). The bot adds its questions and hints to the same
fields (``bot/slots.py``); staff intake and spreadsheet imports read their text here, so
"三万多", "十几个人" or "老板王德发(德发建筑劳务公司)" mean the same whoever typed them.
Only the fields the bot never asks (ID number, description) are added for staff.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from cases import readers
from cases.columns import GroupThresholds
from cases.columns import columns as form_columns
from cases.readers import NOT_KNOWN, UNKNOWN_VALUE, Reader
from cases.reading import is_unknown
from cases.values import SiteInfo, SlotValue, Values
from cases.values import display as display_value
from models import Site

#: Why a required field matters: told to a worker who does not know it, and to staff.
WHY_EMPLOYER = "工作人员要找到欠钱的人才能处理，知道姓、外号或公司名字的一部分也行。"
WHY_AMOUNT = "金额是处理的依据，说个大概就行，如“三万多”，或每天多少钱、干了多少天。"
WHY_PHONE = "工作人员要打电话核实情况，没有手机可以留家人或工友的电话。"


@dataclass(frozen=True)
class FormField:
    """One field of the complaint form, as every channel reads it."""

    name: str
    label: str  # in the worker's summary
    read: Reader  # reads the words written for this field
    #: Required: "不知道" is explained once (``why``), then kept as unknown and flagged.
    #: Optional: "不知道" is kept as unknown at once.
    required: bool = False
    why: str = ""


#: The form's fields in the order the bot asks them.
FORM: tuple[FormField, ...] = (
    FormField("site", "工地/项目", readers.read_site),
    FormField("employer", "欠钱的老板/公司", readers.read_boss, True, WHY_EMPLOYER),
    FormField("amount", "欠款金额", readers.read_amount, True, WHY_AMOUNT),
    FormField("headcount", "被欠薪人数", readers.read_headcount),
    FormField("period", "欠薪时间", readers.read_period),
    FormField("work_type", "工种", readers.read_work_type),
    FormField("contact_name", "您的姓名", readers.read_name),
    FormField("phone", "联系电话", readers.read_phone, True, WHY_PHONE),
)
FORM_BY_NAME = {f.name: f for f in FORM}


def read_as(name: str, text: str, today: date) -> dict[str, SlotValue] | None:
    """Read ``text`` as written for field ``name``: its values (a boss and a company told
    together fill ``employer`` and ``contractor``), or None when it cannot be read."""
    value = FORM_BY_NAME[name].read(text, today)
    if name == "employer":
        return readers.boss_value(str(value)) if value else None
    return None if value is None else {name: value}


@dataclass(frozen=True)
class Field:
    """One field a person fills in for a complaint."""

    name: str
    label: str
    required: bool
    #: What the field needs when it is missing (the bot's reason, for staff).
    why: str = ""


#: The form's fields, in the bot's order, then the fields only staff enter.
FIELDS: tuple[Field, ...] = tuple(
    Field(f.name, f.label.replace("您的", "工人"), f.required, f.why) for f in FORM
) + (
    Field("id_number", "身份证号", False),
    Field("description", "情况描述", False),
)
BY_NAME = {f.name: f for f in FIELDS}


@dataclass
class Reading:
    """What a filled-in form says (values as the fields' readers return them, flags,
    the registered site, the staff-only fields) and the errors by field."""

    values: dict[str, Any] = field(default_factory=dict)
    flags: dict[str, str] = field(default_factory=dict)
    site: Site | None = None
    description: str | None = None
    id_number: str | None = None
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Whether every field could be read."""
        return not self.errors


def read_fields(raw: Mapping[str, str | None], today: date, site: Site | None) -> Reading:
    """Read each field's text with that field's reader (the bot's too).

    An empty required field is an error; "不详" (or any way of saying "not known") in a
    required field is kept as unknown and flagged, as the bot does after asking twice.
    """
    reading = Reading(site=site)
    if site is not None:
        reading.values["site"] = site.name
    for each in FORM:
        text = (raw.get(each.name) or "").strip()
        if not text:
            if each.required:
                reading.errors[each.name] = f"必填（{each.why}工人不清楚请填“不详”）"
            continue
        if is_unknown(text):
            reading.values[each.name] = NOT_KNOWN if each.required else UNKNOWN_VALUE
            if each.required:
                reading.flags[each.name] = NOT_KNOWN
            continue
        value = read_as(each.name, text, today)
        if value is None:
            reading.errors[each.name] = f"无法识别“{text[:40]}”"
        else:
            reading.values.update(value)
    _read_extras(raw, reading)
    return reading


def _read_extras(raw: Mapping[str, str | None], reading: Reading) -> None:
    number = (raw.get("id_number") or "").strip().upper()
    if number:
        if readers.valid_id_number(number):
            reading.id_number = number
        else:
            reading.errors["id_number"] = "身份证号应为18位且校验位正确"
    description = (raw.get("description") or "").strip()
    if description:
        reading.description = description


def columns(
    reading: Reading, config: Mapping[str, Any], now: datetime, today: date
) -> dict[str, Any]:
    """The Complaint column values of a read form, exactly as the bot computes them
    (group thresholds from the configuration, deadlines from ``today``)."""
    return form_columns(_Filled.of(reading), GroupThresholds.from_config(config), now, today)


@dataclass(frozen=True)
class _Filled:
    """A read form as ``cases.columns`` takes it (the registered site as its facts)."""

    values: Values
    flags: Mapping[str, str]
    site: SiteInfo | None
    description: str | None
    id_number: str | None

    @classmethod
    def of(cls, reading: Reading) -> _Filled:
        site = reading.site
        return cls(
            values=dict(reading.values),
            flags=dict(reading.flags),
            site=SiteInfo(
                site.code, site.name, site.address or "", site.general_contractor or "", site.id
            )
            if site is not None
            else None,
            description=reading.description,
            id_number=reading.id_number,
        )


def display(reading: Reading) -> dict[str, str]:
    """Each read value as the worker and staff read it (the bot's summary wording)."""
    values = reading.values
    return {
        BY_NAME[name].label: display_value(name, value, values)
        for name, value in values.items()
        if name in BY_NAME
    }
