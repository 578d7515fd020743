"""The WeChat Official Account endpoint (``/wechat``) and its developer tools."""

from __future__ import annotations

from typing import Any

from flask import Flask

from config import ConfigError
from jobs import registry_of
from webhooks.answering import Answerer
from webhooks.cli import chat_command, transcript_command
from webhooks.delivery import (
    ANSWER_KIND,
    SenderLimit,
    answer_dead,
    answer_late,
    recover_abandoned,
)
from webhooks.replay import ReplayGuard, nonce_store
from webhooks.security import Envelope, aes_key
from webhooks.views import bp


def init_app(app: Flask) -> None:
    """Register ``/wechat``; keep the envelope, the answerer and the sender limit; add the
    CLI commands, the ``answer_message`` job and the relay's duty of recovering messages
    no delivery answered (``jobs.init_app`` runs first)."""
    keys = tuple(
        aes_key(app.config[name])
        for name in ("WECHAT_ENCODING_AES_KEY", "WECHAT_PREVIOUS_ENCODING_AES_KEY")
        if app.config.get(name)
    )
    app.extensions["wechat_envelope"] = Envelope(
        app.config["WECHAT_TOKEN"],
        app.config["WECHAT_APPID"],
        keys,
        require_safe_mode=require_safe_mode(app.config),
    )
    window = int(app.config.get("WECHAT_TIMESTAMP_WINDOW_SECONDS") or 0)
    if window < 1:
        raise ConfigError("WECHAT_TIMESTAMP_WINDOW_SECONDS: must be a positive number of seconds")
    app.extensions["wechat_replay"] = ReplayGuard(window, nonce_store(app.config["REDIS_URL"]))
    app.extensions["answerer"] = Answerer(app)
    app.extensions["sender_limit"] = SenderLimit(app.config["RATE_LIMIT"], app.config["REDIS_URL"])
    registry = registry_of(app)
    registry.kind(ANSWER_KIND, answer_late, on_dead=answer_dead)
    registry.duty(recover_abandoned)
    app.register_blueprint(bp)
    app.cli.add_command(chat_command)
    app.cli.add_command(transcript_command)


def require_safe_mode(config: Any) -> bool:
    """``WECHAT_REQUIRE_SAFE_MODE`` as a flag; unset, it is on in production only."""
    value = config.get("WECHAT_REQUIRE_SAFE_MODE")
    if value is None or value == "":
        return str(config.get("ANXIN_ENV") or "").strip().lower() == "production"
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)
