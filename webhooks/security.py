"""WeChat's request signatures and message encryption, written once for every mode.

Facts from WeChat's developer documentation (消息加解密说明): the URL ``signature`` is
``sha1`` of the sorted token, timestamp and nonce; in safe and compatible mode
``msg_signature`` adds the ``Encrypt`` field; the AES key is the base64-decoded
EncodingAESKey, and the decrypted text must end with our AppId.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import struct
import time
from collections.abc import Mapping
from dataclasses import dataclass
from xml.parsers.expat import ExpatError

import xmltodict
from wechatpy.crypto import PrpCrypto
from wechatpy.exceptions import InvalidAppIdException

from webhooks.replies import cdata_safe


class RequestRefused(Exception):
    """A request we will not process; ``status`` is the HTTP answer to give."""

    status = 400

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Forbidden(RequestRefused):
    """Forged: a signature that does not match, or a message for another account."""

    status = 403


class TooLarge(RequestRefused):
    """A body larger than any WeChat push."""

    status = 413


def signature_of(*parts: str) -> str:
    """WeChat's signature: sha1 over the parts sorted as plain strings, no separator."""
    return hashlib.sha1("".join(sorted(parts)).encode("utf-8")).hexdigest()


def aes_key(encoding_aes_key: str) -> bytes:
    """Decode a 43-character EncodingAESKey into the 32-byte AES-256 key."""
    key = base64.b64decode(encoding_aes_key + "=")
    if len(key) != 32:
        raise ValueError("EncodingAESKey must decode to 32 bytes")
    return key


@dataclass(frozen=True)
class Opened:
    """A verified inbound body: the plaintext XML and the key it was encrypted with."""

    xml: str
    key: bytes | None  # None: the request came in plaintext mode


@dataclass(frozen=True)
class Envelope:
    """The signing and encryption settings of one Official Account.

    ``keys`` holds the current AES key first and, during a key rotation, the previous one.
    """

    token: str
    appid: str
    keys: tuple[bytes, ...]
    #: Refuse plaintext pushes (``WECHAT_REQUIRE_SAFE_MODE``): with an AES key set, every
    #: push must then carry ``msg_signature``, which, unlike ``signature``, covers the body.
    require_safe_mode: bool = False

    def check_signature(self, args: Mapping[str, str]) -> None:
        """Refuse a request whose URL ``signature`` does not match (constant-time compare),
        or that lacks a signature, timestamp or nonce (WeChat always sends all three)."""
        if not all(args.get(name) for name in _SIGNED_ARGS):
            raise Forbidden("missing signature, timestamp or nonce")
        expected = signature_of(self.token, args["timestamp"], args["nonce"])
        if not _same(expected, args["signature"]):
            raise Forbidden("bad signature")

    def open(self, args: Mapping[str, str], body: bytes) -> Opened:
        """Verify a POST and return its plaintext XML, decrypting safe/compatible mode."""
        self.check_signature(args)
        if args.get("encrypt_type", "raw") != "aes":
            if self.require_safe_mode and self.keys:
                # The plain signature does not cover the body: anyone holding one signed
                # URL could post anything. WeChat's console must be set to 安全模式.
                raise Forbidden("plaintext push refused: safe mode is required")
            try:
                return Opened(body.decode("utf-8", errors="strict"), None)
            except UnicodeDecodeError:
                raise RequestRefused("body is not UTF-8") from None
        encrypted = _encrypt_field(body)
        expected = signature_of(
            self.token, args.get("timestamp", ""), args.get("nonce", ""), encrypted
        )
        if not _same(expected, args.get("msg_signature", "")):
            raise Forbidden("bad msg_signature")
        if not _PLAIN_NONCE.fullmatch(args.get("nonce", "")):
            # The encrypted reply echoes the nonce; WeChat's are digits.
            raise RequestRefused("nonce unusable in a reply")
        return self._decrypt(encrypted)

    def seal(self, xml: str, key: bytes, nonce: str, timestamp: str | None = None) -> str:
        """Encrypt a reply with ``key`` (the one the request used) in WeChat's envelope."""
        timestamp = timestamp or str(int(time.time()))
        encrypted = PrpCrypto(key).encrypt(xml, self.appid).decode("ascii")
        signature = signature_of(self.token, timestamp, nonce, encrypted)
        return (
            f"<xml><Encrypt><![CDATA[{encrypted}]]></Encrypt>"
            f"<MsgSignature><![CDATA[{signature}]]></MsgSignature>"
            f"<TimeStamp>{timestamp}</TimeStamp>"
            f"<Nonce><![CDATA[{cdata_safe(nonce)}]]></Nonce></xml>"
        )

    def _decrypt(self, encrypted: str) -> Opened:
        wrong_appid = False
        for key in self.keys:
            try:
                return Opened(PrpCrypto(key).decrypt(encrypted, self.appid), key)
            except InvalidAppIdException:
                wrong_appid = True
            except (ValueError, IndexError, struct.error, binascii.Error):
                # A wrong key yields garbage; try the previous key before giving up.
                continue
        if wrong_appid:
            raise Forbidden("message for another AppId")
        raise RequestRefused("cannot decrypt")


#: The URL arguments every signed request carries, non-empty.
_SIGNED_ARGS = ("signature", "timestamp", "nonce")
#: A nonce the sealed reply can carry as it came (WeChat sends digits).
_PLAIN_NONCE = re.compile(r"[0-9A-Za-z_-]{1,64}")


def _same(expected: str, given: str) -> bool:
    # compare_digest refuses str with non-ASCII characters: compare the UTF-8 bytes.
    return hmac.compare_digest(expected.encode(), given.encode("utf-8", errors="replace"))


def _encrypt_field(body: bytes) -> str:
    try:
        document = xmltodict.parse(body)
        encrypted = document["xml"]["Encrypt"]
    except (ExpatError, ValueError, KeyError, TypeError, RecursionError) as exc:
        raise RequestRefused("no Encrypt field") from exc
    if not isinstance(encrypted, str) or not encrypted:
        raise RequestRefused("empty Encrypt field")
    return encrypted
