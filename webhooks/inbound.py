"""Inbound boundary: WeChat XML -> a plain :class:`Inbound` value -> a stored message.

Everything WeChat-specific about a message is read here, inside one ``try``, because
wechatpy converts fields lazily and raises plain ``ValueError``/``KeyError`` on bad input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from xml.parsers.expat import ExpatError

from sqlalchemy import select
from sqlalchemy.orm import Session
from wechatpy import parse_message
from wechatpy.messages import BaseMessage

from cases.consents import popup_choices, sent_results
from models import Message, Worker, insert_or_skip, utcnow
from webhooks.security import RequestRefused

# Type-specific fields kept in Message.payload, by wechatpy attribute name.
_PAYLOAD_FIELDS: dict[str, tuple[str, ...]] = {
    "image": ("image",),
    "voice": ("format", "recognition"),
    "video": ("thumb_media_id",),
    "shortvideo": ("thumb_media_id",),
    "location": ("location_x", "location_y", "scale", "label"),
    "link": ("title", "description", "url"),
}


#: OpenIDs and account ids: WeChat's are letters, digits, "_" and "-".
_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
#: The longest value each field may have (the message and worker columns hold them).
_MAX_LENGTHS = {"msg_type": 20, "media_id": 128, "event": 32}
_MAX_EVENT_KEY = 128
_MAX_BIGINT = 2**63 - 1  # CreateTime and MsgId are stored as BIGINT
#: The XML fields read into an Inbound (directly or through wechatpy's attributes).
_READ_FIELDS = (
    "ToUserName", "FromUserName", "CreateTime", "MsgType", "MsgId", "Content", "MediaId",
    "Event", "EventKey", "Format", "Recognition", "PicUrl", "ThumbMediaId", "Location_X",
    "Location_Y", "Scale", "Label", "Title", "Description", "Url",
)  # fmt: skip
#: Events that change whether the worker follows the account.
_SUBSCRIBED_AFTER = {"unsubscribe": False, "subscribe": True, "subscribe_scan": True}


@dataclass(frozen=True)
class Inbound:
    """One message or event as WeChat pushed it, already validated."""

    openid: str
    account: str  # ToUserName: our account's gh_ id, needed to address the reply
    msg_type: str
    create_time: int
    msg_id: int = 0
    content: str | None = None
    media_id: str | None = None
    event: str | None = None
    event_key: str | None = None
    payload: dict[str, Any] = field(default_factory=dict)

    @property
    def dedup_key(self) -> str:
        """Sender + MsgId for messages; sender + CreateTime + event for events (MsgId 0).

        A retry must match both: another sender's push with the same MsgId is a new
        message, never a retry that would be answered with the first sender's reply.
        Rows stored before the sender was part of the key keep their ``msg:<MsgId>``;
        both shapes stay distinct, so old rows are neither rewritten nor matched.
        """
        if self.msg_id:
            return f"msg:{self.openid}:{self.msg_id}"
        return f"evt:{self.openid}:{self.create_time}:{self.event or self.msg_type}"


@dataclass(frozen=True)
class Stored:
    """The stored inbound message's id and whether it was a retry of one stored before."""

    message_id: int
    duplicate: bool


def parse_inbound(xml: str) -> Inbound:
    """Parse plaintext XML into an :class:`Inbound`; refuse anything malformed."""
    try:
        message = parse_message(xml)
        if message is None:
            raise RequestRefused("empty body")
        return _fits(_to_inbound(message))
    except RequestRefused:
        raise
    except (ExpatError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        # xmltodict refuses entity declarations with a ValueError; RecursionError only as a
        # last guard, since _to_inbound reads no nested element (see _scalars).
        raise RequestRefused(f"malformed message: {type(exc).__name__}") from exc


def _to_inbound(message: BaseMessage) -> Inbound:
    _scalars(message._data)
    openid, account = message.source, message.target
    if not openid or not account:
        raise RequestRefused("no FromUserName/ToUserName")
    if not (_ID.fullmatch(str(openid)) and _ID.fullmatch(str(account))):
        # The reply addresses both; any other character could break its XML.
        raise RequestRefused("malformed FromUserName/ToUserName")
    msg_type = str(message._data["MsgType"]).lower()
    is_event = msg_type == "event"
    return Inbound(
        openid=str(openid),
        account=str(account),
        msg_type=msg_type,
        create_time=int(message.time),
        msg_id=0 if is_event else int(message.id or 0),
        content=_content(message, msg_type),
        media_id=getattr(message, "media_id", None),
        event=str(message._data.get("Event") or "unknown").lower() if is_event else None,
        event_key=_event_key(message) if is_event else None,
        payload={
            name: str(getattr(message, name))
            for name in _PAYLOAD_FIELDS.get(msg_type, ())
            if getattr(message, name, None) is not None
        }
        | _subscribe_choices(message._data),
    )


def _subscribe_choices(data: dict[str, Any]) -> dict[str, Any]:
    """The templates a worker accepted or rejected (subscribe_msg_popup/change_event), kept
    for the consent store (``bot/notices.py``); a handful of short ids at most."""
    choices = [[template_id[:128], status[:16]] for template_id, status in popup_choices(data)[:10]]
    # And WeChat's word on a notice it took (TEMPLATESENDJOBFINISH, subscribe_msg_sent_event).
    results = [[msgid[:24], status[:40]] for msgid, status in sent_results(data)[:10]]
    return ({"subscribe": choices} if choices else {}) | ({"sent": results} if results else {})


def _scalars(data: dict[str, Any]) -> None:
    """Refuse a read field that holds elements or repeats: a push has one text per field.

    xmltodict turns ``<Content><a>..</a></Content>`` into a dict (and a repeated field into
    a list); turning thousands of nested levels into text overflowed Python's stack (a 500).
    """
    for name in _READ_FIELDS:
        if isinstance(data.get(name), dict | list):
            raise RequestRefused(f"malformed message: {name} is not text")


def _fits(inbound: Inbound) -> Inbound:
    """Refuse values no WeChat push has: they would not fit the message's columns."""
    for name, limit in _MAX_LENGTHS.items():
        value = getattr(inbound, name)
        if value is not None and len(value) > limit:
            raise RequestRefused(f"malformed message: {name} too long")
    if not (0 <= inbound.create_time <= _MAX_BIGINT and 0 <= inbound.msg_id <= _MAX_BIGINT):
        raise RequestRefused("malformed message: number out of range")
    return inbound


def _content(message: BaseMessage, msg_type: str) -> str | None:
    if msg_type == "text":
        return str(message.content or "")
    if msg_type == "voice":
        return message.recognition or None  # WeChat is retiring Recognition; often empty
    if msg_type == "location":
        return message.label or None
    if msg_type == "link":
        return f"{message.title or ''} {message.url or ''}".strip() or None
    return None


def _event_key(message: BaseMessage) -> str | None:
    # wechatpy strips the qrscene_ prefix into scene_id for QR subscribes.
    key = getattr(message, "scene_id", None) or message._data.get("EventKey")
    # A VIEW event's key is the menu's URL, which may be long; QR scenes are short.
    return str(key)[:_MAX_EVENT_KEY] if key else None


def store_inbound(
    session: Session, inbound: Inbound, lease_until: datetime | None = None
) -> Stored:
    """Store the message before anything else is done with it; detect WeChat's retries.

    Two deliveries of the same message may race: the unique ``dedup_key`` lets exactly
    one insert win, and the loser reads the winner's id. ``lease_until`` is how long the
    storing delivery owns the answering of a new message.
    """
    worker_id = _touch_worker(session, inbound)
    messages = Message.__table__
    message_id = session.scalar(
        insert_or_skip(session, messages)
        .on_conflict_do_nothing(index_elements=["dedup_key"])
        .returning(messages.c.id),
        {**_message_values(worker_id, inbound), "lease_until": lease_until},
    )
    if message_id is None:  # a retry: the first delivery's row is committed by now
        session.rollback()  # nor is the worker's last_inbound_at moved by a retry
        # one(): should the row be gone after all, NoResultFound is answered 503 (retry).
        winner = session.scalars(
            select(Message.id).where(Message.dedup_key == inbound.dedup_key)
        ).one()
        return Stored(winner, duplicate=True)
    session.commit()
    return Stored(message_id, duplicate=False)


def _touch_worker(session: Session, inbound: Inbound) -> int:
    """The sender's worker id, created on first contact, marked as just heard from.

    One upsert, safe against two first messages at once. Statements are built without
    values (they are passed apart) so that SQLAlchemy's statement cache serves them.
    """
    workers = Worker.__table__
    statement = insert_or_skip(session, workers)
    changes = {"last_inbound_at": statement.excluded.last_inbound_at}
    subscribed = _SUBSCRIBED_AFTER.get(inbound.event or "")
    if subscribed is not None:
        changes["subscribed"] = statement.excluded.subscribed
    worker_id = session.scalar(
        statement.on_conflict_do_update(index_elements=["openid"], set_=changes).returning(
            workers.c.id
        ),
        {
            "openid": inbound.openid,
            "last_inbound_at": utcnow(),
            "subscribed": True if subscribed is None else subscribed,
        },
    )
    assert worker_id is not None  # DO UPDATE always returns the row
    return int(worker_id)


def _message_values(worker_id: int, inbound: Inbound) -> dict[str, Any]:
    return dict(
        worker_id=worker_id,
        direction="in",
        msg_type="event" if inbound.event else inbound.msg_type,
        content=inbound.content,
        media_id=inbound.media_id,
        event=inbound.event,
        event_key=inbound.event_key,
        wechat_msg_id=inbound.msg_id or None,
        wechat_created_at=inbound.create_time,
        dedup_key=inbound.dedup_key,
        payload=dict(inbound.payload),
        status="received",
    )
