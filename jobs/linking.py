"""The relay's collective-case sweep: a filing that could not wait for the linking lock
(``cases.collective.FILING_WAIT``) is filed alone; this links it within minutes.

Only recent filings are looked at: every filing path links its case itself, so older lone
cases are alone because nothing matched (``flask collective link --days N`` re-checks them).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy.orm import Session

from cases.collective import link_recent
from jobs.runner import periodically

#: How often the relay links what filings left unlinked, and how far back it looks.
LINK_EVERY = timedelta(minutes=10)
LOOK_BACK = timedelta(hours=1)


def sweep(app: Flask, force: bool = False) -> int:
    """A relay duty, at most every LINK_EVERY: link the last hour's cases in no collective
    case."""
    return periodically(app, "collective linking", LINK_EVERY, _link_last_hour, force)


def _link_last_hour(session: Session, now: datetime) -> int:
    return link_recent(session, now, since=LOOK_BACK)
