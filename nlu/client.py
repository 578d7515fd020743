"""A thin client for the Rasa HTTP server, with a rule-based fallback when Rasa is down.

Rasa runs as its own process (its own Python 3.10 virtualenv); we only speak HTTP to it.
Every call is bounded by a short timeout, because the webhook must answer WeChat within 5 s.
Connections are pooled with urllib3 (what requests is built on): a call costs the caller
~0.35 ms of CPU instead of ~1.1 ms with ``requests`` (measured), which matters when the web
app and Rasa share two cores.
"""

from __future__ import annotations

import itertools
import json
import logging
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import urllib3
from flask import Flask
from urllib3.exceptions import HTTPError, ProtocolError

from cases.deadlines import china_today
from nlu import rules
from nlu.cache import ParseCache
from nlu.guard import recall_first
from nlu.normalise import cap_text, extract_entities, to_simplified
from nlu.types import FALLBACK_INTENT, ParseResult

log = logging.getLogger(__name__)


#: Cached answers are trusted for this long before the replica's model id is asked again
#: (``GET /status``), so a model swapped in under a running app is used within a minute.
MODEL_CHECK_SECONDS = 60.0
#: Connections kept per replica; the web app's threads beyond this open short-lived ones.
POOL_SIZE = 16
_JSON = {"Content-Type": "application/json"}
#: What a Rasa fault looks like from here: no answer, a broken one, or an HTTP error.
_FAULTS = (HTTPError, OSError, ValueError)


@dataclass
class _Replica:
    """One Rasa server: its connection pool and the id of the model it last said it serves."""

    url: str
    pool: urllib3.HTTPConnectionPool
    model: str | None = None
    checked: float = float("-inf")
    in_flight: int = 0


class RasaClient:
    """Parses messages through ``POST /model/parse``; falls back to rules on any failure.

    ``url`` may list several Rasa replicas separated by commas (each serves one request at
    a time): each call goes to the replica with the fewest calls in flight (in turn among
    equals), and a replica that fails is skipped for the next one before the rules take
    over. Answers to short texts are cached per model (``cache_size`` entries; 0 turns the
    cache off).
    """

    def __init__(
        self, url: str, token: str | None = None, timeout: float = 1.5, cache_size: int = 0
    ) -> None:
        self.urls = [part.strip().rstrip("/") for part in url.split(",") if part.strip()]
        self.token = token
        self.timeout = timeout
        self.cache = ParseCache(cache_size)
        self._replicas = [
            _Replica(u, urllib3.connection_from_url(u, maxsize=POOL_SIZE, retries=False))
            for u in self.urls
        ]
        self._turn = itertools.count()
        self._lock = threading.Lock()

    def parse(self, text: str) -> ParseResult:
        """Understand one message; never raises for a Rasa fault.

        Only the first ``MAX_TEXT_CHARS`` characters are classified: a story's point comes
        early, and the bound keeps one flood message from holding a Rasa replica.
        """
        simplified = to_simplified(cap_text(text))
        tried: list[_Replica] = []
        while (replica := self._least_busy(tried)) is not None:
            tried.append(replica)
            try:
                body = self._answer(replica, simplified)
            except _FAULTS as exc:
                replica.model, replica.checked = None, float("-inf")
                log.warning("rasa at %s unavailable: %s", replica.url, type(exc).__name__)
                continue
            finally:
                with self._lock:
                    replica.in_flight -= 1
            return _from_rasa(text, simplified, body)
        return rule_parse(text)

    def _least_busy(self, tried: list[_Replica]) -> _Replica | None:
        """The untried replica with the fewest calls in flight, now counted as one more.

        A replica parses one message at a time, so a call sent to a busy one waits behind
        it while another may be idle: this keeps the queues (and the tail latency) short.
        """
        with self._lock:
            left = [r for r in self._replicas if r not in tried]
            if not left:
                return None
            start = next(self._turn)
            ordered = [left[(start + i) % len(left)] for i in range(len(left))]
            chosen = min(ordered, key=lambda r: r.in_flight)
            chosen.in_flight += 1
            return chosen

    def is_up(self) -> bool:
        """True when every Rasa replica answers its health check."""
        try:
            return all(self._get(replica, "/").status == 200 for replica in self._replicas)
        except _FAULTS:
            return False

    def _post_parse(self, replica: _Replica, text: str) -> dict[str, Any]:
        payload = json.dumps({"text": text}).encode()
        try:
            response = self._request(replica, "POST", "/model/parse", payload)
        except ProtocolError:
            # A kept-alive connection the server had just closed: once more on a fresh one.
            response = self._request(replica, "POST", "/model/parse", payload)
        if response.status != 200:
            raise ValueError(f"rasa answered HTTP {response.status}")
        body = json.loads(response.data)
        if not isinstance(body, dict) or not isinstance(body.get("intent"), dict):
            raise ValueError("unexpected answer from rasa")
        return body

    def _answer(self, replica: _Replica, text: str) -> dict[str, Any]:
        """Rasa's answer from the cache when this replica's model gave it, else a parse."""
        model = self._model(replica) if self.cache.accepts(text) else None
        body = self.cache.get(model, text) if model else None
        if body is None:
            body = self._post_parse(replica, text)
            if model:
                self.cache.put(model, text, body)
        return body

    def _model(self, replica: _Replica) -> str | None:
        """The id of the model ``replica`` serves, asked again every ``MODEL_CHECK_SECONDS``.

        A replica that cannot say which model it serves is treated as down (raises).
        """
        now = time.monotonic()
        if now - replica.checked >= MODEL_CHECK_SECONDS:
            response = self._get(replica, "/status")
            body = json.loads(response.data) if response.status == 200 else None
            if not isinstance(body, dict):
                raise ValueError("rasa did not say which model it serves")
            replica.model = str(body.get("model_id") or "") or None
            replica.checked = now
        return replica.model

    def _get(self, replica: _Replica, path: str) -> urllib3.BaseHTTPResponse:
        return self._request(replica, "GET", path, None)

    def _request(
        self, replica: _Replica, method: str, path: str, payload: bytes | None
    ) -> urllib3.BaseHTTPResponse:
        if self.token:
            path += "?" + urlencode({"token": self.token})
        return replica.pool.urlopen(
            method,
            path,
            body=payload,
            headers=_JSON if payload is not None else None,
            retries=False,
            timeout=urllib3.Timeout(total=self.timeout),
        )


def rule_parse(text: str) -> ParseResult:
    """The degraded-mode parse: keyword rules for the intent, normalisers for entities."""
    intent, confidence = rules.classify(to_simplified(cap_text(text)))
    return ParseResult(
        text=text,
        intent=intent,
        confidence=confidence,
        entities=tuple(extract_entities(text, china_today())),
        source="rules",
    )


def _from_rasa(text: str, simplified: str, body: dict[str, Any]) -> ParseResult:
    """Rasa's intent and ranking (after the recall guard), with our normalisers' entities.

    Rasa's pipeline classifies intents only: every entity comes from ``nlu/normalise``,
    which gives exact values.
    """
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
        entities=tuple(extract_entities(text, china_today())),
        source="rasa",
        ranking=ranking,
    )


def init_app(app: Flask) -> None:
    """Keep a client for ``RASA_URL`` in ``app.extensions["nlu"]`` (no network here)."""
    app.extensions["nlu"] = RasaClient(
        app.config["RASA_URL"],
        app.config.get("RASA_TOKEN"),
        float(app.config["RASA_TIMEOUT"]),
        cache_size=int(app.config["NLU_CACHE_SIZE"]),
    )
