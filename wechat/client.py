"""Anxin's outbound WeChat API client: wechatpy's WeChatClient with the gaps closed.

wechatpy 1.8.18 fetches tokens from a hard-coded https://api.weixin.qq.com URL with no HTTP
timeout, retries 40001/42001 forever, and refreshes without any lock. The subclass below
points every api.weixin.qq.com URL at `api_base`, bounds every call by a timeout, refreshes
under one lock (Redis when configured) and retries a rejected token once.

Error table (WeChatAPIError.retryable = "the same request may succeed later, unchanged"):

    -1      system busy; also our code for timeouts, connection errors, HTTP 5xx and an
            unreachable Redis                                                  retryable
    40001 / 40014 / 42001  token rejected even after one refresh              retryable
    45009   daily API quota used up (resets at midnight)                      retryable
    45011   calls too frequent                                                retryable
    45047   customer-service quota used up (reopens when the worker writes)   retryable
    45015   48-hour reply window passed (needs the worker to write first)     not retryable
    40003 invalid openid, 40007 invalid/expired media_id, 40013/40125 bad appid/secret,
    40052/40053/40097 bad QR request, 45029 permanent QR cap, -2 unexpected answer, and any
    other code                                                               not retryable

Notices outside the 48-hour window (jobs/notices.py falls through to the next channel):

    43101   subscription: the user refused, or their one-time consent is used up
    43004   template message: the user does not follow the account
    48001   the API is not authorised for this account (not a verified service account)
    40037   invalid template_id                                              all not retryable
    47003   a data field's value breaks the template's rules (length, characters)
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any, cast
from urllib.parse import urlsplit

import redis
import requests
from flask import Flask
from wechatpy import WeChatClient
from wechatpy.client.api import WeChatMedia
from wechatpy.exceptions import WeChatClientException
from wechatpy.session import SessionStorage
from wechatpy.session.redisstorage import RedisStorage

from config import apply_defaults

logger = logging.getLogger(__name__)

WECHAT_ORIGIN = "https://api.weixin.qq.com/"
DEFAULT_KEY_PREFIX = "wechatpy"  # wechatpy's own, so tokens stay readable by plain wechatpy
TOKEN_ERRCODES = frozenset({40001, 40014, 42001})
RETRYABLE_ERRCODES = frozenset({-1, 40001, 40014, 42001, 45009, 45011, 45047})
UNEXPECTED_ANSWER = -2
EARLY_REFRESH = 300  # drop a token from storage 5 minutes before WeChat expires it
MAX_SCENE_STR = 64
EXTENSION = "wechat"
_SECRET_PARAMS = re.compile(r"(access_token|secret)=[^&\s\"']+")
_build_lock = threading.Lock()  # two first requests must not build two clients


class WeChatAPIError(Exception):
    """A failed WeChat API call; `retryable` tells whether trying later may succeed."""

    def __init__(self, errcode: int, errmsg: str) -> None:
        super().__init__(errcode, errmsg)
        self.errcode = errcode
        self.errmsg = errmsg

    @property
    def retryable(self) -> bool:
        """True for transient failures (see the table in the module docstring)."""
        return self.errcode in RETRYABLE_ERRCODES

    def __str__(self) -> str:
        return f"WeChat API error {self.errcode}: {self.errmsg}"


class ExpiringMemoryStorage(SessionStorage):  # type: ignore[misc]
    """In-process token storage that honours TTLs (wechatpy's MemoryStorage ignores them)."""

    def __init__(self) -> None:
        self._data: dict[str, tuple[Any, float | None]] = {}

    def get(self, key: str, default: Any = None) -> Any:
        """Return the value unless it is missing or expired."""
        value, deadline = self._data.get(key, (default, None))
        if deadline is not None and time.monotonic() >= deadline:
            self._data.pop(key, None)
            return default
        return value

    def set(self, key: str, value: Any, ttl: int | None = None) -> None:
        """Store a value, forgetting it after `ttl` seconds when given."""
        if value is not None:
            self._data[key] = (value, None if ttl is None else time.monotonic() + ttl)

    def delete(self, key: str) -> None:
        """Forget a value."""
        self._data.pop(key, None)


class _Media(WeChatMedia):  # type: ignore[misc]
    def get_url(self, media_id: str) -> str:
        """Like wechatpy's, but on our API base (the URL embeds the token: never log it)."""
        base = self._client.API_BASE_URL
        return f"{base}media/get?access_token={self.access_token}&media_id={media_id}"


class AnxinWeChatClient(WeChatClient):  # type: ignore[misc]
    """WeChatClient with a configurable API base, timeouts, a locked refresher, capped retries."""

    media = _Media()

    def __init__(
        self,
        appid: str,
        secret: str,
        *,
        api_base: str,
        timeout: float,
        session: SessionStorage,
        redis_client: redis.Redis | None = None,
        max_token_retries: int = 1,
    ) -> None:
        # auto_retry=False: wechatpy's own retry has no cap; _request below retries once.
        super().__init__(appid, secret, session=session, timeout=timeout, auto_retry=False)
        self.API_BASE_URL = api_base if api_base.endswith("/") else api_base + "/"
        self._api_root = _api_root(self.API_BASE_URL)
        self.redis_client = redis_client
        self.max_token_retries = max_token_retries
        self._thread_lock = threading.Lock()
        # The lock outlives one token request (connect + read timeouts) with room to spare.
        self._lock_timeout = 3 * timeout + 1

    @property
    def lock_name(self) -> str:
        """The Redis key of the refresh lock, next to wechatpy's token key."""
        prefix = getattr(self.session, "prefix", DEFAULT_KEY_PREFIX)
        return f"{prefix}:{self.access_token_key}:lock"

    @property
    def access_token(self) -> str:
        """The stored token, or a new one fetched by a single refresher."""
        token = self.session.get(self.access_token_key)
        return str(token) if token else self._refresh(stale=None)

    def fetch_access_token(self) -> dict[str, Any]:
        """Replace the stored token (wechatpy's hook), unless another refresher just did."""
        return {"access_token": self._refresh(stale=self.session.get(self.access_token_key))}

    def close(self) -> None:
        """Close the HTTP session and the Redis connection pool."""
        self._http.close()
        if self.redis_client is not None:
            self.redis_client.close()

    def _refresh(self, stale: str | None) -> str:
        """Under the lock, re-read storage; fetch only if it still holds nothing or `stale`."""
        with self._refresh_lock():
            current = self.session.get(self.access_token_key)
            if current and current != stale:
                return str(current)  # another thread or process refreshed while we waited
            return self._fetch_token()

    @contextmanager
    def _refresh_lock(self) -> Iterator[None]:
        if self.redis_client is None:
            if not self._thread_lock.acquire(timeout=self._lock_timeout):
                raise WeChatAPIError(-1, "timed out waiting for the token refresh lock")
            try:
                yield
            finally:
                self._thread_lock.release()
            return
        lock = self.redis_client.lock(
            self.lock_name, timeout=self._lock_timeout, blocking_timeout=self._lock_timeout
        )
        if not lock.acquire():
            raise WeChatAPIError(-1, "timed out waiting for the token refresh lock")
        try:
            yield
        finally:
            # If the lock expired under a slow request, another refresher already owns it.
            with suppress(redis.exceptions.LockNotOwnedError):
                lock.release()

    def _fetch_token(self) -> str:
        """GET token from our API base; errors carry no request, whose URL holds the secret."""
        logger.info("fetching a new WeChat access token for %s", self.appid)
        params = {"grant_type": "client_credential", "appid": self.appid, "secret": self.secret}
        res = self._http.get(self.API_BASE_URL + "token", params=params, timeout=self.timeout)
        if res.status_code >= 400:
            raise WeChatClientException(None, f"HTTP {res.status_code} from token endpoint")
        result = res.json()
        errcode = int(result.get("errcode", 0))
        if errcode:
            raise WeChatClientException(errcode, result.get("errmsg", ""))
        expires_in = int(result.get("expires_in", 7200))
        token = str(result["access_token"])
        self.session.set(self.access_token_key, token, max(expires_in - EARLY_REFRESH, 60))
        self.expires_at = int(time.time()) + expires_in
        return token

    def _request(self, method: str, url_or_endpoint: str, **kwargs: Any) -> Any:
        """wechatpy's request, rebased on our API base, with one refresh on a rejected token."""
        url = self._absolute_url(url_or_endpoint, kwargs.pop("api_base_url", None))
        params = kwargs.pop("params", None)
        if params is not None and (not isinstance(params, dict) or "access_token" in params):
            # The caller manages the token itself: nothing to refresh.
            return super()._request(method, url, params=params, **kwargs)
        stale: str | None = None
        for attempt in range(self.max_token_retries + 1):
            token = self.access_token if stale is None else self._refresh(stale)
            call_params = {**(params or {}), "access_token": token}
            try:
                return super()._request(method, url, params=call_params, **kwargs)
            except WeChatClientException as exc:
                if exc.errcode not in TOKEN_ERRCODES or attempt == self.max_token_retries:
                    raise
                logger.info("access token rejected (errcode %s); refreshing", exc.errcode)
                stale = token
        raise AssertionError("unreachable")  # pragma: no cover

    def _absolute_url(self, url_or_endpoint: str, api_base_url: str | None) -> str:
        if not url_or_endpoint.startswith(("http://", "https://")):
            url_or_endpoint = (api_base_url or self.API_BASE_URL) + url_or_endpoint
        if url_or_endpoint.startswith(WECHAT_ORIGIN):
            # Some wechatpy APIs carry their own absolute https://api.weixin.qq.com/ base.
            return self._api_root + url_or_endpoint.removeprefix(WECHAT_ORIGIN)
        return url_or_endpoint


def _api_root(api_base: str) -> str:
    """The server root matching api.weixin.qq.com/ for an API base ending in cgi-bin/."""
    if api_base.endswith("/cgi-bin/"):
        return api_base.removesuffix("cgi-bin/")
    parts = urlsplit(api_base)
    return f"{parts.scheme}://{parts.netloc}/"


class _RedactSecrets(logging.Filter):
    """Masks access_token= and secret= values in urllib3's request logs."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; never drop it."""
        if isinstance(record.msg, str):
            record.msg = _SECRET_PARAMS.sub(r"\1=***", record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(
                _SECRET_PARAMS.sub(r"\1=***", a) if isinstance(a, str) else a for a in record.args
            )
        return True


def _install_log_redaction() -> None:
    """urllib3 logs full request URLs at DEBUG; the query carries the token and secret."""
    urllib3_logger = logging.getLogger("urllib3.connectionpool")
    if not any(isinstance(f, _RedactSecrets) for f in urllib3_logger.filters):
        urllib3_logger.addFilter(_RedactSecrets())


def build_client(
    appid: str,
    secret: str,
    api_base: str,
    redis_url: str | None,
    timeout: float = 5.0,
    *,
    key_prefix: str = DEFAULT_KEY_PREFIX,
    max_token_retries: int = 1,
) -> WeChatClient:
    """Build a wechatpy client on `api_base`; tokens live in Redis when `redis_url` is given."""
    _install_log_redaction()
    redis_client: redis.Redis | None = None
    session: SessionStorage = ExpiringMemoryStorage()
    if redis_url:
        redis_client = redis.Redis.from_url(
            redis_url, socket_timeout=timeout, socket_connect_timeout=timeout
        )
        session = RedisStorage(redis_client, prefix=key_prefix)
    return AnxinWeChatClient(
        appid,
        secret,
        api_base=api_base,
        timeout=timeout,
        session=session,
        redis_client=redis_client,
        max_token_retries=max_token_retries,
    )


@contextmanager
def _api_errors(action: str) -> Iterator[None]:
    """Turn wechatpy, requests and Redis failures into WeChatAPIError.

    `from None` drops the cause: requests' messages and wechatpy's request objects hold URLs
    with the access token, and tracebacks of chained exceptions would print them.
    """
    try:
        yield
    except WeChatAPIError:
        raise
    except WeChatClientException as exc:
        errcode = -1 if exc.errcode is None else int(exc.errcode)
        raise WeChatAPIError(errcode, f"{action}: {exc.errmsg or 'HTTP error'}") from None
    except requests.Timeout:
        raise WeChatAPIError(-1, f"{action}: timed out") from None
    except requests.RequestException as exc:
        raise WeChatAPIError(-1, f"{action}: {type(exc).__name__}") from None
    except redis.RedisError as exc:
        raise WeChatAPIError(-1, f"{action}: token storage failed ({type(exc).__name__})") from None


def send_text(client: WeChatClient, openid: str, text: str) -> None:
    """Send a customer-service text message; raise WeChatAPIError on failure."""
    with _api_errors("send text"):
        client.message.send_text(openid, text)


def send_subscription(
    client: WeChatClient, openid: str, template_id: str, data: dict[str, str], page: str | None
) -> int | None:
    """Send a subscription notice (``message/subscribe/bizsend``); the worker must have
    consented to ``template_id``. ``data`` maps field keys (``thing1``...) to values.
    Returns WeChat's msgid when it gives one (its delivery event names it)."""
    body = {key: {"value": value} for key, value in data.items()}
    with _api_errors("send subscription notice"):
        result = client.message.send_subscribe_message(openid, template_id, body, page=page)
    return _msgid(result)


def send_one_time(
    client: WeChatClient, openid: str, template_id: str, scene: int, title: str, text: str
) -> None:
    """Send the one send a one-time subscription link's consent allows
    (``message/template/subscribe``; title within 15 characters, text within 200)."""
    data = {"content": {"value": text[:200]}}
    with _api_errors("send one-time subscription message"):
        client.message.send_subscribe_template(openid, template_id, scene, title[:15], data)


def send_template(
    client: WeChatClient, openid: str, template_id: str, data: dict[str, str], url: str | None
) -> int | None:
    """Send a template message (``message/template/send``: verified service accounts only);
    returns its msgid (TEMPLATESENDJOBFINISH names it)."""
    body = {key: {"value": value} for key, value in data.items()}
    with _api_errors("send template message"):
        result = client.message.send_template(openid, template_id, body, url=url)
    return _msgid(result)


def _msgid(result: Any) -> int | None:
    value = result.get("msgid") if isinstance(result, dict) else None
    return int(value) if isinstance(value, int | str) and str(value).isdigit() else None


def create_permanent_qr(client: WeChatClient, scene_str: str) -> tuple[str, str]:
    """Create (or get again) the permanent QR code for a scene; return (ticket, url)."""
    if not 1 <= len(scene_str) <= MAX_SCENE_STR:
        raise ValueError(f"scene_str must be 1-{MAX_SCENE_STR} characters")
    body = {"action_name": "QR_LIMIT_STR_SCENE", "action_info": {"scene": {"scene_str": scene_str}}}
    with _api_errors("create QR code"):
        result = client.qrcode.create(body)
    return str(result["ticket"]), str(result["url"])


def download_media(client: WeChatClient, media_id: str) -> tuple[bytes, str]:
    """Download a temporary media file; return (content, MIME type without parameters)."""
    with _api_errors("download media"):
        res = client.media.download(media_id)
    if not isinstance(res, requests.Response):
        # wechatpy returns parsed JSON when the body is JSON, e.g. {"video_url"} for videos.
        raise WeChatAPIError(UNEXPECTED_ANSWER, "download media: JSON instead of a file")
    content_type = res.headers.get("Content-Type", "application/octet-stream")
    return res.content, content_type.split(";", 1)[0].strip()


def init_app(app: Flask) -> None:
    """Register the extension; the client is built on first use."""
    # create_app loads every setting; an app made otherwise gets config.SETTINGS' defaults.
    apply_defaults(app.config, ("WECHAT_API_BASE", "WECHAT_API_TIMEOUT", "REDIS_URL"))
    app.extensions[EXTENSION] = None  # tests may put their own client here
    # The worker's subscribe page and the one-time link's return (imported here: it
    # reads models, which this client module does not need).
    from wechat.subscribe import bp

    app.register_blueprint(bp)


def get_client(app: Flask) -> WeChatClient:
    """Return the app's WeChat client, building it from app.config on first use."""
    if EXTENSION not in app.extensions:
        raise RuntimeError("wechat.client.init_app(app) was not called")
    with _build_lock:
        if app.extensions[EXTENSION] is None:
            app.extensions[EXTENSION] = _client_from_config(app)
        return cast(WeChatClient, app.extensions[EXTENSION])


def _client_from_config(app: Flask) -> WeChatClient:
    config = app.config
    missing = [key for key in ("WECHAT_APPID", "WECHAT_SECRET") if not config.get(key)]
    if missing:
        raise RuntimeError(f"missing config: {', '.join(missing)}")
    return build_client(
        config["WECHAT_APPID"],
        config["WECHAT_SECRET"],
        config["WECHAT_API_BASE"],
        config["REDIS_URL"],
        float(config["WECHAT_API_TIMEOUT"]),
    )
