"""The cache of Rasa's answers: bounded, least recently used, keyed on the model."""

from __future__ import annotations

from nlu.cache import ParseCache

ANSWER = {"intent": {"name": "affirm", "confidence": 0.9}}


def test_an_answer_is_found_again_for_the_same_model_only() -> None:
    cache = ParseCache(size=10)
    cache.put("model-a", "好的", ANSWER)
    assert cache.get("model-a", "好的") == ANSWER
    assert cache.get("model-b", "好的") is None
    assert (cache.hits, cache.misses) == (1, 1)


def test_the_least_recently_used_answer_goes_first() -> None:
    cache = ParseCache(size=2)
    cache.put("m", "是", ANSWER)
    cache.put("m", "对", ANSWER)
    cache.get("m", "是")  # 是 is now the most recently used
    cache.put("m", "好", ANSWER)
    assert len(cache) == 2
    assert cache.get("m", "对") is None
    assert cache.get("m", "是") == ANSWER and cache.get("m", "好") == ANSWER


def test_long_texts_and_a_zero_size_are_never_cached() -> None:
    story = "老板欠我们五个人的工资" * 4
    cache = ParseCache(size=10)
    cache.put("m", story, ANSWER)
    assert cache.get("m", story) is None and len(cache) == 0
    off = ParseCache(size=0)
    off.put("m", "好的", ANSWER)
    assert off.get("m", "好的") is None and not off.accepts("好的")
