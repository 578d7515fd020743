"""Anxin's application factory: ``flask --app app ...`` and ``gunicorn 'app:create_app()'``."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

import console
import jobs
import nlu.cli
import nlu.client
import ops
import privacy
import sites
import webhooks
import wechat.client
from config import load_config
from models import db


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: configuration, resources (each by ``init_app``), routes, commands."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(load_config(app.instance_path, test_config))
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    db.init_app(app)
    privacy.init_app(app)  # the data keys, before anything reads the database
    nlu.client.init_app(app)
    nlu.cli.init_app(app)
    wechat.client.init_app(app)
    jobs.init_app(app)
    webhooks.init_app(app)
    sites.init_app(app)
    console.init_app(app)
    # Last: logging, health, metrics; it observes the NLU client the others registered.
    ops.init_app(app)
    return app
