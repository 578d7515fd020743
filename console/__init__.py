"""The staff side: the web console (built by the console issue) and the complaint commands."""

from __future__ import annotations

from flask import Flask

from console import cli


def init_app(app: Flask) -> None:
    """Register the staff commands."""
    cli.init_app(app)
