"""Dashboard figures by channel: cases and resolution time per channel, and the share of
cases resolved at district level (the district report's "线索下降率": clues settled here,
not passed upward or elsewhere)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from statistics import median

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from cases.channels import CHANNELS, channel_name
from cases.statuses import FILED
from console.blueprint import bp
from models import Complaint
from models.db import get_session

#: Over here with a result: solved or closed by this bureau.
SETTLED_HERE = frozenset({"resolved", "closed"})


@dataclass(frozen=True)
class ChannelFigures:
    """Cases and median days to resolution per channel; the district-level share."""

    #: (channel's name, cases, median days to resolution or None), channels in order.
    by_channel: list[tuple[str, int, float | None]]
    settled_here: int
    settled_elsewhere: int

    @property
    def district_share(self) -> float | None:
        """Of the cases over for this bureau with a result, the share settled here (%)."""
        total = self.settled_here + self.settled_elsewhere
        return round(100 * self.settled_here / total, 1) if total else None


def channel_figures(session: Session) -> ChannelFigures:
    """Count filed cases by channel, their median days to resolution, and where they ended."""
    cases = session.scalars(
        select(Complaint)
        .where(Complaint.status.in_(FILED))
        .options(selectinload(Complaint.history))
    ).all()
    counts: Counter[str] = Counter(c.channel for c in cases)
    spans: dict[str, list[float]] = defaultdict(list)
    here = elsewhere = 0
    for c in cases:
        reached = _first(c, {"resolved"})
        if reached is not None:
            start: datetime = c.submitted_at or c.created_at
            spans[c.channel].append((reached - start).total_seconds() / 86400)
        went_away = c.status == "transferred" or _first(c, {"transferred"}) is not None
        if went_away:
            elsewhere += 1
        elif c.status in SETTLED_HERE:
            here += 1
    order = [code for code in CHANNELS if counts[code]]
    return ChannelFigures(
        by_channel=[
            (
                channel_name(code),
                counts[code],
                round(median(spans[code]), 1) if spans[code] else None,
            )
            for code in order
        ],
        settled_here=here,
        settled_elsewhere=elsewhere,
    )


def _first(complaint: Complaint, targets: set[str]) -> datetime | None:
    return next((h.created_at for h in complaint.history if h.to_status in targets), None)


@bp.app_template_global("channel_figures")
def _channel_figures_global() -> ChannelFigures:
    # The dashboard's template asks for these itself (console/_channels.html), so the
    # dashboard's view stays as it is.
    return channel_figures(get_session())
