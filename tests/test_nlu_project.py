"""The Rasa project is valid, and the NLU is measured on the held-out set."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from flask.testing import FlaskCliRunner

from nlu.cli import reliability_table
from nlu.training import PROJECT, RASA, ensure_model, fingerprint, inputs

EVAL = Path(__file__).resolve().parent.parent / "nlu" / "eval"
HELDOUT = EVAL / "heldout.jsonl"


@pytest.mark.parametrize("name", ["heldout.jsonl", "dev.jsonl"])
def test_evaluation_messages_are_never_training_examples(name: str) -> None:
    """Stock phrases ("谢谢", "取消") occur in both; no real message may."""
    training = "\n".join(p.read_text("utf-8") for p in inputs() if p.suffix == ".yml")
    texts = [json.loads(line)["text"] for line in (EVAL / name).read_text("utf-8").splitlines()]
    leaked = [text for text in texts if len(text) >= 5 and f"- {text}\n" in training]
    assert leaked == []


def test_the_fingerprint_follows_the_data(tmp_path: Path) -> None:
    before = fingerprint()
    extra = PROJECT / "data" / "zz_fingerprint_probe.yml"
    extra.write_text('version: "3.1"\nnlu: []\n', "utf-8")
    try:
        assert fingerprint() != before
    finally:
        extra.unlink()
    assert fingerprint() == before


def in_rasa_project(*command: str) -> subprocess.CompletedProcess[str]:
    """Run a command of the Rasa virtualenv in the Rasa project, as Rasa itself runs there."""
    return subprocess.run(
        command,
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(PROJECT), "RASA_TELEMETRY_ENABLED": "false"},
    )


@pytest.mark.rasa
def test_rasa_data_validate_is_clean() -> None:
    result = in_rasa_project(str(RASA), "data", "validate", "--fail-on-warnings")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]


@pytest.mark.rasa
def test_the_parse_shortcuts_give_rasa_s_and_sklearn_s_numbers() -> None:
    """anxin_featurizer counts n-grams and anxin_intents works the probabilities out without
    sklearn (a parse's CPU more than halved); on the trained model, message by message, the
    counts must be Rasa's and the probabilities sklearn's."""
    script = Path(__file__).resolve().parent / "rasa_fast_path_check.py"
    result = in_rasa_project(
        str(RASA.parent / "python"), str(script), str(ensure_model()), str(HELDOUT)
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout.splitlines()[-1])
    assert report["messages"] > 300
    assert report["other_counts"] == 0 and abs(report["blank_sums_to"] - 1) < 1e-9
    assert report["largest_difference"] < 1e-9 and report["top_differs"] == 0


def test_degraded_mode_keeps_the_key_intents_working(runner: FlaskCliRunner) -> None:
    """With Rasa down, the rule-based classifier answers (measured through `flask nlu eval`)."""
    report = json.loads(runner.invoke(args=["nlu", "eval", str(HELDOUT), "--json"]).output)
    recall = {name: scores["recall"] for name, scores in report["per_intent"].items()}
    assert len(report["predictions"]) == len(HELDOUT.read_text("utf-8").splitlines())
    assert recall["report_arrears"] >= 0.85 and recall["cancel"] >= 0.7
    assert recall["request_human"] >= 0.7 and recall["query_status"] >= 0.55


def test_the_reliability_table_counts_accuracy_per_confidence_bucket() -> None:
    predictions = [
        {"expected": "thank", "predicted": "thank", "confidence": 0.95},
        {"expected": "thank", "predicted": "greet", "confidence": 0.92},
        {"expected": "greet", "predicted": "greet", "confidence": 1.0},
        {"expected": "deny", "predicted": "affirm", "confidence": 0.25},
    ]
    table = {(b["from"], b["to"]): b for b in reliability_table(predictions)}
    top = table[(0.9, 1.0)]
    assert top["count"] == 3 and top["accuracy"] == round(2 / 3, 4)
    assert table[(0.0, 0.3)]["accuracy"] == 0.0
    assert table[(0.5, 0.6)] == {
        "from": 0.5,
        "to": 0.6,
        "count": 0,
        "accuracy": None,
        "mean_confidence": None,
    }
    assert sum(b["count"] for b in table.values()) == len(predictions)


FRAGMENTS_CHECK = """
import json
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from anxin_fragments import StoryFragments

def example(text, intent):
    return Message(data={"text": text, "intent": intent})

data = TrainingData(training_examples=[
    example("我们在城东工地干了半年。工头说腊月一起结，后来电话都不接了！", "report_arrears"),
    example("工头说腊月一起结，后来电话都不接了！", "report_arrears"),
    example("老板欠我三千块", "report_arrears"),
    example("搬钢管时砸伤了脚。厂里不给报工伤，让我自己去看病。", "other_labour"),
    example("我去劳动局投诉过了。两个月了还没有任何消息。", "query_status"),
    example(
        "尊敬的领导，您辛苦了。我们四位工友在城东工地干了半年，工钱一分没见。先在这里谢谢各位领导了！",
        "report_arrears",
    ),
])
config = StoryFragments.get_default_config()
out = StoryFragments(config).process_training_data(data)
pairs = [[m.get("text"), m.get("intent")] for m in out.training_examples]
print(json.dumps(pairs, ensure_ascii=False))
"""


@pytest.mark.rasa
def test_story_sentences_are_taught_as_their_story_s_intent() -> None:
    """anxin_fragments adds each sentence of a complaint or labour story once, as that
    story's intent; one-sentence examples, status questions, thanks, salutations and
    sentences already taught are left alone."""
    result = in_rasa_project(str(RASA.parent / "python"), "-c", FRAGMENTS_CHECK)
    assert result.returncode == 0, result.stderr[-2000:]
    examples = [tuple(pair) for pair in json.loads(result.stdout.splitlines()[-1])]
    assert examples[6:] == [
        ("我们在城东工地干了半年。", "report_arrears"),
        ("搬钢管时砸伤了脚。", "other_labour"),
        ("厂里不给报工伤，让我自己去看病。", "other_labour"),
        ("我们四位工友在城东工地干了半年，工钱一分没见。", "report_arrears"),
    ]
    assert len(examples) == 10
