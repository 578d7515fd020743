"""The webhook attacks of the security review (issue 14, items 1, 2 and 9), kept fixed.

Each test plays the attack through ``POST /wechat`` the way it was reproduced; the last
ones check that WeChat's genuine retries still get their reply.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
import xmltodict
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update
from wechatpy.crypto import PrpCrypto

from app import create_app
from models import Message, utcnow
from models.db import get_session
from webhooks import require_safe_mode
from webhooks.delivery import RETRY_HORIZON_SECONDS
from webhooks.replay import MemoryNonces, RedisNonces, ReplayGuard
from webhooks.security import Forbidden, aes_key, signature_of
from webhooks.simulator import ACCOUNT, Push, WeChatSimulator

from .conftest import _empty_tables, base_config
from .test_webhook import post, stored

pytestmark = pytest.mark.security

WINDOW = 300  # the default WECHAT_TIMESTAMP_WINDOW_SECONDS


def sender(app: Flask, *, encrypted: bool = False, openid: str | None = None) -> WeChatSimulator:
    """WeChat's side for one worker of ``app``'s account."""
    sim = WeChatSimulator(
        app.config["WECHAT_TOKEN"],
        app.config["WECHAT_APPID"],
        app.config["WECHAT_ENCODING_AES_KEY"],
        encrypted=encrypted,
    )
    if openid:
        sim.openid = openid
    return sim


def signed_args(app: Flask, timestamp: str, nonce: str) -> dict[str, str]:
    """URL arguments with a correct ``signature`` over whatever timestamp and nonce."""
    signature = signature_of(app.config["WECHAT_TOKEN"], timestamp, nonce)
    return {"signature": signature, "timestamp": timestamp, "nonce": nonce}


def reply_document(sim: WeChatSimulator, body: bytes) -> dict[str, str]:
    """The plaintext reply XML as a mapping (decrypted in safe mode)."""
    document = xmltodict.parse(body)["xml"]
    if "Encrypt" in document:
        plain = PrpCrypto(aes_key(sim.encoding_aes_key)).decrypt(document["Encrypt"], sim.appid)
        document = xmltodict.parse(plain)["xml"]
    return dict(document)


@pytest.fixture
def make_app(database_urls: dict[str, str]) -> Iterator[Callable[..., Flask]]:
    """Apps with extra settings on the SQLite test database, emptied afterwards."""
    made: list[Flask] = []

    def make(**settings: object) -> Flask:
        app = create_app(base_config(database_urls["sqlite"]) | settings)
        made.append(app)
        return app

    yield make
    for app in made:
        app.extensions["jobs"].wait()
        _empty_tables(app)
        app.extensions["db"].engine.dispose()


# --- 1. replayed signatures --------------------------------------------------------------


def test_an_old_signed_url_cannot_carry_another_workers_message(
    app: Flask, client: FlaskClient
) -> None:
    worker = sender(app)
    genuine = worker.push(worker.text("老板欠我们五个人三万块工资"))
    assert post(client, genuine).status_code == 200
    victim = sender(app, openid="o_victim_worker_01")
    forged = Push(genuine.args, victim.text("我叫张三，电话13912345678").encode("utf-8"))
    response = post(client, forged)
    assert response.status_code == 403 and b"replayed" in response.data
    assert [m.content for m in stored(app)] == ["老板欠我们五个人三万块工资"]


def test_an_old_signed_url_cannot_carry_a_new_message_of_the_same_worker(
    app: Flask, client: FlaskClient
) -> None:
    worker = sender(app)
    genuine = worker.push(worker.text("你好"))
    assert post(client, genuine).status_code == 200
    again = Push(genuine.args, worker.text("我的电话是13912345678").encode("utf-8"))
    assert post(client, again).status_code == 403
    assert len(stored(app)) == 1


@pytest.mark.parametrize("missing", ["timestamp", "nonce", "signature"])
def test_a_push_without_timestamp_nonce_or_signature_is_refused(
    app: Flask, client: FlaskClient, missing: str
) -> None:
    worker = sender(app)
    push = worker.push(worker.text("你好"))
    for args in ({**push.args, missing: ""}, {k: v for k, v in push.args.items() if k != missing}):
        assert post(client, Push(args, push.body)).status_code == 403
    assert stored(app) == []


def test_a_signature_over_an_empty_timestamp_and_nonce_is_refused(
    app: Flask, client: FlaskClient
) -> None:
    # Correctly signed, but over nothing: such a URL never expires and fits any body.
    worker = sender(app)
    response = post(client, Push(signed_args(app, "", ""), worker.text("你好").encode()))
    assert response.status_code == 403 and stored(app) == []
    verify = client.get("/wechat", query_string={**signed_args(app, "", ""), "echostr": "42"})
    assert verify.status_code == 403 and b"42" not in verify.data


@pytest.mark.parametrize("offset", [-(WINDOW + 5), WINDOW + 5, -86_400 * 400])
def test_a_signed_push_outside_the_timestamp_window_is_refused(
    app: Flask, client: FlaskClient, offset: int, caplog: pytest.LogCaptureFixture
) -> None:
    worker = sender(app)
    push = worker.push(worker.text("你好"), timestamp=str(int(time.time()) + offset))
    with caplog.at_level(logging.WARNING, logger="webhooks.views"):
        response = post(client, push)
    assert response.status_code == 403 and b"window" in response.data
    assert stored(app) == []
    assert any("timestamp outside" in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize("offset", [-(WINDOW - 10), WINDOW - 10])
def test_a_signed_push_inside_the_window_is_answered(
    app: Flask, client: FlaskClient, offset: int
) -> None:
    worker = sender(app)
    push = worker.push(worker.text("你好"), timestamp=str(int(time.time()) + offset))
    assert worker.read_reply(post(client, push).data)


@pytest.mark.parametrize("timestamp", ["abc", "-5", "1e9", "１７００", "9" * 30])
def test_a_malformed_timestamp_is_refused(app: Flask, client: FlaskClient, timestamp: str) -> None:
    worker = sender(app)
    assert post(client, worker.push(worker.text("你好"), timestamp=timestamp)).status_code == 403


def test_the_timestamp_window_is_configurable(make_app: Callable[..., Flask]) -> None:
    app = make_app(WECHAT_TIMESTAMP_WINDOW_SECONDS=60)
    worker = sender(app)
    old = worker.push(worker.text("你好"), timestamp=str(int(time.time()) - 120))
    assert post(app.test_client(), old).status_code == 403
    assert post(app.test_client(), worker.push(worker.text("你好"))).status_code == 200


def test_safe_mode_required_refuses_plaintext_and_answers_encrypted(
    make_app: Callable[..., Flask],
) -> None:
    app = make_app(WECHAT_REQUIRE_SAFE_MODE="1")
    client = app.test_client()
    plain = sender(app)
    response = post(client, plain.push(plain.text("老板欠我工资")))
    assert response.status_code == 403 and b"safe mode" in response.data
    assert stored(app) == []
    safe = sender(app, encrypted=True)
    response = post(client, safe.push(safe.text("你好")))
    assert response.status_code == 200 and b"<Encrypt>" in response.data
    assert safe.read_reply(response.data)
    # URL verification (GET) is plaintext in every mode and keeps working.
    verify = client.get("/wechat", query_string={**signed_args(app, "1", "2"), "echostr": "7"})
    assert verify.status_code == 200 and verify.data == b"7"


def test_safe_mode_required_refuses_forged_plaintext_beside_a_genuine_encrypt(
    make_app: Callable[..., Flask],
) -> None:
    # Compatible-mode body with the URL's encrypt_type dropped: only the plain signature,
    # which does not cover the body, would then vouch for the plaintext fields.
    app = make_app(WECHAT_REQUIRE_SAFE_MODE="true")
    safe, victim = sender(app, encrypted=True), sender(app, openid="o_victim_worker_02")
    push = safe.push(safe.text("你好"))
    forged_xml = victim.text("我的身份证号110101199003071234").removeprefix("<xml>")
    body = push.body.replace(b"</xml>", forged_xml.encode())
    args = {k: v for k, v in push.args.items() if k not in ("encrypt_type", "msg_signature")}
    assert post(app.test_client(), Push(args, body)).status_code == 403
    assert stored(app) == []


@pytest.mark.parametrize(
    ("settings", "required"),
    [
        ({"ANXIN_ENV": "production"}, True),
        ({"ANXIN_ENV": "development"}, False),
        ({"ANXIN_ENV": "production", "WECHAT_REQUIRE_SAFE_MODE": "0"}, False),
        ({"ANXIN_ENV": "development", "WECHAT_REQUIRE_SAFE_MODE": "yes"}, True),
        ({"ANXIN_ENV": "development", "WECHAT_REQUIRE_SAFE_MODE": True}, True),
    ],
)
def test_safe_mode_is_required_by_default_in_production_only(
    settings: dict[str, object], required: bool
) -> None:
    assert require_safe_mode(settings) is required


def test_the_development_app_does_not_require_safe_mode(app: Flask) -> None:
    assert app.extensions["wechat_envelope"].require_safe_mode is False


# --- 2. dedup: sender and MsgId ----------------------------------------------------------


def test_another_sender_reusing_a_msg_id_gets_its_own_answer(
    app: Flask, client: FlaskClient
) -> None:
    first, other = sender(app), sender(app)
    msg_id = 6054768590064713728
    reply_first = post(client, first.push(first.text("老板欠我们五个人三万块工资", msg_id)))
    reply_other = post(client, other.push(other.text("你好", msg_id)))
    assert reply_first.status_code == reply_other.status_code == 200
    document = reply_document(other, reply_other.data)
    assert document["ToUserName"] == other.openid
    assert document["Content"] != reply_document(first, reply_first.data)["Content"]
    inbound = stored(app)
    assert [m.content for m in inbound] == ["老板欠我们五个人三万块工资", "你好"]
    assert len({m.worker_id for m in inbound}) == 2
    replies = stored(app, "out")
    assert [m.reply_to_id for m in replies] == [m.id for m in inbound]


def test_a_duplicate_after_the_retry_horizon_does_not_get_the_reply(
    app: Flask, client: FlaskClient
) -> None:
    worker = sender(app)
    push = worker.push(worker.text("老板欠我们五个人三万块工资"))
    reply = worker.read_reply(post(client, push).data)
    assert reply and worker.read_reply(post(client, push).data) == reply  # inside: repeated
    with app.app_context():
        session = get_session()
        earlier = utcnow() - timedelta(seconds=RETRY_HORIZON_SECONDS + 5)
        session.execute(update(Message).values(created_at=earlier))
        session.commit()
    late = post(client, push)
    assert late.status_code == 200 and late.data == b"success"
    assert len(stored(app)) == 1 and len(stored(app, "out")) == 1


# --- 9. malformed bodies: always a 400 ---------------------------------------------------


def nested(depth: int, inner: str = "x") -> str:
    return "<a>" * depth + inner + "</a>" * depth


def text_xml(openid: str, content: str) -> str:
    return (
        f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName>"
        f"<FromUserName><![CDATA[{openid}]]></FromUserName><CreateTime>1714112445</CreateTime>"
        f"<MsgType><![CDATA[text]]></MsgType><MsgId>1</MsgId>{content}</xml>"
    )


MALFORMED = {
    "nested Content, 7 KB": lambda o: text_xml(o, f"<Content>{nested(1000)}</Content>"),
    "deeper nesting": lambda o: text_xml(o, f"<Content>{nested(50_000)}</Content>"),
    "nested MediaId": lambda o: text_xml(o, f"<MediaId>{nested(3)}</MediaId>"),
    "nested root": lambda o: f"<xml>{nested(1000)}</xml>",
    "nested MsgType": lambda o: text_xml(o, "").replace("<![CDATA[text]]>", nested(1000)),
    "repeated Content": lambda o: text_xml(o, "<Content>a</Content><Content>b</Content>"),
    "repeated FromUserName": lambda o: text_xml(o, f"<FromUserName>{o}</FromUserName>"),
    "truncated": lambda o: text_xml(o, "<Content>a</Content>")[:-8],
    "entity": lambda o: '<!DOCTYPE xml [<!ENTITY e "x">]>' + text_xml(o, "<Content>&e;</Content>"),
    "two roots": lambda o: text_xml(o, "") + text_xml(o, ""),
    "not xml": lambda o: "{'ToUserName': 'gh'}",
    "bare text": lambda o: "success",
}


@pytest.mark.parametrize("encrypted", [False, True])
@pytest.mark.parametrize("name", list(MALFORMED))
def test_every_malformed_body_is_a_400(
    app: Flask, client: FlaskClient, name: str, encrypted: bool
) -> None:
    worker = sender(app, encrypted=encrypted)
    response = post(client, worker.push(MALFORMED[name](worker.openid)))
    assert response.status_code == 400, response.data
    assert stored(app) == []


def test_a_nested_encrypt_field_is_a_400(app: Flask, client: FlaskClient) -> None:
    worker = sender(app, encrypted=True)
    push = worker.push(worker.text("你好"))
    body = f"<xml><Encrypt>{nested(1000)}</Encrypt></xml>".encode()
    assert post(client, Push(push.args, body)).status_code == 400
    assert stored(app) == []


# --- genuine retries still answered -------------------------------------------------------


def test_a_retry_of_the_same_signed_url_gets_the_same_reply(
    app: Flask, client: FlaskClient
) -> None:
    worker = sender(app)
    push = worker.push(worker.text("老板拖欠工资三个月了"))
    replies = [worker.read_reply(post(client, push).data) for _ in range(4)]
    assert replies[0] and replies == [replies[0]] * 4
    assert len(stored(app)) == 1 and len(stored(app, "out")) == 1


def test_a_retry_encrypted_afresh_under_the_same_url_gets_the_same_reply(
    app: Flask, client: FlaskClient
) -> None:
    # The ciphertext differs (a new random prefix), the message does not: still a retry.
    worker = sender(app, encrypted=True)
    xml, now = worker.text("老板拖欠工资三个月了"), str(int(time.time()))
    first, second = (worker.push(xml, timestamp=now, nonce="424242") for _ in range(2))
    assert first.body != second.body
    replies = [worker.read_reply(post(client, push).data) for push in (first, second)]
    assert replies[0] and replies[0] == replies[1]
    assert len(stored(app)) == 1


def test_a_retry_with_a_new_timestamp_and_nonce_gets_the_same_reply(
    app: Flask, client: FlaskClient
) -> None:
    worker = sender(app)
    xml = worker.text("老板拖欠工资三个月了")
    now = int(time.time())
    pushes = [worker.push(xml, timestamp=str(now + n), nonce=str(1000 + n)) for n in range(3)]
    replies = {worker.read_reply(post(client, push).data) for push in pushes}
    assert len(replies) == 1 and None not in replies


# --- the signed-URL memory itself ---------------------------------------------------------


class Clock:
    """A settable clock for the memory's expiry."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_memory_forgets_after_the_ttl_and_stays_bounded() -> None:
    clock = Clock()
    memory = MemoryNonces(capacity=3, clock=clock)
    assert memory.claim("a", "1", ttl=10) is None
    assert memory.claim("a", "2", ttl=10) == "1"
    clock.now += 11
    assert memory.claim("a", "2", ttl=10) is None  # expired: free again
    for key in "bcdef":
        memory.claim(key, "x", ttl=600)
    assert len(memory) == 3


def test_guard_remembers_until_the_timestamp_leaves_the_window() -> None:
    memory_clock, wall = Clock(), Clock()
    wall.now = 1_800_000_000.0
    guard = ReplayGuard(300, MemoryNonces(clock=memory_clock), clock=wall)
    args = {"timestamp": str(int(wall.now) - 200), "nonce": "5", "signature": "s"}
    guard.remember(args, "<xml>a</xml>")
    guard.remember(args, "<xml>a</xml>")  # the same message again: a retry
    with pytest.raises(Forbidden):
        guard.remember(args, "<xml>b</xml>")
    memory_clock.now += 99  # still inside the window: still remembered
    wall.now += 99
    with pytest.raises(Forbidden):
        guard.remember(args, "<xml>b</xml>")
    wall.now += 2  # and then the window refuses the timestamp itself
    with pytest.raises(Forbidden, match="window"):
        guard.remember(args, "<xml>b</xml>")


def test_redis_down_falls_back_to_the_process_memory() -> None:
    store = RedisNonces("redis://127.0.0.1:1/0")  # nothing listens there
    assert store.claim("k", "1", ttl=60) is None
    assert store.claim("k", "2", ttl=60) == "1"


def test_web_processes_share_the_signed_url_memory_in_redis(
    make_app: Callable[..., Flask],
) -> None:
    redis_url = os.environ.get("TEST_REDIS_URL")
    if not redis_url:
        pytest.skip("TEST_REDIS_URL not set")
    one, two = make_app(REDIS_URL=redis_url), make_app(REDIS_URL=redis_url)
    worker = sender(one)
    genuine = worker.push(worker.text("你好"))
    assert post(one.test_client(), genuine).status_code == 200
    forged = Push(genuine.args, sender(one).text("我叫李四").encode("utf-8"))
    assert post(two.test_client(), forged).status_code == 403
    assert post(two.test_client(), genuine).status_code == 200  # the retry, elsewhere
    assert len(stored(one)) == 1
