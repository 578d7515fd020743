"""Per-sender rate limiting, so a flood from one OpenID cannot slow anyone else.

Counted in Redis when ``REDIS_URL`` is set (shared by every web process), else in memory.
The limiter fails open: if Redis is down, messages are answered rather than refused.
"""

from __future__ import annotations

import logging

from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

log = logging.getLogger(__name__)

#: Refusal sent instead of the bot's answer; the message itself is kept in the transcript.
TOO_FAST = "您发消息太快了，请过一分钟再发。刚才的消息已经记下，工作人员能看到。"


class SenderLimit:
    """Allows each OpenID ``rate`` messages (e.g. ``"20/minute"``)."""

    def __init__(self, rate: str, redis_url: str | None) -> None:
        self.item: RateLimitItem = parse(rate)
        storage = (
            storage_from_string(redis_url, socket_timeout=0.2, socket_connect_timeout=0.2)
            if redis_url
            else storage_from_string("memory://")
        )
        self.limiter = FixedWindowRateLimiter(storage)

    def allow(self, openid: str) -> bool:
        """Count one message from ``openid``; False once it is over the limit."""
        try:
            return bool(self.limiter.hit(self.item, "wechat", openid))
        except Exception as exc:  # the limiter must never cost a message
            log.warning("rate limiter unavailable (%s); letting the message through", exc)
            return True
