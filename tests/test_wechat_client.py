"""Anxin's WeChat client (wechatpy underneath) against the local fake WeChat API."""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis
import requests
from flask import Flask
from wechatpy import WeChatClient

import wechat
from devtools.fake_wechat import FakeWeChat, create_fake_app, serve_in_thread
from wechat import WeChatAPIError, build_client, create_permanent_qr, download_media, send_text

APPID = "wxfake0000000002"
SECRET = "fake-secret-0002"
REDIS_URL = "redis://127.0.0.1:6379/15"

ClientFactory = Callable[..., WeChatClient]


@pytest.fixture
def fake_app() -> Flask:
    return create_fake_app(APPID, SECRET, permanent_qr_limit=3)


@pytest.fixture
def fake(fake_app: Flask) -> FakeWeChat:
    return fake_app.extensions["fake_wechat"]  # type: ignore[no-any-return]


@pytest.fixture
def root(fake_app: Flask) -> Iterator[str]:
    with serve_in_thread(fake_app) as url:
        yield url


@pytest.fixture
def api_base(root: str) -> str:
    return f"{root}/cgi-bin/"


@pytest.fixture
def key_prefix() -> Iterator[str]:
    """A random Redis key prefix; only keys under it are deleted afterwards."""
    prefix = f"anxin-test-{uuid.uuid4().hex}"
    yield prefix
    db = redis.Redis.from_url(REDIS_URL)
    for key in db.scan_iter(f"{prefix}:*"):
        db.delete(key)
    db.close()


@pytest.fixture
def make_client(api_base: str, key_prefix: str) -> Iterator[ClientFactory]:
    """Build clients on the fake (Redis-backed with redis=True) and close them afterwards."""
    built: list[WeChatClient] = []

    def make(*, redis: bool = False, timeout: float = 3.0, base: str | None = None) -> WeChatClient:
        url = REDIS_URL if redis else None
        client = build_client(APPID, SECRET, base or api_base, url, timeout, key_prefix=key_prefix)
        built.append(client)
        return client

    yield make
    for client in built:
        client.close()


def stats(root: str) -> dict[str, Any]:
    return requests.get(f"{root}/_fake/stats", timeout=3).json()


def sent(root: str) -> list[dict[str, Any]]:
    return requests.get(f"{root}/_fake/sent", timeout=3).json()["messages"]


def inject(root: str, **spec: Any) -> None:
    requests.post(f"{root}/_fake/fail", json=spec, timeout=3).raise_for_status()


def supersede_token(root: str) -> None:
    """Fetch two tokens behind the client's back: its cached token becomes invalid."""
    params = {"grant_type": "client_credential", "appid": APPID, "secret": SECRET}
    for _ in range(2):
        requests.get(f"{root}/cgi-bin/token", params=params, timeout=3).raise_for_status()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_together(count: int, action: Callable[[int], None]) -> list[BaseException]:
    """Run action(i) in `count` threads released at once; return what they raised."""
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def worker(index: int) -> None:
        barrier.wait()
        try:
            action(index)
        except BaseException as exc:  # collected and asserted on by the caller
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


# --- token fetch, reuse and storage -----------------------------------------------------


def test_token_is_fetched_once_and_reused(root: str, make_client: ClientFactory) -> None:
    client = make_client()
    send_text(client, "openid-1", "one")
    send_text(client, "openid-1", "two")
    assert stats(root)["token_requests"] == 1
    assert [m["text"]["content"] for m in sent(root)] == ["one", "two"]


def test_token_is_cached_in_redis_under_wechatpys_key(
    root: str, fake: FakeWeChat, make_client: ClientFactory, key_prefix: str
) -> None:
    send_text(make_client(redis=True), "openid-1", "first process")
    db = redis.Redis.from_url(REDIS_URL)
    try:
        stored = db.get(f"{key_prefix}:{APPID}_access_token")
        ttl = db.ttl(f"{key_prefix}:{APPID}_access_token")
    finally:
        db.close()
    assert stored is not None
    assert json.loads(stored) == fake.tokens[-1].value
    assert 6800 <= ttl <= 7200 - 300  # dropped before WeChat expires it
    send_text(make_client(redis=True), "openid-1", "second process")
    assert stats(root)["token_requests"] == 1


def test_concurrent_first_use_fetches_one_token_across_redis_clients(
    root: str, make_client: ClientFactory
) -> None:
    clients = [make_client(redis=True) for _ in range(6)]
    inject(root, endpoint="token", delay=0.5)  # keep the first refresher busy
    errors = run_together(6, lambda i: send_text(clients[i], f"openid-{i}", "hi"))
    assert errors == []
    assert stats(root)["token_requests"] == 1
    assert len(sent(root)) == 6


def test_concurrent_first_use_fetches_one_token_in_memory(
    root: str, make_client: ClientFactory
) -> None:
    client = make_client()
    inject(root, endpoint="token", delay=0.5)
    errors = run_together(6, lambda i: send_text(client, f"openid-{i}", "hi"))
    assert errors == []
    assert stats(root)["token_requests"] == 1


def test_clients_rejected_together_refresh_once_and_reread(
    root: str, make_client: ClientFactory
) -> None:
    clients = [make_client(redis=True) for _ in range(4)]
    send_text(clients[0], "openid-0", "warm up")
    supersede_token(root)  # token requests: 1 + 2
    inject(root, endpoint="token", delay=0.5)  # all four see 40001 before the refresh lands
    errors = run_together(4, lambda i: send_text(clients[i], f"openid-{i}", "after"))
    assert errors == []
    assert stats(root)["token_requests"] == 4  # the waiters re-read the one new token
    assert len(sent(root)) == 5


# --- errors and retries -----------------------------------------------------------------


@pytest.mark.parametrize("errcode", [40001, 42001])
def test_rejected_token_is_refreshed_once_and_the_call_retried(
    root: str, make_client: ClientFactory, errcode: int
) -> None:
    client = make_client(redis=True)
    send_text(client, "openid-1", "before")
    inject(root, endpoint="message/custom/send", errcode=errcode)
    send_text(client, "openid-1", "after")
    assert stats(root)["token_requests"] == 2
    assert [m["text"]["content"] for m in sent(root)] == ["before", "after"]


def test_superseded_token_recovers(root: str, make_client: ClientFactory) -> None:
    client = make_client()
    send_text(client, "openid-1", "before")
    supersede_token(root)
    send_text(client, "openid-1", "after")
    assert stats(root)["token_requests"] == 4
    assert len(sent(root)) == 2


def test_retry_after_a_rejected_token_is_capped(root: str, make_client: ClientFactory) -> None:
    client = make_client()
    inject(root, endpoint="message/custom/send", errcode=40001, count=5)
    with pytest.raises(WeChatAPIError) as caught:
        send_text(client, "openid-1", "never")
    assert caught.value.errcode == 40001
    assert stats(root)["calls"] == {"token": 2, "message/custom/send": 2}
    assert sent(root) == []


@pytest.mark.parametrize(
    ("errcode", "retryable"),
    [(45015, False), (45047, True), (45009, True), (40003, False), (-1, True)],
)
def test_wechat_errors_become_typed_errors_without_refresh(
    root: str, make_client: ClientFactory, errcode: int, retryable: bool
) -> None:
    client = make_client()
    inject(root, endpoint="message/custom/send", errcode=errcode, errmsg="from fake")
    with pytest.raises(WeChatAPIError) as caught:
        send_text(client, "openid-1", "hi")
    assert (caught.value.errcode, caught.value.retryable) == (errcode, retryable)
    assert "from fake" in caught.value.errmsg
    assert stats(root)["calls"] == {"token": 1, "message/custom/send": 1}


def test_http_500_is_a_retryable_error(root: str, make_client: ClientFactory) -> None:
    inject(root, endpoint="message/custom/send", status=500)
    with pytest.raises(WeChatAPIError) as caught:
        send_text(make_client(), "openid-1", "hi")
    assert (caught.value.errcode, caught.value.retryable) == (-1, True)


def test_bad_secret_is_not_retryable(api_base: str) -> None:
    client = build_client(APPID, "wrong", api_base, None, 3.0)
    try:
        with pytest.raises(WeChatAPIError) as caught:
            send_text(client, "openid-1", "hi")
    finally:
        client.close()
    assert (caught.value.errcode, caught.value.retryable) == (40125, False)


@pytest.mark.parametrize("endpoint", ["token", "message/custom/send"])
def test_hanging_endpoint_is_cut_by_the_timeout(
    root: str, make_client: ClientFactory, endpoint: str
) -> None:
    client = make_client(timeout=0.3)
    inject(root, endpoint=endpoint, delay=2.0)
    started = time.monotonic()
    with pytest.raises(WeChatAPIError) as caught:
        send_text(client, "openid-1", "hi")
    assert time.monotonic() - started < 1.5
    assert (caught.value.errcode, caught.value.retryable) == (-1, True)
    assert "timed out" in caught.value.errmsg


def test_unreachable_redis_degrades_to_a_retryable_error(api_base: str, root: str) -> None:
    client = build_client(APPID, SECRET, api_base, f"redis://127.0.0.1:{closed_port()}/15", 1.0)
    try:
        with pytest.raises(WeChatAPIError) as caught:
            send_text(client, "openid-1", "hi")
    finally:
        client.close()
    assert (caught.value.errcode, caught.value.retryable) == (-1, True)
    assert stats(root)["token_requests"] == 0


def test_token_and_secret_never_reach_logs_or_errors(
    root: str, fake: FakeWeChat, make_client: ClientFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    send_text(make_client(redis=True), "openid-1", "hi")
    token = fake.tokens[-1].value
    # Same Redis token, dead server: requests' ConnectionError text holds the full URL.
    dead = make_client(redis=True, base=f"http://127.0.0.1:{closed_port()}/cgi-bin/")
    with pytest.raises(WeChatAPIError) as caught:
        send_text(dead, "openid-1", "hi")
    rendered = "".join(traceback.format_exception(caught.value))
    assert "urllib3" in caplog.text  # the request logs were captured, redacted
    for secret in (token, SECRET):
        assert secret not in caplog.text
        assert secret not in rendered
    assert caught.value.retryable


# --- API base -----------------------------------------------------------------------------


def test_every_wechat_url_is_rebased(root: str, make_client: ClientFactory) -> None:
    client = make_client(base=f"{root}/cgi-bin")  # no trailing slash
    base_url = client.API_BASE_URL
    assert base_url == f"{root}/cgi-bin/"
    assert client.media.get_url("m-1").startswith(f"{root}/cgi-bin/media/get?")
    body = {"action_name": "QR_LIMIT_STR_SCENE", "action_info": {"scene": {"scene_str": "abs"}}}
    # wechatpy's absolute https://api.weixin.qq.com URLs must land on the fake too.
    assert client.post("https://api.weixin.qq.com/cgi-bin/qrcode/create", data=body)["ticket"]
    assert stats(root)["calls"]["qrcode/create"] == 1


# --- helpers ------------------------------------------------------------------------------


def test_permanent_qr_is_idempotent_per_scene(root: str, make_client: ClientFactory) -> None:
    client = make_client()
    ticket, url = create_permanent_qr(client, "site-42")
    assert create_permanent_qr(client, "site-42") == (ticket, url)
    assert create_permanent_qr(client, "site-43")[0] != ticket
    assert url.startswith("http://weixin.qq.com/q/")


@pytest.mark.parametrize("scene", ["", "x" * 65])
def test_permanent_qr_rejects_bad_scene_without_calling_wechat(
    root: str, make_client: ClientFactory, scene: str
) -> None:
    with pytest.raises(ValueError):
        create_permanent_qr(make_client(), scene)
    assert stats(root)["calls"] == {}


def test_permanent_qr_cap_is_a_final_error(make_client: ClientFactory) -> None:
    client = make_client()
    for scene in ("a", "b", "c"):  # the fake's cap is 3 here
        create_permanent_qr(client, scene)
    with pytest.raises(WeChatAPIError) as caught:
        create_permanent_qr(client, "d")
    assert (caught.value.errcode, caught.value.retryable) == (45029, False)


@pytest.mark.parametrize("content_type", ["image/jpeg", "audio/amr"])
def test_download_media_returns_the_exact_bytes(
    root: str, make_client: ClientFactory, content_type: str
) -> None:
    content = os.urandom(200_000)
    url = f"{root}/_fake/media?media_id=m-1&content_type={content_type}"
    requests.post(url, data=content, timeout=3).raise_for_status()
    assert download_media(make_client(), "m-1") == (content, content_type)


def test_download_media_retries_a_rejected_token(root: str, make_client: ClientFactory) -> None:
    requests.post(f"{root}/_fake/media?media_id=m-2", data=b"\xff\xd8jpeg", timeout=3)
    client = make_client()
    download_media(client, "m-2")
    inject(root, endpoint="media/get", errcode=42001)
    assert download_media(client, "m-2") == (b"\xff\xd8jpeg", "image/jpeg")


def test_download_unknown_media_is_a_final_error(make_client: ClientFactory) -> None:
    with pytest.raises(WeChatAPIError) as caught:
        download_media(make_client(), "expired-after-3-days")
    assert (caught.value.errcode, caught.value.retryable) == (40007, False)


# --- Flask extension ----------------------------------------------------------------------


def make_app(**config: Any) -> Flask:
    app = Flask(__name__)
    app.config.update(config)
    wechat.init_app(app)
    return app


def test_init_app_is_lazy_and_get_client_builds_once(root: str, api_base: str) -> None:
    app = make_app(
        WECHAT_APPID=APPID, WECHAT_SECRET=SECRET, WECHAT_API_BASE=api_base, WECHAT_API_TIMEOUT=1.5
    )
    assert app.extensions["wechat"] is None
    client = wechat.get_client(app)
    try:
        assert wechat.get_client(app) is client
        assert (client.API_BASE_URL, client.timeout) == (api_base, 1.5)
        assert stats(root)["calls"] == {}  # neither init nor build touched the network
        send_text(client, "openid-1", "hi")
        assert len(sent(root)) == 1
    finally:
        client.close()


def test_init_app_defaults() -> None:
    app = make_app()
    assert app.config["WECHAT_API_BASE"] == "https://api.weixin.qq.com/cgi-bin/"
    assert app.config["WECHAT_API_TIMEOUT"] == 5.0
    assert app.config["REDIS_URL"] is None
    with pytest.raises(RuntimeError, match="WECHAT_APPID"):
        wechat.get_client(app)


def test_get_client_requires_init_app() -> None:
    with pytest.raises(RuntimeError, match="init_app"):
        wechat.get_client(Flask(__name__))
