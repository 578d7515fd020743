"""Masking of phone and ID numbers: whole fields (138****5678) and numbers inside free text."""

from __future__ import annotations

import re

#: An 18-character resident ID (17 digits and a digit or X), not part of a longer number.
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
#: A mobile number, 11 digits from 13x to 19x, also written "138 1234 5678" or
#: "138-1234-5678", optionally after +86; not part of a longer number. Every quantifier is
#: bounded, so the scan stays linear in the text's length.
_MOBILE = re.compile(r"(?<![\d+])(?:\+?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?!\d)")


def mask(value: str | None) -> str:
    """Keep the first 3 and last 4 characters, star the rest; short values are fully starred."""
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_text(text: str | None) -> str:
    """``text`` with every resident ID and mobile number in it masked, the rest unchanged.

    Separators inside a phone number go: "138 1234 5678" becomes "138****5678".
    """
    if not text:
        return ""
    text = _ID_NUMBER.sub(lambda m: mask(m.group()), text)
    return _MOBILE.sub(lambda m: _mask_phone(m.group()), text)


def _mask_phone(found: str) -> str:
    digits = re.sub(r"\D", "", found)
    return mask(digits[-11:])
