"""The log masking rules, one row per kind of personal data or secret."""

from __future__ import annotations

import pytest

from ops.redact import redact

CASES = [
    # (log text, what must be gone, what must be there)
    ("工人电话 13812345678 已登记", "13812345678", "138****5678"),
    ("tel:+86 13912345678.", "13912345678", "139****5678"),
    ("联系8618612345678", "18612345678", "186****5678"),
    ("座机 010-62345678 转", "62345678", "010-****"),
    ("座机0755-2345678", "2345678", "0755-****"),
    ("座机(021)62345678", "62345678", "(021)****"),
    ("身份证 320402199001011234 号", "320402199001011234", "**************1234"),
    ("id=11010519491231002X", "11010519491231002X", "**************002X"),
    (
        "GET https://api.weixin.qq.com/cgi-bin/token?grant_type=client_credential&appid=wx1"
        "&secret=s3cr3tVALUE failed",
        "s3cr3tVALUE",
        "secret=***",
    ),
    (
        "POST /cgi-bin/message/custom/send?access_token=ACCESS_TOKEN_1 500",
        "ACCESS_TOKEN_1",
        "access_token=***",
    ),
    ("rasa /model/parse?token=rasa-token-9 timed out", "rasa-token-9", "token=***"),
    ("Authorization: Bearer abc.def-123", "abc.def-123", "Bearer ***"),
    (
        "PicUrl=http://mmbiz.qpic.cn/mmbiz_jpg/Xabc123/0?wx_fmt=jpeg saved",
        "Xabc123",
        "http://mmbiz.qpic.cn/***",
    ),
    (
        "download https://api.weixin.qq.com/cgi-bin/media/get?access_token=T0K&media_id=M1",
        "T0K",
        "https://api.weixin.qq.com/cgi-bin/media/***",
    ),
]

#: Numbers that are not personal data stay readable (ids, timestamps, amounts).
KEPT = [
    "message 24602359867654321234 stored",  # a 20-digit WeChat MsgId
    "CreateTime 1700000000",
    "case 261126-0001 amount 35000",
    "took 1234567 ns",
]


@pytest.mark.parametrize(("text", "gone", "shown"), CASES)
def test_masks(text: str, gone: str, shown: str) -> None:
    masked = redact(text)
    assert gone not in masked
    assert shown in masked


@pytest.mark.parametrize("text", KEPT)
def test_keeps_other_numbers(text: str) -> None:
    assert redact(text) == text


def test_masks_every_occurrence() -> None:
    masked = redact("13812345678 和 13912345678 和 320402199001011234")
    assert masked == "138****5678 和 139****5678 和 **************1234"
