"""Masking of personal data and secrets in log text (pure: no logging, no Flask).

Logs leave the bureau's hands (log shippers, support tickets), so a worker's phone or ID
number, an API secret or a capability URL to a worker's photo must never be written whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# Mainland ID numbers (GB 11643): 17 digits and a check digit 0-9 or X. Masked before phones
# so that an ID's digits are never read as a phone number.
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])")
# Mobile numbers: 1[3-9] and 9 more digits, optionally after +86 / 86.
_MOBILE = re.compile(r"(?<![0-9A-Za-z])(?:\+?86[ -]?)?(1[3-9]\d)(\d{4})(\d{4})(?![0-9A-Za-z])")
# Landlines: area code 0xx or 0xxx (optionally in brackets), then 7-8 digits.
_LANDLINE = re.compile(r"(?<![0-9A-Za-z])(\(?0\d{2,3}\)?)([ -]?)\d{7,8}(?![0-9A-Za-z])")
# Secrets in query strings, form bodies and "key=value" log text.
_SECRET_PARAM = re.compile(
    r"(?<![A-Za-z0-9_])(access_token|secret|appsecret|token|password|encodingaeskey)=[^&\s\"'<>]+",
    re.IGNORECASE,
)
_BEARER = re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9._~+/=-]+")
# WeChat media URLs (PicUrl of an image message and the like) are capability URLs: anyone
# holding one sees the worker's evidence photo, so only the host is kept.
_MEDIA_URL = re.compile(
    r"(https?://[A-Za-z0-9.-]*\.(?:qpic\.cn|qlogo\.cn|weixin\.qq\.com/cgi-bin/media))[^\s\"'<>]*",
    re.IGNORECASE,
)

_RULES: tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...] = (
    (_MEDIA_URL, r"\1/***"),
    (_SECRET_PARAM, r"\1=***"),
    (_BEARER, r"\1 ***"),
    (_ID_NUMBER, lambda m: "*" * 14 + m.group(0)[-4:]),
    (_MOBILE, r"\1****\3"),
    (_LANDLINE, r"\1\2****"),
)


def redact(text: str) -> str:
    """``text`` with phone and ID numbers, secrets and WeChat media URLs masked."""
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text
