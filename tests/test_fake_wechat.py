"""The fake WeChat API follows WeChat's documented behaviour, checked with the real wechatpy."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask
from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException

from devtools.fake_wechat import create_fake_app, serve_in_thread
from wechat.client import build_client

APPID = "wxfake0000000001"
SECRET = "fake-secret-0001"
REPO_ROOT = Path(__file__).resolve().parents[1]


class FakeClock:
    """A settable clock so tests can age tokens without sleeping."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def fake_app(clock: FakeClock) -> Flask:
    return create_fake_app(APPID, SECRET, clock=clock, permanent_qr_limit=3)


@pytest.fixture
def root(fake_app: Flask) -> Iterator[str]:
    with serve_in_thread(fake_app) as url:
        yield url


@pytest.fixture
def client(root: str) -> Iterator[WeChatClient]:
    wechat = build_client(APPID, SECRET, f"{root}/cgi-bin/", None, timeout=3.0)
    yield wechat
    wechat.close()


def get_token(root: str, appid: str = APPID, secret: str = SECRET) -> dict[str, Any]:
    params = {"grant_type": "client_credential", "appid": appid, "secret": secret}
    return requests.get(f"{root}/cgi-bin/token", params=params, timeout=3).json()


def post_send(root: str, token: str, body: bytes | dict[str, Any]) -> dict[str, Any]:
    url = f"{root}/cgi-bin/message/custom/send"
    kwargs: dict[str, Any] = {"data": body} if isinstance(body, bytes) else {"json": body}
    return requests.post(url, params={"access_token": token}, timeout=3, **kwargs).json()


def text_body(content: str = "hello") -> dict[str, Any]:
    return {"touser": "openid-1", "msgtype": "text", "text": {"content": content}}


def sent(root: str) -> list[dict[str, Any]]:
    return requests.get(f"{root}/_fake/sent", timeout=3).json()["messages"]


def stats(root: str) -> dict[str, Any]:
    return requests.get(f"{root}/_fake/stats", timeout=3).json()


def inject(root: str, **spec: Any) -> None:
    requests.post(f"{root}/_fake/fail", json=spec, timeout=3).raise_for_status()


# --- access token -----------------------------------------------------------------------


def test_token_is_issued_for_the_right_credentials(root: str) -> None:
    answer = get_token(root)
    assert answer["expires_in"] == 7200
    assert re.fullmatch(r"[A-Za-z0-9_-]{32,}", answer["access_token"])
    assert stats(root)["token_requests"] == 1


@pytest.mark.parametrize(
    ("params", "errcode"),
    [
        ({"grant_type": "client_credential", "appid": "wxother", "secret": SECRET}, 40013),
        ({"grant_type": "client_credential", "appid": APPID, "secret": "wrong"}, 40125),
        ({"grant_type": "password", "appid": APPID, "secret": SECRET}, 40002),
    ],
)
def test_token_refuses_bad_credentials(root: str, params: dict[str, str], errcode: int) -> None:
    answer = requests.get(f"{root}/cgi-bin/token", params=params, timeout=3).json()
    assert answer["errcode"] == errcode
    assert "access_token" not in answer


def test_new_token_keeps_only_the_previous_one_valid_for_five_minutes(
    root: str, clock: FakeClock
) -> None:
    first, second, third = (get_token(root)["access_token"] for _ in range(3))
    assert post_send(root, first, text_body())["errcode"] == 40001
    assert post_send(root, second, text_body())["errcode"] == 0
    clock.now += 301
    assert post_send(root, second, text_body())["errcode"] == 40001
    assert post_send(root, third, text_body())["errcode"] == 0


def test_token_expires_after_7200_seconds(root: str, clock: FakeClock) -> None:
    token = get_token(root)["access_token"]
    clock.now += 7200
    assert post_send(root, token, text_body())["errcode"] == 42001


def test_missing_token_is_refused(root: str) -> None:
    answer = requests.post(f"{root}/cgi-bin/message/custom/send", json=text_body(), timeout=3)
    assert answer.json()["errcode"] == 41001


# --- customer-service messages ----------------------------------------------------------


def test_custom_send_records_what_wechatpy_sends(root: str, client: WeChatClient) -> None:
    assert client.message.send_text("openid-1", "你好 ]]> <b>")["errcode"] == 0
    client.message.send_image("openid-2", "media-9")
    assert sent(root) == [
        {"touser": "openid-1", "msgtype": "text", "text": {"content": "你好 ]]> <b>"}},
        {"touser": "openid-2", "msgtype": "image", "image": {"media_id": "media-9"}},
    ]


@pytest.mark.parametrize(
    ("body", "errcode"),
    [
        (b"{not json", 47001),
        ({"msgtype": "text", "text": {"content": "x"}}, 40003),
        ({"touser": "o", "msgtype": "telepathy", "telepathy": {}}, 40008),
        ({"touser": "o", "msgtype": "text"}, 40008),
        ({"touser": "o", "msgtype": "text", "text": {"content": ""}}, 44004),
    ],
)
def test_custom_send_rejects_malformed_messages(
    root: str, body: bytes | dict[str, Any], errcode: int
) -> None:
    token = get_token(root)["access_token"]
    assert post_send(root, token, body)["errcode"] == errcode
    assert sent(root) == []


# --- parametric QR codes ----------------------------------------------------------------


def test_permanent_code_is_one_per_scene(client: WeChatClient) -> None:
    body = {"action_name": "QR_LIMIT_STR_SCENE", "action_info": {"scene": {"scene_str": "a"}}}
    first, again = client.qrcode.create(body), client.qrcode.create(body)
    other = client.qrcode.create({**body, "action_info": {"scene": {"scene_str": "b"}}})
    assert first == again
    assert first["ticket"] != other["ticket"]
    assert first["url"].startswith("http://weixin.qq.com/q/")
    assert "expire_seconds" not in first


def test_temporary_codes_are_fresh_and_expire(client: WeChatClient) -> None:
    body: dict[str, Any] = {"action_name": "QR_SCENE", "action_info": {"scene": {"scene_id": 7}}}
    first, second = client.qrcode.create(body), client.qrcode.create(body)
    assert first["ticket"] != second["ticket"]
    assert first["expire_seconds"] == 60
    body["expire_seconds"] = 2_592_000
    assert client.qrcode.create(body)["expire_seconds"] == 2_592_000


def qr_body(action: str, scene: dict[str, Any] | None, **extra: Any) -> dict[str, Any]:
    info = {} if scene is None else {"scene": scene}
    return {"action_name": action, "action_info": info, **extra}


@pytest.mark.parametrize(
    ("body", "errcode"),
    [
        (qr_body("QR_FOREVER", {"scene_str": "a"}), 40052),
        (qr_body("QR_LIMIT_STR_SCENE", {"scene_str": ""}), 40053),
        (qr_body("QR_LIMIT_STR_SCENE", {"scene_str": "x" * 65}), 40053),
        (qr_body("QR_LIMIT_STR_SCENE", {"scene_id": 5}), 40053),
        (qr_body("QR_LIMIT_SCENE", {"scene_id": 0}), 40053),
        (qr_body("QR_LIMIT_SCENE", {"scene_id": 100_001}), 40053),
        (qr_body("QR_LIMIT_SCENE", {"scene_id": "5"}), 40053),
        (qr_body("QR_LIMIT_SCENE", {"scene_str": "a"}), 40053),
        (qr_body("QR_SCENE", {"scene_id": 2**32}), 40053),
        (qr_body("QR_STR_SCENE", None), 40053),
        (qr_body("QR_STR_SCENE", {"scene_str": "a"}, expire_seconds=2_592_001), 40097),
        (qr_body("QR_STR_SCENE", {"scene_str": "a"}, expire_seconds=0), 40097),
    ],
)
def test_qrcode_validation(client: WeChatClient, body: dict[str, Any], errcode: int) -> None:
    with pytest.raises(WeChatClientException) as caught:
        client.qrcode.create(body)
    assert caught.value.errcode == errcode


def test_scene_limits_are_inclusive(client: WeChatClient) -> None:
    for body in (
        {"action_name": "QR_LIMIT_STR_SCENE", "action_info": {"scene": {"scene_str": "x" * 64}}},
        {"action_name": "QR_LIMIT_SCENE", "action_info": {"scene": {"scene_id": 100_000}}},
    ):
        assert client.qrcode.create(body)["ticket"]


def test_permanent_code_cap(client: WeChatClient) -> None:
    def create(scene: str) -> dict[str, Any]:
        body = {"action_name": "QR_LIMIT_STR_SCENE", "action_info": {"scene": {"scene_str": scene}}}
        return client.qrcode.create(body)

    existing = [create(scene) for scene in ("s1", "s2", "s3")]  # the fixture's cap is 3
    with pytest.raises(WeChatClientException) as caught:
        create("s4")
    assert caught.value.errcode == 45029
    assert create("s2") == existing[1]  # re-asking for an existing scene costs nothing


# --- media ------------------------------------------------------------------------------


def test_media_get_serves_registered_bytes_like_wechat(root: str, client: WeChatClient) -> None:
    content = bytes(range(256)) * 40
    url = f"{root}/_fake/media?media_id=m-1&content_type=image/jpeg"
    requests.post(url, data=content, timeout=3).raise_for_status()
    res = client.media.download("m-1")
    assert res.content == content
    assert res.headers["Content-Type"] == "image/jpeg"
    assert res.headers["Content-disposition"] == 'attachment; filename="m-1.jpg"'


def test_media_get_unknown_id(client: WeChatClient) -> None:
    with pytest.raises(WeChatClientException) as caught:
        client.media.download("never-uploaded")
    assert (caught.value.errcode, caught.value.errmsg) == (40007, "invalid media_id")


# --- test controls ----------------------------------------------------------------------


def test_injected_errcodes_apply_to_the_next_n_calls_only(root: str) -> None:
    token = get_token(root)["access_token"]
    inject(root, endpoint="message/custom/send", errcode=45047, count=2)
    answers = [post_send(root, token, text_body(str(n)))["errcode"] for n in range(3)]
    assert answers == [45047, 45047, 0]
    assert [m["text"]["content"] for m in sent(root)] == ["2"]


def test_injected_http_status_and_delay(root: str) -> None:
    inject(root, endpoint="token", status=500)
    inject(root, endpoint="token", delay=0.4)
    assert requests.get(f"{root}/cgi-bin/token", timeout=3).status_code == 500
    started = time.monotonic()
    assert "access_token" in get_token(root)
    assert time.monotonic() - started >= 0.4


def test_fail_rejects_unknown_endpoint(root: str) -> None:
    res = requests.post(f"{root}/_fake/fail", json={"endpoint": "nope", "errcode": 1}, timeout=3)
    assert res.status_code == 400


def test_stats_count_calls_per_endpoint_and_reset_forgets_everything(root: str) -> None:
    token = get_token(root)["access_token"]
    post_send(root, token, text_body())
    post_send(root, token, text_body())
    assert stats(root) == {
        "token_requests": 1,
        "calls": {"token": 1, "message/custom/send": 2},
    }
    requests.post(f"{root}/_fake/reset", timeout=3).raise_for_status()
    assert stats(root) == {"token_requests": 0, "calls": {}}
    assert sent(root) == []
    assert post_send(root, token, text_body())["errcode"] == 40001


def test_main_prints_the_bound_port_and_serves() -> None:
    command = [sys.executable, "-m", "devtools.fake_wechat", "--host", "127.0.0.1"]
    command += ["--port", "0", "--appid", APPID, "--secret", SECRET]
    with subprocess.Popen(
        command, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    ) as proc:
        try:
            assert proc.stdout is not None
            match = re.fullmatch(r"listening 127\.0\.0\.1:(\d+)\n", proc.stdout.readline())
            assert match, "first line must name the bound port"
            assert get_token(f"http://127.0.0.1:{match[1]}")["expires_in"] == 7200
        finally:
            proc.terminate()
            proc.wait(timeout=10)
