"""Telling the worker: a WeChat customer-service message when the 48 h window allows it.

WeChat accepts customer-service messages only within 48 hours of the worker's last own
action (errcode 45015 otherwise). Outside the window, or when sending fails, the message is
still stored (so the transcript shows what staff meant to say) and the case is marked for
a phone call, which staff see on the case page and the front page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy.orm import Session

from models import Message, Worker
from wechat.client import WeChatAPIError, get_client, send_text

WINDOW = timedelta(hours=48)
WINDOW_CLOSED = 45015


@dataclass(frozen=True)
class Delivery:
    """The stored outbound message and, when it did not reach the worker, why."""

    message: Message
    problem: str | None


def deliver(
    session: Session, worker: Worker, text: str, *, now: datetime, payload: dict[str, Any]
) -> Delivery:
    """Send ``text`` to ``worker`` if the window is open; store it as an outbound message."""
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
    try:
        send_text(get_client(current_app), worker.openid, text)
    except WeChatAPIError as exc:
        message.status = "cs_failed"
        message.payload = {**payload, "errcode": exc.errcode}
        if exc.errcode == WINDOW_CLOSED:
            return Delivery(message, "微信回复窗口已过（45015），请电话联系工人")
        return Delivery(message, f"微信推送失败（错误码 {exc.errcode}），请电话联系工人")
    except RuntimeError as exc:  # no client can be built (configuration)
        message.status = "cs_failed"
        return Delivery(message, f"微信接口不可用（{exc}），请电话联系工人")
    message.status = "cs_sent"
    return Delivery(message, None)
