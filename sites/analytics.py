"""Scan analytics: scans per site per day, first and last scan, and sites gone silent.

A site with no scan for weeks probably has no poster up (shared domain notes); a burst after
pay day is an early warning. Days are China Standard Time (UTC+8, no daylight saving).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import String, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from cases.deadlines import CHINA, china_day
from models import Scan, Site


class local_day(FunctionElement[str]):  # noqa: N801 - reads as an SQL function
    """The China calendar day ('YYYY-MM-DD') of a UTC timestamp column, in SQL."""

    type = String()
    inherit_cache = True


@compiles(local_day, "sqlite")
def _local_day_sqlite(element: local_day, compiler: SQLCompiler, **kw: Any) -> str:
    # UTCDateTime stores naive UTC text on SQLite.
    return f"date({compiler.process(element.clauses, **kw)}, '+8 hours')"


@compiles(local_day, "postgresql")
def _local_day_postgresql(element: local_day, compiler: SQLCompiler, **kw: Any) -> str:
    column = compiler.process(element.clauses, **kw)
    return f"to_char({column} AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD')"


def scans_per_day(session: Session, since: datetime) -> list[dict[str, Any]]:
    """Scans per site per China day since ``since``, oldest day first; unknown codes apart."""
    day = local_day(Scan.created_at).label("day")
    rows = session.execute(
        select(Site.code, day, func.count(Scan.id))
        .join(Site, Scan.site_id == Site.id)
        .where(Scan.created_at >= since)
        .group_by(Site.code, day)
        .order_by(day, Site.code)
    )
    return [{"code": code, "day": str(d), "scans": n} for code, d, n in rows]


def unknown_scenes(session: Session, since: datetime) -> list[dict[str, Any]]:
    """Scenes scanned or typed since ``since`` that matched no site, most frequent first."""
    rows = session.execute(
        select(Scan.scene, func.count(Scan.id).label("n"))
        .where(Scan.site_id.is_(None), Scan.created_at >= since)
        .group_by(Scan.scene)
        .order_by(func.count(Scan.id).desc(), Scan.scene)
    )
    return [{"scene": scene, "scans": n} for scene, n in rows]


def site_summaries(session: Session) -> list[dict[str, Any]]:
    """Every site with its total scans and its first and last scan (China dates)."""
    totals = (
        select(
            Scan.site_id,
            func.count(Scan.id).label("total"),
            func.min(Scan.created_at).label("first"),
            func.max(Scan.created_at).label("last"),
        )
        .where(Scan.site_id.is_not(None))
        .group_by(Scan.site_id)
        .subquery()
    )
    rows = session.execute(
        select(Site, totals.c.total, totals.c.first, totals.c.last)
        .outerjoin(totals, totals.c.site_id == Site.id)
        .order_by(Site.code)
    )
    return [_summary(site, total, first, last) for site, total, first, last in rows]


def _summary(site: Site, total: int | None, first: Any, last: Any) -> dict[str, Any]:
    # min()/max() over a subquery lose the column type on SQLite: re-read them here.
    first_at, last_at = _as_utc(first), _as_utc(last)
    return {
        "code": site.code,
        "name": site.name,
        "active": site.active,
        "created_at": site.created_at,
        "total_scans": total or 0,
        "first_scan": None if first_at is None else china_day(first_at).isoformat(),
        "last_scan_at": last_at,
        "last_scan": None if last_at is None else china_day(last_at).isoformat(),
    }


def _as_utc(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def scan_report(
    session: Session, *, now: datetime, days: int = 30, silent_days: int = 14
) -> dict[str, Any]:
    """The whole report of ``sites scans``: per day over ``days``, per site, silent sites.

    A site is silent when it is active, was registered at least ``silent_days`` ago (a new
    board has had no chance yet) and has had no scan within ``silent_days``.
    """
    since = now - timedelta(days=days)
    cutoff = now - timedelta(days=silent_days)
    summaries = site_summaries(session)
    silent = [
        {"code": s["code"], "name": s["name"], "last_scan": s["last_scan"]}
        for s in summaries
        if s["active"]
        and s["created_at"] <= cutoff
        and (s["last_scan_at"] is None or s["last_scan_at"] < cutoff)
    ]
    public = ("code", "name", "active", "total_scans", "first_scan", "last_scan")
    return {
        "generated_at": now.astimezone(CHINA).isoformat(timespec="seconds"),
        "days": days,
        "silent_days": silent_days,
        "per_day": scans_per_day(session, since),
        "sites": [{key: s[key] for key in public} for s in summaries],
        "silent": silent,
        "unknown": unknown_scenes(session, since),
    }
