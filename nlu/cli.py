"""``flask nlu ...``: look at what the NLU makes of a message, and measure it on a file."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, is_dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from nlu.types import ParseResult

nlu_cli = AppGroup("nlu", help="Inspect and evaluate the NLU.")


def init_app(app: Flask) -> None:
    """Register the ``flask nlu`` commands."""
    app.cli.add_command(nlu_cli)


@nlu_cli.command("parse")
@click.argument("text")
def parse_command(text: str) -> None:
    """Print the parse of TEXT (intent, confidence, normalised entities) as JSON."""
    result = current_app.extensions["nlu"].parse(text)
    click.echo(json.dumps(parse_as_json(result), ensure_ascii=False, indent=2))


@nlu_cli.command("eval")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def eval_command(path: Path, as_json: bool) -> None:
    """Parse every JSON line of PATH ({"text", "intent"}) and report accuracy per intent."""
    client = current_app.extensions["nlu"]
    cases = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    predictions = []
    for case in cases:
        result: ParseResult = client.parse(case["text"])
        predictions.append(
            {
                "text": case["text"],
                "expected": case["intent"],
                "predicted": result.intent,
                "confidence": round(result.confidence, 4),
            }
        )
    report = evaluate(predictions)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False))
        return
    click.echo(f"accuracy {report['accuracy']:.3f} on {len(predictions)} messages")
    for intent, scores in sorted(report["per_intent"].items()):
        click.echo(
            f"  {intent:15} P {scores['precision']:.2f} R {scores['recall']:.2f} "
            f"F1 {scores['f1']:.2f} n={scores['support']}"
        )
    click.echo("confidence   n     accuracy")
    for bucket in report["calibration"]:
        accuracy = "-" if bucket["accuracy"] is None else f"{bucket['accuracy']:.2f}"
        click.echo(f"  {bucket['from']:.1f}-{bucket['to']:.1f}  {bucket['count']:5} {accuracy:>8}")


def evaluate(predictions: list[dict[str, Any]]) -> dict[str, Any]:
    """Accuracy and per-intent precision, recall, F1 and support of a list of predictions."""
    expected = Counter(p["expected"] for p in predictions)
    predicted = Counter(p["predicted"] for p in predictions)
    correct = Counter(p["expected"] for p in predictions if p["expected"] == p["predicted"])
    per_intent = {}
    for intent in sorted(expected.keys() | predicted.keys()):
        precision = correct[intent] / predicted[intent] if predicted[intent] else 0.0
        recall = correct[intent] / expected[intent] if expected[intent] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_intent[intent] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": expected[intent],
        }
    total = len(predictions)
    return {
        "accuracy": round(sum(correct.values()) / total, 4) if total else 0.0,
        "per_intent": per_intent,
        "calibration": reliability_table(predictions),
        "predictions": predictions,
    }


#: Confidence buckets of the reliability table; the last includes 1.0.
BUCKETS = (0.0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)


def reliability_table(predictions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Accuracy per confidence bucket: a calibrated NLU is right about as often as it says.

    Each bucket is ``{"from", "to", "count", "accuracy", "mean_confidence"}``; accuracy and
    mean confidence are None for an empty bucket.
    """
    table = []
    for low, high in zip(BUCKETS, BUCKETS[1:], strict=False):
        last = high == BUCKETS[-1]
        rows = [
            p
            for p in predictions
            if low <= p["confidence"] < high or (last and p["confidence"] == high)
        ]
        right = sum(p["expected"] == p["predicted"] for p in rows)
        table.append(
            {
                "from": low,
                "to": high,
                "count": len(rows),
                "accuracy": round(right / len(rows), 4) if rows else None,
                "mean_confidence": (
                    round(sum(p["confidence"] for p in rows) / len(rows), 4) if rows else None
                ),
            }
        )
    return table


def parse_as_json(result: ParseResult) -> dict[str, Any]:
    """A parse as JSON-able data (decimals as strings, so no precision is lost)."""
    data: dict[str, Any] = _jsonable(asdict(result))  # a dict stays a dict
    return data


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(item) for item in value]
    if is_dataclass(value):
        return _jsonable(asdict(value))  # type: ignore[arg-type]
    return value
