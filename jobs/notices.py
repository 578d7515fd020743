"""Case notices through the best channel WeChat allows at that moment.

WeChat's channels to a worker (wechat.md, section 7; developers.weixin.qq.com, 客服消息,
订阅通知, 模板消息), tried in this order:

1. **customer_service**: only inside the window the worker's last action opened (5 sends in
   48 h; a follow or scan opens a shorter one, and WeChat's 45015/45047 then move on);
2. **subscription**: a subscription notice the worker consented to (long-term, or one send
   per one-time consent);
3. **template**: a template message (verified service accounts; the worker must follow);
4. **phone**: none reached the worker: the case is marked for a phone call by the one rule
   (``jobs.messages.cannot_reach``).

The plan is made when the notice is written (an unset template means that channel is off);
the ``send_notice`` job (``jobs/notice_job.py``) walks it. Missed legal deadlines are
looked for by the relay (:func:`sweep`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, current_app
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, load_only

from cases.deadlines import case_clocks, china_day
from cases.notices import (
    Notice,
    fields,
    missed_deadlines,
    overdue_notice,
    status_notice,
)
from cases.payment import ask_payment, expire_unconfirmed
from cases.statuses import OPEN
from jobs.messages import WINDOW_CAUSE, Delivery, cannot_reach
from jobs.outbox import enqueue
from jobs.runner import periodically
from models import (
    CaseNotice,
    CaseWork,
    Complaint,
    Message,
    NoticeConsent,
    Worker,
)

KIND = "send_notice"
CUSTOMER_SERVICE, SUBSCRIPTION, TEMPLATE, PHONE = (
    "customer_service",
    "subscription",
    "template",
    "phone",
)
#: The window a worker's message opens: how long, and how many messages it allows.
MESSAGE_WINDOW = (timedelta(hours=48), 5)
NO_SUBSCRIPTION = f"{WINDOW_CAUSE}，且未订阅进度提醒"
#: How often the relay looks for missed deadlines and unanswered payment questions.
SWEEP_EVERY = timedelta(minutes=10)


@dataclass(frozen=True)
class Reach:
    """What can reach the worker at one moment."""

    window_open: bool
    consented: bool
    template_configured: bool
    follows: bool


def plan(reach: Reach) -> list[str]:
    """The channels to try, best first; empty: only a phone call reaches the worker."""
    channels = [CUSTOMER_SERVICE] if reach.window_open else []
    if reach.consented:
        channels.append(SUBSCRIPTION)
    if reach.template_configured and reach.follows:
        channels.append(TEMPLATE)
    return channels


def window_open(last_inbound_at: datetime | None, sent_since: int, now: datetime) -> bool:
    """True while the window the worker's last action opened still has room (``sent_since``:
    customer-service messages sent since that action)."""
    length, quota = MESSAGE_WINDOW
    return last_inbound_at is not None and now - last_inbound_at <= length and sent_since < quota


def template_id(config: Any, channel: str, template_kind: str) -> str | None:
    """The configured template of one notice kind on one channel (None: channel off)."""
    prefix = "WECHAT_SUBSCRIBE_TEMPLATE_" if channel == SUBSCRIPTION else "WECHAT_TEMPLATE_"
    return config.get(prefix + template_kind.upper()) or None


def consent_for(
    session: Session, worker_id: int, complaint_id: int | None, template_ids: list[str]
) -> NoticeConsent | None:
    """A consent still usable for this case (None: for no case in particular): not revoked,
    and long-term or not yet used."""
    if not template_ids:
        return None
    return session.scalar(
        select(NoticeConsent)
        .where(
            NoticeConsent.worker_id == worker_id,
            NoticeConsent.template_id.in_(template_ids),
            NoticeConsent.revoked_at.is_(None),
            or_(NoticeConsent.long_term.is_(True), NoticeConsent.used_at.is_(None)),
            or_(NoticeConsent.complaint_id.is_(None), NoticeConsent.complaint_id == complaint_id),
        )
        .order_by(NoticeConsent.long_term.desc(), NoticeConsent.id)
        .limit(1)
    )


def send_notice(
    session: Session,
    complaint: Complaint,
    notice: Notice,
    *,
    now: datetime,
    payload: dict[str, Any],
    once_key: str | None = None,
) -> Delivery:
    """Write a notice to the transcript and queue it on the best channel, or mark the case
    for a phone call at once when no channel can reach the worker."""
    worker = complaint.worker
    config = current_app.config
    channels = plan(reach_of(session, worker, complaint.id, notice.template_kind, now, config))
    message = Message(
        worker_id=worker.id,
        direction="out",
        msg_type="text",
        content=notice.text,
        created_at=now,
        status="queued",
        payload={
            **payload,
            "case_no": complaint.case_no,
            "notice": notice.kind,
            "template_kind": notice.template_kind,
            "fields": fields(notice, complaint.case_no, china_day(now)),
            "channel": channels[0] if channels else PHONE,
            "plan": channels,
            "attempts": [],
        },
    )
    session.add(message)
    session.flush()
    session.add(
        CaseNotice(
            complaint_id=complaint.id,
            worker_id=worker.id,
            message_id=message.id,
            kind=notice.kind,
            once_key=once_key,
            created_at=now,
        )
    )
    if not channels:
        return Delivery(
            message, cannot_reach(session, message, "cs_window", NO_SUBSCRIPTION, complaint.id)
        )
    job = {"message_id": message.id, "complaint_id": complaint.id}
    enqueue(session, KIND, job, worker_id=worker.id, now=now)
    return Delivery(message, None)


def subscribe_ids(config: Any, kind: str) -> list[str]:
    """The templates a consent may name for a notice kind: its subscription template and the
    one-time link's."""
    ids = (template_id(config, SUBSCRIPTION, kind), config.get("WECHAT_ONE_TIME_TEMPLATE"))
    return [tid for tid in ids if tid]


def reach_of(
    session: Session,
    worker: Worker,
    complaint_id: int | None,
    kind: str,
    now: datetime,
    config: Any,
) -> Reach:
    """What can reach ``worker`` now with a notice of ``kind`` (about a case, or none)."""
    consent = consent_for(session, worker.id, complaint_id, subscribe_ids(config, kind))
    return Reach(
        window_open=cs_window_open(session, worker, now),
        consented=consent is not None,
        template_configured=template_id(config, TEMPLATE, kind) is not None,
        follows=bool(worker.subscribed),
    )


def cs_window_open(session: Session, worker: Worker, now: datetime) -> bool:
    """Whether a customer-service message may still reach the worker now.

    Like ``jobs.messages.send``, any own action of the worker (``last_inbound_at``) opens
    the 48 h window; a follow or scan opens a shorter one in truth, and WeChat's 45015 or
    45047 then moves the notice on to the next channel.
    """
    opened = worker.last_inbound_at
    if opened is None:
        return False
    sent = session.execute(
        select(Message.payload).where(
            Message.worker_id == worker.id,
            Message.direction == "out",
            Message.status.in_(("queued", "cs_sent")),
            Message.created_at >= opened,
        )
    ).scalars()
    count = sum(
        1 for body in sent if (body or {}).get("channel", CUSTOMER_SERVICE) == CUSTOMER_SERVICE
    )
    return window_open(opened, count, now)


def notify_step(
    session: Session,
    complaint: Complaint,
    detail: str,
    text: str,
    *,
    now: datetime,
    payload: dict[str, Any],
) -> Delivery:
    """The notice of the status ``complaint`` just reached (``text`` as the actions table
    words it); a resolved case also asks the worker whether the money arrived."""
    if complaint.status == "resolved":
        ask_payment(session, complaint, now)
    notice = status_notice(complaint.status, complaint.case_no, detail, text)
    return send_notice(session, complaint, notice, now=now, payload=payload)


def notify_missed_deadlines(session: Session, now: datetime) -> int:
    """Tell each worker whose case missed a legal deadline (acceptance, investigation), once
    per deadline: what happens next and whom to call."""
    today = china_day(now)
    sent = 0
    # Only the clock's columns: the whole row would decrypt the worker's personal data.
    clock_columns = load_only(
        Complaint.id,
        Complaint.case_no,
        Complaint.worker_id,
        Complaint.status,
        Complaint.submitted_at,
        Complaint.created_at,
        Complaint.accept_by,
        Complaint.investigate_by,
    )
    complaints = session.scalars(
        select(Complaint).where(Complaint.status.in_(sorted(OPEN))).options(clock_columns)
    )
    for complaint in complaints.all():
        work = session.scalar(select(CaseWork).where(CaseWork.complaint_id == complaint.id))
        for label, due in missed_deadlines(complaint.status, case_clocks(complaint, work), today):
            key = f"overdue:{complaint.id}:{label}:{due.isoformat()}"
            if session.scalar(select(CaseNotice.id).where(CaseNotice.once_key == key)):
                continue
            notice = overdue_notice(complaint.case_no, label, due)
            send_notice(session, complaint, notice, now=now, payload={}, once_key=key)
            sent += 1
    return sent


def sweep(app: Flask, force: bool = False) -> int:
    """A relay duty, at most every SWEEP_EVERY: missed-deadline notices (each told once:
    ``once_key``), and payment questions left unanswered for seven days closed as
    unconfirmed."""
    return periodically(app, "notice sweep", SWEEP_EVERY, _sweep, force)


def _sweep(session: Session, now: datetime) -> int:
    expire_unconfirmed(session, now)
    return notify_missed_deadlines(session, now)
