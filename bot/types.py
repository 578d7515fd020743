"""The values the dialogue step reads and returns.

The step is pure: everything it needs from the database or the clock arrives in a
:class:`Context`, and everything it wants done to the world leaves as an effect.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from bot.state import Conversation, SiteInfo
from config import DEFAULTS

__all__ = [
    "AttachEvidence",
    "CaseSummary",
    "Context",
    "Effect",
    "Incoming",
    "Policy",
    "RequestHuman",
    "SiteInfo",
    "Submit",
    "Turn",
    "numbered",
]

#: The case number a submitting step says until the service takes one: numbering only
#: a complaint that is filed, without running the step twice.
PENDING_CASE_NO = "\x00case-no\x00"


@dataclass(frozen=True)
class Incoming:
    """What the worker did, free of WeChat's wire format."""

    kind: str  # text, image, voice, video, shortvideo, location, link, event, ...
    text: str = ""
    event: str | None = None
    event_key: str | None = None
    message_id: int | None = None
    #: The site code this message names (QR scene or "工地 <code>"), read once by the service.
    site_code: str | None = None


@dataclass(frozen=True)
class CaseSummary:
    """One of the worker's own complaints, as the step may show it."""

    case_no: str
    status: str
    employer: str
    created_on: date
    updated_on: date
    accept_by: date | None = None
    #: When the investigation ends, with the extension applied once staff granted it.
    investigate_by: date | None = None
    extended: bool = False
    #: The next legal deadline has passed (the worker is told what happens next).
    overdue: bool = False
    #: The line inviting the worker to progress notices ("": subscribed, or none offered).
    invite: str = ""
    #: The worker's word on the money of a resolved case: "" (not asked), asked, paid,
    #: partial, none, or unconfirmed (no answer in the days allowed).
    payment: str = ""


@dataclass(frozen=True)
class Policy:
    """Configurable thresholds (the service reads them from the app's configuration; the
    defaults are the settings table's)."""

    group_headcount: int = DEFAULTS["GROUP_HEADCOUNT"]
    group_amount: Decimal = Decimal(DEFAULTS["GROUP_AMOUNT"])
    same_case_days: int = DEFAULTS["SAME_CASE_DAYS"]
    resume_after_hours: float = DEFAULTS["RESUME_AFTER_HOURS"]
    form_expiry_hours: float = DEFAULTS["FORM_EXPIRY_HOURS"]
    #: After a hand-off the bot says staff will call, instead of its menu, this long.
    handoff_hours: float = 24.0
    #: Where the invite to progress notices links (PUBLIC_BASE_URL) and the key signing the
    #: link; empty: no subscription channel is configured, no invite.
    invite_base: str = ""
    invite_key: str = ""
    #: Consents from the subscribe button are long-term (a public-service account).
    long_term_consent: bool = False


@dataclass(frozen=True)
class Context:
    """What the service knows that the step needs: the clock, the worker's cases, a site."""

    now: datetime
    today: date  # in China
    cases: tuple[CaseSummary, ...] = ()
    #: The site named by this message's QR scene or "工地 <code>" text, when active.
    site: SiteInfo | None = None
    #: Workers of that site already filed and were linked into a collective case: who they
    #: name as the employer ("" when unknown). None: no such case is open.
    site_collective_employer: str | None = None
    next_case_no: str = PENDING_CASE_NO
    held_by_staff: bool = False
    #: Whether a request for a person still waits for staff (None: the service does not
    #: say; then only the state's own clock ends the hand-off).
    handoff_open: bool | None = None
    policy: Policy = field(default_factory=Policy)


@dataclass(frozen=True)
class Submit:
    """File the complaint: ``fields`` are Complaint column values."""

    case_no: str
    fields: dict[str, Any]
    evidence_message_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class AttachEvidence:
    """Keep the media of ``message_id``; attach it to ``case_no`` (None: the open form)."""

    message_id: int
    kind: str
    case_no: str | None = None


@dataclass(frozen=True)
class RequestHuman:
    """Flag the conversation for staff."""

    reason: str


Effect = Submit | AttachEvidence | RequestHuman


@dataclass(frozen=True)
class Turn:
    """The outcome of one step: the new state, what to say, and what to do."""

    state: Conversation
    replies: tuple[str, ...] = ()
    effects: tuple[Effect, ...] = ()


def numbered(turn: Turn, case_no: str) -> Turn:
    """A submitting turn with the case number the service took in place of the pending one."""
    return Turn(
        turn.state,
        tuple(reply.replace(PENDING_CASE_NO, case_no) for reply in turn.replies),
        tuple(
            replace(effect, case_no=case_no) if isinstance(effect, Submit) else effect
            for effect in turn.effects
        ),
    )
