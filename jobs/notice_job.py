"""The ``send_notice`` job: a case notice (or a pay-day check-in, ``jobs/checkins.py``)
walks its plan of channels (``jobs/notices.py``).

An error that will not pass on this channel falls through to the next one: 45015/45047
(customer-service window or quota), 43101 (refused, or the one-time consent spent: the
consent is dropped), 48001 (not a verified account), 43004 (not following), 40037/47003
(the template). A transient one (-1, 45009) is retried by the runner with the plan where it
stopped. When no channel is left, the case is marked for a phone call by the one rule
(``jobs.messages.cannot_reach``).
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from cases.consents import scene_of
from cases.notices import short
from jobs.checkins import is_checkin, reached, unreached
from jobs.failures import WORKER_QUOTA, wechat_failure
from jobs.messages import cannot_reach
from jobs.notices import (
    CUSTOMER_SERVICE,
    NO_SUBSCRIPTION,
    PHONE,
    SUBSCRIPTION,
    TEMPLATE,
    consent_for,
    subscribe_ids,
    template_id,
)
from models import CaseNotice, Complaint, Message, NoticeConsent, OutboxJob, Worker, utcnow
from wechat.client import (
    WeChatAPIError,
    get_client,
    send_one_time,
    send_subscription,
    send_template,
    send_text,
)

#: Refused by WeChat for this worker on this channel: the consent is spent or withdrawn.
REFUSED = 43101


def run_notice(session: Session, job: OutboxJob) -> None:
    """The ``send_notice`` job: walk the notice's plan until a channel takes it."""
    message = session.get(Message, job.payload["message_id"])
    complaint_id = job.payload.get("complaint_id")  # None: a pay-day check-in
    if message is None or message.status in ("cs_sent", "notice_sent"):
        return
    if complaint_id is not None and session.get(Complaint, complaint_id) is None:
        return
    body = dict(message.payload)
    channels, attempts = list(body.get("plan", [])), list(body.get("attempts", []))
    while channels:
        channel = channels[0]
        try:
            msgid = _send(session, channel, message, complaint_id, body)
        except WeChatAPIError as exc:
            attempts.append({"channel": channel, "errcode": exc.errcode})
            if exc.retryable and exc.errcode != WORKER_QUOTA:
                message.payload = {**body, "plan": channels, "attempts": attempts}
                session.commit()  # kept although the job's own changes are rolled back
                raise wechat_failure(exc) from exc
            channels.pop(0)
            if channel == SUBSCRIPTION and exc.errcode == REFUSED:
                _revoke(session, message, complaint_id, body)
            continue
        attempts.append({"channel": channel, "errcode": 0})
        message.status = "cs_sent" if channel == CUSTOMER_SERVICE else "notice_sent"
        message.payload = {
            **body,
            "channel": channel,
            "plan": channels,
            "attempts": attempts,
            "msgid": msgid,  # WeChat's delivery event names it (bot/notices.py)
        }
        if is_checkin(message):
            reached(session, message, channel)
        return
    last = attempts[-1]["errcode"] if attempts else None
    message.payload = {**body, "channel": PHONE, "plan": [], "attempts": attempts, "errcode": last}
    _give_up(session, message, _cause(attempts), complaint_id)


def _give_up(session: Session, message: Message, cause: str, complaint_id: int | None) -> None:
    """No channel took the message: a case asks for a phone call (the one rule); a
    check-in is only recorded as unreached."""
    if is_checkin(message):
        unreached(session, message)
    else:
        cannot_reach(session, message, "cs_failed", cause, complaint_id)


def notice_dead(session: Session, job: OutboxJob) -> None:
    """The ``send_notice`` job died (transient errors to the last attempt): phone."""
    message = session.get(Message, job.payload["message_id"])
    if message is None:
        return
    attempts = list(message.payload.get("attempts", []))
    message.payload = {**message.payload, "channel": PHONE, "plan": []}
    _give_up(session, message, _cause(attempts), job.payload.get("complaint_id"))


def _send(
    session: Session,
    channel: str,
    message: Message,
    complaint_id: int | None,
    body: dict[str, Any],
) -> int | None:
    """Hand the notice to WeChat on ``channel``; WeChat's msgid, when it gives one."""
    app = current_app
    client = get_client(app)  # type: ignore[arg-type]
    worker = session.get(Worker, message.worker_id)
    assert worker is not None
    openid = worker.openid
    kind = body.get("template_kind", "progress")
    if channel == CUSTOMER_SERVICE:
        send_text(client, openid, message.content or "")
        return None
    if channel == TEMPLATE:
        tid = template_id(app.config, TEMPLATE, kind)
        if tid is None:
            raise WeChatAPIError(40037, "template no longer configured")
        return send_template(client, openid, tid, body["fields"], None)
    consent = _consent(session, message.worker_id, complaint_id, kind)
    if consent is None:
        raise WeChatAPIError(REFUSED, "no consent left")
    msgid = None
    if consent.source == "one_time_link":
        title = short(body["fields"]["thing2"], 15)
        send_one_time(
            client,
            openid,
            consent.template_id,
            scene_of(complaint_id or 0),
            title,
            message.content or "",
        )
    else:
        msgid = send_subscription(client, openid, consent.template_id, body["fields"], None)
    if not consent.long_term:
        consent.used_at = message.created_at
    return msgid


def _consent(
    session: Session, worker_id: int, complaint_id: int | None, kind: str
) -> NoticeConsent | None:
    ids = subscribe_ids(current_app.config, kind)
    return consent_for(session, worker_id, complaint_id, ids)


def _revoke(
    session: Session, message: Message, complaint_id: int | None, body: dict[str, Any]
) -> None:
    """WeChat says the worker refused (or the one-time consent is spent): stop using it."""
    kind = body.get("template_kind", "progress")
    consent = _consent(session, message.worker_id, complaint_id, kind)
    if consent is not None:
        consent.revoked_at = utcnow()


def _cause(attempts: list[dict[str, Any]]) -> str:
    """Why no channel reached the worker, for staff: each channel and WeChat's code."""
    names = {CUSTOMER_SERVICE: "客服消息", SUBSCRIPTION: "订阅通知", TEMPLATE: "模板消息"}
    tried = "，".join(
        f"{names.get(a['channel'], a['channel'])}错误码 {a['errcode']}" for a in attempts
    )
    return tried or NO_SUBSCRIPTION


def record_results(session: Session, event: Message) -> None:
    """WeChat's later word on notices it took (TEMPLATESENDJOBFINISH, subscribe_msg_sent_event,
    as ``webhooks/inbound.py`` kept it): stored with the notice; one it could not deliver
    ("failed:user block") asks staff to phone, by the one rule."""
    results = (event.payload or {}).get("sent") if event.msg_type == "event" else None
    if not results:
        return
    outcome = {str(msgid): str(status) for msgid, status in results}
    recent = session.scalars(
        select(Message)
        .where(
            Message.worker_id == event.worker_id,
            Message.direction == "out",
            Message.status == "notice_sent",
        )
        .order_by(Message.id.desc())
        .limit(50)  # the msgid is inside the encrypted payload: look at the latest only
    )
    for sent in recent:
        status = outcome.get(str(sent.payload.get("msgid")))
        if status is None:
            continue
        sent.payload = {**sent.payload, "delivered": status}
        if status != "success" and is_checkin(sent):
            unreached(session, sent)
        elif status != "success":
            complaint_id = session.scalar(
                select(CaseNotice.complaint_id).where(CaseNotice.message_id == sent.id)
            )
            cannot_reach(session, sent, "cs_failed", f"微信未能送达：{status}", complaint_id)
