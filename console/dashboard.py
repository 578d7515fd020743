"""Dashboard figures and the inline SVG bar charts that draw them (no scripts, no CDN)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from statistics import median
from typing import Any

from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from cases.deadlines import china_day
from cases.statuses import status_name
from console.masking import mask_text
from models import Complaint, StatusChange

BAR_HEIGHT = 26
LABEL_WIDTH = 190
CHART_WIDTH = 560
LABEL_CHARS = 12  # longer names are cut; the full name is in the bar's tooltip


@dataclass
class Figures:
    """Everything the dashboard shows."""

    by_status: list[tuple[str, int]]
    by_site: list[tuple[str, int]]
    by_employer: list[tuple[str, int]]
    by_week: list[tuple[str, int]]
    owed: Decimal
    recovered: Decimal
    median_days_to_accept: float | None
    median_days_to_resolve: float | None


def figures(session: Session) -> Figures:
    """Count filed complaints every way the bureau asked for."""
    complaints = session.scalars(
        select(Complaint)
        .where(Complaint.status != "draft")
        .options(selectinload(Complaint.site), selectinload(Complaint.history))
    ).all()
    by_week: Counter[str] = Counter()
    for c in complaints:
        day = china_day(c.created_at)
        by_week[(day - timedelta(days=day.weekday())).isoformat()] += 1
    return Figures(
        by_status=_ordered(Counter(status_name(c.status) for c in complaints)),
        by_site=_ordered(Counter(c.site.name if c.site else "（未关联工地）" for c in complaints)),
        # An employer's name is free text a worker typed: it may hold a phone or ID number.
        by_employer=_ordered(Counter(mask_text(c.employer) or "（未填写）" for c in complaints)),
        by_week=sorted(by_week.items()),
        owed=sum((c.amount_owed or Decimal(0) for c in complaints), Decimal(0)),
        recovered=sum((c.amount_recovered or Decimal(0) for c in complaints), Decimal(0)),
        median_days_to_accept=_median_days(complaints, {"accepted"}),
        median_days_to_resolve=_median_days(complaints, {"resolved"}),
    )


def _ordered(counter: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))


def _median_days(complaints: Any, targets: set[str]) -> float | None:
    """Median days from filing to the first change into one of ``targets``."""
    spans: list[float] = []
    for c in complaints:
        reached = _first(c.history, targets)
        if reached is not None:
            start: datetime = c.submitted_at or c.created_at
            spans.append((reached - start).total_seconds() / 86400)
    return round(median(spans), 1) if spans else None


def _first(history: list[StatusChange], targets: set[str]) -> datetime | None:
    return next((h.created_at for h in history if h.to_status in targets), None)


def bar_chart(data: list[tuple[str, int]], *, highlight_over: int | None = None) -> Markup:
    """A horizontal bar chart as inline SVG; bars above ``highlight_over`` are highlighted."""
    if not data:
        return Markup('<p class="muted">暂无数据</p>')
    top = max(value for _, value in data) or 1
    span = CHART_WIDTH - LABEL_WIDTH - 40
    height = BAR_HEIGHT * len(data) + 4
    parts = [
        f'<svg class="chart" viewBox="0 0 {CHART_WIDTH} {height}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, (label, value) in enumerate(data):
        y = i * BAR_HEIGHT + 2
        width = max(2, round(span * value / top))
        hot = highlight_over is not None and value > highlight_over
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 17}" text-anchor="end">{escape(_short(label))}'
            f"</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{width}" height="{BAR_HEIGHT - 6}" '
            f'class="{"bar hot" if hot else "bar"}"><title>{escape(label)}：{value}</title></rect>'
            f'<text x="{LABEL_WIDTH + width + 4}" y="{y + 17}">{value}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"
