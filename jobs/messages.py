"""Outbound customer-service messages: created, queued, sent and failed here, and only here.

Every message the account sends other than the webhook's passive reply goes this way: a
late reply to the worker (the turn missed WeChat's 5 s), a staff notice about a case, a
staff reply from the console. Each is a ``Message`` row (direction ``"out"``, statuses in
:data:`models.chat.OUTBOUND_STATUSES`), written in the caller's transaction together with
its ``send_message`` job, so it goes out exactly when its cause is committed.

WeChat accepts customer-service messages only within 48 hours of the worker's last own
action (errcode 45015 otherwise). A message that cannot reach the worker — the window is
closed when it is written, or its job dies — follows one rule (:func:`cannot_reach`): the
case it concerns is marked for a phone call with one sentence (:func:`call_worker_reason`);
without a case, the worker's conversation is flagged for staff.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from jobs.failures import WINDOW_CLOSED, wechat_failure
from jobs.outbox import enqueue
from models import ConversationState, Message, OutboxJob, Worker, case_work_of, utcnow
from wechat.client import WeChatAPIError, get_client, send_text

KIND = "send_message"
#: WeChat's customer-service window after the worker's last own action.
WINDOW = timedelta(hours=48)
#: Why a message was not even sent (the worker wrote last more than 48 h ago).
WINDOW_CAUSE = "工人超过48小时未发消息"


@dataclass(frozen=True)
class Delivery:
    """The stored outbound message and, when it did not reach the worker, why."""

    message: Message
    problem: str | None


def call_worker_reason(cause: str) -> str:
    """The one sentence staff read when a message cannot reach the worker."""
    return f"微信消息无法送达（{cause}），请电话联系工人"


def notify(
    session: Session,
    worker: Worker,
    text: str,
    *,
    now: datetime,
    payload: dict[str, Any],
    complaint_id: int | None = None,
) -> Delivery:
    """Write ``text`` to the worker as a customer-service message (a notice, a staff reply).

    ``complaint_id`` names the case to mark for a phone call should it not reach them.
    """
    message = Message(
        worker_id=worker.id,
        direction="out",
        msg_type="text",
        content=text,
        payload=payload,
        created_at=now,
        status="queued",
    )
    session.add(message)
    return send(session, message, worker, now=now, complaint_id=complaint_id)


def send_late_reply(session: Session, reply: Message) -> Delivery:
    """The bot's reply missed the passive window: send it as a customer-service message."""
    worker = session.get(Worker, reply.worker_id)
    assert worker is not None  # the reply answers the worker's own message
    return send(session, reply, worker, now=utcnow())


def send(
    session: Session,
    message: Message,
    worker: Worker,
    *,
    now: datetime,
    complaint_id: int | None = None,
) -> Delivery:
    """Queue a stored outbound message, unless WeChat's window is closed (then the rule)."""
    if worker.last_inbound_at is None or now - worker.last_inbound_at > WINDOW:
        problem = cannot_reach(session, message, "cs_window", WINDOW_CAUSE, complaint_id)
        return Delivery(message, problem)
    message.status = "queued"
    session.flush()  # the job names the message by id
    job_payload: dict[str, Any] = {"message_id": message.id}
    if complaint_id is not None:
        job_payload["complaint_id"] = complaint_id
    enqueue(session, KIND, job_payload, worker_id=worker.id, now=now)
    return Delivery(message, None)


def cannot_reach(
    session: Session, message: Message, status: str, cause: str, complaint_id: int | None
) -> str:
    """The one rule for a message that will not reach the worker; returns staff's sentence.

    The message keeps why (``status``); the case it concerns asks for a phone call, or,
    without a case, the conversation is flagged for staff (unless already flagged).
    """
    message.status = status
    reason = call_worker_reason(cause)
    if complaint_id is not None:
        case_work_of(session, complaint_id).call_worker_reason = reason
        return reason
    state = session.scalar(
        select(ConversationState).where(ConversationState.worker_id == message.worker_id)
    )
    if state is not None and state.handoff_requested_at is None:
        state.handoff_requested_at = message.created_at or utcnow()
        state.handoff_reason = "undelivered"
    return reason


def run_send(session: Session, job: OutboxJob) -> None:
    """The ``send_message`` job: hand the message to WeChat once."""
    message = session.get(Message, job.payload["message_id"])
    if message is None or message.status == "cs_sent":
        return  # already sent by an earlier attempt whose process died before recording it
    worker = session.get(Worker, message.worker_id)
    assert worker is not None
    try:
        send_text(get_client(current_app), worker.openid, message.content or "")
    except WeChatAPIError as exc:
        message.payload = {**message.payload, "errcode": exc.errcode}
        session.commit()  # kept although the job's own changes are rolled back
        raise wechat_failure(exc) from exc
    message.status = "cs_sent"


def undelivered(session: Session, job: OutboxJob) -> None:
    """The ``send_message`` job died: the message cannot reach the worker."""
    message = session.get(Message, job.payload["message_id"])
    if message is None:
        return
    errcode = message.payload.get("errcode")
    cause = f"错误码 {errcode or '未知'}"
    if errcode == WINDOW_CLOSED:
        cause += "，已过48小时回复窗口"
    cannot_reach(session, message, "cs_failed", cause, job.payload.get("complaint_id"))


#: What each outbound status means for the worker.
DELIVERY_RESULTS = {
    "passive": "delivered",  # the webhook's own answer, shown at once
    "queued": "queued",
    "cs_sent": "sent",
    "notice_sent": "sent",
    "cs_failed": "failed",
    "cs_window": "not_sent",
}


def delivery_of(message: Message) -> dict[str, Any]:
    """An outbound message's channel (reply, customer_service, subscription, template or
    phone: staff must call) and delivery result, with the channels tried; {} for inbound."""
    if message.direction != "out":
        return {}
    body = message.payload or {}
    if message.status in ("cs_window", "cs_failed"):
        channel = "phone"
    elif message.status == "passive":
        channel = "reply"
    else:
        channel = body.get("channel") or "customer_service"
    return {
        "channel": channel,
        "delivery": DELIVERY_RESULTS.get(message.status, message.status),
        "attempts": body.get("attempts", []),
        # WeChat's later word on a subscription or template message (success, failed:...).
        "delivered": body.get("delivered"),
    }
