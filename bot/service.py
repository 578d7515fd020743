"""Runs one dialogue step for a stored inbound message and records what came of it.

The caller (the webhook, the CLI, a test) owns the session and decides when to commit.
"""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.dialogue import Incoming, step
from models import ConversationState, Message
from nlu.types import ParseResult


class Parser(Protocol):
    """Anything that turns text into a :class:`ParseResult` (the NLU client, a test double)."""

    def parse(self, text: str) -> ParseResult:
        """Parse one message."""
        ...


def handle_message(session: Session, message: Message, parser: Parser) -> str | None:
    """Answer a stored inbound message; return the reply text (None: nothing to say)."""
    parse = _understand(message, parser)
    conversation = _conversation(session, message.worker_id)
    turn = step(dict(conversation.state), _incoming(message), parse)
    conversation.state = turn.state
    message.status = "handled"
    reply = "\n\n".join(turn.replies) or None
    if reply is not None:
        session.add(
            Message(
                worker_id=message.worker_id,
                direction="out",
                msg_type="text",
                content=reply,
                reply_to_id=message.id,
                status="passive",
            )
        )
    return reply


def _understand(message: Message, parser: Parser) -> ParseResult | None:
    if message.msg_type != "text" or not (message.content or "").strip():
        return None
    parse = parser.parse(message.content or "")
    message.intent, message.confidence = parse.intent, parse.confidence
    message.nlu_source = parse.source
    return parse


def _incoming(message: Message) -> Incoming:
    return Incoming(
        kind=message.msg_type,
        text=message.content or "",
        event=message.event,
        event_key=message.event_key,
    )


def _conversation(session: Session, worker_id: int) -> ConversationState:
    conversation = session.scalar(
        select(ConversationState).where(ConversationState.worker_id == worker_id)
    )
    if conversation is None:
        conversation = ConversationState(worker_id=worker_id, state={})
        session.add(conversation)
    return conversation
