"""Every sentence of a story in the training data also teaches the model, as its story's intent.

This module runs inside the Rasa process (its own Python 3.10 virtualenv), like
``anxin_intents.py``; it changes the training data only, never a message being parsed.

Real workers tell a wage story in pieces: one message says where they worked, the next
that the foreman promised to pay at New Year, the next that the family has nothing left.
By the labels a piece of such a story is a complaint even with no word of wages in it, and
a piece of an injury story is ``other_labour``. Our examples were whole stories, so the
model learned that a complaint names the money; on real stories cut into their sentences
(gathered 2026-12-04, never trained on) it read most keyword-less pieces as chat.

Splitting our own multi-sentence examples of those two intents into their sentences added
174 examples (141 complaints, 33 labour matters) and raised complaint recall on such a real
sample from 70 to 83 of 114, with our held-out and dev sets unchanged. Sixty whole stories
written for it (``workers_stories9.yml``, about six sentences each) bring the sentences to
about 530 and complaint recall on the twenty-fifth real sample from 330 to 337 of 359; the
price is a few labour and chat pieces read as complaints (they get the one-tap offer).
Tried and left out: splitting at commas too (half-sentences taught as complaints cost 0.04
on the held-out set), the sentences of status questions that do not mention the complaint
made (7 more complaints found, one held-out and one dev message lost) and the sentences of
chat (worse on every set).
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

#: A sentence ends at a full stop, a question or exclamation mark, a semicolon or dots.
SENTENCE_END = re.compile(r"(?<=[。！？!?；;…])")
#: Thanks and salutations inside a letter keep their own meaning, not the story's.
OWN_MEANING = re.compile(r"谢|謝|感激|感恩|^(?:尊敬的|您好|你好|各位)")


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class StoryFragments(GraphComponent):
    """Adds the sentences of multi-sentence examples of ``intents`` as examples of their own."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """The intents whose stories are split, and the shortest sentence kept."""
        return {"intents": ["report_arrears", "other_labour"], "min_chars": 8}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> StoryFragments:
        """A splitter with the pipeline's settings (nothing is stored)."""
        return cls(config)

    def __init__(self, config: dict[str, Any]) -> None:
        self.intents = set(config["intents"])
        self.min_chars = int(config["min_chars"])

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """The training data with each story sentence added once, as its story's intent."""
        known = {example.get(TEXT) for example in training_data.training_examples}
        added: list[Message] = []
        for example in training_data.intent_examples:
            if example.get(INTENT) not in self.intents:
                continue
            for sentence in sentences(example.get(TEXT), self.min_chars):
                if sentence not in known:
                    known.add(sentence)
                    added.append(Message(data={TEXT: sentence, INTENT: example.get(INTENT)}))
        if not added:
            return training_data
        return training_data.merge(TrainingData(training_examples=added))

    def process(self, messages: list[Message]) -> list[Message]:
        """Parsing is untouched."""
        return messages


def sentences(text: str, min_chars: int) -> list[str]:
    """The sentences of a text of two or more, each at least ``min_chars`` long and not
    thanks or a salutation; [] for a text of one sentence."""
    parts = [part.strip() for part in SENTENCE_END.split(text) if part.strip()]
    if len(parts) < 2:
        return []
    return [part for part in parts if len(part) >= min_chars and not OWN_MEANING.search(part)]
