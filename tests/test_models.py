"""The schema: migrations match the models, and values round-trip on every backend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.exc import StatementError

from models import Complaint, Worker
from models.db import get_session


def test_migrations_match_the_models(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["db", "check"])
    assert result.exit_code == 0, result.output


def test_amounts_are_exact_decimals(app: Flask) -> None:
    with app.app_context():
        session = get_session()
        worker = Worker(openid="o_decimal")
        session.add(Complaint(case_no="T-1", worker=worker, amount_owed=Decimal("123456789012.34")))
        session.commit()
        session.expire_all()
        complaint = session.scalars(select(Complaint)).one()
        assert complaint.amount_owed == Decimal("123456789012.34")
        assert isinstance(complaint.amount_owed, Decimal)


def test_datetimes_come_back_aware_in_utc(app: Flask) -> None:
    beijing = timezone(timedelta(hours=8))
    with app.app_context():
        session = get_session()
        session.add(
            Worker(openid="o_time", first_seen_at=datetime(2026, 1, 1, 8, 0, tzinfo=beijing))
        )
        session.commit()
        session.expire_all()
        worker = session.scalars(select(Worker)).one()
        assert worker.first_seen_at == datetime(2026, 1, 1, 0, 0, tzinfo=UTC)
        assert worker.first_seen_at.tzinfo is not None


def test_naive_datetimes_are_refused(app: Flask) -> None:
    with app.app_context():
        session = get_session()
        session.add(Worker(openid="o_naive", first_seen_at=datetime(2026, 1, 1)))
        with pytest.raises(StatementError, match="naive"):
            session.commit()


def test_a_conversation_another_turn_created_meanwhile_is_kept(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reply past the budget and the worker's next message may both find no state and
    both create it: the second keeps the first's row instead of failing."""
    from models import ConversationState, Worker
    from models.chat import conversation_of
    from models.db import get_session

    with app.app_context():
        session = get_session()
        worker = Worker(openid="o_race")
        session.add(worker)
        session.commit()
        session.add(ConversationState(worker_id=worker.id, state={"stage": "first"}))
        session.commit()
        real_scalar = session.scalar
        missed = [True]

        def scalar(*args: object, **kwargs: object) -> object:
            if missed:  # the look-up ran before the other turn committed its row
                return missed.pop() and None
            return real_scalar(*args, **kwargs)

        monkeypatch.setattr(session, "scalar", scalar)
        conversation = conversation_of(session, worker.id)
        assert conversation.state == {"stage": "first"}
