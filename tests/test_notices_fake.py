"""The fake's notice endpoints (subscription, one-time link, template) and customer-service
windows, driven by Anxin's real client helpers (``wechat.client``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
from wechatpy import WeChatClient

from devtools.fake_wechat import create_fake_app, serve_in_thread
from tests.test_fake_wechat import FakeClock as Clock
from wechat.client import (
    WeChatAPIError,
    build_client,
    send_one_time,
    send_subscription,
    send_template,
    send_text,
)

APPID = "wxfake0000000017"
SECRET = "fake-secret-0017"
DATA = {"character_string1": "261126-0001", "thing2": "已受理，正在调查"}


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def root(clock: Clock) -> Iterator[str]:
    with serve_in_thread(create_fake_app(APPID, SECRET, clock=clock)) as url:
        yield url


@pytest.fixture
def client(root: str) -> Iterator[WeChatClient]:
    wechat = build_client(APPID, SECRET, f"{root}/cgi-bin/", None, timeout=3.0)
    yield wechat
    wechat.close()


def control(root: str, name: str, **spec: Any) -> None:
    requests.post(f"{root}/_fake/{name}", json=spec, timeout=3).raise_for_status()


def notices(root: str) -> list[dict[str, Any]]:
    return requests.get(f"{root}/_fake/notices", timeout=3).json()["notices"]


def errcode(call: Any) -> int:
    with pytest.raises(WeChatAPIError) as caught:
        call()
    return caught.value.errcode


def test_subscription_needs_consent_and_a_one_time_consent_allows_one_send(
    root: str, client: WeChatClient
) -> None:
    send = lambda: send_subscription(client, "o_1", "TPL_P", DATA, None)  # noqa: E731
    assert errcode(send) == 43101
    control(root, "consent", openid="o_1", template_id="TPL_P")
    send()
    assert errcode(send) == 43101  # used up
    assert notices(root)[0]["data"]["thing2"] == {"value": "已受理，正在调查"}
    assert notices(root)[0]["endpoint"] == "subscribe"


def test_a_long_term_consent_lasts_until_withdrawn(root: str, client: WeChatClient) -> None:
    control(root, "consent", openid="o_1", template_id="TPL_P", long_term=True)
    for _ in range(3):
        send_subscription(client, "o_1", "TPL_P", DATA, None)
    control(root, "consent", openid="o_1", template_id="TPL_P", accept=False)
    assert errcode(lambda: send_subscription(client, "o_1", "TPL_P", DATA, None)) == 43101
    assert len(notices(root)) == 3


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"thing2": "这是一段超过二十个字的很长很长很长的说明文字啊"}, 47003),
        ({"character_string1": "编号"}, 47003),
        ({"thing2": ""}, 47003),
    ],
)
def test_subscription_fields_follow_their_type_rules(
    root: str, client: WeChatClient, data: dict[str, str], code: int
) -> None:
    control(root, "consent", openid="o_1", template_id="TPL_P", long_term=True)
    assert errcode(lambda: send_subscription(client, "o_1", "TPL_P", data, None)) == code


def test_unknown_template_is_40037_once_the_account_lists_its_templates(
    root: str, client: WeChatClient
) -> None:
    control(root, "account", templates=["TPL_P"])
    assert errcode(lambda: send_template(client, "o_1", "TPL_X", DATA, None)) == 40037
    send_template(client, "o_1", "TPL_P", DATA, None)


def test_template_needs_a_verified_account_and_a_follower(root: str, client: WeChatClient) -> None:
    send_template(client, "o_1", "TPL_T", DATA, "https://example.invalid/c")
    control(root, "account", unfollowed=["o_2"])
    assert errcode(lambda: send_template(client, "o_2", "TPL_T", DATA, None)) == 43004
    control(root, "account", verified=False)
    assert errcode(lambda: send_template(client, "o_1", "TPL_T", DATA, None)) == 48001
    assert [n["endpoint"] for n in notices(root)] == ["template"]


def test_one_time_link_consent_is_per_scene_and_used_once(root: str, client: WeChatClient) -> None:
    control(root, "consent", openid="o_1", template_id="TPL_ONE", scene=17)
    send = lambda scene: send_one_time(client, "o_1", "TPL_ONE", scene, "案件进展", "已受理")  # noqa: E731
    assert errcode(lambda: send(18)) == 43101
    send(17)
    assert errcode(lambda: send(17)) == 43101
    assert notices(root)[0]["title"] == "案件进展"


def test_customer_service_window_and_quota_once_the_worker_acted(
    root: str, client: WeChatClient, clock: Clock
) -> None:
    send_text(client, "o_free", "不受限")  # never told about: not limited (older tests)
    control(root, "interaction", openid="o_1", kind="message")
    for n in range(5):
        send_text(client, "o_1", f"第{n}条")
    assert errcode(lambda: send_text(client, "o_1", "第6条")) == 45047
    control(root, "interaction", openid="o_1", kind="message")
    clock.now += 48 * 3600 + 1
    assert errcode(lambda: send_text(client, "o_1", "过期")) == 45015


def test_a_scan_opens_a_one_minute_window_of_three(
    root: str, client: WeChatClient, clock: Clock
) -> None:
    control(root, "interaction", openid="o_1", kind="event")
    for _ in range(3):
        send_text(client, "o_1", "扫码后")
    assert errcode(lambda: send_text(client, "o_1", "第4条")) == 45047
    control(root, "interaction", openid="o_1", kind="event")
    clock.now += 61
    assert errcode(lambda: send_text(client, "o_1", "一分钟后")) == 45015
