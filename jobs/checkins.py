"""Sending the pay-day check-ins that are due (``flask checkins due``, and the relay daily).

Each check-in goes through the channels of a case notice (``jobs/notices.py``: the
customer-service window, a subscription the worker consented to, a template message),
walked by the same ``send_notice`` job. Never at night: outside CHECKIN_FROM_HOUR to
CHECKIN_UNTIL_HOUR (China time) the job waits for the morning. A check-in nothing can
reach is recorded as such ("none") and counted in the report; nobody is phoned about it.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta
from typing import Any

from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from cases import checkins
from cases.deadlines import CHINA, china_day
from jobs.notices import KIND, plan, reach_of
from jobs.outbox import enqueue
from jobs.runner import periodically
from models import Checkin, Message, Worker

#: The template kind of the check-in question (config: WECHAT_[SUBSCRIBE_]TEMPLATE_CHECKIN).
TEMPLATE_KIND = "checkin"
#: The relay looks for due check-ins at most this often (they are due once a day).
CHECK_EVERY = timedelta(hours=1)


def daytime(now: datetime, config: Any) -> datetime:
    """``now`` when it is day in China, else the next morning's first sending hour."""
    local = now.astimezone(CHINA)
    start, until = int(config["CHECKIN_FROM_HOUR"]), int(config["CHECKIN_UNTIL_HOUR"])
    if start <= local.hour < until:
        return now
    day = local.date() if local.hour < start else local.date() + timedelta(days=1)
    return datetime.combine(day, time(start), CHINA).astimezone(now.tzinfo)


def fields(site_code: str, day: date) -> dict[str, str]:
    """A subscription or template check-in's data, in the four fields the case notices use."""
    return {
        "character_string1": site_code,
        "thing2": "本月工资发了吗",
        "time3": day.isoformat(),
        "thing4": "回复1发了 2没发 3只发一部分",
    }


def send_due(session: Session, today: date, now: datetime) -> Counter[str]:
    """Queue every check-in due on ``today``; how many per site code (reached or not)."""
    config = current_app.config
    delay = int(config["CHECKIN_DELAY_DAYS"])
    run_after = daytime(now, config)
    sent: Counter[str] = Counter()
    for item in checkins.due(session, today, delay):
        worker = session.get(Worker, item.worker_id)
        assert worker is not None  # an opt-in's worker
        channels = plan(reach_of(session, worker, None, TEMPLATE_KIND, now, config))
        checkin = Checkin(
            worker_id=worker.id,
            site_id=item.site_id,
            month=item.month,
            asked_at=run_after,
            channel=channels[0] if channels else checkins.UNREACHED,
        )
        if channels:
            checkin.message_id = _queue(session, item, worker, channels, now, run_after)
        session.add(checkin)
        session.flush()
        sent[item.site_code] += 1
    return sent


def _queue(
    session: Session,
    item: checkins.Due,
    worker: Worker,
    channels: list[str],
    now: datetime,
    at: datetime,
) -> int:
    message = Message(
        worker_id=worker.id,
        direction="out",
        msg_type="text",
        content=checkins.QUESTION.format(site=item.site_name),
        created_at=at,
        status="queued",
        payload={
            "checkin": item.month,
            "site": item.site_code,
            "template_kind": TEMPLATE_KIND,
            "fields": fields(item.site_code, china_day(at)),
            "channel": channels[0],
            "plan": channels,
            "attempts": [],
        },
    )
    session.add(message)
    session.flush()
    job = {"message_id": message.id, "complaint_id": None}
    enqueue(session, KIND, job, worker_id=worker.id, now=now, run_after=at)
    return message.id


def reached(session: Session, message: Message, channel: str) -> None:
    """The check-in went out on ``channel`` (or none, when no channel took it)."""
    checkin = session.scalar(select(Checkin).where(Checkin.message_id == message.id))
    if checkin is not None:
        checkin.channel = channel


def unreached(session: Session, message: Message) -> None:
    """No channel took the check-in: recorded, not phoned (it is not about a case)."""
    message.status = "cs_failed"
    reached(session, message, checkins.UNREACHED)


def is_checkin(message: Message) -> bool:
    """True for the message of a check-in question."""
    return bool((message.payload or {}).get("checkin"))


def duty(app: Flask, force: bool = False) -> int:
    """A relay duty, at most every CHECK_EVERY: send the check-ins due today (by day only;
    a check-in sent twice at once fails on its unique worker and month, and stands once)."""
    return periodically(app, "check-in round", CHECK_EVERY, _send_today, force)


def _send_today(session: Session, now: datetime) -> int:
    if daytime(now, current_app.config) != now:
        return 0
    return sum(send_due(session, china_day(now), now).values())


__all__ = ["daytime", "duty", "fields", "is_checkin", "reached", "send_due"]
