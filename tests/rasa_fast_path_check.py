"""Run with the Rasa virtualenv, from nlu/rasa: compare the intent classifier's own
arithmetic with sklearn's ``predict_proba`` on the trained model, message by message.

    ../../.venv-rasa/bin/python ../../tests/rasa_fast_path_check.py MODEL TEXTS.jsonl

Prints one JSON object: how many messages, the largest difference in any probability and
how many top intents differ. Used by tests/test_nlu_project.py.
"""

import json
import sys
from pathlib import Path

from rasa.core.agent import Agent
from rasa.shared.nlu.training_data.message import Message

agent = Agent.load(sys.argv[1])
components = {
    type(node._component).__name__: node._component
    for node in agent.processor.graph_runner._instantiated_nodes.values()
}
tokenizer = components["SimplifiedJiebaTokenizer"]
featurizer = components["CountVectorsFeaturizer"]
classifier = components["TfidfLogisticClassifier"]
lines = Path(sys.argv[2]).read_text("utf-8").splitlines()
texts = [json.loads(line)["text"] for line in lines] + ["工资😀", "a" * 3000]
largest, top_differs = 0.0, 0
for text in texts:
    messages = featurizer.process(tokenizer.process([Message(data={"text": text})]))
    ours = classifier.predict_proba(messages)
    theirs = classifier.clf.predict_proba(classifier._create_X(messages))
    largest = max(largest, float(abs(ours - theirs).max()))
    top_differs += int(ours.argmax() != theirs.argmax())
report = {"messages": len(texts), "largest_difference": largest, "top_differs": top_differs}
print(json.dumps(report))
