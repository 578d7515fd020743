"""A bounded cache of Rasa's answers to short messages, keyed on the model that gave them.

Workers answer the bot's questions with the same few words again and again ("好的", "是",
"没有", "1"), and a model's answer to a text never changes: these need not cost a parse.
Only Rasa's raw answer is kept, never our entities (relative dates depend on the day), and
only for short texts (long messages are unique stories and would only churn the cache).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

#: Longer texts are not cached: stock replies are short, stories never repeat.
MAX_CHARS = 32


class ParseCache:
    """Least-recently-used map of (model id, text) to Rasa's answer; thread-safe."""

    def __init__(self, size: int, max_chars: int = MAX_CHARS) -> None:
        self.size = size
        self.max_chars = max_chars
        self.hits = 0
        self.misses = 0
        self._items: OrderedDict[tuple[str, str], dict[str, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, model: str, text: str) -> dict[str, Any] | None:
        """Rasa's answer to ``text`` from ``model``, if it is cached."""
        if not self.accepts(text):
            return None
        with self._lock:
            body = self._items.get((model, text))
            if body is None:
                self.misses += 1
                return None
            self._items.move_to_end((model, text))
            self.hits += 1
            return body

    def put(self, model: str, text: str, body: dict[str, Any]) -> None:
        """Remember an answer, dropping the least recently used one when full."""
        if not self.accepts(text):
            return
        with self._lock:
            self._items[(model, text)] = body
            self._items.move_to_end((model, text))
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def accepts(self, text: str) -> bool:
        """Whether ``text`` is short enough to be worth caching."""
        return self.size > 0 and 0 < len(text) <= self.max_chars

    def __len__(self) -> int:
        return len(self._items)
