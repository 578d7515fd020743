"""The relay's collective-case sweep: cases filed without being linked (a filing that could
not wait for the linking lock, staff intake by an older path) join their collective case
within minutes, as ``flask collective link`` would link them."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from cases.collective import link_recent
from jobs.runner import periodically

#: How often the relay links what filings left unlinked.
LINK_EVERY = timedelta(minutes=10)


def sweep(app: Flask, force: bool = False) -> int:
    """A relay duty, at most every LINK_EVERY: link recent cases in no collective case."""
    return periodically(app, "collective linking", LINK_EVERY, link_recent, force)
