"""Anxin's application factory: ``flask --app app ...`` and ``gunicorn 'app:create_app()'``."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

import console
import nlu.cli
import nlu.client
import qr
import webhooks
import wechat.client
import wechat.media
from config import load_config
from models import db


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: configuration, resources (each by ``init_app``), routes, commands."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(load_config(app.instance_path, test_config))
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )

    db.init_app(app)
    nlu.client.init_app(app)
    nlu.cli.init_app(app)
    wechat.client.init_app(app)
    wechat.media.init_app(app)
    webhooks.init_app(app)
    qr.init_app(app)
    console.init_app(app)

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        """Liveness: the process answers."""
        return {"status": "ok"}

    return app
