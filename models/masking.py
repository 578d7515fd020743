"""Masking of phone and ID numbers in free text bound for plaintext columns (pure).

A worker's answer the bot could not read is kept as written, and for the employer, site,
work type and period it lands in columns that are not encrypted (the queue filters and the
dashboard counts on them; docs/data-protection.md). Any mainland mobile or resident ID
number in such text is masked before it is stored; the original stays in the encrypted
``flags``, the description and the transcript.
"""

from __future__ import annotations

import re
from collections.abc import Callable

#: Full-width digits (１３９…), as some phone keyboards type them, are read as ASCII ones.
_FULL_WIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
# Between groups a worker may type one space or dash: 139 1234 5678, 139-1234-5678.
_SEP = r"[ \-\u3000\u2010-\u2015\uff0d]?"
#: Public names of the two above, shared with the console's display masking.
FULL_WIDTH_DIGITS, SEPARATOR = _FULL_WIDTH, _SEP
#: Resident ID numbers (GB 11643): 18 characters, whole or as 6-8-4, and the old 15 digits.
_ID_NUMBER = re.compile(
    rf"(?<!\d)\d{{6}}{_SEP}\d{{8}}{_SEP}\d{{3}}[\dXx](?!\d)|(?<!\d)\d{{15}}(?!\d)"
)
#: Mainland mobile numbers: 1[3-9] and 9 more digits (3-4-4), after +86 or 86 or not.
_MOBILE = re.compile(rf"(?<!\d)(?:\+?86{_SEP})?(1[3-9]\d){_SEP}(\d{{4}}){_SEP}(\d{{4}})(?!\d)")
#: Any other run this long (two phones typed together, a bank card) is masked as well.
_LONG_RUN = re.compile(r"(?<!\d)\d{11,}")


def mask_numbers(text: str) -> str:
    """``text`` with every phone and ID number in it masked (139****5678, ****…002X).

    Each pattern is bounded or a single greedy run, so the time is linear in the text.
    """
    text = text.translate(_FULL_WIDTH)
    for pattern, replace in _RULES:
        text = pattern.sub(replace, text)
    return text


def _keep_last_four(match: re.Match[str]) -> str:
    digits = _digits(match.group(0))
    return "*" * (len(digits) - 4) + digits[-4:]


def _mobile(match: re.Match[str]) -> str:
    return _digits(match.group(1)) + "****" + _digits(match.group(3))


def _digits(text: str) -> str:
    """The digits of ``text`` without separators, and an upper-case X."""
    return "".join(char.upper() for char in text if char.isdigit() or char in "Xx")


_RULES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (_ID_NUMBER, _keep_last_four),  # first: an ID's digits must not be read as a phone
    (_MOBILE, _mobile),
    (_LONG_RUN, _keep_last_four),
)
