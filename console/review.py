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

#: Short answers to the form's questions: a number picked from a list, yes, no, OK. When the
#: form understood one, there is nothing for the NLU to learn from it.
TRIVIAL_WORDS = frozenset(
    ("好", "对", "是", "嗯", "行", "有", "要", "可以", "好的", "对的", "是的", "嗯嗯")
    + ("没有", "不是", "不对", "不用", "没了", "确认", "ok")
)
#: Words of the bot's replies that mean it did not understand the answer (bot/texts.py's
#: hints); a trivial answer with such a reply is still worth a look.
_NOT_UNDERSTOOD = ("没看懂", "好像不对", "没听懂", "没明白")
_PUNCTUATION = str.maketrans("", "", " \t\n。，,.!！?？~～、")


def is_trivial(text: str | None) -> bool:
    """True for an answer like "1", "好", "对": a menu number or a bare yes/no."""
    bare = (text or "").translate(_PUNCTUATION).casefold()
    return (bare.isdecimal() and len(bare) <= 2) or bare in TRIVIAL_WORDS


def review_queue(session: Session, threshold: float, limit: int = 200) -> list[Message]:
    """Inbound texts the NLU was unsure of (low confidence or fallback), not yet reviewed.

    Trivial answers the form understood are left out: their reply is not a re-ask.
    """
    reviewed = select(MessageReview.message_id)
    candidates = list(
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
            .limit(limit * 2)  # room for the trivial ones dropped below
        )
    )
    understood = _understood(session, [m.id for m in candidates if is_trivial(m.content)])
    return [m for m in candidates if m.id not in understood][:limit]


def _understood(session: Session, ids: list[int]) -> set[int]:
    """Of the messages ``ids``, those the bot answered without a re-ask."""
    if not ids:
        return set()
    replies = session.scalars(
        select(Message).where(Message.reply_to_id.in_(ids), Message.direction == "out")
    )
    return {
        r.reply_to_id
        for r in replies
        if r.reply_to_id is not None
        and not any(word in (r.content or "") for word in _NOT_UNDERSTOOD)
    }


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
