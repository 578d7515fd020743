"""Signatures and AES against WeChat's official vectors (shared/wechat.md) and our own."""

from __future__ import annotations

import pytest
from wechatpy.crypto import PrpCrypto

from webhooks.security import Envelope, Forbidden, RequestRefused, aes_key, signature_of
from webhooks.simulator import WeChatSimulator

from .conftest import SAMPLES

OFFICIAL_SAFE = {
    "token": "AAAAA",
    "key": "A" * 43,
    "appid": "wxba5fad812f8e6fb9",
    "args": {
        "signature": "6c5c811b55cc85e0e1b54100749188c20beb3f5d",
        "timestamp": "1714112445",
        "nonce": "415670741",
        "openid": "o9AgO5Kd5ggOC-bXrbNODIiE3bGY",
        "encrypt_type": "aes",
        "msg_signature": "046e02f8204d34f8ba5fa3b1db94908f3df2e9b3",
    },
    "encrypt": (
        "+qdx1OKCy+5JPCBFWw70tm0fJGb2Jmeia4FCB7kao+/Q5c/ohsOzQHi8khUOb05JCpj0JB4RvQMkUyus8TPxLKJGQ"
        "qcvZqzDpVzazhZv6JsXUnnR8XGT740XgXZUXQ7vJVnAG+tE8NUd4yFyjPy7GgiaviNrlCTj+l5kdfMuFUPpRSrfMZu"
        "Mcp3Fn2Pede2IuQrKEYwKSqFIZoNqJ4M8EajAsjLY2km32IIjdf8YL/P50F7mStwntrA2cPDrM1kb6mOcfBgRtWygb"
        "3VIYnSeOBrebufAlr7F9mFUPAJGj04="
    ),
}
OFFICIAL_COMPATIBLE = {
    "token": "spamtest",
    "key": "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
    "appid": "wx2c2769f8efd9abc2",
    "timestamp": "1409735669",
    "nonce": "1320562132",
    "msg_signature": "5d197aaffba7e9b25a30732f161a50dee96bd5fa",
}


def official_safe_envelope() -> Envelope:
    return Envelope(
        OFFICIAL_SAFE["token"], OFFICIAL_SAFE["appid"], (aes_key(OFFICIAL_SAFE["key"]),)
    )


def compatible_envelope(appid: str = OFFICIAL_COMPATIBLE["appid"]) -> Envelope:
    return Envelope(OFFICIAL_COMPATIBLE["token"], appid, (aes_key(OFFICIAL_COMPATIBLE["key"]),))


def compatible_args(msg_signature: str = OFFICIAL_COMPATIBLE["msg_signature"]) -> dict[str, str]:
    timestamp, nonce = OFFICIAL_COMPATIBLE["timestamp"], OFFICIAL_COMPATIBLE["nonce"]
    return {
        "signature": signature_of(OFFICIAL_COMPATIBLE["token"], timestamp, nonce),
        "timestamp": timestamp,
        "nonce": nonce,
        "encrypt_type": "aes",
        "msg_signature": msg_signature,
    }


def test_url_verification_signature_matches_official_vector() -> None:
    assert (
        signature_of("AAAAA", "1714036504", "1514711492")
        == "f464b24fc39322e44b38aa78f5edd27bd1441696"
    )


def test_plain_post_signature_matches_official_vector() -> None:
    envelope = Envelope("AAAAA", "wx", ())
    envelope.check_signature(
        {
            "signature": "899cf89e464efb63f54ddac96b0a0a235f53aa78",
            "timestamp": "1714037059",
            "nonce": "486452656",
        }
    )


@pytest.mark.parametrize(
    "args",
    [
        {
            "signature": "899cf89e464efb63f54ddac96b0a0a235f53aa79",
            "timestamp": "1714037059",
            "nonce": "486452656",
        },
        {
            "signature": "899cf89e464efb63f54ddac96b0a0a235f53aa78",
            "timestamp": "1714037060",
            "nonce": "486452656",
        },
        {"timestamp": "1714037059", "nonce": "486452656"},
        {},
    ],
)
def test_wrong_or_missing_signature_is_forbidden(args: dict[str, str]) -> None:
    with pytest.raises(Forbidden):
        Envelope("AAAAA", "wx", ()).check_signature(args)


def test_official_safe_mode_vector_decrypts() -> None:
    body = f"<xml><Encrypt><![CDATA[{OFFICIAL_SAFE['encrypt']}]]></Encrypt></xml>".encode()
    opened = official_safe_envelope().open(OFFICIAL_SAFE["args"], body)
    assert opened.xml.startswith('{"ToUserName":"gh_97417a04a28d"')
    assert '"debug_str":"hello world"' in opened.xml
    assert opened.key == aes_key("A" * 43)


def test_official_reply_vector_encrypts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(PrpCrypto, "get_random_string", lambda self: "707722b803182950")
    sealed = official_safe_envelope().seal(
        '{"demo_resp":"good luck"}', aes_key("A" * 43), nonce="415670741", timestamp="1713424427"
    )
    assert (
        "<Encrypt><![CDATA[ELGduP2YcVatjqIS+eZbp80MNLoAUWvzzyJxgGzxZO/5sAvd070Bs6qrLARC9nVHm48Y4h"
        "yRbtzve1L32tmxSQ==]]></Encrypt>" in sealed
    )
    assert (
        "<MsgSignature><![CDATA[1b9339964ed2e271e7c7b6ff2b0ef902fc94dea1]]></MsgSignature>"
        in sealed
    )
    assert "<TimeStamp>1713424427</TimeStamp>" in sealed
    assert "<Nonce><![CDATA[415670741]]></Nonce>" in sealed


def test_official_compatible_sample_decrypts_to_the_text_message() -> None:
    opened = compatible_envelope().open(
        compatible_args(), (SAMPLES / "compatible_official.xml").read_bytes()
    )
    assert "<Content><![CDATA[abcdteT]]></Content>" in opened.xml
    assert "<MsgId>6054768590064713728</MsgId>" in opened.xml


def test_compatible_sample_for_another_appid_is_forbidden() -> None:
    with pytest.raises(Forbidden, match="AppId"):
        compatible_envelope(appid="wx0000000000000000").open(
            compatible_args(), (SAMPLES / "compatible_official.xml").read_bytes()
        )


def test_msg_signature_off_by_one_digit_is_forbidden() -> None:
    with pytest.raises(Forbidden, match="msg_signature"):
        compatible_envelope().open(
            compatible_args("5d197aaffba7e9b25a30732f161a50dee96bd5fb"),
            (SAMPLES / "compatible_official.xml").read_bytes(),
        )


def test_previous_key_still_opens_during_rotation_and_is_reported() -> None:
    old_key, new_key = "B" * 43, "C" * 43
    sender = WeChatSimulator("tok", "wxapp", old_key, encrypted=True)
    push = sender.push(sender.text("你好"))
    envelope = Envelope("tok", "wxapp", (aes_key(new_key), aes_key(old_key)))
    opened = envelope.open(push.args, push.body)
    assert "你好" in opened.xml
    assert opened.key == aes_key(old_key)


def test_unknown_key_cannot_decrypt() -> None:
    sender = WeChatSimulator("tok", "wxapp", "D" * 43, encrypted=True)
    push = sender.push(sender.text("你好"))
    with pytest.raises(RequestRefused):
        Envelope("tok", "wxapp", (aes_key("E" * 43),)).open(push.args, push.body)


@pytest.mark.parametrize(
    "body",
    [
        b"<xml><ToUserName>x</ToUserName></xml>",
        b"<xml><Encrypt></Encrypt></xml>",
        b"not xml",
        b"",
    ],
)
def test_encrypted_request_without_usable_encrypt_field_is_refused(body: bytes) -> None:
    envelope = Envelope("tok", "wxapp", (aes_key("F" * 43),))
    args = {
        "signature": signature_of("tok", "1", "2"),
        "timestamp": "1",
        "nonce": "2",
        "encrypt_type": "aes",
    }
    with pytest.raises(RequestRefused) as caught:
        envelope.open(args, body)
    assert caught.value.status == 400


def test_sealed_reply_round_trips_through_the_simulator() -> None:
    key = "G" * 43
    envelope = Envelope("tok", "wxapp", (aes_key(key),))
    sealed = envelope.seal(
        "<xml><Content><![CDATA[回复]]></Content></xml>", aes_key(key), nonce="99"
    )
    assert WeChatSimulator("tok", "wxapp", key, encrypted=True).read_reply(sealed) == "回复"
