"""A complaint's fields, readers and validation: one definition for every channel.

The bot's form is the definition (``bot/slots.py``: the slots, their labels, which are
required and their pure readers; ``bot/answers.py``: a direct answer read for its slot;
``bot/complaint.py``: a confirmed form's Complaint columns, group flag and deadlines).
Staff intake and spreadsheet imports read their text through the same functions here, so
"三万多", "十几个人" or "老板王德发(德发建筑劳务公司)" mean the same whoever typed them.
Only the fields the bot never asks (ID number, description) are added here.

This is the one place outside ``bot/`` that reads those definitions: ``cases`` otherwise
reads only ``models``. When the bot's refactor settles, the readers and the column mapping
belong here (pure, no dialogue) and ``bot/`` should import them from ``cases.fields``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from bot import answers, complaint, slots
from bot.reader import is_unknown
from bot.types import Context
from models import Site


@dataclass(frozen=True)
class Field:
    """One field a person fills in for a complaint."""

    name: str
    label: str
    required: bool
    #: What the field needs when it is missing (the bot's reason, for staff).
    why: str = ""


#: The form's slots, in the bot's order, then the fields only staff enter.
FIELDS: tuple[Field, ...] = tuple(
    Field(slot.name, slot.label.replace("您的", "工人"), slot.required, slot.why)
    for slot in slots.SLOTS
) + (
    Field("id_number", "身份证号", False),
    Field("description", "情况描述", False),
)
BY_NAME = {f.name: f for f in FIELDS}
#: Required fields a worker may not know: written "不详", kept empty and flagged for staff.
NOT_KNOWN = slots.NOT_KNOWN


@dataclass
class Reading:
    """What a filled-in form says (slot values as the bot's readers return them, flags,
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
    """Read each field's text with the bot's reader for that slot.

    An empty required field is an error; "不详" (or any way of saying "not known") in a
    required field is kept as unknown and flagged, as the bot does after asking twice.
    """
    ctx = Context(now=datetime.now().astimezone(), today=today)
    reading = Reading(site=site)
    if site is not None:
        reading.values["site"] = site.name
    for slot in slots.SLOTS:
        text = (raw.get(slot.name) or "").strip()
        if not text:
            if slot.required:
                reading.errors[slot.name] = f"必填（{slot.why}工人不清楚请填“不详”）"
            continue
        if is_unknown(text):
            reading.values[slot.name] = NOT_KNOWN if slot.required else slots.UNKNOWN_VALUE
            if slot.required:
                reading.flags[slot.name] = NOT_KNOWN
            continue
        value = answers.as_slot(slot.name, text, ctx)
        if value is None:
            reading.errors[slot.name] = f"无法识别“{text[:40]}”"
        else:
            reading.values.update(value)
    _read_extras(raw, reading)
    return reading


def _read_extras(raw: Mapping[str, str | None], reading: Reading) -> None:
    number = (raw.get("id_number") or "").strip().upper()
    if number:
        if complaint.valid_id_number(number):
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
    (group threshold from the configuration, deadlines from ``today``)."""
    # Imported here: the service loads the whole dialogue, which reading fields never needs.
    from bot.service import policy_from_config

    ctx = Context(now=now, today=today, policy=policy_from_config(config))
    return complaint.fields(_bot_form(reading), ctx)


def _bot_form(reading: Reading) -> Any:
    """The bot's confirmed form holding ``reading``: typed (``bot.state.Form``) once the
    bot's state is typed, the JSON-shaped dict of earlier versions before."""
    # While bot/ moves to a typed state (another change in flight), ask the function which
    # form it takes; once that has landed only the typed branch is needed.
    if "Form" not in str(complaint.fields.__annotations__.get("form", "")):
        return _dict_form(reading)
    from bot import state
    site = reading.site
    return state.Form(
        values=dict(reading.values),
        flags=dict(reading.flags),
        site=state.SiteInfo(
            site.code, site.name, site.address or "", site.general_contractor or "", site.id
        )
        if site is not None
        else None,
        description=reading.description,
        id_number=reading.id_number,
    )


def _dict_form(reading: Reading) -> dict[str, Any]:
    site = reading.site
    form: dict[str, Any] = {
        "values": dict(reading.values),
        "flags": dict(reading.flags),
        "description": reading.description,
        "id_number": reading.id_number,
    }
    if site is not None:
        form["site"] = {
            "code": site.code,
            "name": site.name,
            "address": site.address or "",
            "general_contractor": site.general_contractor or "",
        }
    return form


def display(reading: Reading) -> dict[str, str]:
    """Each read value as the worker and staff read it (the bot's summary wording)."""
    values = reading.values
    return {
        BY_NAME[name].label: slots.display(name, value, values)
        for name, value in values.items()
        if name in BY_NAME
    }
