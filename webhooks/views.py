"""The ``/wechat`` endpoint. It only translates:

verify -> decrypt -> parse -> store (dedup) -> the reply ``webhooks/delivery.py`` decides on
(a retry's, a flood refusal, or the bot's turn within the reply budget) -> render -> encrypt.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response, current_app, request
from sqlalchemy.exc import SQLAlchemyError

from models.db import get_session
from webhooks.delivery import respond, store
from webhooks.inbound import Inbound, parse_inbound
from webhooks.replay import ReplayGuard
from webhooks.replies import SUCCESS, render_text
from webhooks.security import Envelope, Opened, RequestRefused, TooLarge

log = logging.getLogger(__name__)

bp = Blueprint("webhooks", __name__)

#: WeChat's pushes are small; anything larger is not from WeChat.
MAX_BODY_BYTES = 1024 * 1024


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
        stored = store(session, inbound)
    except SQLAlchemyError:
        log.exception("cannot store inbound message; asking WeChat to retry")
        session.rollback()
        return Response("数据库暂不可用，请稍后重试", status=503, mimetype="text/plain")
    return _render(respond(session, stored, inbound.openid), inbound, opened)


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
