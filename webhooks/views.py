"""The ``/wechat`` endpoint. It only translates:

verify -> decrypt -> parse -> store (dedup) -> rate limit -> the bot's turn, waited for up to
the reply budget (``webhooks/answering.py``) -> render -> encrypt.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from flask import Blueprint, Response, current_app, request
from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from models import Message, utcnow
from models.db import get_session
from webhooks.answering import lease, take_over
from webhooks.inbound import Inbound, parse_inbound, store_inbound
from webhooks.ratelimit import TOO_FAST
from webhooks.replay import ReplayGuard
from webhooks.replies import SUCCESS, render_text
from webhooks.security import Envelope, Opened, RequestRefused, TooLarge

log = logging.getLogger(__name__)

bp = Blueprint("webhooks", __name__)

#: WeChat's pushes are small; anything larger is not from WeChat.
MAX_BODY_BYTES = 1024 * 1024
#: How long after a message was stored a duplicate of it may still be WeChat's retry and
#: get the stored passive reply. WeChat waits 5 s per delivery and retries three times
#: (about 20 s in all); 15 s per attempt x 3 leaves room for slow networks and queues.
#: Later, a duplicate is a replay: it is answered "success" and never with the reply.
RETRY_HORIZON_SECONDS = 15 * 3


def envelope() -> Envelope:
    """The account's signing and encryption settings, kept by ``webhooks.init_app``."""
    result: Envelope = current_app.extensions["wechat_envelope"]
    return result


def replay_guard() -> ReplayGuard:
    """The timestamp window and signed-URL memory, kept by ``webhooks.init_app``."""
    result: ReplayGuard = current_app.extensions["wechat_replay"]
    return result


@bp.get("/wechat")
def verify() -> Response:
    """URL verification: echo ``echostr`` only when the signature matches.

    No timestamp window here: a replayed verification only echoes the caller's own
    ``echostr`` and changes nothing, and WeChat's console checks it once, when saved.
    """
    try:
        envelope().check_signature(request.args)
    except RequestRefused as exc:
        return _refuse(exc)
    return Response(request.args.get("echostr", ""), mimetype="text/plain")


@bp.post("/wechat")
def receive() -> Response:
    """Take one pushed message or event and answer with the passive reply."""
    try:
        opened, inbound = _read_request()
    except RequestRefused as exc:
        return _refuse(exc)
    session = get_session()
    try:
        stored = store_inbound(session, inbound, lease_until=lease(current_app))
    except SQLAlchemyError:
        log.exception("cannot store inbound message; asking WeChat to retry")
        session.rollback()
        return Response("数据库暂不可用，请稍后重试", status=503, mimetype="text/plain")
    # The message is stored: from here on no fault may lose it or turn into a 500.
    if stored.duplicate:
        reply = _reply_to_retry(session, stored.message_id)
    elif not current_app.extensions["sender_limit"].allow(inbound.openid):
        reply = _refuse_flood(session, stored.message_id)
    else:
        reply = current_app.extensions["answerer"].answer(stored.message_id)
    return _render(reply, inbound, opened)


def _read_request() -> tuple[Opened, Inbound]:
    length = request.content_length
    if length is not None and length > MAX_BODY_BYTES:
        raise TooLarge("body too large")
    body = request.stream.read(MAX_BODY_BYTES + 1)
    if len(body) > MAX_BODY_BYTES:
        raise TooLarge("body too large")
    guard = replay_guard()
    guard.check_fresh(request.args)  # cheap, before any crypto
    opened = envelope().open(request.args, body)
    guard.remember(request.args, opened.xml)  # only signed requests enter the memory
    return opened, parse_inbound(opened.xml)


def _refuse_flood(session: Session, message_id: int) -> str | None:
    try:
        session.execute(
            update(Message)
            .where(Message.id == message_id)
            .values(status="limited", lease_until=None)
        )
        session.commit()
    except SQLAlchemyError:
        log.exception("cannot mark message %s as over the limit", message_id)
        session.rollback()
    return TOO_FAST


def _reply_to_retry(session: Session, message_id: int) -> str | None:
    """A retry gets the first delivery's passive reply, waiting briefly if it is still
    being made, or answers the message itself if the first delivery's process died.

    The dedup key holds the sender, so the stored reply goes only to its own sender; and
    only within WeChat's retry horizon (a later duplicate is not WeChat retrying).
    """
    try:
        if not _within_retry_horizon(session, message_id):
            log.warning("duplicate of message %s past the retry horizon: no reply", message_id)
            return None
        return _wait_for_reply(session, message_id)
    except SQLAlchemyError:
        log.exception("cannot read the reply of message %s", message_id)
        session.rollback()
        return None


def _within_retry_horizon(session: Session, message_id: int) -> bool:
    first = session.get(Message, message_id)
    horizon = timedelta(seconds=RETRY_HORIZON_SECONDS)
    return first is not None and utcnow() - first.created_at <= horizon


def _wait_for_reply(session: Session, message_id: int) -> str | None:
    deadline = time.monotonic() + float(current_app.config["DUPLICATE_WAIT_SECONDS"])
    while True:
        # End the transaction so each look sees the other delivery's commits (SQLite's
        # WAL readers keep their snapshot until the transaction ends).
        session.rollback()
        first = session.get(Message, message_id)
        if first is None or first.status != "received":
            break
        expired = first.lease_until is None or first.lease_until < utcnow()
        if expired and take_over(session, message_id, current_app):
            return current_app.extensions["answerer"].answer(message_id)  # type: ignore[no-any-return]
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.1)
    # Only a passive reply is repeated: one sent as a customer-service message is on its way.
    return session.scalar(
        select(Message.content)
        .where(
            Message.reply_to_id == message_id,
            Message.direction == "out",
            Message.status == "passive",
        )
        .order_by(Message.id)
        .limit(1)
    )


def _render(reply: str | None, inbound: Inbound, opened: Opened) -> Response:
    if not reply:
        return Response(SUCCESS, mimetype="text/plain")
    xml = render_text(reply, account=inbound.account, openid=inbound.openid)
    if opened.key is not None:
        xml = envelope().seal(xml, opened.key, nonce=request.args.get("nonce", ""))
    return Response(xml, mimetype="application/xml")


def _refuse(exc: RequestRefused) -> Response:
    log.warning("refused %s %s: %s", request.method, request.path, exc.reason)
    return Response(exc.reason, status=exc.status, mimetype="text/plain")
