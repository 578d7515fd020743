"""Replayed pushes: a timestamp window and a short memory of the signed URLs already used.

WeChat's URL ``signature`` covers only the token, ``timestamp`` and ``nonce``, not the body
(消息推送 docs), so one captured signed URL could otherwise carry any body, as any worker,
forever. Two checks close that:

- the ``timestamp`` must be within ``WECHAT_TIMESTAMP_WINDOW_SECONDS`` of our clock, either
  way (a push from the past or one dated in the future);
- each signed (timestamp, nonce, signature) is remembered for as long as its timestamp stays
  in the window, together with the SHA-256 of the message it carried (the XML as we read
  it: the body in plaintext mode, the decrypted ``Encrypt`` in safe/compatible mode).

Why the message digest and not "each nonce once": WeChat retries a push it got no answer to
within 5 s, up to three times, and a retry may repeat the very same URL. Refusing a second
use of a nonce would refuse that retry and lose the reply. So a repeated URL is let through
only with the identical message, i.e. the same message from the same sender: it is then a
retry (or a replay that is indistinguishable from one), and the dedup answers it with that
sender's own stored reply, only within WeChat's retry horizon (``webhooks/views.py``). The
same URL with any other message, which is what posting as another worker needs, is refused.
The digest is of the message, not of the raw body, so that a retry encrypted afresh (a new
IV, hence new ciphertext) still counts as the same message.

The memory lives in Redis (``SET NX EX``, shared by every web process) when ``REDIS_URL`` is
set, else in the process. When Redis cannot be reached, the process's memory stands in (the
timestamp window still holds), so that a Redis outage does not stop the webhook.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Protocol

import redis

from webhooks.security import Forbidden

log = logging.getLogger(__name__)

#: Redis must answer fast or not at all: the check is on the webhook's path.
REDIS_TIMEOUT = 0.2
REDIS_PREFIX = "anxin:wechat-signed:"
#: The in-process memory's bound. Only correctly signed pushes enter it, so only WeChat's
#: own traffic can fill it: 100,000 pushes within one window is far beyond this service.
MEMORY_CAPACITY = 100_000
#: A Unix timestamp in seconds has 10 digits until the year 2286.
_MAX_TIMESTAMP_DIGITS = 12


class NonceStore(Protocol):
    """Remembers a key for ``ttl`` seconds with the digest of the body that came with it."""

    def claim(self, key: str, digest: str, ttl: int) -> str | None:
        """Store ``digest`` under ``key`` unless held; return the digest already held."""
        ...


class MemoryNonces:
    """A process's memory of signed URLs, each kept until it expires; bounded in size."""

    def __init__(
        self, capacity: int = MEMORY_CAPACITY, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.capacity = capacity
        self.clock = clock
        self._held: OrderedDict[str, tuple[float, str]] = OrderedDict()
        self._lock = threading.Lock()

    def claim(self, key: str, digest: str, ttl: int) -> str | None:
        """Store ``digest`` under ``key`` unless held; return the digest already held."""
        now = self.clock()
        with self._lock:
            held = self._held.get(key)
            if held is not None and held[0] > now:
                return held[1]
            self._make_room(now)
            self._held[key] = (now + ttl, digest)
            self._held.move_to_end(key)
            return None

    def __len__(self) -> int:
        return len(self._held)

    def _make_room(self, now: float) -> None:
        # Entries go in roughly in expiry order: drop the expired ones at the front.
        while self._held and next(iter(self._held.values()))[0] <= now:
            self._held.popitem(last=False)
        if len(self._held) < self.capacity:
            return
        self._held = OrderedDict((k, v) for k, v in self._held.items() if v[0] > now)
        if len(self._held) >= self.capacity:
            # Refusing would drop genuine messages; the oldest entry is the closest to
            # leaving the timestamp window, which then refuses its replay anyway.
            log.warning("signed-URL memory full (%d); forgetting the oldest", self.capacity)
            self._held.popitem(last=False)


class RedisNonces:
    """Signed URLs remembered in Redis, shared by every web process."""

    def __init__(self, url: str, fallback: NonceStore | None = None) -> None:
        self.redis = redis.Redis.from_url(
            url, socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT
        )
        self.fallback = fallback or MemoryNonces()

    def claim(self, key: str, digest: str, ttl: int) -> str | None:
        """Store ``digest`` under ``key`` unless held (``SET NX EX``); return the one held."""
        name = REDIS_PREFIX + key
        try:
            if self.redis.set(name, digest, nx=True, ex=ttl):
                return None
            held = self.redis.get(name)
        except redis.RedisError as exc:
            log.warning("Redis unreachable (%s); remembering signed URLs in this process", exc)
            return self.fallback.claim(key, digest, ttl)
        # None: it expired between the two calls, so it is out of the window by now.
        return None if held is None else held.decode("ascii", errors="replace")


class ReplayGuard:
    """Refuses stale timestamps and a signed URL reused with another message."""

    def __init__(
        self, window_seconds: int, store: NonceStore, clock: Callable[[], float] = time.time
    ) -> None:
        self.window = int(window_seconds)
        self.store = store
        self.clock = clock

    def check_fresh(self, args: Mapping[str, str]) -> int:
        """Return the URL's timestamp; refuse one missing, malformed or outside the window."""
        raw = args.get("timestamp", "")
        if not raw:
            raise Forbidden("missing timestamp")
        if not (raw.isascii() and raw.isdigit() and len(raw) <= _MAX_TIMESTAMP_DIGITS):
            raise Forbidden("malformed timestamp")
        timestamp = int(raw)
        if abs(self.clock() - timestamp) > self.window:
            raise Forbidden("timestamp outside the accepted window")
        return timestamp

    def remember(self, args: Mapping[str, str], message: str | bytes) -> None:
        """Remember a signed URL with its message; refuse the URL seen with another message.

        Call it only after the signatures were verified (and the body decrypted), so that
        nothing unsigned fills the memory.
        """
        timestamp = self.check_fresh(args)
        key = _digest("\n".join(args.get(name, "") for name in ("timestamp", "nonce", "signature")))
        # Kept while the timestamp is inside the window; a second more for clock rounding.
        ttl = max(1, int(timestamp + self.window - self.clock()) + 1)
        digest = _digest(message)
        held = self.store.claim(key, digest, ttl)
        if held is not None and held != digest:
            raise Forbidden("replayed signature with another message")


def nonce_store(redis_url: str | None) -> NonceStore:
    """Redis when configured (shared by the web processes), else this process's memory."""
    return RedisNonces(redis_url) if redis_url else MemoryNonces()


def _digest(data: str | bytes) -> str:
    raw = data.encode("utf-8", errors="replace") if isinstance(data, str) else data
    return hashlib.sha256(raw).hexdigest()
