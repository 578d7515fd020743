"""Two turns of one worker run one after the other (PostgreSQL: the conversation row is
locked for the turn): a turn slowed past the reply budget and the worker's next message
must not both read the old state, or the later commit undoes the other turn."""

from __future__ import annotations

import threading
import time

import pytest
from flask import Flask
from sqlalchemy import select

from bot import state
from bot.service import handle_message
from models import ConversationState, Message, Worker
from models.chat import conversation_of
from models.db import get_session
from nlu.client import rule_parse
from nlu.types import ParseResult


class SlowParser:
    """The rule parse, after ``delay`` seconds (an NLU server under load)."""

    def __init__(self, delay: float) -> None:
        self.delay = delay

    def parse(self, text: str) -> ParseResult:
        time.sleep(self.delay)
        return rule_parse(text)


def store(app: Flask, worker_id: int, text: str) -> int:
    with app.app_context():
        session = get_session()
        message = Message(worker_id=worker_id, direction="in", msg_type="text", content=text)
        session.add(message)
        session.commit()
        return message.id


def turn(app: Flask, message_id: int, delay: float, errors: list[BaseException]) -> None:
    try:
        with app.app_context():
            session = get_session()
            message = session.get(Message, message_id)
            assert message is not None
            handle_message(session, message, SlowParser(delay))
            session.commit()
    except BaseException as exc:  # reported by the test, not lost in the thread
        errors.append(exc)


def test_the_next_message_waits_for_the_slow_turn(app: Flask) -> None:
    if app.extensions["db"].engine.dialect.name != "postgresql":
        pytest.skip("row locks: PostgreSQL (SQLite runs one writer at a time)")
    with app.app_context():
        session = get_session()
        worker = Worker(openid="o_order")
        session.add(worker)
        session.flush()
        conversation_of(session, worker.id)
        session.commit()
        worker_id = worker.id
    first = store(app, worker_id, "我要投诉，老板欠我工资")
    second = store(app, worker_id, "13912345678")
    errors: list[BaseException] = []
    slow = threading.Thread(target=turn, args=(app, first, 1.0, errors))
    slow.start()
    time.sleep(0.3)  # the slow turn holds the conversation; the next message arrives
    fast = threading.Thread(target=turn, args=(app, second, 0.0, errors))
    fast.start()
    slow.join(10)
    fast.join(10)
    assert errors == []
    with app.app_context():
        row = get_session().scalar(
            select(ConversationState).where(ConversationState.worker_id == worker_id)
        )
        assert row is not None
        form = state.load(row.state).form
    # The form the first message opened is there, and the phone went into it.
    assert form is not None and form.values.get("phone") == "13912345678"
