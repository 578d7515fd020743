"""The bot's side of pay-day check-ins: opting in, stopping, and the worker's answer.

The rules and words are ``cases/checkins.py``'s; this module reads what is pending and
turns it into a turn. The service calls :func:`handle` before the dialogue step: "发工资后
问我" opts in to the worker's sites, "不要再问了" stops, and "1/2/3" (or 发了/没发/一部分)
right after a check-in answers it; "没发" and "一部分" open the complaint form with the
site and the month already filled in (:func:`start_complaint`, pure).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import form
from bot.state import Conversation, Period, SlotValue, Story
from bot.types import Context, SiteInfo, Turn
from cases import checkins
from models import CaseNotice, Checkin, Message, Site
from nlu.types import YearMonth


def handle(session: Session, message: Message, state: Conversation, ctx: Context) -> Turn | None:
    """The turn of a message about check-ins, or None: the dialogue handles it."""
    if message.msg_type != "text" or ctx.held_by_staff:
        return None
    text = (message.content or "").strip()
    if checkins.wants_checkins(text):
        return _opt_in(session, message.worker_id, state, ctx)
    if checkins.wants_no_checkins(text) and checkins.stop(session, message.worker_id, ctx.now):
        return _reply(state, ctx, checkins.STOPPED)
    if _filling(state, ctx):
        return None  # "2", "没发" answer the form's question
    answer = checkins.read_answer(text)
    if answer is None:
        return None
    pending = checkins.pending(session, message.worker_id, ctx.now)
    if pending is None or not _answers(session, message, pending, text.isdigit()):
        return None
    checkins.record_answer(pending, answer, ctx.now)
    state = replace(state, form=None, offered=None)  # a form left days ago has expired
    if answer == checkins.PAID:
        return _reply(state, ctx, checkins.THANKS_PAID)
    site = session.get(Site, pending.site_id)
    assert site is not None  # a check-in's site
    wages = checkins.wages_month(site.pay_day, pending.month)
    return start_complaint(state, ctx, SiteInfo.of(site), wages, answer)


def start_complaint(
    state: Conversation, ctx: Context, site: SiteInfo, wages: tuple[int, int], answer: str
) -> Turn:
    """The complaint form after "没发" or "一部分": site and month known, the rest asked."""
    year, month = wages
    said = f"{year}年{month}月"
    period = Period(said, YearMonth(year, month), YearMonth(year, month))
    values: dict[str, SlotValue] = {"site": site.name, "period": period}
    what = checkins.WHAT[answer]
    story = Story(f"工资提醒：{said}的工资{what}", values, site)
    turn = form.start(state, ctx, None, site, story)
    lead = checkins.FORM_LEAD.format(site=site.name, month=said, what=what)
    replies = (f"{lead}\n{turn.replies[0]}", *turn.replies[1:]) if turn.replies else (lead,)
    return Turn(replace(turn.state, updated_at=ctx.now), replies, turn.effects)


def offer_line(session: Session, worker_id: int, site_id: int | None) -> str | None:
    """The line offering check-ins for a site the worker just scanned or filed about
    (None: no site, no pay day on its poster, or already opted in)."""
    if site_id is None:
        return None
    site = session.get(Site, site_id)
    if site is None or checkins.pay_day_of(site.pay_day) is None:
        return None
    return None if checkins.opted_in(session, worker_id, site_id) else checkins.OFFER


def _opt_in(session: Session, worker_id: int, state: Conversation, ctx: Context) -> Turn:
    sites = checkins.known_sites(session, worker_id)
    if not sites:
        return _reply(state, ctx, checkins.NO_SITE)
    checkins.opt_in(session, worker_id, sites, ctx.now)
    names = "】【".join(site.name for site in sites)
    days = "；".join(site.pay_day or checkins.NO_PAY_DAY for site in sites)
    return _reply(state, ctx, checkins.OPTED_IN.format(sites=names, pay_day=days))


def _answers(session: Session, message: Message, pending: Checkin, digit: bool) -> bool:
    """Whether the message answers the pending check-in: words do for a week; a bare
    number only right after the question, and not when a case notice came later."""
    later_notice = session.scalar(
        select(CaseNotice.id)
        .where(
            CaseNotice.worker_id == message.worker_id,
            CaseNotice.answered_at.is_(None),
            CaseNotice.created_at > pending.asked_at,
        )
        .limit(1)
    )
    if later_notice is not None:
        return False
    if not digit:
        return True
    spoke_since = session.scalar(
        select(Message.id)
        .where(
            Message.worker_id == message.worker_id,
            Message.direction == "in",
            Message.id < message.id,
            Message.created_at > pending.asked_at,
        )
        .limit(1)
    )
    return spoke_since is None


def _filling(state: Conversation, ctx: Context) -> bool:
    """True while a form is open and not yet expired (its answers are the form's)."""
    if state.form is None or state.updated_at is None:
        return state.form is not None
    return ctx.now - state.updated_at <= timedelta(hours=ctx.policy.form_expiry_hours)


def _reply(state: Conversation, ctx: Context, text: str) -> Turn:
    """A reply that leaves an open form where it was (its question follows)."""
    if _filling(state, ctx):
        return Turn(state, (f"{text}\n\n{form.prompt(state)}",))
    return Turn(state, (text,))
