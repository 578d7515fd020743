"""The WeChat Official Account endpoint (``/wechat``) and its developer tools."""

from __future__ import annotations

from flask import Flask

from webhooks.cli import chat_command, transcript_command
from webhooks.security import Envelope, aes_key
from webhooks.views import bp


def init_app(app: Flask) -> None:
    """Register ``/wechat``, keep the account's envelope, and add the CLI commands."""
    keys = tuple(
        aes_key(app.config[name])
        for name in ("WECHAT_ENCODING_AES_KEY", "WECHAT_PREVIOUS_ENCODING_AES_KEY")
        if app.config.get(name)
    )
    app.extensions["wechat_envelope"] = Envelope(
        app.config["WECHAT_TOKEN"], app.config["WECHAT_APPID"], keys
    )
    app.register_blueprint(bp)
    app.cli.add_command(chat_command)
    app.cli.add_command(transcript_command)
