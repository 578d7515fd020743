"""Rasa's character n-gram counts, with a parse that makes only what the classifier reads.

This module runs inside the Rasa process (its own Python 3.10 virtualenv), like
``anxin_intents.py``. Rasa's CountVectorsFeaturizer makes two matrices for every message it
parses: one row per token (sequence features) and the counts of the whole message (sentence
features), each through sklearn's ``transform``. Our classifier reads only the sentence
counts, and for one short message sklearn's checks and matrix builds cost more than the
counting: profiled under load, the featurizer was a quarter of the Rasa server's CPU. Here a
parse counts the message's n-grams with the fitted vectorizer's own analyser and vocabulary
(the same n-grams sklearn would count, checked by ``tests/rasa_fast_path_check.py``);
training is Rasa's, unchanged.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import scipy.sparse
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
    CountVectorsFeaturizer,
)
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class SentenceCountVectorsFeaturizer(CountVectorsFeaturizer):
    """CountVectorsFeaturizer whose parse sets only the text's sentence counts."""

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Rasa's own featurizing for training: every attribute, both kinds of features."""
        CountVectorsFeaturizer.process(self, training_data.training_examples)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        """Set each message's sentence counts of the text's n-grams."""
        vectorizer = (self.vectorizers or {}).get(TEXT)
        if vectorizer is None or not hasattr(vectorizer, "vocabulary_"):
            return super().process(messages)  # untrained: Rasa logs why
        analyse, vocabulary = vectorizer.build_analyzer(), vectorizer.vocabulary_
        for message in messages:
            tokens = self._get_processed_message_tokens_by_attribute(message, TEXT)
            if not tokens:
                continue
            counts = Counter(
                column
                for gram in analyse(" ".join(tokens))
                if (column := vocabulary.get(gram)) is not None
            )
            columns = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            values = np.fromiter(counts.values(), dtype=np.int64, count=len(counts))
            sentence = scipy.sparse.coo_matrix(
                (values, (np.zeros_like(columns), columns)), shape=(1, len(vocabulary))
            )
            self.add_features_to_message(None, sentence, TEXT, message)
        return messages
