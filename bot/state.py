"""The conversation state, typed: what the dialogue remembers between two messages.

Frozen dataclasses in memory; JSON in the database (encrypted, ``ConversationState.state``).
:func:`load` and :func:`dump` are the one place that converts between the two. The JSON
keeps the shape rows were stored in before the state was typed (``{"form": {"values":
{"amount": {"yuan": "35000", ...}}}, "offered": {"actions": ["fix:phone", ...]}}``), so
rows stored by any version are read, and a rollback reads rows stored by this one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Literal, TypeAlias

from cases.values import Amount, Headcount, Period, SiteInfo, SlotValue, Values
from nlu.types import YearMonth

__all__ = [
    "Amount",
    "Choice",
    "Conversation",
    "Form",
    "Headcount",
    "Media",
    "Offer",
    "Period",
    "SiteInfo",
    "SlotValue",
    "Story",
    "Values",
    "dump",
    "load",
]

Stage: TypeAlias = Literal["filling", "fix", "confirm"]
#: How an offer also takes a word: "yes" (是/好 taps the first choice), "both" (and 不 the
#: second), or None (numbers only).
YesNo: TypeAlias = Literal["yes", "both"] | None


@dataclass(frozen=True)
class Media:
    """A photo, voice message, video or location the worker sent as evidence."""

    message_id: int
    kind: str


@dataclass(frozen=True)
class Choice:
    """One numbered option: ``kind`` (report, submit, fix, case, ...) and its argument."""

    kind: str
    arg: str = ""  # the slot of "fix", the case number of "case" and "same_case"


@dataclass(frozen=True)
class Story:
    """The words and facts of a message whose complaint waits for one tap."""

    text: str
    values: Values = field(default_factory=dict)
    #: The scanned site the offer was made for (joining a collective case).
    site: SiteInfo | None = None


@dataclass(frozen=True)
class Offer:
    """Numbered choices waiting for the worker's answer."""

    choices: tuple[Choice, ...]
    yes_no: YesNo = None
    story: Story | None = None


@dataclass(frozen=True)
class Form:
    """The complaint being filled in."""

    values: Values = field(default_factory=dict)
    stage: Stage = "filling"
    #: The slot asked (``slots.OPEN``: the open question), None before any.
    asking: str | None = None
    tries: Mapping[str, int] = field(default_factory=dict)
    #: Answers kept raw, or unknown, by slot: for staff.
    flags: Mapping[str, str] = field(default_factory=dict)
    #: Required slots whose reason was told after a "不知道".
    explained: tuple[str, ...] = ()
    evidence: tuple[Media, ...] = ()
    site: SiteInfo | None = None  # from a QR code or "工地 <code>"
    description: str | None = None  # the story as first told
    id_number: str | None = None
    open_asked: bool = False
    boss_asked: bool = False
    same_case_asked: bool = False


@dataclass(frozen=True)
class Conversation:
    """Everything the dialogue remembers about one worker."""

    form: Form | None = None
    offered: Offer | None = None
    evidence: tuple[Media, ...] = ()  # sent before any form, for the next one
    misses: int = 0  # messages in a row not understood
    human_requested: bool = False
    handoff_at: datetime | None = None  # when staff were last called
    updated_at: datetime | None = None


# --- from JSON --------------------------------------------------------------------------


def load(data: Mapping[str, Any] | None) -> Conversation:
    """The conversation stored as ``data`` (any version's shape; {} or None: a new one)."""
    data = data or {}
    offered = data.get("offered")
    return Conversation(
        form=_load_form(data["form"]) if isinstance(data.get("form"), dict) else None,
        offered=_load_offer(offered) if isinstance(offered, dict) else None,
        evidence=_load_media(data.get("evidence")),
        misses=int(data.get("misses") or 0),
        human_requested=bool(data.get("human_requested")),
        handoff_at=_load_time(data.get("handoff_at")),
        updated_at=_load_time(data.get("updated_at")),
    )


def _load_form(data: Mapping[str, Any]) -> Form:
    stage = data.get("stage")
    site = data.get("site")
    return Form(
        values=load_values(data.get("values") or {}),
        stage=stage if stage in ("filling", "fix", "confirm") else "filling",
        asking=data.get("asking"),
        tries={str(k): int(v) for k, v in (data.get("tries") or {}).items()},
        flags={str(k): str(v) for k, v in (data.get("flags") or {}).items()},
        explained=tuple(data.get("explained") or ()),
        evidence=_load_media(data.get("evidence")),
        site=_load_site(site) if isinstance(site, dict) else None,
        description=data.get("description"),
        id_number=data.get("id_number"),
        open_asked=bool(data.get("open_asked")),
        boss_asked=bool(data.get("boss_asked")),
        same_case_asked=bool(data.get("same_case_asked")),
    )


def _load_offer(data: Mapping[str, Any]) -> Offer:
    choices = tuple(_load_choice(str(action)) for action in data.get("actions") or ())
    yes_no = data.get("yes_no")  # stored rows also hold False for "numbers only"
    story = data.get("story")
    return Offer(
        choices,
        yes_no if yes_no in ("yes", "both") else None,
        _load_story(story) if isinstance(story, dict) else None,
    )


def _load_story(data: Mapping[str, Any]) -> Story:
    site = data.get("site")
    return Story(
        str(data.get("text", "")),
        load_values(data.get("values") or {}),
        _load_site(site) if isinstance(site, dict) else None,
    )


def _load_choice(action: str) -> Choice:
    kind, _, arg = action.partition(":")  # "fix:phone", "case:261126-0001", "report"
    return Choice(kind, arg)


def load_values(data: Mapping[str, Any]) -> dict[str, SlotValue]:
    """Slot values stored as JSON, each read by its shape."""
    values = {str(name): _load_value(value) for name, value in data.items()}
    return {name: value for name, value in values.items() if value is not None}


def _load_value(value: Any) -> SlotValue | None:
    if isinstance(value, dict):
        if "yuan" in value:
            try:
                yuan = Decimal(str(value["yuan"]))
            except InvalidOperation:
                return None
            return Amount(yuan, bool(value.get("approximate")), bool(value.get("per_person")))
        if "count" in value:
            return Headcount(int(value["count"]), bool(value.get("approximate")))
        return Period(
            str(value.get("text") or ""),
            _load_month(value.get("start")),
            _load_month(value.get("end")),
            _int_or_none(value.get("months")),
            _int_or_none(value.get("days")),
        )
    return None if value is None else str(value)


def _load_month(text: Any) -> YearMonth | None:
    """ "2026-08" or "2026-08-01" (when the worker said the day)."""
    if not isinstance(text, str) or not text:
        return None
    year, month, *day = (int(part) for part in text.split("-"))
    return YearMonth(year, month, day[0] if day else None)


def _dump_site(site: SiteInfo) -> dict[str, Any]:
    return {
        "code": site.code,
        "name": site.name,
        "address": site.address,
        "general_contractor": site.general_contractor,
        "id": site.id,
    }


def _load_site(data: Mapping[str, Any]) -> SiteInfo:
    return SiteInfo(
        str(data.get("code") or ""),
        str(data.get("name") or ""),
        str(data.get("address") or ""),
        str(data.get("general_contractor") or ""),
        _int_or_none(data.get("id")),
    )


def _load_media(data: Any) -> tuple[Media, ...]:
    return tuple(Media(int(mid), str(kind)) for mid, kind in data or ())


def _load_time(text: Any) -> datetime | None:
    if not isinstance(text, str):
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:  # never stored, but a row must never stop a conversation
        return None


def _int_or_none(value: Any) -> int | None:
    return None if value is None else int(value)


# --- to JSON ----------------------------------------------------------------------------


def dump(conversation: Conversation) -> dict[str, Any]:
    """The JSON document of ``conversation`` (keys at their default are left out)."""
    data: dict[str, Any] = {}
    if conversation.form is not None:
        data["form"] = _dump_form(conversation.form)
    if conversation.offered is not None:
        data["offered"] = _dump_offer(conversation.offered)
    if conversation.evidence:
        data["evidence"] = _dump_media(conversation.evidence)
    if conversation.misses:
        data["misses"] = conversation.misses
    if conversation.human_requested:
        data["human_requested"] = True
    if conversation.handoff_at is not None:
        data["handoff_at"] = conversation.handoff_at.isoformat()
    if conversation.updated_at is not None:
        data["updated_at"] = conversation.updated_at.isoformat()
    return data


def _dump_form(form: Form) -> dict[str, Any]:
    data: dict[str, Any] = {
        "values": dump_values(form.values),
        "tries": dict(form.tries),
        "flags": dict(form.flags),
        "explained": list(form.explained),
        "stage": form.stage,
        "asking": form.asking,
        "evidence": _dump_media(form.evidence),
    }
    if form.site is not None:
        data["site"] = _dump_site(form.site)
    optional = ("description", "id_number", "open_asked", "boss_asked", "same_case_asked")
    data.update({name: getattr(form, name) for name in optional if getattr(form, name)})
    return data


def _dump_offer(offer: Offer) -> dict[str, Any]:
    data: dict[str, Any] = {
        "actions": [f"{c.kind}:{c.arg}" if c.arg else c.kind for c in offer.choices],
        "yes_no": offer.yes_no,
    }
    if offer.story is not None:
        story = offer.story
        data["story"] = {"text": story.text, "values": dump_values(story.values)}
        if story.site is not None:
            data["story"]["site"] = _dump_site(story.site)
    return data


def dump_values(values: Values) -> dict[str, Any]:
    """Slot values as JSON."""
    return {name: dump_value(value) for name, value in values.items()}


def dump_value(value: SlotValue) -> Any:
    """One slot value as JSON."""
    if isinstance(value, Amount):
        amount: dict[str, Any] = {"yuan": str(value.yuan), "approximate": value.approximate}
        return amount | ({"per_person": True} if value.per_person else {})
    if isinstance(value, Headcount):
        return {"count": value.count, "approximate": value.approximate}
    if isinstance(value, Period):
        period: dict[str, Any] = {"text": value.text}
        if value.start is not None or value.end is not None or value.months is None:
            period.update(start=_dump_month(value.start), end=_dump_month(value.end))
        if value.months is not None:
            period.update(months=value.months, days=value.days)
        return period
    return value


def _dump_month(month: YearMonth | None) -> str | None:
    if month is None:
        return None
    text = f"{month.year}-{month.month:02d}"
    return f"{text}-{month.day:02d}" if month.day else text


def _dump_media(media: tuple[Media, ...]) -> list[list[Any]]:
    return [[item.message_id, item.kind] for item in media]
