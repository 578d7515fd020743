"""Commands for people: talk to the bot as WeChat would, and read a stored transcript."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from urllib.parse import urlsplit, urlunsplit

import click
import requests
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from jobs.messages import delivery_of
from models import Message, Worker
from models.db import get_session
from webhooks.simulator import Push, WeChatSimulator

HELP = "输入消息后回车。特殊命令：/关注  /扫码 工地编号  /图片  /语音  /位置  /退出"


@click.command("chat")
@click.option("--openid", default=None, help="Worker OpenID to use (default: a new one).")
@click.option("--encrypted", is_flag=True, help="Use safe (AES) mode.")
@click.option(
    "--url",
    default=None,
    help="POST to a running server instead of in-process: its base URL "
    "(http://127.0.0.1:8000) or the webhook's (…/wechat).",
)
@with_appcontext
def chat_command(openid: str | None, encrypted: bool, url: str | None) -> None:
    """Talk to the bot from the terminal with properly signed WeChat XML."""
    config = current_app.config
    simulator = WeChatSimulator(
        config["WECHAT_TOKEN"],
        config["WECHAT_APPID"],
        config["WECHAT_ENCODING_AES_KEY"],
        encrypted=encrypted,
    )
    if openid:
        simulator.openid = openid
    send = _sender(current_app._get_current_object(), url)  # type: ignore[attr-defined]
    click.echo(f"OpenID: {simulator.openid}  ({'安全模式' if encrypted else '明文模式'})\n{HELP}")
    for line in sys.stdin if not sys.stdin.isatty() else iter(lambda: input("你> "), None):
        line = line.strip()
        if not line:
            continue
        if line in ("/退出", "/quit"):
            break
        status, body = send(simulator.push(_xml_for(simulator, line)))
        if status != 200:
            click.echo(f"[HTTP {status}] {body.decode('utf-8', 'replace')}")
            continue
        click.echo("安薪> " + (simulator.read_reply(body) or "（没有即时回复）"))


def _xml_for(simulator: WeChatSimulator, line: str) -> str:
    if line == "/关注":
        return simulator.event("subscribe")
    if line.startswith("/扫码"):
        return simulator.event("SCAN", line.removeprefix("/扫码").strip())
    if line == "/图片":
        return simulator.media("image", "sim-image", PicUrl="http://example.invalid/p.jpg")
    if line == "/语音":
        return simulator.media("voice", "sim-voice", Format="amr")
    if line == "/位置":
        return simulator.location("31.77", "119.95", "钟楼区工地")
    return simulator.text(line)


def webhook_url(url: str) -> str:
    """The webhook's address from a server's base URL (or the webhook's own, kept as is)."""
    parts = urlsplit(url if "://" in url else "http://" + url)
    path = parts.path.rstrip("/")
    if not path.endswith("/wechat"):
        path += "/wechat"
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def _sender(app: Flask, url: str | None) -> Callable[[Push], tuple[int, bytes]]:
    if url:
        url = webhook_url(url)

        def over_http(push: Push) -> tuple[int, bytes]:
            response = requests.post(url, params=push.args, data=push.body, timeout=10)
            return response.status_code, response.content

        return over_http

    client = app.test_client()

    def in_process(push: Push) -> tuple[int, bytes]:
        response = client.post("/wechat", query_string=push.args, data=push.body)
        return response.status_code, response.data

    return in_process


@click.command("transcript")
@click.argument("openid")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@with_appcontext
def transcript_command(openid: str, as_json: bool) -> None:
    """Print the stored transcript of one worker, oldest first."""
    rows = (
        get_session()
        .scalars(select(Message).join(Worker).where(Worker.openid == openid).order_by(Message.id))
        .all()
    )
    items = [transcript_item(row) for row in rows]
    if as_json:
        click.echo(json.dumps(items, ensure_ascii=False, indent=2))
        return
    for item in items:
        arrow = "→" if item["direction"] == "in" else "←"
        click.echo(f"{item['created_at']} {arrow} [{item['msg_type']}] {item['content'] or ''}")


def transcript_item(message: Message) -> dict[str, object]:
    """One transcript entry as plain JSON-able data."""
    return {
        "direction": message.direction,
        "msg_type": message.msg_type,
        "content": message.content,
        "event": message.event,
        "event_key": message.event_key,
        "media_id": message.media_id,
        "intent": message.intent,
        "confidence": message.confidence,
        "created_at": message.created_at.isoformat(),
        **delivery_of(message),  # outbound: its channel and delivery result
    }
