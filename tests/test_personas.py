"""The dialogue issue's measure: scripted personas through the webhook with the real Rasa."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from flask import Flask

from devtools.personas import load_personas, run_persona, summary
from nlu.client import RasaClient

PERSONAS = load_personas()
#: The day the personas' expected dates are written against ("去年10月" is October 2025).
DAY = date(2026, 11, 26)


@pytest.fixture(autouse=True)
def conversation_day(monkeypatch: pytest.MonkeyPatch) -> None:
    """First messages (the NLU) and form answers (the bot) read dates against DAY."""
    monkeypatch.setattr("nlu.client.china_today", lambda: DAY)
    monkeypatch.setattr("bot.service.utcnow", lambda: datetime(2026, 11, 26, 2, 0, tzinfo=UTC))


def test_there_are_at_least_twenty_varied_personas() -> None:
    assert len(PERSONAS) >= 20
    assert len({p["messages"][0] for p in PERSONAS}) == len(PERSONAS)


@pytest.mark.rasa
@pytest.mark.parametrize("persona", PERSONAS, ids=[p["name"] for p in PERSONAS])
def test_persona_reaches_a_confirmed_complaint_with_the_right_values(
    app: Flask, rasa_url: str, persona: dict
) -> None:  # type: ignore[type-arg]
    app.extensions["nlu"] = RasaClient(rasa_url, timeout=5)
    result = run_persona(app, persona)
    assert result.confirmed, result.transcript
    assert result.mismatches == {}, result.transcript


def test_personas_with_the_rule_based_nlu_alone(app: Flask) -> None:
    """Degraded mode (Rasa down): most personas must still get through."""
    results = [run_persona(app, persona) for persona in PERSONAS]
    figures = summary(results)
    assert figures["success_rate"] >= 0.8, figures
