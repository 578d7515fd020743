"""Parsing pushed XML into Inbound values (no database)."""

from __future__ import annotations

import pytest

from webhooks.inbound import parse_inbound
from webhooks.security import RequestRefused

from .conftest import SAMPLES


def sample(name: str) -> str:
    return (SAMPLES / name).read_text("utf-8")


def test_text_message() -> None:
    inbound = parse_inbound(sample("text.xml"))
    assert (inbound.openid, inbound.account, inbound.msg_type) == (
        "o_sample_worker_1",
        "gh_anxin_dev",
        "text",
    )
    assert inbound.content == "老板欠我们五个人三万块工资"
    assert inbound.msg_id == 24571234567890001
    assert inbound.dedup_key == "msg:o_sample_worker_1:24571234567890001"


def test_image_keeps_media_id_and_picture_url() -> None:
    inbound = parse_inbound(sample("image.xml"))
    assert inbound.media_id == "media_image_1"
    assert inbound.payload["image"] == "http://mmbiz.qpic.cn/sample.jpg"


def test_voice_without_recognition_has_no_content() -> None:
    inbound = parse_inbound(sample("voice.xml"))
    assert inbound.content is None and inbound.media_id == "media_voice_1"
    assert inbound.payload["format"] == "amr"


def test_location_keeps_coordinates_as_strings() -> None:
    inbound = parse_inbound(sample("location.xml"))
    assert inbound.content == "常州市钟楼区紫荆苑工地"
    assert (inbound.payload["location_x"], inbound.payload["location_y"]) == ("31.772", "119.947")


@pytest.mark.parametrize(
    ("name", "event", "key"),
    [
        ("subscribe.xml", "subscribe", None),
        ("subscribe_qr.xml", "subscribe_scan", "ZJY001"),
        ("scan.xml", "scan", "ZJY001"),
        ("unsubscribe.xml", "unsubscribe", None),
        ("click.xml", "click", "MENU_REPORT"),
    ],
)
def test_events(name: str, event: str, key: str | None) -> None:
    inbound = parse_inbound(sample(name))
    assert (inbound.msg_type, inbound.event, inbound.event_key) == ("event", event, key)
    # Events have no MsgId: WeChat's retries are recognised by sender + CreateTime.
    assert inbound.dedup_key == f"evt:o_sample_worker_1:1714112445:{event}"


def test_unknown_message_type_is_kept_not_refused() -> None:
    xml = sample("text.xml").replace("[text]", "[miniprogrampage]")
    assert parse_inbound(xml).msg_type == "miniprogrampage"


@pytest.mark.parametrize(
    "xml",
    [
        sample("typeless.xml"),
        sample("entity.xml"),
        sample("malformed.xml"),
        "",
        "<xml></xml>",
        "<xml><MsgType>text</MsgType></xml>",
        sample("text.xml").replace("1714112445", "yesterday"),
    ],
)
def test_malformed_messages_are_refused(xml: str) -> None:
    with pytest.raises(RequestRefused) as caught:
        parse_inbound(xml)
    assert caught.value.status == 400
