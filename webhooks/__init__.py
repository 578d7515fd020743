"""The WeChat Official Account endpoint (``/wechat``) and its developer tools."""

from __future__ import annotations

from flask import Flask

from jobs.worker import PERIODIC
from webhooks.answering import Answerer, recover_abandoned
from webhooks.cli import chat_command, transcript_command
from webhooks.ratelimit import SenderLimit
from webhooks.security import Envelope, aes_key
from webhooks.views import bp


def init_app(app: Flask) -> None:
    """Register ``/wechat``; keep the envelope, the answerer and the sender limit; add the
    CLI commands and the job worker's duty of answering abandoned messages."""
    keys = tuple(
        aes_key(app.config[name])
        for name in ("WECHAT_ENCODING_AES_KEY", "WECHAT_PREVIOUS_ENCODING_AES_KEY")
        if app.config.get(name)
    )
    app.extensions["wechat_envelope"] = Envelope(
        app.config["WECHAT_TOKEN"], app.config["WECHAT_APPID"], keys
    )
    app.extensions["answerer"] = Answerer(app)
    app.extensions["sender_limit"] = SenderLimit(app.config["RATE_LIMIT"], app.config["REDIS_URL"])
    if recover_abandoned not in PERIODIC:
        PERIODIC.append(recover_abandoned)
    app.register_blueprint(bp)
    app.cli.add_command(chat_command)
    app.cli.add_command(transcript_command)
