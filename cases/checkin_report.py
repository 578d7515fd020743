"""Pay-day check-in figures per site and month, and the sites that warrant a look.

A site is flagged **unpaid** when CHECKIN_FLAG_WORKERS or more of its workers answered 没发
or 一部分 for a month: an early warning before anyone files. It is flagged **quiet** when
nobody scanned its code and nobody answered a check-in for CHECKIN_QUIET_DAYS: the poster
may be missing from the site.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cases.checkins import PAID, PARTIAL, UNPAID, UNREACHED, month_key, pay_day_of
from cases.deadlines import CHINA
from models import Checkin, CheckinOptIn, Scan, Site

FLAG_UNPAID, FLAG_QUIET = "unpaid", "quiet"
#: A month's answers stay in sight this long after its check-ins went out.
RECENT_DAYS = 45
FLAG_NAMES = {FLAG_UNPAID: "多名工人说工资没发", FLAG_QUIET: "长期无人扫码或回答（告示牌可能缺失）"}


@dataclass(frozen=True)
class CheckinPolicy:
    """When a site is flagged (config: CHECKIN_FLAG_WORKERS, CHECKIN_QUIET_DAYS)."""

    flag_workers: int = 2
    quiet_days: int = 30


@dataclass(frozen=True)
class SiteMonth:
    """One site's check-ins of one month."""

    code: str
    name: str
    pay_day: str
    pay_day_known: bool
    opted_in: int
    asked: int  # reached the worker
    unreachable: int
    paid: int
    unpaid: int
    partial: int
    unanswered: int
    answer_rate: float | None  # answers / asked
    unpaid_share: float | None  # (unpaid + partial) / answers
    flags: tuple[str, ...]

    @property
    def flagged(self) -> bool:
        """True when the site warrants a look."""
        return bool(self.flags)

    def as_json(self) -> dict[str, Any]:
        """The ``checkins report --json`` entry of this site."""
        data = asdict(self)
        data["flags"] = list(self.flags)
        data["flagged"] = self.flagged
        return data


def report(
    session: Session,
    month: str,
    today: date,
    policy: CheckinPolicy,
    quiet: set[int] | None = None,
) -> list[SiteMonth]:
    """Every active site's check-ins of ``month`` ("2026-11"), flagged sites first
    (``quiet``: the quiet sites' ids, when the caller already has them)."""
    sites = _active_sites(session)
    opted = dict(
        session.execute(
            select(CheckinOptIn.site_id, func.count())
            .where(CheckinOptIn.stopped_at.is_(None))
            .group_by(CheckinOptIn.site_id)
        ).all()
    )
    counts: dict[int, Counter[str]] = {}
    for site_id, channel, answer in session.execute(
        select(Checkin.site_id, Checkin.channel, Checkin.answer).where(Checkin.month == month)
    ):
        kind = UNREACHED if channel == UNREACHED else (answer or "unanswered")
        counts.setdefault(site_id, Counter())[kind] += 1
    if quiet is None:
        quiet = _quiet_sites(session, sites, today, policy.quiet_days)
    rows = [
        _site_month(site, opted.get(site.id, 0), counts.get(site.id, Counter()), quiet, policy)
        for site in sites
    ]
    return sorted(rows, key=lambda row: (not row.flagged, row.code))


def _active_sites(session: Session) -> Sequence[Site]:
    return session.scalars(select(Site).where(Site.active.is_(True)).order_by(Site.code)).all()


def _site_month(
    site: Site, opted_in: int, count: Counter[str], quiet: set[int], policy: CheckinPolicy
) -> SiteMonth:
    answered = count[PAID] + count[UNPAID] + count[PARTIAL]
    asked = answered + count["unanswered"]
    owed = count[UNPAID] + count[PARTIAL]
    flags = []
    if owed >= policy.flag_workers:
        flags.append(FLAG_UNPAID)
    if site.id in quiet:
        flags.append(FLAG_QUIET)
    return SiteMonth(
        code=site.code,
        name=site.name,
        pay_day=site.pay_day,
        pay_day_known=pay_day_of(site.pay_day) is not None,
        opted_in=opted_in,
        asked=asked,
        unreachable=count[UNREACHED],
        paid=count[PAID],
        unpaid=count[UNPAID],
        partial=count[PARTIAL],
        unanswered=count["unanswered"],
        answer_rate=round(answered / asked, 3) if asked else None,
        unpaid_share=round(owed / answered, 3) if answered else None,
        flags=tuple(flags),
    )


def _since(today: date, days: int) -> datetime:
    """The start of the China day ``days`` before ``today``."""
    return datetime.combine(today - timedelta(days=days), datetime.min.time(), CHINA)


def _quiet_sites(session: Session, sites: Sequence[Site], today: date, days: int) -> set[int]:
    """Sites older than ``days`` with no scan and no check-in answer in the last ``days``."""
    since = _since(today, days)
    scanned = set(
        session.scalars(select(Scan.site_id).where(Scan.created_at >= since).distinct()).all()
    )
    answered = set(
        session.scalars(
            select(Checkin.site_id).where(Checkin.answered_at >= since).distinct()
        ).all()
    )
    return {
        site.id
        for site in sites
        if site.created_at < since and site.id not in scanned and site.id not in answered
    }


def flagged(session: Session, today: date, policy: CheckinPolicy) -> list[tuple[str, SiteMonth]]:
    """The sites flagged in the months of recent check-ins (asked in the last RECENT_DAYS)
    or this month, newest first, each with its month (home page, site list)."""
    since = _since(today, RECENT_DAYS)
    recent = session.scalars(select(Checkin.month).where(Checkin.asked_at >= since).distinct())
    months = sorted({*recent, month_key(today)}, reverse=True)
    quiet = _quiet_sites(session, _active_sites(session), today, policy.quiet_days)
    found: dict[str, tuple[str, SiteMonth]] = {}
    for month in months:
        for row in report(session, month, today, policy, quiet):
            if row.flagged and row.code not in found:
                found[row.code] = (month, row)
    return list(found.values())


def policy_from_config(config: Any) -> CheckinPolicy:
    """The flag thresholds from the app configuration."""
    return CheckinPolicy(int(config["CHECKIN_FLAG_WORKERS"]), int(config["CHECKIN_QUIET_DAYS"]))
