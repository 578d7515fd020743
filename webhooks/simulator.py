"""Plays WeChat's side of the webhook: builds signed (optionally encrypted) pushes.

Used by ``flask chat``, the tests and the benchmarks, so that all of them speak exactly
the protocol WeChat speaks.
"""

from __future__ import annotations

import hashlib
import random
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from itertools import count

import xmltodict
from wechatpy.crypto import PrpCrypto

from webhooks.replies import SUCCESS, cdata_safe
from webhooks.security import aes_key, signature_of

ACCOUNT = "gh_anxin_dev"

_msg_ids = count(random.randrange(10**15, 10**16))

#: The (timestamp, nonce) pairs this process signed lately, with the message each carried:
#: WeChat never signs one pair for two messages, and the webhook refuses that as a replay.
_signed: OrderedDict[tuple[str, str], str] = OrderedDict()
_signed_lock = threading.Lock()
_SIGNED_KEPT = 10_000


@dataclass(frozen=True)
class Push:
    """One HTTP push: query arguments and body for ``POST /wechat``."""

    args: dict[str, str]
    body: bytes


@dataclass
class WeChatSimulator:
    """A WeChat server talking to our webhook on behalf of one worker."""

    token: str
    appid: str
    encoding_aes_key: str
    openid: str = field(default_factory=lambda: "o_sim_" + secrets.token_hex(8))
    encrypted: bool = False

    def text(self, content: str, msg_id: int | None = None) -> str:
        """The XML of a text message from the worker."""
        return self._xml("text", Content=content, MsgId=msg_id or next(_msg_ids))

    def event(self, event: str, key: str | None = None, create_time: int | None = None) -> str:
        """The XML of an event (``subscribe``, ``SCAN``, ``CLICK``, ...)."""
        fields: dict[str, object] = {"Event": event}
        if key is not None:
            fields["EventKey"] = key
        return self._xml("event", create_time=create_time, **fields)

    def media(self, msg_type: str, media_id: str, **extra: object) -> str:
        """The XML of an image, voice or video message."""
        return self._xml(msg_type, MediaId=media_id, MsgId=next(_msg_ids), **extra)

    def location(self, lat: str, lng: str, label: str) -> str:
        """The XML of a location message."""
        return self._xml(
            "location",
            Location_X=lat,
            Location_Y=lng,
            Scale="15",
            Label=label,
            MsgId=next(_msg_ids),
        )

    def push(self, xml: str, timestamp: str | None = None, nonce: str | None = None) -> Push:
        """Sign (and in safe mode encrypt) ``xml`` the way WeChat does: the timestamp is
        now, unless given, and a fresh nonce, unless given. A given nonce already signed
        with this second for another message moves the timestamp on by a second, as
        WeChat's own pushes never share a signed URL (give ``timestamp`` to replay one)."""
        nonce = nonce or str(random.randrange(10**9))
        timestamp = timestamp or _fresh_timestamp(nonce, xml)
        args = {
            "signature": signature_of(self.token, timestamp, nonce),
            "timestamp": timestamp,
            "nonce": nonce,
            "openid": self.openid,
        }
        if not self.encrypted:
            return Push(args, xml.encode("utf-8"))
        encrypted = PrpCrypto(aes_key(self.encoding_aes_key)).encrypt(xml, self.appid).decode()
        args["encrypt_type"] = "aes"
        args["msg_signature"] = signature_of(self.token, timestamp, nonce, encrypted)
        body = (
            f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName>"
            f"<Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>"
        )
        return Push(args, body.encode("utf-8"))

    def read_reply(self, body: bytes | str) -> str | None:
        """The text content of a passive reply (None for ``success`` or an empty body)."""
        text = body.decode("utf-8") if isinstance(body, bytes) else body
        if text in ("", SUCCESS):
            return None
        document = xmltodict.parse(text)["xml"]
        if "Encrypt" in document:
            plain = PrpCrypto(aes_key(self.encoding_aes_key)).decrypt(
                document["Encrypt"], self.appid
            )
            document = xmltodict.parse(plain)["xml"]
        content = document.get("Content")
        return None if content is None else str(content)

    def _xml(self, msg_type: str, create_time: int | None = None, **fields: object) -> str:
        parts = [
            f"<ToUserName><![CDATA[{ACCOUNT}]]></ToUserName>",
            f"<FromUserName><![CDATA[{self.openid}]]></FromUserName>",
            f"<CreateTime>{create_time or int(time.time())}</CreateTime>",
            f"<MsgType><![CDATA[{msg_type}]]></MsgType>",
        ]
        for name, value in fields.items():
            if isinstance(value, int):
                parts.append(f"<{name}>{value}</{name}>")
            else:
                parts.append(f"<{name}><![CDATA[{cdata_safe(str(value))}]]></{name}>")
        return "<xml>" + "".join(parts) + "</xml>"


def _fresh_timestamp(nonce: str, xml: str) -> str:
    """Now, or the next second whose pair with ``nonce`` no other message was signed with."""
    digest = hashlib.sha256(xml.encode("utf-8")).hexdigest()
    second = int(time.time())
    with _signed_lock:
        while _signed.get((str(second), nonce), digest) != digest:
            second += 1
        _signed[(str(second), nonce)] = digest
        _signed.move_to_end((str(second), nonce))
        while len(_signed) > _SIGNED_KEPT:
            _signed.popitem(last=False)
    return str(second)
