"""Learning from conversations: the review queue and ``flask nlu export-reviewed``."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import click
from flask import current_app
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from models import Message, MessageReview
from models.db import get_session
from nlu.cli import nlu_cli
from nlu.types import FALLBACK_INTENT


def review_queue(session: Session, threshold: float, limit: int = 200) -> list[Message]:
    """Inbound texts the NLU was unsure of (low confidence or fallback), not yet reviewed."""
    reviewed = select(MessageReview.message_id)
    return list(
        session.scalars(
            select(Message)
            .where(
                Message.direction == "in",
                Message.msg_type == "text",
                Message.content.is_not(None),
                or_(Message.intent == FALLBACK_INTENT, Message.confidence < threshold),
                Message.id.not_in(reviewed),
            )
            .order_by(Message.id.desc())
            .limit(limit)
        )
    )


def training_yaml(session: Session) -> str:
    """Reviewed messages as Rasa NLU training data (format 3.1), grouped by intent."""
    groups: defaultdict[str, list[str]] = defaultdict(list)
    rows = session.execute(
        select(MessageReview.intent, Message.content)
        .join(Message, Message.id == MessageReview.message_id)
        .order_by(MessageReview.intent, Message.id)
    )
    for intent, content in rows:
        # A literal block holds one example per line; newlines inside one would split it.
        text = " ".join((content or "").split())
        if text and text not in groups[intent]:
            groups[intent].append(text)
    lines = ['version: "3.1"', "nlu:"]
    for intent in sorted(groups):
        lines += [f"- intent: {intent}", "  examples: |"]
        lines += [f"    - {text}" for text in groups[intent]]
    return "\n".join(lines) + "\n"


@nlu_cli.command("export-reviewed")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Output file (default: nlu/rasa/data/reviewed.yml, read by the next `make nlu-train`).",
)
def export_reviewed_command(out: Path | None) -> None:
    """Write the intents staff chose in the review queue as Rasa NLU training data."""
    target = out or Path(current_app.root_path) / "nlu" / "rasa" / "data" / "reviewed.yml"
    session = get_session()
    text = training_yaml(session)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    count = sum(1 for line in text.splitlines() if line.startswith("    - "))
    click.echo(f"已写出 {count} 条已审核样本到 {target}")
