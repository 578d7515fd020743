"""Case numbers (cases/numbering.py): one counter per day, numbers taken some other way are
skipped, concurrent submissions never share one; numbers read back out of messages."""

from __future__ import annotations

import threading

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from cases.numbering import case_number_in
from models import Complaint, Worker
from models.db import get_session
from tests.test_bot_service import chat, complaints
from webhooks.simulator import WeChatSimulator

from .scripts import TERSE


def test_case_numbers_count_up_per_day_and_skip_taken_ones(
    app: Flask, client: FlaskClient, simulator: WeChatSimulator
) -> None:
    chat(client, simulator, TERSE)
    [first] = complaints(app)
    day = first.case_no.split("-")[0]
    with app.app_context():
        session = get_session()
        worker = session.scalars(select(Worker)).one()
        # A complaint numbered some other way holds the number the counter gives next.
        session.add(Complaint(case_no=f"{day}-0002", worker_id=worker.id, status="draft"))
        session.commit()
    other = WeChatSimulator(simulator.token, simulator.appid, simulator.encoding_aes_key)
    replies = chat(client, other, [text.replace("老王", "老李") for text in TERSE])
    numbers = sorted(c.case_no for c in complaints(app))
    assert first.case_no == f"{day}-0001" and numbers == [f"{day}-000{n}" for n in (1, 2, 3)]
    assert f"{day}-0003" in replies[-1]


def test_a_long_run_of_taken_numbers_does_not_lose_the_submission(
    app: Flask, client: FlaskClient, simulator: WeChatSimulator
) -> None:
    chat(client, simulator, TERSE)
    [first] = complaints(app)
    day = first.case_no.split("-")[0]
    with app.app_context():  # numbers 0002-0013 given out by hand meanwhile
        session = get_session()
        worker = session.scalars(select(Worker)).one()
        for number in range(2, 14):
            session.add(Complaint(case_no=f"{day}-{number:04d}", worker_id=worker.id))
        session.commit()
    other = WeChatSimulator(simulator.token, simulator.appid, simulator.encoding_aes_key)
    replies = chat(client, other, [text.replace("老王", "老李") for text in TERSE])
    assert f"{day}-0014" in replies[-1]


def test_concurrent_submissions_each_get_their_own_number(
    app: Flask, simulator: WeChatSimulator
) -> None:
    senders = [
        WeChatSimulator(simulator.token, simulator.appid, simulator.encoding_aes_key)
        for _ in range(8)
    ]
    for sender in senders:
        chat(app.test_client(), sender, TERSE[:-1])  # all at their confirmation
    barrier = threading.Barrier(len(senders))
    replies: list[str] = []

    def confirm(sender: WeChatSimulator) -> None:
        barrier.wait()
        replies.extend(chat(app.test_client(), sender, TERSE[-1:]))

    threads = [threading.Thread(target=confirm, args=(sender,)) for sender in senders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    numbers = sorted(c.case_no for c in complaints(app))
    assert len(numbers) == len(set(numbers)) == len(senders)
    assert all(any(number in reply for number in numbers) for reply in replies)


@pytest.mark.parametrize(
    ("text", "case_no"),
    [
        ("查一下261126-0001", "261126-0001"),
        ("2611260001 怎么样了", "261126-0001"),
        ("261126 - 0012", "261126-0012"),
        ("13912345678", None),  # a phone: its first six digits are no date
        ("261399-0001", None),  # no 99th of a 13th month
        ("26112600011", None),  # a digit too many
    ],
)
def test_a_case_number_is_read_back_out_of_a_message(text: str, case_no: str | None) -> None:
    assert case_number_in(text) == case_no
