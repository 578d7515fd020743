"""Collective cases (issue 19): two linkings at the same moment form one collective case.

Each linking reads the memberships, then writes its own. Two sessions are interleaved at
the worst point: the first has read "no collective case yet" and is about to form one when
the second links. Without the linking lock both formed one, and the complaints each had
two current collective cases.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

import cases.collective as collective_module
from cases.collective import collective_of, link_new, members
from models import CollectiveCase, CollectiveMember, Complaint
from models.db import get_session
from tests.console_fixtures import add_complaint, add_site

#: How long the first linking waits, holding its lock, for the second to finish: without
#: the lock the second finishes well within it; with the lock the second cannot start.
PAUSE_SECONDS = 1.0


def test_two_linkings_at_the_same_moment_form_one_collective_case(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    site_id = add_site(app, "S-ZJY")
    # Linked by their site; no employer name, so that linking writes no employer record
    # before it reads (on SQLite such a write would take the database lock by chance).
    ids = [add_complaint(app, f"261203-000{i}", site_id=site_id, employer=None) for i in (1, 2, 3)]
    sessions = app.extensions["db"].sessions
    first_has_read, second_done = threading.Event(), threading.Event()
    form = collective_module._new_collective
    paused: list[str] = []

    def form_after_the_second(session: Any, *args: Any) -> CollectiveCase:
        # Only the first linking pauses, after its reads and before its first row.
        if threading.current_thread().name == "first":
            paused.append("first")
            first_has_read.set()
            second_done.wait(PAUSE_SECONDS)
        return form(session, *args)

    monkeypatch.setattr(collective_module, "_new_collective", form_after_the_second)
    failures: list[Exception] = []

    def first_linking() -> None:
        try:
            with app.app_context(), sessions() as session:
                link_new(session, session.get_one(Complaint, ids[1]))
                session.commit()
        except Exception as exc:  # reported by the main thread
            failures.append(exc)
            first_has_read.set()

    thread = threading.Thread(target=first_linking, name="first")
    thread.start()
    assert first_has_read.wait(10)
    with app.app_context(), sessions() as session:
        link_new(session, session.get_one(Complaint, ids[2]))
        session.commit()
    second_done.set()
    thread.join(20)
    assert not thread.is_alive() and not failures, failures
    assert paused == ["first"]  # the interleaving happened as described

    with app.app_context():
        session = get_session()
        assert session.scalar(select(func.count(CollectiveCase.id))) == 1
        current = session.execute(
            select(CollectiveMember.complaint_id, func.count())
            .where(CollectiveMember.removed_at.is_(None))
            .group_by(CollectiveMember.complaint_id)
        ).all()
        assert sorted(current) == [(i, 1) for i in ids]  # each in exactly one
        found = collective_of(session, ids[0])
        assert found is not None and [c.id for c in members(session, found)] == ids


def test_a_filing_waits_for_the_linking_lock_only_so_long_then_the_sweep_links_it(
    app: Flask,
) -> None:
    """A linking that holds the lock (a slow staff action, a stuck connection) must not keep
    a worker's filing past WeChat's reply window: the filing goes on alone, and the relay's
    sweep links it once the lock is free."""
    from sqlalchemy import text

    from cases.collective import FILING_WAIT, LINKING_LOCK, link_filed
    from jobs.linking import sweep

    engine = app.extensions["db"].engine
    if engine.dialect.name != "postgresql":
        pytest.skip("the bounded wait is PostgreSQL's (SQLite waits on its busy timeout)")
    site_id = add_site(app, "S-ZJY")
    first, second = (
        add_complaint(app, f"261203-000{i}", site_id=site_id, employer=None) for i in (1, 2)
    )
    with app.app_context():
        session = get_session()
        link_new(session, session.get(Complaint, first))
        session.commit()
    with engine.connect() as holder:
        holder.execute(text("SELECT pg_advisory_lock(:id)"), {"id": LINKING_LOCK})
        with app.app_context():
            session = get_session()
            started = time.monotonic()
            assert link_filed(session, session.get(Complaint, second)) is None
            waited = time.monotonic() - started
            session.commit()
        holder.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": LINKING_LOCK})
    assert FILING_WAIT.total_seconds() <= waited < FILING_WAIT.total_seconds() + 1
    sweep(app, force=True)  # (the app's own relay may have run it already)
    with app.app_context():
        found = collective_of(get_session(), second)
        assert found is not None and found == collective_of(get_session(), first)
