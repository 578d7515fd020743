"""The /wechat endpoint end to end: every case of the foundation issue's section 4."""

from __future__ import annotations

import threading

import pytest
import xmltodict
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

import bot.service
from app import create_app
from models import Message, Worker
from models.db import get_session
from nlu.types import ParseResult
from webhooks.security import signature_of
from webhooks.simulator import Push, WeChatSimulator

from .conftest import SAMPLES, base_config


def post(client: FlaskClient, push: Push):  # type: ignore[no-untyped-def]
    return client.post("/wechat", query_string=push.args, data=push.body)


def stored(app: Flask, direction: str = "in") -> list[Message]:
    with app.app_context():
        return list(
            get_session().scalars(
                select(Message).where(Message.direction == direction).order_by(Message.id)
            )
        )


class FixedParser:
    """An NLU stand-in that always answers the same intent."""

    def __init__(self, intent: str) -> None:
        self.intent = intent

    def parse(self, text: str) -> ParseResult:
        return ParseResult(text=text, intent=self.intent, confidence=0.9, source="test")


@pytest.fixture
def safe(simulator: WeChatSimulator) -> WeChatSimulator:
    simulator.encrypted = True
    return simulator


# --- URL verification -------------------------------------------------------------------


def test_url_verification_official_vector(database_urls: dict[str, str]) -> None:
    app = create_app({**base_config(database_urls["sqlite"]), "WECHAT_TOKEN": "AAAAA"})
    response = app.test_client().get(
        "/wechat",
        query_string={
            "signature": "f464b24fc39322e44b38aa78f5edd27bd1441696",
            "timestamp": "1714036504",
            "nonce": "1514711492",
            "echostr": "4375120948345356249",
        },
    )
    assert response.status_code == 200
    assert response.data == b"4375120948345356249"


def test_url_verification_with_bad_signature_is_refused_without_echo(client: FlaskClient) -> None:
    response = client.get(
        "/wechat",
        query_string={
            "signature": "0" * 40,
            "timestamp": "1",
            "nonce": "2",
            "echostr": "secret-echo",
        },
    )
    assert response.status_code == 403
    assert b"secret-echo" not in response.data


# --- modes ---------------------------------------------------------------------------------


def test_plaintext_message_is_stored_and_answered(
    app: Flask, client: FlaskClient, simulator: WeChatSimulator
) -> None:
    response = post(client, simulator.push(simulator.text("老板欠我们五个人三万块工资")))
    assert response.status_code == 200
    reply = simulator.read_reply(response.data)
    assert reply and "欠薪" in reply
    [inbound] = stored(app, "in")
    [outbound] = stored(app, "out")
    assert inbound.content == "老板欠我们五个人三万块工资" and inbound.status == "handled"
    assert inbound.intent == "report_arrears" and inbound.nlu_source == "rules"
    assert outbound.content == reply and outbound.reply_to_id == inbound.id


def test_safe_mode_reply_is_encrypted_and_signed(
    client: FlaskClient, safe: WeChatSimulator
) -> None:
    push = safe.push(safe.text("你好"))
    response = post(client, push)
    assert response.status_code == 200
    envelope = xmltodict.parse(response.data)["xml"]
    assert "Content" not in envelope
    assert envelope["Nonce"] == push.args["nonce"]
    expected = signature_of(
        safe.token, envelope["TimeStamp"], envelope["Nonce"], envelope["Encrypt"]
    )
    assert envelope["MsgSignature"] == expected
    assert "安薪" in (safe.read_reply(response.data) or "")


def test_compatible_mode_body_with_plaintext_and_encrypt_is_accepted(
    client: FlaskClient, safe: WeChatSimulator
) -> None:
    xml = safe.text("你好")
    push = safe.push(xml)
    compatible = push.body.replace(b"</xml>", xml.removeprefix("<xml>").encode())
    response = post(client, Push(push.args, compatible))
    assert response.status_code == 200
    assert b"<Encrypt>" in response.data and safe.read_reply(response.data)


def test_previous_aes_key_is_accepted_and_the_reply_uses_it(database_urls: dict[str, str]) -> None:
    old, new = "O" * 43, "N" * 43
    app = create_app(
        {
            **base_config(database_urls["sqlite"]),
            "WECHAT_ENCODING_AES_KEY": new,
            "WECHAT_PREVIOUS_ENCODING_AES_KEY": old,
        }
    )
    sender = WeChatSimulator(
        app.config["WECHAT_TOKEN"], app.config["WECHAT_APPID"], old, encrypted=True
    )
    response = post(app.test_client(), sender.push(sender.text("你好")))
    assert response.status_code == 200
    assert sender.read_reply(response.data)  # decrypts with the old key


def test_success_is_never_encrypted(client: FlaskClient, safe: WeChatSimulator) -> None:
    response = post(client, safe.push(safe.event("unsubscribe")))
    assert response.status_code == 200 and response.data == b"success"


# --- refusals: nothing stored ---------------------------------------------------------


def test_forged_signature_is_forbidden_and_not_stored(
    app: Flask, client: FlaskClient, simulator: WeChatSimulator
) -> None:
    push = simulator.push(simulator.text("伪造"))
    forged = Push({**push.args, "signature": "f" * 40}, push.body)
    assert post(client, forged).status_code == 403
    assert stored(app) == []


def test_forged_msg_signature_is_forbidden(
    app: Flask, client: FlaskClient, safe: WeChatSimulator
) -> None:
    push = safe.push(safe.text("伪造"))
    assert (
        post(client, Push({**push.args, "msg_signature": "0" * 40}, push.body)).status_code == 403
    )
    assert stored(app) == []


def test_message_for_another_appid_is_forbidden(app: Flask, client: FlaskClient) -> None:
    other = WeChatSimulator(
        app.config["WECHAT_TOKEN"],
        "wx_someone_else",
        app.config["WECHAT_ENCODING_AES_KEY"],
        encrypted=True,
    )
    assert post(client, other.push(other.text("你好"))).status_code == 403
    assert stored(app) == []


def test_oversized_body_is_refused(
    app: Flask, client: FlaskClient, simulator: WeChatSimulator
) -> None:
    push = simulator.push(simulator.text("欠" * 400_000))  # 1.2 MB of UTF-8
    assert post(client, push).status_code == 413
    assert stored(app) == []


@pytest.mark.parametrize("name", ["entity.xml", "typeless.xml", "malformed.xml"])
def test_malformed_bodies_are_refused(
    app: Flask, client: FlaskClient, simulator: WeChatSimulator, name: str
) -> None:
    push = simulator.push((SAMPLES / name).read_text("utf-8"))
    assert post(client, push).status_code == 400
    assert stored(app) == []


@pytest.mark.parametrize("body", [b"", b"\xff\xfe not utf-8"])
def test_empty_or_undecodable_body_is_refused(
    client: FlaskClient, simulator: WeChatSimulator, body: bytes
) -> None:
    push = simulator.push("")
    assert post(client, Push(push.args, body)).status_code == 400


# --- retries and races ---------------------------------------------------------------------


def test_four_deliveries_of_one_message_are_stored_once_with_one_reply(
    app: Flask, client: FlaskClient, simulator: WeChatSimulator
) -> None:
    xml = simulator.text("老板拖欠工资三个月了")
    # A retry may carry a new timestamp and nonce.
    replies = [
        simulator.read_reply(post(client, simulator.push(xml, nonce=str(n))).data) for n in range(4)
    ]
    assert replies[0] and replies == [replies[0]] * 4
    assert len(stored(app, "in")) == 1 and len(stored(app, "out")) == 1


def test_event_retries_are_recognised_by_sender_and_create_time(
    app: Flask, client: FlaskClient, simulator: WeChatSimulator
) -> None:
    xml = simulator.event("subscribe", create_time=1714112445)
    first, second = (post(client, simulator.push(xml, nonce=n)) for n in ("1", "2"))
    assert first.data == second.data and b"Content" in first.data
    assert len(stored(app, "in")) == 1
    later = post(client, simulator.push(simulator.event("subscribe", create_time=1714112446)))
    assert later.status_code == 200 and len(stored(app, "in")) == 2


def test_racing_deliveries_are_processed_once(app: Flask, simulator: WeChatSimulator) -> None:
    push = simulator.push(simulator.text("我们班组十二个人的工钱一直没结"))
    barrier = threading.Barrier(4)
    bodies: list[bytes] = []

    def deliver() -> None:
        client = app.test_client()
        barrier.wait()
        bodies.append(post(client, push).data)

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(stored(app, "in")) == 1 and len(stored(app, "out")) == 1
    assert {simulator.read_reply(body) for body in bodies} == {stored(app, "out")[0].content}


def test_a_new_workers_first_messages_at_once_make_one_worker(
    app: Flask, simulator: WeChatSimulator
) -> None:
    pushes = [simulator.push(simulator.text(text)) for text in ("你好", "老板欠钱", "在吗")]
    barrier = threading.Barrier(len(pushes))
    statuses: list[int] = []

    def deliver(push: Push) -> None:
        client = app.test_client()
        barrier.wait()
        statuses.append(post(client, push).status_code)

    threads = [threading.Thread(target=deliver, args=(push,)) for push in pushes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 3
    with app.app_context():
        [worker] = get_session().scalars(select(Worker)).all()
    assert {m.worker_id for m in stored(app, "in")} == {worker.id}
    assert len(stored(app, "in")) == 3 and worker.last_inbound_at is not None


# --- faults -------------------------------------------------------------------------------


def test_bot_failure_keeps_the_message_and_answers_success(
    app: Flask, client: FlaskClient, simulator: WeChatSimulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object) -> None:
        raise RuntimeError("bug in the dialogue")

    monkeypatch.setattr(bot.service, "step", broken)
    response = post(client, simulator.push(simulator.text("欠薪")))
    assert response.status_code == 200 and response.data == b"success"
    [message] = stored(app)
    assert message.content == "欠薪" and message.status == "failed"


def test_database_down_answers_503_so_wechat_retries(simulator: WeChatSimulator) -> None:
    app = create_app(base_config("postgresql://nobody@127.0.0.1:1/nothing"))
    response = post(app.test_client(), simulator.push(simulator.text("欠薪")))
    assert response.status_code == 503


def test_user_text_cannot_break_out_of_cdata(
    app: Flask, client: FlaskClient, simulator: WeChatSimulator
) -> None:
    app.extensions["nlu"] = FixedParser("nlu_fallback")  # the bot echoes what it did not get
    text = "]]><A>伪造</A>"
    response = post(client, simulator.push(simulator.text(text)))
    document = xmltodict.parse(response.data)["xml"]
    assert text in document["Content"]
    assert set(document) == {"ToUserName", "FromUserName", "CreateTime", "MsgType", "Content"}


# --- events ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sample", "event", "key", "answer"),
    [
        ("subscribe.xml", "subscribe", None, "欢迎"),
        ("subscribe_qr.xml", "subscribe_scan", "ZJY001", "欢迎"),  # no such site: welcome
        ("scan.xml", "scan", "ZJY001", "欢迎"),
        ("click.xml", "click", "MENU_REPORT", "哪个工地"),
        ("unsubscribe.xml", "unsubscribe", None, None),
    ],
)
def test_events_are_stored_and_handed_to_the_bot(
    app: Flask,
    client: FlaskClient,
    simulator: WeChatSimulator,
    sample: str,
    event: str,
    key: str | None,
    answer: str | None,
) -> None:
    push = simulator.push((SAMPLES / sample).read_text("utf-8"))
    reply = simulator.read_reply(post(client, push).data)
    assert reply is None if answer is None else answer in (reply or "")
    [message] = stored(app)
    assert (message.msg_type, message.event, message.event_key) == ("event", event, key)


def test_unsubscribe_marks_the_worker(app: Flask, client: FlaskClient) -> None:
    sender = WeChatSimulator(
        app.config["WECHAT_TOKEN"],
        app.config["WECHAT_APPID"],
        app.config["WECHAT_ENCODING_AES_KEY"],
        openid="o_sample_worker_1",
    )
    post(client, sender.push((SAMPLES / "unsubscribe.xml").read_text("utf-8")))
    with app.app_context():
        worker = get_session().scalars(select(Worker)).one()
        assert worker.openid == "o_sample_worker_1" and worker.subscribed is False


@pytest.mark.parametrize(
    ("sample", "answer"),
    [
        ("image.xml", "证据"),
        ("voice.xml", "文字"),
        ("location.xml", "紫荆苑"),
    ],
)
def test_media_messages_are_stored_with_media_id(
    app: Flask, client: FlaskClient, simulator: WeChatSimulator, sample: str, answer: str
) -> None:
    response = post(client, simulator.push((SAMPLES / sample).read_text("utf-8")))
    assert answer in (simulator.read_reply(response.data) or "")
    [message] = stored(app)
    assert message.msg_type == sample.removesuffix(".xml")


def test_many_workers_get_their_own_rows(app: Flask, client: FlaskClient) -> None:
    senders = [
        WeChatSimulator(
            app.config["WECHAT_TOKEN"],
            app.config["WECHAT_APPID"],
            app.config["WECHAT_ENCODING_AES_KEY"],
        )
        for _ in range(3)
    ]
    for sender in senders:
        post(client, sender.push(sender.text("你好")))
    with app.app_context():
        assert get_session().scalar(select(func.count(Worker.id))) == 3


def test_healthz(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok"}
