"""A simulated 90-day case history, sent through the real notice path (channel plan, outbox
jobs, client, local fake WeChat API): the share of status changes and missed-deadline
notices that reach the worker inside WeChat (issue 17's closing figure).

Run with ``-s`` to print the table. The history is seeded, so the figures are repeatable.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import requests
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from cases.actions import ACTIONS, notice_detail, notice_text
from cases.deadlines import accept_by, china_day, investigate_by
from jobs.messages import delivery_of
from jobs.notices import notify_missed_deadlines, notify_step
from models import Complaint, Message, NoticeConsent, Worker
from models.db import get_session

START = datetime(2026, 9, 1, 1, 0, tzinfo=UTC)  # 09:00 in China
DAYS = 90
CASES = 30
#: Workers rarely write once their complaint is filed: the chance of a message on a day.
WRITES_PER_DAY = 0.04
SUB, TPL = "SUB_ALL", "TPL_ALL"


@dataclass(frozen=True)
class Step:
    """One status change of one case at one moment."""

    at: datetime
    case: int
    action: str
    value: object = None


def history(seed: int = 17) -> tuple[list[Step], dict[int, list[datetime]]]:
    """Each case's status changes and each worker's own messages over 90 days."""
    rng = random.Random(seed)
    steps: list[Step] = []
    writes: dict[int, list[datetime]] = {}
    for case in range(CASES):
        day = lambda lo, hi: START + timedelta(days=rng.uniform(lo, hi))  # noqa: E731
        accepted = day(1, 12)  # sometimes after the 5 working days: a missed deadline
        steps.append(Step(accepted, case, "accept"))
        steps.append(Step(accepted + timedelta(days=rng.uniform(0.5, 5)), case, "assign"))
        if rng.random() < 0.4:
            steps.append(Step(day(15, 40), case, "mediate"))
        end = rng.random()
        if end < 0.6:
            steps.append(Step(day(30, 95), case, "resolve", rng.choice((8000, 35000))))
        elif end < 0.75:
            steps.append(Step(day(10, 30), case, "transfer", "市住建局"))
        writes[case] = [START] + [
            START + timedelta(days=d, hours=rng.uniform(0, 12))
            for d in range(1, DAYS)
            if rng.random() < WRITES_PER_DAY
        ]
    return sorted(
        (s for s in steps if s.at < START + timedelta(days=DAYS)), key=lambda s: s.at
    ), writes


def replay(app: Flask, scenario: str) -> Counter[str]:
    """Play the history under one set-up; count the notices by the channel that took them."""
    steps, writes = history()
    with app.app_context():
        session = get_session()
        _seed(session, scenario)
        events = sorted(
            [(at, "write", case, None) for case, times in writes.items() for at in times]
            + [(s.at, "step", s.case, s) for s in steps]
            + [(START + timedelta(days=d, hours=2), "sweep", -1, None) for d in range(DAYS)],
            key=lambda e: (e[0], e[1]),
        )
        for at, kind, case, step in events:
            if kind == "write":
                worker = session.scalar(select(Worker).where(Worker.openid == f"o_sim{case}"))
                assert worker is not None
                worker.last_inbound_at = at
            elif kind == "sweep":
                notify_missed_deadlines(session, at)
            else:
                assert isinstance(step, Step)
                _apply(session, step)
            session.commit()
            app.extensions["jobs"].wait()
        outbound = session.scalars(select(Message).where(Message.direction == "out")).all()
        kinds = Counter(str(m.payload.get("notice")) for m in outbound)
        print(f"\nnotices by kind: {dict(kinds)}")
        return Counter(str(delivery_of(m)["channel"]) for m in outbound)


def _seed(session: Session, scenario: str) -> None:
    """The cases, all filed at the start; every worker subscribed in "subscribed"."""
    for case in range(CASES):
        worker = Worker(openid=f"o_sim{case}", last_inbound_at=START, first_seen_at=START)
        session.add(worker)
        session.flush()
        session.add(
            Complaint(
                case_no=f"260901-{case + 1:04d}",
                worker_id=worker.id,
                status="submitted",
                submitted_at=START,
                created_at=START,
                accept_by=accept_by(china_day(START)),
                investigate_by=investigate_by(china_day(START)),
            )
        )
        if scenario == "subscribed":
            session.add(
                NoticeConsent(worker_id=worker.id, template_id=SUB, long_term=True, source="popup")
            )
    session.commit()


def _apply(session: Session, step: Step) -> None:
    """A staff action as the console applies it: the status, then the notice."""
    complaint = session.scalar(
        select(Complaint).where(Complaint.case_no == f"260901-{step.case + 1:04d}")
    )
    assert complaint is not None
    action = ACTIONS[step.action]
    if complaint.status not in action.allowed_from:
        return
    complaint.status = action.to_status or complaint.status
    text = notice_text(action, complaint.case_no, step.value)
    assert text is not None
    notify_step(
        session, complaint, notice_detail(action, step.value), text, now=step.at, payload={}
    )


SCENARIOS = {
    # Today: customer-service messages only.
    "today": {},
    # Every worker subscribed (long-term consent, a public-service account).
    "subscribed": {
        f"WECHAT_SUBSCRIBE_TEMPLATE_{k}": SUB for k in ("PROGRESS", "DEADLINE", "PAYMENT")
    },
    # Nobody subscribed, template messages configured (a verified service account).
    "template": {f"WECHAT_TEMPLATE_{k}": TPL for k in ("PROGRESS", "DEADLINE", "PAYMENT")},
}


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_share_of_notices_reaching_the_worker_inside_wechat(
    app: Flask, fake_wechat: str, scenario: str
) -> None:
    app.config.update(SCENARIOS[scenario])
    if scenario == "subscribed":
        for case in range(CASES):
            requests.post(
                f"{fake_wechat}/_fake/consent",
                json={"openid": f"o_sim{case}", "template_id": SUB, "long_term": True},
                timeout=5,
            ).raise_for_status()
    channels = replay(app, scenario)
    total = sum(channels.values())
    inside = total - channels["phone"]
    share = 100 * inside / total
    print(f"\n{scenario}: {inside}/{total} = {share:.1f}% inside WeChat; {dict(channels)}")
    assert total > 3 * CASES  # accept, assign and the end of most cases, deadlines missed
    if scenario == "today":
        assert share < 30 and channels["customer_service"] == inside
    else:
        assert share == 100
        assert channels["subscription" if scenario == "subscribed" else "template"] > total * 0.7
