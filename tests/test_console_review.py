"""Learning from conversations: the review queue and ``flask nlu export-reviewed``."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from models import Message, MessageReview, Worker
from models.db import get_session
from tests.console_fixtures import add_staff, csrf_token, login


def add_messages(app: Flask) -> dict[str, int]:
    """One confident, one low-confidence and one fallback inbound message; ids by text."""
    rows = [
        ("老板欠我三万", "report_arrears", 0.95),
        ("那个钱啥时候给", "query_status", 0.41),
        ("俺们那活干完了\n钱没见着", "nlu_fallback", 0.3),
    ]
    with app.app_context():
        session = get_session()
        worker = Worker(openid="o_review")
        session.add(worker)
        session.flush()
        messages = [
            Message(
                worker_id=worker.id,
                direction="in",
                msg_type="text",
                content=text,
                intent=intent,
                confidence=confidence,
                nlu_source="rasa",
            )
            for text, intent, confidence in rows
        ]
        session.add_all(messages)
        session.commit()
        return {m.content or "": m.id for m in messages}


def test_review_queue_lists_unsure_messages_and_stores_labels(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    ids = add_messages(app)
    add_staff(app, "li", "hotline")
    login(client, "li")
    page = client.get("/console/review").get_data(as_text=True)
    assert "那个钱啥时候给" in page and "俺们那活干完了" in page and "老板欠我三万" not in page
    for text, intent in (
        ("那个钱啥时候给", "query_status"),
        ("俺们那活干完了\n钱没见着", "report_arrears"),
    ):
        token = csrf_token(client, "/console/review")
        client.post(
            "/console/review",
            data={"csrf_token": token, "message_id": str(ids[text]), "intent": intent},
        )
    assert "没有待审核的消息" in client.get("/console/review").get_data(as_text=True)
    with app.app_context():
        labels = get_session().scalars(select(MessageReview.intent)).all()
        assert sorted(labels) == ["query_status", "report_arrears"]
    out = tmp_path / "reviewed.yml"
    result = runner.invoke(args=["nlu", "export-reviewed", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == (
        'version: "3.1"\n'
        "nlu:\n"
        "- intent: query_status\n"
        "  examples: |\n"
        "    - 那个钱啥时候给\n"
        "- intent: report_arrears\n"
        "  examples: |\n"
        "    - 俺们那活干完了 钱没见着\n"
    )


def test_review_refuses_unknown_intents(app: Flask, client: FlaskClient) -> None:
    ids = add_messages(app)
    add_staff(app, "li", "hotline")
    login(client, "li")
    token = csrf_token(client, "/console/review")
    page = client.post(
        "/console/review",
        data={"csrf_token": token, "message_id": str(ids["那个钱啥时候给"]), "intent": "bribe"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "请选择意图" in page
    with app.app_context():
        assert get_session().scalar(select(MessageReview)) is None


def test_export_with_nothing_reviewed_is_still_valid(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "r.yml"
    result = runner.invoke(args=["nlu", "export-reviewed", "--out", str(out)])
    assert result.exit_code == 0 and "0 条" in result.output
    assert out.read_text(encoding="utf-8") == 'version: "3.1"\nnlu:\n'
