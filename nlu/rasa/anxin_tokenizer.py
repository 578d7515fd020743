"""Jieba tokens of the message in simplified characters, for training and for parsing alike.

This module runs inside the Rasa process (its own Python 3.10 virtualenv), like
``anxin_intents.py``. The web app converts every message to simplified characters before it
asks Rasa (``nlu/normalise/text.py``), but about a sixth of our training examples are
written as Hong Kong and Taiwan workers write, in traditional characters: read as written,
their character n-grams ("老闆", "薪資") would never meet a message the model is asked about.
Converting both sides with the same OpenCC tables (``t2s``: one character for one, so token
offsets stay valid) lets those examples teach the model.

(Mapping Hong Kong and Taiwan words to mainland ones of the same length, "出粮" 发薪,
"判头" 包工, "冇" 没, was tried on top of this and changed nothing on a real sample.)
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from anxin_folds import fold
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.jieba_tokenizer import JiebaTokenizer
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.training_data.message import Message


@lru_cache(maxsize=1)
def _to_simplified() -> Callable[[str], str]:
    from opencc import OpenCC

    t2s = OpenCC("t2s").convert

    def convert(text: str) -> str:
        return fold(t2s(text))  # 著 and 帐 as the web app reads them

    return convert


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=True)
class SimplifiedJiebaTokenizer(JiebaTokenizer):
    """Rasa's Jieba tokenizer, on the message's text in simplified characters."""

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        """Tokens of the simplified text; the message itself keeps the worker's words."""
        original = message.get(attribute)
        simplified = _to_simplified()(original)
        if simplified == original:
            return super().tokenize(message, attribute)
        message.set(attribute, simplified)
        try:
            return super().tokenize(message, attribute)
        finally:
            message.set(attribute, original)
