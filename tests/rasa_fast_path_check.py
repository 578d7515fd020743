"""Run with the Rasa virtualenv, from nlu/rasa: compare our parse-time shortcuts with what
Rasa and sklearn compute, message by message, on the trained model.

    ../../.venv-rasa/bin/python ../../tests/rasa_fast_path_check.py MODEL TEXTS.jsonl

- anxin_featurizer: its sentence counts against Rasa's CountVectorsFeaturizer's;
- anxin_intents: its probabilities (on those counts) against sklearn's ``predict_proba``
  (on Rasa's).

Prints one JSON object: how many messages, how many had other counts, the largest
difference in any probability and how many top intents differ. Used by
tests/test_nlu_project.py.
"""

import json
import sys
from pathlib import Path

from rasa.core.agent import Agent
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
    CountVectorsFeaturizer,
)
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

agent = Agent.load(sys.argv[1])
components = {
    type(node._component).__name__: node._component
    for node in agent.processor.graph_runner._instantiated_nodes.values()
}
tokenizer = components["SimplifiedJiebaTokenizer"]
featurizer = components["SentenceCountVectorsFeaturizer"]
classifier = components["TfidfLogisticClassifier"]


def counts(message: Message) -> dict[int, int]:
    sentence = message.get_sparse_features(TEXT)[1]
    matrix = sentence.features.tocoo() if sentence is not None else None
    if matrix is None:
        return {}
    return dict(zip(matrix.col.tolist(), matrix.data.tolist(), strict=True))


lines = Path(sys.argv[2]).read_text("utf-8").splitlines()
texts = [json.loads(line)["text"] for line in lines] + ["工资😀", "a" * 3000]
# no n-gram at all: sklearn refuses such a message, ours answers from the intercepts
blank_message = featurizer.process(tokenizer.process([Message(data={"text": " "})]))
blank = classifier.predict_proba(blank_message)
other_counts, largest, top_differs = 0, 0.0, 0
for text in texts:
    ours = featurizer.process(tokenizer.process([Message(data={"text": text})]))
    theirs = tokenizer.process([Message(data={"text": text})])
    CountVectorsFeaturizer.process(featurizer, theirs)
    other_counts += int(counts(ours[0]) != counts(theirs[0]))
    mine = classifier.predict_proba(ours)
    sklearn = classifier.clf.predict_proba(classifier._create_X(theirs))
    largest = max(largest, float(abs(mine - sklearn).max()))
    top_differs += int(mine.argmax() != sklearn.argmax())
report = {
    "messages": len(texts),
    "other_counts": other_counts,
    "largest_difference": largest,
    "top_differs": top_differs,
    "blank_sums_to": float(blank.sum()),
}
print(json.dumps(report))
