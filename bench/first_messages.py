"""What a worker's first message leads to, sent through ``/wechat`` with the real Rasa.

Each message of a JSONL file ({"text", "intent"}, as for ``flask nlu eval``) is sent as the
first message of a new follower, on a fresh embedded database. What the bot did is read from
the stored conversation state, not from the reply text:

- ``form``: the complaint form is open (with the message's facts);
- ``offer``: the one-tap question "您是要反映欠薪吗?回复1登记" waits for the answer;
- ``menu``: the menu, whose option 1 starts a complaint;
- ``answer``: anything else (an FAQ answer without the offer, thanks, a status answer).

It prints, per expected intent, the share of each outcome, then the two figures of issue 13:
complaints that open the form or the one-tap offer (target >= 95%), and thanks, greetings
and questions that open a form (target <= 10%).

    .venv/bin/python bench/first_messages.py FILE [--rasa-url URL] [--json] [--verbose]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter, defaultdict
from contextlib import ExitStack
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask import Flask  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import select  # noqa: E402

from app import create_app  # noqa: E402
from models import ConversationState, Worker  # noqa: E402
from models.db import get_session  # noqa: E402
from nlu.server import running_rasa  # noqa: E402
from webhooks.simulator import WeChatSimulator  # noqa: E402

OUTCOMES = ("form", "offer", "menu", "answer")
#: Messages that must never open a form by themselves.
NOT_COMPLAINTS = ("thank", "greet", "ask_policy", "goodbye")


def outcome_of(state: dict[str, Any]) -> str:
    """Which of OUTCOMES a conversation state shows after the first message."""
    if "form" in state:
        return "form"
    offered = state.get("offered") or {}
    actions = offered.get("actions") or []
    if actions == ["report"]:
        return "offer"
    if actions and actions[0] == "report":
        return "menu"
    return "answer"


def first_message(app: Flask, text: str) -> str:
    """Send ``text`` as a new follower's first message; return what the bot did."""
    worker = WeChatSimulator(
        app.config["WECHAT_TOKEN"],
        app.config["WECHAT_APPID"],
        app.config["WECHAT_ENCODING_AES_KEY"],
    )
    push = worker.push(worker.text(text))
    response = app.test_client().post("/wechat", query_string=push.args, data=push.body)
    if response.status_code != 200:
        raise SystemExit(f"/wechat answered {response.status_code} to {text[:40]!r}")
    with app.app_context():
        session = get_session()
        state = session.scalar(
            select(ConversationState.state)
            .join(Worker, Worker.id == ConversationState.worker_id)
            .where(Worker.openid == worker.openid)
        )
    return outcome_of(state or {})


def run(path: Path, rasa_url: str, database: Path, verbose: bool = False) -> dict[str, Any]:
    """Play every message of ``path`` as a first message; count the outcomes per intent."""
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{database}",
            "RASA_URL": rasa_url,
            "RASA_TIMEOUT": 10.0,
            "LOG_LEVEL": "WARNING",
        }
    )
    with app.app_context():
        upgrade()
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for line in path.read_text("utf-8").splitlines():
        if line.strip():
            case = json.loads(line)
            outcome = first_message(app, case["text"])
            counts[case["intent"]][outcome] += 1
            if verbose:
                print(f"{case['intent']:>14} {outcome:6} {case['text'][:80]}", file=sys.stderr)
    app.extensions["jobs"].wait()
    return summary(counts)


def summary(counts: dict[str, Counter[str]]) -> dict[str, Any]:
    """Shares per intent and the two headline figures."""
    complaints = counts.get("report_arrears", Counter())
    others = sum((counts.get(i, Counter()) for i in NOT_COMPLAINTS), Counter())
    n_complaints, n_others = sum(complaints.values()), sum(others.values())
    return {
        "per_intent": {intent: dict(c) for intent, c in sorted(counts.items())},
        "complaints": n_complaints,
        "complaints_form_or_offer": (
            round((complaints["form"] + complaints["offer"]) / n_complaints, 4)
            if n_complaints
            else None
        ),
        "not_complaints": n_others,
        "not_complaints_form": round(others["form"] / n_others, 4) if n_others else None,
    }


def main() -> None:
    """Parse the arguments, start Rasa unless given, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--rasa-url", help="use these Rasa servers instead of starting one")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--verbose", action="store_true", help="each message's outcome on stderr")
    args = parser.parse_args()
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        rasa_url = args.rasa_url or stack.enter_context(running_rasa(folder / "rasa.log"))
        report = run(args.file, rasa_url, folder / "bench.sqlite", args.verbose)
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
        return
    for intent, shares in report["per_intent"].items():
        total = sum(shares.values())
        cells = "  ".join(f"{o} {shares.get(o, 0) / total:4.0%}" for o in OUTCOMES)
        print(f"{intent:15} n={total:4}  {cells}")
    print(f"complaints opening the form or the one-tap offer: {report['complaints_form_or_offer']}")
    print(f"thanks, greetings and questions opening a form: {report['not_complaints_form']}")


if __name__ == "__main__":
    main()
