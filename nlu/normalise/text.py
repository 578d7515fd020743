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


#: OpenCC keeps 著, a simplified character too ("著名"), but Hong Kong and Taiwan writers use
#: it for the particle 着: "躲著", "拖著不給", "沒著落" read as "躲着", "拖着不给", "没着落".
#: The words where 著 means "write" or "notable" keep it. (Rasa's tokenizer folds the same way:
#: ``nlu/rasa/anxin_tokenizer.py``.)
_ZHE_PARTICLE = re.compile(
    r"著(?!名|作|称|述|书|者)(?<!显著)(?<!土著)(?<!名著)(?<!原著)(?<!巨著)(?<!卓著)"
)


@lru_cache(maxsize=1024)
def to_simplified(text: str) -> str:
    """Convert traditional Chinese characters in ``text`` to simplified ones.

    Uses OpenCC's ``t2s`` tables (phrases first, then characters).  Every mapping in those
    tables keeps the length, so offsets computed on the result are valid on the input; so
    does the particle 著 read as 着. ASCII-only text is returned untouched without loading the
    tables. Results are cached: a parse converts the same message twice (for Rasa and for the
    entity finders).
    """
    if not text or text.isascii():
        return text
    simplified = _t2s_converter()(text)
    return _ZHE_PARTICLE.sub("着", simplified) if "著" in simplified else simplified


def prepare_text(text: str) -> str:
    """Half-width, simplified-Chinese version of ``text`` with the same length.

    Full-width letters, digits and punctuation ("１３８", "，") become ASCII and traditional
    characters become simplified, one character for one, so offsets stay valid.
    """
    return to_simplified(text.translate(_HALF_WIDTH))


_prepare = prepare_text
