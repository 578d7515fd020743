"""Anxin's outbound WeChat API: a wechatpy client with timeouts, a locked token refresher and
capped retries, plus small typed helpers. See wechat.client for the error table.

`init_app(app)` only records defaults; the client is built on the first `get_client(app)`, so
neither import nor app creation touches the network or Redis.
"""

from wechat.client import (
    AnxinWeChatClient,
    WeChatAPIError,
    build_client,
    create_permanent_qr,
    download_media,
    get_client,
    init_app,
    send_one_time,
    send_subscription,
    send_template,
    send_text,
)

__all__ = [
    "AnxinWeChatClient",
    "WeChatAPIError",
    "build_client",
    "create_permanent_qr",
    "download_media",
    "get_client",
    "init_app",
    "send_one_time",
    "send_subscription",
    "send_template",
    "send_text",
]
