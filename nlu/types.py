"""Plain value types shared by the NLU client, the rule-based fallback and the bot.

They are frozen dataclasses with JSON-friendly fields so that the dialogue can keep them in
its stored state without a conversion layer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

#: The intents the bot understands (the NLU issue fixes these names).
INTENTS: tuple[str, ...] = (
    "report_arrears",
    "query_status",
    "ask_policy",
    "other_labour",
    "provide_info",
    "affirm",
    "deny",
    "cancel",
    "request_human",
    "greet",
    "thank",
    "goodbye",
    "out_of_scope",
)

#: Rasa's FallbackClassifier names a low-confidence parse this way.
FALLBACK_INTENT = "nlu_fallback"


@dataclass(frozen=True)
class Amount:
    """Money owed, in yuan, as an exact decimal."""

    yuan: Decimal
    approximate: bool = False
    per_person: bool = False  # "一人八千多": each worker's share, not the total


@dataclass(frozen=True)
class Duration:
    """A length of time as written by a worker ("三个多月", "两个月零十天")."""

    months: int = 0
    days: int = 0
    approximate: bool = False


@dataclass(frozen=True)
class Headcount:
    """How many workers are owed wages."""

    count: int
    approximate: bool = False


@dataclass(frozen=True)
class YearMonth:
    """A calendar month; day precision is rare in workers' messages."""

    year: int
    month: int
    day: int | None = None  # only when the worker wrote one ("8月1号")


@dataclass(frozen=True)
class DateRange:
    """A period such as "去年10月到今年1月"; either end may be unknown."""

    start: YearMonth | None = None
    end: YearMonth | None = None


EntityValue = Amount | Duration | Headcount | DateRange | YearMonth | str


@dataclass(frozen=True)
class Entity:
    """One extracted entity with its normalised value.

    ``name`` is one of: amount, duration, headcount, employer, site, person_name, phone,
    work_type, date, contractor (a boss named as a person).  ``text`` is the span as written.
    """

    name: str
    text: str
    value: EntityValue
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class ParseResult:
    """What the NLU made of one message."""

    text: str
    intent: str
    confidence: float
    entities: tuple[Entity, ...] = ()
    #: "rasa" when the Rasa server answered, "rules" when the fallback classifier did.
    source: str = "rasa"
    ranking: tuple[tuple[str, float], ...] = field(default=())

    def first(self, name: str) -> Entity | None:
        """Return the first entity called ``name``, if any."""
        return next((e for e in self.entities if e.name == name), None)
