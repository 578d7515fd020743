"""Telling the worker: a WeChat customer-service message when the 48 h window allows it.

WeChat accepts customer-service messages only within 48 hours of the worker's last own
action (errcode 45015 otherwise). Inside the window the message is queued through the
outbox (``jobs/``), in the same transaction as the case change; if it finally cannot be
sent, the job marks the case for a phone call. Outside the window the message is still
stored (so the transcript shows what staff meant to say) and the case is marked at once;
staff see it on the case page and the front page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from jobs.outbox import enqueue
from models import Message, Worker

WINDOW = timedelta(hours=48)


@dataclass(frozen=True)
class Delivery:
    """The stored outbound message and, when it did not reach the worker, why."""

    message: Message
    problem: str | None


def deliver(
    session: Session,
    worker: Worker,
    text: str,
    *,
    now: datetime,
    payload: dict[str, Any],
    complaint_id: int | None = None,
) -> Delivery:
    """Store ``text`` as an outbound message and queue it if WeChat's window is open.

    ``complaint_id`` names the case to mark for a phone call should sending fail.
    """
    message = Message(
        worker_id=worker.id,
        direction="out",
        msg_type="text",
        content=text,
        payload=payload,
        created_at=now,
    )
    session.add(message)
    if worker.last_inbound_at is None or now - worker.last_inbound_at > WINDOW:
        message.status = "cs_window"
        return Delivery(message, "工人超过48小时未发消息，微信无法推送，请电话联系工人")
    message.status = "queued"
    session.flush()
    job_payload = {"message_id": message.id}
    if complaint_id is not None:
        job_payload["complaint_id"] = complaint_id
    enqueue(session, "send_message", job_payload, worker_id=worker.id, now=now)
    return Delivery(message, None)
