"""Scripted worker personas played through the real webhook, for tests and benchmarks.

Each persona (``tests/personas.json``) is a list of messages and the values the stored
complaint must have. A persona succeeds when its last message confirms a complaint and
every expected value matches.
"""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import select

from console.cli import complaint_json
from models import Complaint, Site, Worker
from models.db import get_session
from webhooks.simulator import WeChatSimulator

PERSONAS = Path(__file__).resolve().parent.parent / "tests" / "personas.json"
#: Expected values compared as substrings (workers write names in many ways).
SUBSTRING_KEYS = {"employer", "project_name"}


@dataclass
class Result:
    """How one persona went."""

    name: str
    turns: int
    confirmed: bool
    mismatches: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    transcript: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Confirmed, with every expected value right."""
        return self.confirmed and not self.mismatches


def load_personas(path: Path = PERSONAS) -> list[dict[str, Any]]:
    """The scripted personas."""
    personas: list[dict[str, Any]] = json.loads(path.read_text("utf-8"))
    return personas


def run_persona(app: Flask, persona: dict[str, Any]) -> Result:
    """Play one persona through ``POST /wechat`` and check its stored complaint."""
    client = app.test_client()
    sim = WeChatSimulator(
        app.config["WECHAT_TOKEN"],
        app.config["WECHAT_APPID"],
        app.config["WECHAT_ENCODING_AES_KEY"],
    )
    if persona.get("SITE"):
        _register_site(app, persona["SITE"])
        _send(client, sim, sim.event("SCAN", persona["SITE"]["code"]))
    if persona.get("EVENT"):
        _send(client, sim, sim.event(persona["EVENT"]))
    result = Result(persona["name"], 0, False)
    for text in persona["messages"]:
        reply = _send(client, sim, sim.text(text))
        result.turns += 1
        result.transcript.append((text, reply))
        if "提交成功" in reply:
            result.confirmed = True
            break
    if result.confirmed:
        result.mismatches = _compare(app, sim.openid, persona["expect"])
    return result


def summary(results: list[Result]) -> dict[str, Any]:
    """Success rate and turns to a confirmed complaint."""
    confirmed = [r.turns for r in results if r.ok]
    return {
        "personas": len(results),
        "succeeded": sum(r.ok for r in results),
        "success_rate": round(sum(r.ok for r in results) / len(results), 3) if results else 0.0,
        "median_turns": statistics.median(confirmed) if confirmed else None,
        "max_turns": max(confirmed) if confirmed else None,
        "failed": [r.name for r in results if not r.ok],
    }


def _send(client: Any, sim: WeChatSimulator, xml: str) -> str:
    push = sim.push(xml)
    response = client.post("/wechat", query_string=push.args, data=push.body)
    return sim.read_reply(response.data) or ""


def _compare(app: Flask, openid: str, expect: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    with app.app_context():
        session = get_session()
        complaint = session.scalar(
            select(Complaint)
            .join(Worker)
            .where(Worker.openid == openid)
            .order_by(Complaint.id.desc())
        )
        if complaint is None:
            return {"complaint": ("stored", None)}
        stored = complaint_json(session, complaint)
    mismatches = {}
    for key, wanted in expect.items():
        got = stored.get(key)
        same = wanted in (got or "") if key in SUBSTRING_KEYS else got == wanted
        if not same:
            mismatches[key] = (wanted, got)
    return mismatches


def _register_site(app: Flask, facts: dict[str, str]) -> None:
    with app.app_context():
        session = get_session()
        if session.scalar(select(Site).where(Site.code == facts["code"])) is None:
            session.add(Site(**facts))
            session.commit()
