"""Runs one dialogue step for a stored inbound message and carries out what it decided.

The caller (the webhook, the CLI, a test) owns the session and decides when to commit.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any, Protocol

from sqlalchemy import Select, bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import checkins, notices, state
from bot.dialogue import step
from bot.types import (
    AttachEvidence,
    CaseSummary,
    Context,
    Effect,
    Incoming,
    Policy,
    RequestHuman,
    SiteInfo,
    Submit,
    Turn,
    numbered,
)
from cases import collective, numbering, payment
from cases.deadlines import china_day, investigation_ends
from cases.notices import TEMPLATE_KINDS as KINDS
from cases.statuses import INVESTIGATING, OPEN
from models import (
    CaseWork,
    Complaint,
    ConversationState,
    Evidence,
    Message,
    Site,
    StatusChange,
    utcnow,
)
from models.chat import conversation_of
from nlu.types import ParseResult
from sites.scans import parse_site_command, record_scan

log = logging.getLogger(__name__)


class Parser(Protocol):
    """Anything that turns text into a :class:`ParseResult` (the NLU client, a test double)."""

    def parse(self, text: str) -> ParseResult:
        """Parse one message."""
        ...


@dataclass
class Outcome:
    """What the edge still has to do: reply (passively, or later as a customer-service
    message through ``reply_message``), and fetch media."""

    reply: str | None
    evidence_to_download: list[int] = field(default_factory=list)
    reply_message: Message | None = None


def policy_from_config(config: Mapping[str, Any]) -> Policy:
    """The dialogue's thresholds from the app configuration (its defaults: config.SETTINGS)."""
    invite_base, invite_key = _invite_settings(config)
    long_term = bool(config.get("WECHAT_SUBSCRIBE_LONG_TERM"))
    return Policy(
        group_headcount=int(config["GROUP_HEADCOUNT"]),
        group_amount=Decimal(str(config["GROUP_AMOUNT"])),
        same_case_days=int(config["SAME_CASE_DAYS"]),
        resume_after_hours=float(config["RESUME_AFTER_HOURS"]),
        form_expiry_hours=float(config["FORM_EXPIRY_HOURS"]),
        invite_base=invite_base,
        invite_key=invite_key,
        long_term_consent=long_term,
    )


def _invite_settings(config: Mapping[str, Any]) -> tuple[str, str]:
    """The invite to progress notices is offered when a channel to subscribe to exists:
    its link's base and signing key, or ("", "")."""
    names = ("WECHAT_ONE_TIME_TEMPLATE", *(f"WECHAT_SUBSCRIBE_TEMPLATE_{k.upper()}" for k in KINDS))
    if not any(config.get(name) for name in names):
        return "", ""
    return str(config["PUBLIC_BASE_URL"]).rstrip("/"), str(config["SECRET_KEY"])


def handle_message(
    session: Session,
    message: Message,
    parser: Parser,
    policy: Policy | None = None,
    now: datetime | None = None,
) -> Outcome:
    """Answer a stored inbound message and store what came of it."""
    # First, before the NLU call: a turn past the reply budget and the worker's next message
    # would otherwise both read the state, and the later commit would undo the other turn.
    conversation = conversation_of(session, message.worker_id, lock=True)
    parse = _understand(message, parser)
    incoming = _incoming(message)
    site = _site(session, message, incoming.site_code)
    ctx = _context(session, message, conversation, site, policy or Policy(), now or utcnow())
    outcome = Outcome(None)
    # A reply to a case notice answers that notice, not the menu (bot/notices.py); the
    # subscribe button's choices are stored as consents.
    notices.record_consents(session, message, ctx.policy, ctx.now)
    remembered = state.load(conversation.state)
    turn = checkins.handle(session, message, remembered, ctx) or _answer_or_step(
        session, message, remembered, incoming, parse, ctx
    )
    if any(isinstance(effect, Submit) for effect in turn.effects):
        turn, downloads = _submit_numbered(session, message, conversation, turn, ctx)
        submitted = next(e for e in turn.effects if isinstance(e, Submit))
        turn = _with_invite(session, turn, submitted.case_no, ctx.policy)
        turn = _with_checkin_offer(session, turn, message.worker_id, submitted.fields["site_id"])
    else:
        downloads = _apply(session, message, conversation, turn)
        if site is not None and incoming.site_code:
            turn = _with_checkin_offer(session, turn, message.worker_id, site.id)
    outcome.evidence_to_download = downloads
    if parse is not None:  # set now, not before the reads above: one UPDATE of the row
        message.intent, message.confidence = parse.intent, parse.confidence
        message.nlu_source = parse.source
    conversation.state = state.dump(turn.state)
    message.status = "handled"
    outcome.reply = "\n\n".join(turn.replies) or None
    if outcome.reply is not None:
        outcome.reply_message = Message(
            worker_id=message.worker_id,
            direction="out",
            msg_type="text",
            content=outcome.reply,
            reply_to_id=message.id,
            status="passive",
        )
        session.add(outcome.reply_message)
    return outcome


def _answer_or_step(
    session: Session,
    message: Message,
    remembered: state.Conversation,
    incoming: Incoming,
    parse: ParseResult | None,
    ctx: Context,
) -> Turn:
    """A reply to a case notice answers that notice; anything else is the dialogue's."""
    # Notices, payment questions and consents all belong to filed cases: a worker with none
    # (most messages) skips their four look-ups.
    if ctx.cases:
        in_form = remembered.form is not None
        noticed = notices.answer(session, message, ctx.cases, ctx.now, in_form)
        if noticed is not None:
            return Turn(remembered, (noticed,))
    return step(remembered, incoming, parse, ctx)


def _submit_numbered(
    session: Session,
    message: Message,
    conversation: ConversationState,
    pending: Turn,
    ctx: Context,
) -> tuple[Turn, list[int]]:
    """Number a submitting turn's complaint, and apply its effects.

    The case is numbered only once it is submitted: the step said a pending number, which
    is replaced here. The effects are applied in a savepoint, so that a number already used
    some other way (by hand, an import) is skipped.
    """
    for _attempt in range(numbering.ATTEMPTS):
        case_no = numbering.next_case_no(session, ctx.today)
        turn = numbered(pending, case_no)
        try:
            with session.begin_nested():
                downloads = _apply(session, message, conversation, turn)
            return turn, downloads
        except IntegrityError as exc:
            if not numbering.is_taken_number(exc):
                raise
            # Move the counter past the numbers used, and take the next.
            log.warning("case number %s already used; taking the next", case_no)
            numbering.skip_taken(session, case_no)
    raise RuntimeError("no free case number")


def _apply(
    session: Session, message: Message, conversation: ConversationState, turn: Turn
) -> list[int]:
    downloads: list[int] = []
    for effect in turn.effects:
        evidence = _apply_one(session, message, conversation, effect)
        if evidence is not None:
            downloads.append(evidence.id)
    session.flush()
    return downloads


def _apply_one(
    session: Session, message: Message, conversation: ConversationState, effect: Effect
) -> Evidence | None:
    if isinstance(effect, Submit):
        _submit(session, message, effect)
    elif isinstance(effect, AttachEvidence):
        evidence = _attach(session, message, effect)
        return evidence if evidence.download_status == "pending" else None
    elif isinstance(effect, RequestHuman):
        conversation.handoff_requested_at = utcnow()
        conversation.handoff_reason = effect.reason
    return None


def _submit(session: Session, message: Message, effect: Submit) -> None:
    fields = dict(effect.fields)
    site_code = fields.pop("site_code", None)
    if site_code and fields["site_id"] is None:  # a form stored before site ids were kept
        fields["site_id"] = session.scalar(select(Site.id).where(Site.code == site_code))
    complaint = Complaint(
        case_no=effect.case_no, worker_id=message.worker_id, status="submitted", **fields
    )
    session.add(complaint)
    session.flush()  # the unique case number is checked here
    session.add(
        StatusChange(
            complaint_id=complaint.id,
            from_status=None,
            to_status="submitted",
            note="工人通过微信提交",
        )
    )
    if effect.evidence_message_ids:
        for evidence in session.scalars(
            select(Evidence).where(Evidence.message_id.in_(effect.evidence_message_ids))
        ):
            evidence.complaint_id = complaint.id
    collective.link_filed(session, complaint)  # issue 19: one 群体性案件 per employer/site


def _attach(session: Session, message: Message, effect: AttachEvidence) -> Evidence:
    evidence = session.scalar(select(Evidence).where(Evidence.message_id == effect.message_id))
    if evidence is None:
        media_id = message.media_id if message.id == effect.message_id else None
        evidence = Evidence(
            message_id=effect.message_id,
            kind=effect.kind,
            media_id=media_id,
            download_status="pending" if media_id else "not_needed",
        )
        session.add(evidence)
    if effect.case_no:
        evidence.complaint_id = session.scalar(
            select(Complaint.id).where(
                Complaint.case_no == effect.case_no, Complaint.worker_id == message.worker_id
            )
        )
    session.flush()
    return evidence


def _understand(message: Message, parser: Parser) -> ParseResult | None:
    # Text, or a voice message that still carries WeChat's transcript.
    if message.msg_type not in ("text", "voice") or not (message.content or "").strip():
        return None
    return parser.parse(message.content or "")


def _context(
    session: Session,
    message: Message,
    conversation: ConversationState,
    site: SiteInfo | None,
    policy: Policy,
    now: datetime,
) -> Context:
    today = china_day(now)
    return Context(
        now=now,
        today=today,
        cases=_cases(session, message.worker_id, today, policy),
        site=site,
        site_collective_employer=_collective_employer(session, site),
        held_by_staff=conversation.held_by_staff_id is not None,
        handoff_open=conversation.handoff_requested_at is not None,
        policy=policy,
    )


def _collective_employer(session: Session, site: SiteInfo | None) -> str | None:
    """Whom the open collective case of a scanned site names ("" unknown), or None when
    there is none: only a message that names a site pays for the look-up."""
    if site is None or site.id is None:
        return None
    found = collective.open_for_site(session, site.id)
    return None if found is None else collective.employer_named(session, found)


def _with_invite(session: Session, turn: Turn, case_no: str, policy: Policy) -> Turn:
    """The submission's reply ends with the one-line invite to progress notices."""
    return _with_line(turn, notices.invite_line(session, case_no, policy))


def _with_checkin_offer(session: Session, turn: Turn, worker_id: int, site_id: Any) -> Turn:
    """A scan's or a filing's reply ends with the offer of pay-day check-ins for its site."""
    site = site_id if isinstance(site_id, int) else None
    return _with_line(turn, checkins.offer_line(session, worker_id, site))


def _with_line(turn: Turn, line: str | None) -> Turn:
    if line is None or not turn.replies:
        return turn
    return replace(turn, replies=(*turn.replies[:-1], f"{turn.replies[-1]}\n{line}"))


def _cases(
    session: Session, worker_id: int, today: date, policy: Policy
) -> tuple[CaseSummary, ...]:
    rows = session.execute(_cases_query(), {"worker_id": worker_id})
    summaries = (
        CaseSummary(
            r.case_no,
            r.status,
            r.employer or "",
            china_day(r.created_at),
            china_day(r.updated_at),
            r.accept_by,
            # The worker hears the deadline staff see: with any extension granted.
            investigation_ends(
                china_day(r.submitted_at or r.created_at), r.investigate_by, bool(r.extended)
            ),
            bool(r.extended),
            payment=r.payment or "",
        )
        for r in rows
    )
    return tuple(_with_clock(session, case, worker_id, today, policy) for case in summaries)


@cache
def _cases_query() -> Select[*tuple[Any, ...]]:
    """A worker's filed cases, newest first, by ``:worker_id``: built once, as building it
    cost a quarter of running it on every message."""
    # Only the columns a summary shows: loading whole complaints would decrypt the
    # worker's phone and ID number on every message.
    return (
        select(
            Complaint.case_no,
            Complaint.status,
            Complaint.employer,
            Complaint.created_at,
            Complaint.submitted_at,
            Complaint.updated_at,
            Complaint.accept_by,
            Complaint.investigate_by,
            CaseWork.extended,
            payment.latest_answer().label("payment"),
        )
        .outerjoin(CaseWork, CaseWork.complaint_id == Complaint.id)
        .where(Complaint.worker_id == bindparam("worker_id"), Complaint.status != "draft")
        .order_by(Complaint.id.desc())
    )


def _with_clock(
    session: Session, case: CaseSummary, worker_id: int, today: date, policy: Policy
) -> CaseSummary:
    """Whether the case's next legal deadline passed, and the invite when not subscribed."""
    due = {"submitted": case.accept_by}.get(case.status)
    if case.status in INVESTIGATING:
        due = case.investigate_by
    invite = ""
    if case.status in OPEN and not notices.subscribed(session, worker_id):
        invite = notices.invite_line(session, case.case_no, policy) or ""
    return replace(case, overdue=due is not None and due < today, invite=invite)


def _site(session: Session, message: Message, code: str | None) -> SiteInfo | None:
    """The active site of ``code``, the one this message names; every scan is recorded."""
    if not code:
        return None
    kind = {"subscribe_scan": "subscribe", "scan": "scan"}.get(message.event or "", "text")
    site = record_scan(session, code=code, worker_id=message.worker_id, kind=kind)
    if site is None:
        return None
    return SiteInfo.of(site)


def _incoming(message: Message) -> Incoming:
    return Incoming(
        kind=message.msg_type,
        text=message.content or "",
        event=message.event,
        event_key=message.event_key,
        message_id=message.id,
        site_code=_site_code(message),
    )


def _site_code(message: Message) -> str | None:
    """The site code a message names: a QR code's scene, or "工地 <code>" typed."""
    if message.event in ("subscribe_scan", "scan"):
        return message.event_key or None
    return parse_site_command(message.content or "")
