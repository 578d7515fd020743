"""Two characters read as another after OpenCC's t2s, shared by the web app and Rasa.

OpenCC keeps them because they are simplified characters too, but traditional writers use
them where our patterns and our training examples expect another: the particle 著 ("躲著",
"拖著不給", "沒著落" are "躲着", "拖着不给", "没着落"; 著名 and 著作 keep it), and 帳, which
OpenCC turns into 帐 ("到帳", "賴帳" are "到账", "赖账"; 帐篷 and 蚊帐 keep it). One character
for one, so offsets stay valid.

Plain ``re`` only: Rasa's tokenizer (``anxin_tokenizer.py``, its own virtualenv, this folder
on its path) and the web app (``nlu/normalise/text.py``) import this one table.
"""

from __future__ import annotations

import re

FOLDS = (
    (
        re.compile(
            r"著(?!名|作|称|述|书|者)(?<!显著)(?<!土著)(?<!名著)(?<!原著)(?<!巨著)(?<!卓著)"
        ),
        "着",
    ),
    (re.compile(r"帐(?!篷|子|幕)(?<!蚊帐)(?<!营帐)"), "账"),
)


def fold(text: str) -> str:
    """``text`` (already through OpenCC's t2s) with 著 read as 着 and 帐 as 账."""
    for pattern, replacement in FOLDS:
        text = pattern.sub(replacement, text)
    return text
