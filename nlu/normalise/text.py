"""Character-level preparation: half-width and simplified Chinese, keeping offsets."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from nlu.rasa.anxin_folds import fold

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


@lru_cache(maxsize=1024)
def to_simplified(text: str) -> str:
    """Convert traditional Chinese characters in ``text`` to simplified ones.

    Uses OpenCC's ``t2s`` tables (phrases first, then characters).  Every mapping in those
    tables keeps the length, so offsets computed on the result are valid on the input; so do
    the folds of 著 and 帐 (``nlu/rasa/anxin_folds.py``, shared with Rasa's tokenizer).
    ASCII-only text is returned untouched without loading the tables. Results are cached: a
    parse converts the same message twice (for Rasa and for the entity finders).
    """
    if not text or text.isascii():
        return text
    return fold(_t2s_converter()(text))


def prepare_text(text: str) -> str:
    """Half-width, simplified-Chinese version of ``text`` with the same length.

    Full-width letters, digits and punctuation ("１３８", "，") become ASCII and traditional
    characters become simplified, one character for one, so offsets stay valid.
    """
    return to_simplified(text.translate(_HALF_WIDTH))


_prepare = prepare_text
