"""The Rasa client: the real server, and every way it can fail."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from http.client import RemoteDisconnected
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from urllib3.exceptions import ProtocolError

from nlu.client import RasaClient
from nlu.normalise import to_simplified
from nlu.types import Amount, Headcount
from webhooks.simulator import WeChatSimulator

from .conftest import NO_RASA


class _Handler(BaseHTTPRequestHandler):
    delay = 0.0
    body = b"{}"
    status_body = b'{"model_file": "m.tar.gz", "model_id": "model-1"}'
    posts: list[str] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.posts.append(self.path)
        time.sleep(self.delay)
        self._answer(self.body)

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._answer(self.status_body if self.path.startswith("/status") else b"Hello")

    def _answer(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def _serving() -> Iterator[tuple[str, type[_Handler]]]:
    handler = type("Handler", (_Handler,), {"posts": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", handler
    server.shutdown()
    server.server_close()


@pytest.fixture
def fake_rasa() -> Iterator[tuple[str, type[_Handler]]]:
    with _serving() as served:
        yield served


def test_rasa_down_falls_back_to_rules() -> None:
    result = RasaClient(NO_RASA, timeout=0.5).parse("老板欠我工资不给")
    assert result.source == "rules" and result.intent == "report_arrears"


def test_rasa_hanging_is_cut_by_the_timeout(fake_rasa: tuple[str, type[_Handler]]) -> None:
    url, handler = fake_rasa
    handler.delay = 3.0
    started = time.monotonic()
    result = RasaClient(url, timeout=0.3).parse("我要转人工")
    assert time.monotonic() - started < 2.0
    assert result.source == "rules" and result.intent == "request_human"


@pytest.mark.parametrize("body", [b"not json", b"[]", b'{"intent": null}', b'{"text": "x"}'])
def test_unexpected_answers_fall_back_to_rules(
    fake_rasa: tuple[str, type[_Handler]], body: bytes
) -> None:
    url, handler = fake_rasa
    handler.body = body
    assert RasaClient(url, timeout=1).parse("取消").source == "rules"


def test_rasa_answer_is_read_with_ranking_and_our_normalised_entities(
    fake_rasa: tuple[str, type[_Handler]],
) -> None:
    url, handler = fake_rasa
    handler.body = json.dumps(
        {
            "text": "包工头老王欠我们5个人3万5",
            "intent": {"name": "report_arrears", "confidence": 0.97},
            "intent_ranking": [
                {"name": "report_arrears", "confidence": 0.97},
                {"name": "query_status", "confidence": 0.02},
            ],
            "entities": [{"entity": "employer", "value": "包工头老王", "start": 0, "end": 5}],
        }
    ).encode()
    result = RasaClient(url, timeout=1).parse("包工头老王欠我们5个人3万5")
    assert (result.source, result.intent, result.confidence) == ("rasa", "report_arrears", 0.97)
    assert result.ranking[1] == ("query_status", 0.02)
    assert result.first("amount").value == Amount(Decimal(35000))  # type: ignore[union-attr]
    assert result.first("headcount").value == Headcount(5)  # type: ignore[union-attr]
    assert result.first("contractor").value == "老王"  # type: ignore[union-attr]


def test_calls_are_spread_over_replicas_and_a_dead_one_is_skipped(
    fake_rasa: tuple[str, type[_Handler]],
) -> None:
    url, handler = fake_rasa
    handler.body = json.dumps({"intent": {"name": "greet", "confidence": 0.99}}).encode()
    client = RasaClient(f"{NO_RASA}, {url}", timeout=1)
    results = [client.parse("你好") for _ in range(4)]
    assert {r.source for r in results} == {"rasa"}  # the dead replica never answers
    assert all(r.intent == "greet" for r in results)


GREET = json.dumps({"intent": {"name": "greet", "confidence": 0.99}}).encode()


def test_a_call_goes_to_the_idle_replica_not_the_busy_one() -> None:
    with _serving() as (slow_url, slow), _serving() as (fast_url, fast):
        _call_while_one_replica_is_busy(slow_url, slow, fast_url, fast)


def _call_while_one_replica_is_busy(
    slow_url: str, slow: type[_Handler], fast_url: str, fast: type[_Handler]
) -> None:
    slow.body = fast.body = GREET
    slow.delay = 0.5
    client = RasaClient(f"{slow_url},{fast_url}", timeout=2)
    busy = threading.Thread(target=client.parse, args=("你好",))
    busy.start()  # the first call goes to the first replica and is held there
    while not slow.posts:
        time.sleep(0.01)
    for _ in range(3):
        client.parse("你好")
    busy.join()
    # In turn, the second of these would have queued behind the slow call.
    assert (len(slow.posts), len(fast.posts)) == (1, 3)


def test_a_repeated_short_reply_is_parsed_once_per_model(
    fake_rasa: tuple[str, type[_Handler]], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, handler = fake_rasa
    handler.body = GREET
    client = RasaClient(url, timeout=1, cache_size=8)
    assert [client.parse("你好").intent for _ in range(3)] == ["greet"] * 3
    assert len(handler.posts) == 1 and client.cache.hits == 2
    # Another model behind the same URL (a restart, PUT /model): asked again, not reused.
    monkeypatch.setattr("nlu.client.MODEL_CHECK_SECONDS", 0.0)
    handler.status_body = b'{"model_file": "n.tar.gz", "model_id": "model-2"}'
    assert client.parse("你好").intent == "greet"
    assert len(handler.posts) == 2


def test_long_messages_and_a_client_without_cache_always_ask_rasa(
    fake_rasa: tuple[str, type[_Handler]],
) -> None:
    url, handler = fake_rasa
    handler.body = GREET
    story = "我在紫荆苑工地干了三个月,老板欠我们5个人十二万,电话也不接,人也找不到"
    cached = RasaClient(url, timeout=1, cache_size=8)
    uncached = RasaClient(url, timeout=1)
    for _ in range(2):
        cached.parse(story)
        uncached.parse("你好")
    assert len(handler.posts) == 4 and cached.cache.hits == 0


def test_a_replica_that_cannot_name_its_model_counts_as_down(
    fake_rasa: tuple[str, type[_Handler]],
) -> None:
    url, handler = fake_rasa
    handler.body = GREET
    handler.status_body = b"[]"
    result = RasaClient(url, timeout=1, cache_size=8).parse("取消")
    assert result.source == "rules" and handler.posts == []


def test_the_token_goes_with_every_call(fake_rasa: tuple[str, type[_Handler]]) -> None:
    url, handler = fake_rasa
    handler.body = GREET
    RasaClient(url, token="s3cret", timeout=1).parse("你好")
    assert handler.posts == ["/model/parse?token=s3cret"]


def test_a_connection_the_server_dropped_is_retried_once(
    fake_rasa: tuple[str, type[_Handler]], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, handler = fake_rasa
    handler.body = GREET
    client = RasaClient(url, timeout=1)
    pool = client._replicas[0].pool
    urlopen = pool.urlopen
    calls = []

    def drop_once(*args: object, **kwargs: object) -> object:
        calls.append(args)
        if len(calls) == 1:
            raise ProtocolError("Connection aborted.", RemoteDisconnected("closed"))
        return urlopen(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pool, "urlopen", drop_once)
    result = client.parse("你好")
    assert (result.source, result.intent, len(calls)) == ("rasa", "greet", 2)


@pytest.mark.rasa
def test_rasa_reads_traditional_script_as_simplified(rasa_url: str) -> None:
    """The model's tokenizer converts to simplified characters, so the traditional-script
    training examples meet the simplified messages the client sends, and a message in
    either script gets the same reading."""

    def ranking(text: str) -> list[tuple[str, float]]:
        body = requests.post(f"{rasa_url}/model/parse", json={"text": text}, timeout=10).json()
        return [(item["name"], round(item["confidence"], 6)) for item in body["intent_ranking"]]

    traditional = "判頭拖欠我們三個月人工,老闆話冇錢,佢哋點解唔出糧?"
    assert ranking(traditional) == ranking(to_simplified(traditional))


def test_real_rasa_server_parses_a_complaint(rasa_url: str) -> None:
    client = RasaClient(rasa_url, timeout=5)
    assert client.is_up()
    result = client.parse("我在紫荆苑工地干了三个月,老板欠我们5个人十二万")
    assert result.source == "rasa" and result.intent == "report_arrears"
    assert result.first("amount").value == Amount(Decimal(120000))  # type: ignore[union-attr]
    assert result.first("headcount").value == Headcount(5)  # type: ignore[union-attr]


@pytest.mark.rasa
def test_webhook_records_the_real_rasa_intent(
    app: Flask, client: FlaskClient, simulator: WeChatSimulator, rasa_url: str
) -> None:
    app.extensions["nlu"] = RasaClient(rasa_url, timeout=5)
    push = simulator.push(simulator.text("你好"))
    response = client.post("/wechat", query_string=push.args, data=push.body)
    assert "安薪" in (simulator.read_reply(response.data) or "")
    from sqlalchemy import select

    from models import Message
    from models.db import get_session

    with app.app_context():
        message = get_session().scalars(select(Message).where(Message.direction == "in")).one()
        assert (message.intent, message.nlu_source) == ("greet", "rasa")
        assert message.confidence is not None and message.confidence > 0.4
