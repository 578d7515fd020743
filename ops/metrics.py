"""Prometheus metrics at ``/metrics``: requests, NLU parses, and the database's figures.

With several gunicorn worker processes each has its own counters; when the environment
variable ``PROMETHEUS_MULTIPROC_DIR`` names a writable, empty directory (set before the
process starts: prometheus_client reads it at import), the workers write their values
there and a scrape of any one of them sums all (prometheus_client's multiprocess mode).
"""

from __future__ import annotations

import hmac
import logging
import os
import time
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Flask, Response, abort, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

from nlu.types import FALLBACK_INTENT, ParseResult
from ops.collectors import DatabaseCollector

bp = Blueprint("ops_metrics", __name__)
#: One line per request (method, URL rule, status, time): an access log without paths'
#: personal parts or query strings.
request_log = logging.getLogger("anxin.request")

#: Seconds; the webhook must answer WeChat within 5 s.
REQUEST_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
#: Seconds; ``RASA_TIMEOUT`` is 1.5 s by default.
NLU_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 1.5, 2.5, 5.0)
#: Probes and scrapes come every few seconds: their request lines go to DEBUG.
QUIET_ROUTES = frozenset({"/healthz", "/readyz", "/metrics"})


@dataclass
class Metrics:
    """The app's metric objects and the registry a scrape reads (``app.extensions``)."""

    registry: CollectorRegistry
    database: DatabaseCollector
    requests: Counter
    request_seconds: Histogram
    parses: Counter
    parse_seconds: Histogram

    def scrape(self) -> bytes:
        """The text exposition of every metric (all workers' in multiprocess mode)."""
        if not multiprocess_dir():
            return generate_latest(self.registry)
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        registry.register(self.database)
        return generate_latest(registry)


def multiprocess_dir() -> str | None:
    """The multiprocess directory prometheus_client was started with, if any."""
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def make_metrics(app: Flask) -> Metrics:
    """Metric objects on a registry of their own (apps in one process don't collide)."""
    registry = CollectorRegistry()
    database = DatabaseCollector(app.extensions["db"].sessions)
    registry.register(database)
    return Metrics(
        registry=registry,
        database=database,
        requests=Counter(
            "anxin_http_requests",
            "HTTP requests by route (the URL rule, not the path) and status.",
            ["method", "route", "status"],
            registry=registry,
        ),
        request_seconds=Histogram(
            "anxin_http_request_duration_seconds",
            "Time to build the response, by route.",
            ["method", "route"],
            buckets=REQUEST_BUCKETS,
            registry=registry,
        ),
        parses=Counter(
            "anxin_nlu_parses",
            "NLU parses by source (rasa or the rules fallback) and whether the intent was "
            "nlu_fallback (not understood).",
            ["source", "fallback"],
            registry=registry,
        ),
        parse_seconds=Histogram(
            "anxin_nlu_parse_duration_seconds",
            "Time of one parse, by source (rules time includes Rasa timeouts).",
            ["source"],
            buckets=NLU_BUCKETS,
            registry=registry,
        ),
    )


class ObservedNLU:
    """Wraps the NLU client: times each parse and counts it by source.

    The NLU package knows nothing of metrics; this proxy is put in its place in
    ``app.extensions["nlu"]`` and passes every other attribute through.
    """

    def __init__(self, inner: Any, metrics: Metrics) -> None:
        self.inner = inner
        self.metrics = metrics

    def parse(self, text: str) -> ParseResult:
        """Parse through the wrapped client and record how long it took."""
        started = time.perf_counter()
        result: ParseResult = self.inner.parse(text)
        elapsed = time.perf_counter() - started
        fallback = "true" if result.intent == FALLBACK_INTENT else "false"
        self.metrics.parses.labels(result.source, fallback).inc()
        self.metrics.parse_seconds.labels(result.source).observe(elapsed)
        return result

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


#: The answer of ``/metrics`` in production while ``METRICS_TOKEN`` is unset.
NO_TOKEN = "METRICS_TOKEN is not set: /metrics is off in production\n"


@bp.get("/metrics")
def metrics_view() -> Response:
    """The text exposition; with ``METRICS_TOKEN`` set, only for ``Bearer <token>``.

    Production without a token answers 503: the case figures are not for whoever finds the
    URL, and a missing monitoring setting must not stop the complaint channel from starting.
    """
    token = current_app.config.get("METRICS_TOKEN")
    if not token and current_app.config.get("ANXIN_ENV") == "production":
        return Response(NO_TOKEN, status=503, content_type="text/plain; charset=utf-8")
    if token:
        given = request.headers.get("Authorization", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            abort(403)
    body = current_app.extensions["metrics"].scrape()
    return Response(body, content_type=CONTENT_TYPE_LATEST)


@bp.errorhandler(403)
def _forbidden(_exc: Exception) -> Response:
    # A scraper reads plain text; the staff console's HTML pages are the console's own.
    body = "forbidden: wrong METRICS_TOKEN\n"
    return Response(body, status=403, content_type="text/plain; charset=utf-8")


def route_of() -> str:
    """The request's URL rule (``/s/<code>``): labels stay few; unmatched paths share one."""
    return request.url_rule.rule if request.url_rule is not None else "<unmatched>"


def _start_timer() -> None:
    g.ops_started = time.perf_counter()


def _record(response: Response) -> Response:
    started = g.pop("ops_started", None)
    if started is None:
        return response
    elapsed = time.perf_counter() - started
    metrics: Metrics = current_app.extensions["metrics"]
    route = route_of()
    metrics.requests.labels(request.method, route, str(response.status_code)).inc()
    metrics.request_seconds.labels(request.method, route).observe(elapsed)
    request_log.log(
        logging.DEBUG if route in QUIET_ROUTES else logging.INFO,
        "%s %s %s %.1f ms",
        request.method,
        route,
        response.status_code,
        elapsed * 1000,
        extra={
            "route": route,
            "status": response.status_code,
            "duration_ms": round(elapsed * 1000, 1),
        },
    )
    return response


def init_app(app: Flask) -> None:
    """Create the metrics, observe the NLU client, time requests, register ``/metrics``."""
    metrics = make_metrics(app)
    app.extensions["metrics"] = metrics
    if "nlu" in app.extensions:
        app.extensions["nlu"] = ObservedNLU(app.extensions["nlu"], metrics)
    # First of all before_request hooks, so the time includes the others (login checks...).
    app.before_request_funcs.setdefault(None, []).insert(0, _start_timer)
    app.after_request(_record)
    app.register_blueprint(bp)
    if app.config.get("ANXIN_ENV") == "production" and not app.config.get("METRICS_TOKEN"):
        logging.getLogger(__name__).warning("METRICS_TOKEN is not set: /metrics answers 503")
