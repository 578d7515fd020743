"""The channels a case reaches the bureau by, and their Chinese names.

The codes are declared once with the column they fill (``models.complaint.CHANNELS``).
"""

from __future__ import annotations

from models.complaint import CHANNELS as CHANNELS

#: What staff read for each channel.
CHANNEL_NAMES = {
    "wechat": "微信",
    "12333": "12333热线",
    "12345": "12345热线",
    "national": "全国根治欠薪线索反映平台",
    "letters": "信访",
    "visit": "来访",
    "referral": "转办",
    "other": "其他",
}
#: Channels a hotline operator registers by hand (the bot files WeChat cases itself).
INTAKE_CHANNELS = tuple(code for code in CHANNELS if code != "wechat")
#: Channels whose exported spreadsheets ``flask complaints import`` reads.
IMPORT_CHANNELS = ("national", "12345")


def channel_name(code: str) -> str:
    """The Chinese name of a channel (the code itself when it has none)."""
    return CHANNEL_NAMES.get(code, code)
