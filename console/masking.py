"""Masking of phone and ID numbers: whole fields (138****5678) and numbers inside free text."""

from __future__ import annotations

import re

from models.masking import FULL_WIDTH_DIGITS, SEPARATOR

# The separators a worker types between groups (one space or dash, full-width ones too) and
# full-width digits are read as models.masking reads them before storing.
_S = SEPARATOR
#: An 18-character resident ID (17 digits and a digit or X), whole or as 6-8-4, not part of
#: a longer number.
_ID_NUMBER = re.compile(rf"(?<![0-9A-Za-z])\d{{6}}{_S}\d{{8}}{_S}\d{{3}}[\dXx](?![0-9A-Za-z])")
#: A mobile number, 11 digits from 13x to 19x, also written "138 1234 5678" or
#: "138-1234-5678", optionally after +86; not part of a longer number. Every quantifier is
#: bounded, so the scan stays linear in the text's length.
_MOBILE = re.compile(rf"(?<![\d+])(?:\+?86{_S})?1[3-9]\d{_S}\d{{4}}{_S}\d{{4}}(?!\d)")


def mask(value: str | None) -> str:
    """Keep the first 3 and last 4 characters, star the rest; short values are fully starred."""
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_text(text: str | None) -> str:
    """``text`` with every resident ID and mobile number in it masked, the rest unchanged.

    Separators inside a number go: "138 1234 5678" becomes "138****5678"; full-width
    digits are shown as ASCII ones.
    """
    if not text:
        return ""
    text = text.translate(FULL_WIDTH_DIGITS)
    text = _ID_NUMBER.sub(lambda m: mask(_digits(m.group())), text)
    return _MOBILE.sub(lambda m: _mask_phone(m.group()), text)


def _digits(found: str) -> str:
    return "".join(char.upper() if char in "xX" else char for char in found if char.isalnum())


def _mask_phone(found: str) -> str:
    digits = re.sub(r"\D", "", found)
    return mask(digits[-11:])
