"""Operations: health checks, metrics, structured logs, backups, running behind a proxy.

Wired last in ``create_app``, because it observes what the other packages registered (it
wraps the NLU client in ``app.extensions["nlu"]``); no other package imports it.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from ops import cli, health, logs, metrics


def init_app(app: Flask) -> None:
    """Logging, ``/healthz``, ``/readyz``, ``/metrics``, ``flask backup``, proxy headers."""
    logs.init_app(app)
    health.init_app(app)
    metrics.init_app(app)
    cli.init_app(app)
    proxies = int(app.config["PROXY_COUNT"])
    if proxies:
        # Behind nginx, the client's address and scheme come from X-Forwarded-*; trusting
        # exactly the proxies we run keeps a client from forging them (the console's
        # login throttle and audit log key on the address).
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies
        )
