"""Character-level preparation: half-width and simplified Chinese, keeping offsets."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

#: The most characters of one message that the NLU and the normalisers read. Every finder is
#: linear, but a follower can still send long junk; the longest real stories we studied fit
#: in well under this, and the rest of a longer message is kept as written, only not parsed.
MAX_TEXT_CHARS = 2000


def cap_text(text: str) -> str:
    """The first ``MAX_TEXT_CHARS`` characters of ``text`` (offsets stay valid)."""
    return text[:MAX_TEXT_CHARS]


# Character-level preparation

#: Full-width ASCII (U+FF01..U+FF5E) and the ideographic space map to half-width; one
#: character for one character, so offsets survive.
_HALF_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


@lru_cache(maxsize=1)
def _t2s_converter() -> Callable[[str], str]:
    """Build the OpenCC converter once, on first use (import ~10 ms, dictionaries ~3 ms)."""
    # Imported lazily: most messages are already simplified. The package ships no types.
    from opencc import OpenCC  # type: ignore[import-untyped]

    convert: Callable[[str], str] = OpenCC("t2s").convert
    return convert


#: Characters OpenCC keeps because they are simplified characters too, but which traditional
#: writers use where our patterns expect another: the particle 著 ("躲著", "拖著不給", "沒著落"
#: are "躲着", "拖着不给", "没着落"; 著名 and 著作 keep it), and 帳, which OpenCC turns into 帐
#: ("到帳", "賴帳" are "到账", "赖账"; 帐篷 and 蚊帐 keep it). One character for one, so offsets
#: stay valid. Rasa's tokenizer folds the same way: ``nlu/rasa/anxin_tokenizer.py``.
_FOLDS = (
    (
        re.compile(
            r"著(?!名|作|称|述|书|者)(?<!显著)(?<!土著)(?<!名著)(?<!原著)(?<!巨著)(?<!卓著)"
        ),
        "着",
    ),
    (re.compile(r"帐(?!篷|子|幕)(?<!蚊帐)(?<!营帐)"), "账"),
)


def _fold(text: str) -> str:
    for pattern, replacement in _FOLDS:
        text = pattern.sub(replacement, text)
    return text


@lru_cache(maxsize=1024)
def to_simplified(text: str) -> str:
    """Convert traditional Chinese characters in ``text`` to simplified ones.

    Uses OpenCC's ``t2s`` tables (phrases first, then characters).  Every mapping in those
    tables keeps the length, so offsets computed on the result are valid on the input; so do
    the folds of 著 and 帐 (``_FOLDS``). ASCII-only text is returned untouched without loading
    the tables. Results are cached: a parse converts the same message twice (for Rasa and for
    the entity finders).
    """
    if not text or text.isascii():
        return text
    return _fold(_t2s_converter()(text))


def prepare_text(text: str) -> str:
    """Half-width, simplified-Chinese version of ``text`` with the same length.

    Full-width letters, digits and punctuation ("１３８", "，") become ASCII and traditional
    characters become simplified, one character for one, so offsets stay valid.
    """
    return to_simplified(text.translate(_HALF_WIDTH))


_prepare = prepare_text
