"""A thin client for the Rasa HTTP server, with a rule-based fallback when Rasa is down.

Rasa runs as its own process (its own Python 3.10 virtualenv); we only speak HTTP to it.
Every call is bounded by a short timeout, because the webhook must answer WeChat within 5 s.
"""

from __future__ import annotations

import itertools
import logging
import threading
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import requests
from flask import Flask

from nlu import rules
from nlu.guard import recall_first
from nlu.normalise import extract_entities, to_simplified
from nlu.types import FALLBACK_INTENT, Entity, ParseResult

log = logging.getLogger(__name__)

CHINA = ZoneInfo("Asia/Shanghai")

# Entities Rasa may add whose value is the text itself; numbers and dates come from our
# normalisers. Not person_name: Rasa tags bosses' names too, and the complainant's name
# must be right, so it comes only from "我叫..." or a direct answer.
TEXT_ENTITIES = ("employer", "site", "work_type")


def china_today() -> date:
    """Today's date in China, which relative dates ("去年10月") are read against."""
    return datetime.now(CHINA).date()


class RasaClient:
    """Parses messages through ``POST /model/parse``; falls back to rules on any failure.

    ``url`` may list several Rasa replicas separated by commas (each serves one request at
    a time): calls are spread over them in turn, and a replica that fails is skipped for
    the next one before the rules take over.
    """

    def __init__(self, url: str, token: str | None = None, timeout: float = 1.5) -> None:
        self.urls = [part.strip().rstrip("/") for part in url.split(",") if part.strip()]
        self.token = token
        self.timeout = timeout
        self._local = threading.local()
        self._turn = itertools.count()

    def parse(self, text: str) -> ParseResult:
        """Understand one message; never raises for a Rasa fault."""
        simplified = to_simplified(text)
        first = next(self._turn)
        for offset in range(len(self.urls)):
            url = self.urls[(first + offset) % len(self.urls)]
            try:
                return _from_rasa(text, simplified, self._post_parse(url, simplified))
            except (requests.RequestException, ValueError) as exc:
                log.warning("rasa at %s unavailable: %s", url, type(exc).__name__)
        return rule_parse(text)

    def is_up(self) -> bool:
        """True when every Rasa replica answers its health check."""
        try:
            return all(self._session().get(url + "/", timeout=self.timeout).ok for url in self.urls)
        except requests.RequestException:
            return False

    def _post_parse(self, url: str, text: str) -> dict[str, Any]:
        params = {"token": self.token} if self.token else None
        response = self._session().post(
            url + "/model/parse", json={"text": text}, params=params, timeout=self.timeout
        )
        response.raise_for_status()
        body = response.json()
        if not isinstance(body, dict) or not isinstance(body.get("intent"), dict):
            raise ValueError("unexpected answer from rasa")
        return body

    def _session(self) -> requests.Session:
        # requests.Session is not documented as thread-safe: one per thread.
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
        return session


def rule_parse(text: str) -> ParseResult:
    """The degraded-mode parse: keyword rules for the intent, normalisers for entities."""
    intent, confidence = rules.classify(to_simplified(text))
    return ParseResult(
        text=text,
        intent=intent,
        confidence=confidence,
        entities=tuple(extract_entities(text, china_today())),
        source="rules",
    )


def _from_rasa(text: str, simplified: str, body: dict[str, Any]) -> ParseResult:
    ranking = tuple(
        (str(item["name"]), float(item["confidence"]))
        for item in body.get("intent_ranking") or []
        if isinstance(item, dict) and "name" in item
    )
    intent = body["intent"]
    name, confidence = recall_first(
        str(intent.get("name") or FALLBACK_INTENT),
        float(intent.get("confidence") or 0.0),
        simplified,
    )
    return ParseResult(
        text=text,
        intent=name,
        confidence=confidence,
        entities=_merge_entities(simplified, body.get("entities") or []),
        source="rasa",
        ranking=ranking,
    )


def _merge_entities(text: str, rasa_entities: list[Any]) -> tuple[Entity, ...]:
    """Our normalisers' entities, plus text entities that only Rasa found."""
    found = list(extract_entities(text, china_today()))
    names = {entity.name for entity in found}
    taken = [(e.start, e.end) for e in found if e.start is not None and e.end is not None]
    for item in rasa_entities:
        if not isinstance(item, dict) or item.get("entity") not in TEXT_ENTITIES:
            continue
        if item["entity"] in names or not item.get("value") or _overlaps(item, taken):
            continue
        value = str(item["value"])
        found.append(Entity(item["entity"], value, value, item.get("start"), item.get("end")))
        names.add(item["entity"])
    return tuple(found)


def _overlaps(item: dict[str, Any], spans: list[tuple[int, int]]) -> bool:
    start, end = item.get("start"), item.get("end")
    if not isinstance(start, int) or not isinstance(end, int):
        return False
    return any(start < other_end and other_start < end for other_start, other_end in spans)


def init_app(app: Flask) -> None:
    """Keep a client for ``RASA_URL`` in ``app.extensions["nlu"]`` (no network here)."""
    app.extensions["nlu"] = RasaClient(
        app.config["RASA_URL"], app.config.get("RASA_TOKEN"), float(app.config["RASA_TIMEOUT"])
    )
