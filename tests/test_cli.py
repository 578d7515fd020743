"""The tools for people: the terminal chat and the transcript export."""

from __future__ import annotations

import json

from flask.testing import FlaskCliRunner


def test_chat_sends_signed_messages_and_prints_chinese_replies(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["chat", "--openid", "o_cli"], input="/关注\n老板欠我工资\n/退出\n")
    assert result.exit_code == 0, result.output
    replies = [line for line in result.output.splitlines() if line.startswith("安薪> ")]
    assert len(replies) == 2
    assert "欢迎" in replies[0] and "欠薪" in result.output


def test_encrypted_chat_works_too(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["chat", "--encrypted"], input="你好\n")
    assert result.exit_code == 0 and "安全模式" in result.output
    assert "安薪> 您好" in result.output


def test_transcript_json_lists_both_directions_in_order(runner: FlaskCliRunner) -> None:
    runner.invoke(args=["chat", "--openid", "o_tr"], input="你好\n老板欠我三万块\n")
    result = runner.invoke(args=["transcript", "o_tr", "--json"])
    items = json.loads(result.output)
    assert [item["direction"] for item in items] == ["in", "out", "in", "out"]
    assert items[2]["content"] == "老板欠我三万块" and items[2]["msg_type"] == "text"
    assert items[2]["intent"] == "report_arrears"
    assert all({"direction", "msg_type", "content", "created_at"} <= item.keys() for item in items)


def test_transcript_of_unknown_worker_is_empty(runner: FlaskCliRunner) -> None:
    assert json.loads(runner.invoke(args=["transcript", "o_nobody", "--json"]).output) == []
