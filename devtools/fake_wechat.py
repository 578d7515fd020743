"""A local fake of the WeChat Official Account API, so the real wechatpy client can be tested.

Paths, parameters and answers follow developers.weixin.qq.com (see /work/shared/wechat.md,
sections 6-8). Errors are JSON with HTTP 200, as WeChat sends them. Error codes used:

    token           40002 bad grant_type, 40013 bad appid, 40125 bad secret
    any token use   41001 token missing, 40001 unknown or superseded token, 42001 expired token
    custom send     47001 body not JSON, 40003 no touser, 40008 unknown msgtype, 44004 empty text
    qrcode/create   40052 bad action_name, 40053 bad scene (scene_str 1-64 chars; scene_id
                    1-100000 permanent, 1-2**32-1 temporary), 40097 expire_seconds outside
                    1-2592000 (our assumption: WeChat documents the maximum, not the code),
                    45029 "qrcode count out of limit" once the permanent cap is reached
    media/get       41006 media_id missing, 40007 unknown media_id
    custom send, for an OpenID told to the fake by /_fake/interaction (others are not
                    limited): 45015 once the window is over (48 h after a message, 1 minute
                    after a follow, scan or menu click), 45047 past its quota (5 / 3)
    subscribe/bizsend   43101 no consent for (touser, template_id) left (a one-time consent
                    allows one send; a long-term one lasts), 40037 unknown template_id (when
                    the account lists its templates), 47003 a field breaking its type's rule
    template/subscribe  the one-time link's send: 43101 unless (touser, template_id, scene)
                    was consented, once; 47003 title over 15 or content over 200 characters
    template/send   48001 account not verified, 43004 touser does not follow, 40037, 47003

Test controls (not WeChat's) live under /_fake/: media, sent, notices, fail, reset, stats,
consent, account, interaction.
"""

from __future__ import annotations

import argparse
import base64
import json
import mimetypes
import secrets
import threading
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any, cast
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, jsonify, request
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

TOKEN_TTL = 7200
TOKEN_OVERLAP = 300  # a superseded token keeps working this long (WeChat: 5 minutes)
MAX_TEMP_EXPIRE = 2_592_000
DEFAULT_TEMP_EXPIRE = 60
PERMANENT_QR_LIMIT = 100_000
MAX_PERMANENT_SCENE_ID = 100_000
MAX_TEMP_SCENE_ID = 2**32 - 1
ENDPOINTS = (
    "token",
    "message/custom/send",
    "qrcode/create",
    "media/get",
    "message/subscribe/bizsend",
    "message/template/subscribe",
    "message/template/send",
)
#: Customer-service windows a worker's action opens: (seconds, messages) — wechat.md, s. 7.
WINDOWS = {"message": (48 * 3600, 5), "event": (60, 3)}
#: Field types of subscription and template data and the longest value each takes
#: (developers.weixin.qq.com, 订阅通知 "参数值内容限制").
FIELD_LIMITS = {"thing": 20, "phrase": 5, "character_string": 32, "number": 32, "amount": 32}
QR_ACTIONS = frozenset({"QR_SCENE", "QR_STR_SCENE", "QR_LIMIT_SCENE", "QR_LIMIT_STR_SCENE"})
MSG_TYPES = frozenset(
    {
        "text",
        "image",
        "voice",
        "video",
        "music",
        "news",
        "mpnews",
        "mpnewsarticle",
        "msgmenu",
        "wxcard",
        "miniprogrampage",
    }
)


class FakeError(Exception):
    """A WeChat error answer raised inside a view and rendered as {"errcode", "errmsg"}."""

    def __init__(self, errcode: int, errmsg: str) -> None:
        super().__init__(errcode, errmsg)
        self.errcode = errcode
        self.errmsg = errmsg


@dataclass
class Failure:
    """One injected misbehaviour: wait `delay` seconds, then answer an errcode or HTTP status."""

    errcode: int | None = None
    errmsg: str = "injected failure"
    status: int | None = None
    delay: float = 0.0


@dataclass
class Token:
    """An issued access token; `revoked_at` is when its overlap after replacement ends."""

    value: str
    expires_at: float
    revoked_at: float | None = None


class FakeWeChat:
    """The state of one fake account; every method is safe to call from server threads."""

    def __init__(
        self, appid: str, secret: str, clock: Callable[[], float], permanent_qr_limit: int
    ) -> None:
        self.appid = appid
        self.secret = secret
        self.clock = clock
        self.permanent_qr_limit = permanent_qr_limit
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        """Forget every token, message, QR code, media file, failure and counter."""
        self.tokens: deque[Token] = deque(maxlen=2)  # only the latest and the previous matter
        self.calls: Counter[str] = Counter()
        self.sent: list[dict[str, Any]] = []
        self.media: dict[str, tuple[bytes, str]] = {}
        self.permanent_qr: dict[str, dict[str, Any]] = {}
        self.failures: defaultdict[str, deque[Failure]] = defaultdict(deque)
        self.notices: list[dict[str, Any]] = []
        # (openid, template_id) -> sends left (None: long-term); the one-time link's
        # consents are keyed (openid, template_id, scene).
        self.consents: dict[tuple[Any, ...], int | None] = {}
        self.verified = True
        self.templates: set[str] = set()  # empty: every template_id is taken
        self.unfollowed: set[str] = set()
        # openid -> [window ends, messages left]; OpenIDs not here are not limited.
        self.windows: dict[str, list[float]] = {}

    def issue_token(self, grant_type: str | None, appid: str | None, secret: str | None) -> Token:
        """Issue a new token; the previous one stays valid for TOKEN_OVERLAP seconds."""
        if grant_type != "client_credential":
            raise FakeError(40002, "invalid grant_type")
        if appid != self.appid:
            raise FakeError(40013, "invalid appid")
        if secret != self.secret:
            raise FakeError(40125, "invalid appsecret")
        now = self.clock()
        with self.lock:
            if self.tokens:
                self.tokens[-1].revoked_at = now + TOKEN_OVERLAP
            token = Token(secrets.token_urlsafe(96), now + TOKEN_TTL)
            self.tokens.append(token)
        return token

    def check_token(self, value: str | None) -> None:
        """Raise the errcode WeChat gives for a missing, unknown, superseded or expired token."""
        if not value:
            raise FakeError(41001, "access_token missing")
        now = self.clock()
        with self.lock:
            token = next((t for t in self.tokens if t.value == value), None)
        if token is None or (token.revoked_at is not None and now >= token.revoked_at):
            raise FakeError(40001, "invalid credential, access_token is invalid or not latest")
        if now >= token.expires_at:
            raise FakeError(42001, "access_token expired")

    def permanent_code(self, scene_key: str) -> dict[str, Any]:
        """Return the code already made for this scene, or make one while under the cap."""
        with self.lock:
            if scene_key not in self.permanent_qr:
                if len(self.permanent_qr) >= self.permanent_qr_limit:
                    raise FakeError(45029, "qrcode count out of limit")
                self.permanent_qr[scene_key] = new_qr_code()
            return dict(self.permanent_qr[scene_key])

    def use_consent(self, key: tuple[Any, ...]) -> None:
        """Spend one send of a consent, or raise 43101 when none is left."""
        with self.lock:
            if key not in self.consents:
                raise FakeError(43101, "user refuse to accept the msg")
            left = self.consents[key]
            if left is not None:
                if left <= 1:
                    del self.consents[key]
                else:
                    self.consents[key] = left - 1

    def use_window(self, openid: str) -> None:
        """Spend one customer-service message of the worker's window (45015, 45047)."""
        now = self.clock()
        with self.lock:
            window = self.windows.get(openid)
            if window is None:
                return
            if now > window[0]:
                raise FakeError(45015, "response out of time limit or subscription is canceled")
            if window[1] < 1:
                raise FakeError(45047, "out of response count limit")
            window[1] -= 1

    def take_failure(self, endpoint: str) -> Failure | None:
        """Pop the next injected failure for an endpoint, if any."""
        with self.lock:
            queue = self.failures.get(endpoint)
            return queue.popleft() if queue else None


def new_qr_code() -> dict[str, Any]:
    """Make a ticket and url shaped like WeChat's (the ticket is base64 holding the url)."""
    url = f"http://weixin.qq.com/q/{secrets.token_urlsafe(16)}"
    ticket = base64.b64encode(b"\x81\x01" + secrets.token_bytes(10) + url.encode()).decode()
    return {"ticket": ticket, "url": url}


def _fake() -> FakeWeChat:
    return cast(FakeWeChat, current_app.extensions["fake_wechat"])


def _json_body() -> dict[str, Any]:
    # wechatpy posts JSON bytes without a JSON content type, so do not rely on get_json().
    try:
        body = json.loads(request.get_data())
    except ValueError:
        raise FakeError(47001, "data format error") from None
    if not isinstance(body, dict):
        raise FakeError(47001, "data format error")
    return body


def _inject_failure() -> Response | None:
    """Count each WeChat call and apply the next injected failure for its endpoint."""
    if not request.path.startswith("/cgi-bin/"):
        return None
    endpoint = request.path.removeprefix("/cgi-bin/")
    fake = _fake()
    with fake.lock:
        fake.calls[endpoint] += 1
    failure = fake.take_failure(endpoint)
    if failure is None:
        return None
    if failure.delay:
        time.sleep(failure.delay)
    if failure.status is not None:
        return Response("injected HTTP failure", status=failure.status)
    if failure.errcode is not None:
        return jsonify(errcode=failure.errcode, errmsg=failure.errmsg)
    return None


def _error_response(error: FakeError) -> Response:
    return jsonify(errcode=error.errcode, errmsg=error.errmsg)


def token() -> Response:
    """GET /cgi-bin/token: a new access token for a correct appid and secret."""
    args = request.args
    issued = _fake().issue_token(args.get("grant_type"), args.get("appid"), args.get("secret"))
    return jsonify(access_token=issued.value, expires_in=TOKEN_TTL)


def custom_send() -> Response:
    """POST /cgi-bin/message/custom/send: record a customer-service message."""
    fake = _fake()
    fake.check_token(request.args.get("access_token"))
    body = _json_body()
    if not body.get("touser"):
        raise FakeError(40003, "invalid openid")
    msgtype = body.get("msgtype")
    if msgtype not in MSG_TYPES or not isinstance(body.get(msgtype), dict):
        raise FakeError(40008, "invalid message type")
    if msgtype == "text" and not body["text"].get("content"):
        raise FakeError(44004, "empty content")
    fake.use_window(body["touser"])
    with fake.lock:
        fake.sent.append(body)
    return jsonify(errcode=0, errmsg="ok")


def _check_template(fake: FakeWeChat, body: dict[str, Any]) -> str:
    """touser and template_id present, the template known; return the template_id."""
    if not body.get("touser"):
        raise FakeError(40003, "invalid openid")
    template_id = body.get("template_id")
    if not isinstance(template_id, str) or not template_id:
        raise FakeError(40037, "invalid template_id")
    if fake.templates and template_id not in fake.templates:
        raise FakeError(40037, "invalid template_id")
    return template_id


def _check_data(data: Any) -> None:
    """Each field {"value": ...} within its type's length (thing1: 20 characters ...)."""
    if not isinstance(data, dict) or not data:
        raise FakeError(47003, "argument invalid! data is empty")
    for key, field in data.items():
        value = field.get("value") if isinstance(field, dict) else None
        if not isinstance(value, str) or not value:
            raise FakeError(47003, f"argument invalid! data.{key}.value is empty")
        kind = key.rstrip("0123456789")
        if len(value) > FIELD_LIMITS.get(kind, 200):
            raise FakeError(47003, f"argument invalid! data.{key}.value too long")
        if kind == "character_string" and not value.isascii():
            raise FakeError(47003, f"argument invalid! data.{key}.value invalid")


def _record_notice(fake: FakeWeChat, endpoint: str, body: dict[str, Any]) -> Response:
    with fake.lock:
        fake.notices.append({"endpoint": endpoint, **body})
        msgid = len(fake.notices)
    return jsonify(errcode=0, errmsg="ok", msgid=msgid)


def subscribe_bizsend() -> Response:
    """POST /cgi-bin/message/subscribe/bizsend: a subscription notice, one consent spent."""
    fake = _fake()
    fake.check_token(request.args.get("access_token"))
    body = _json_body()
    template_id = _check_template(fake, body)
    _check_data(body.get("data"))
    fake.use_consent((body["touser"], template_id))
    return _record_notice(fake, "subscribe", body)


def template_subscribe() -> Response:
    """POST /cgi-bin/message/template/subscribe: the one send of a one-time link's consent."""
    fake = _fake()
    fake.check_token(request.args.get("access_token"))
    body = _json_body()
    template_id = _check_template(fake, body)
    title, data = body.get("title"), body.get("data")
    content = data.get("content", {}).get("value") if isinstance(data, dict) else None
    if not isinstance(title, str) or not title or len(title) > 15:
        raise FakeError(47003, "argument invalid! title")
    if not isinstance(content, str) or not content or len(content) > 200:
        raise FakeError(47003, "argument invalid! data.content")
    fake.use_consent((body["touser"], template_id, body.get("scene")))
    return _record_notice(fake, "one_time", body)


def template_send() -> Response:
    """POST /cgi-bin/message/template/send: verified accounts, to followers only."""
    fake = _fake()
    fake.check_token(request.args.get("access_token"))
    if not fake.verified:
        raise FakeError(48001, "api unauthorized")
    body = _json_body()
    _check_template(fake, body)
    _check_data(body.get("data"))
    if body["touser"] in fake.unfollowed:
        raise FakeError(43004, "require subscribe")
    return _record_notice(fake, "template", body)


def _scene_key(action: str, action_info: Any) -> str:
    """Validate action_info.scene for the action; return a key unique per scene."""
    scene = action_info.get("scene") if isinstance(action_info, dict) else None
    if not isinstance(scene, dict):
        raise FakeError(40053, "invalid action info")
    if action.endswith("STR_SCENE"):
        value = scene.get("scene_str")
        if not isinstance(value, str) or not 1 <= len(value) <= 64:
            raise FakeError(40053, "invalid action info")
        return f"str:{value}"
    value = scene.get("scene_id")
    highest = MAX_PERMANENT_SCENE_ID if action == "QR_LIMIT_SCENE" else MAX_TEMP_SCENE_ID
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= highest:
        raise FakeError(40053, "invalid action info")
    return f"id:{value}"


def qrcode_create() -> Response:
    """POST /cgi-bin/qrcode/create: permanent codes are one per scene, temporary ones fresh."""
    fake = _fake()
    fake.check_token(request.args.get("access_token"))
    body = _json_body()
    action = body.get("action_name")
    if action not in QR_ACTIONS:
        raise FakeError(40052, "invalid action name")
    scene_key = _scene_key(action, body.get("action_info"))
    if action.startswith("QR_LIMIT"):
        return jsonify(fake.permanent_code(scene_key))  # WeChat omits expire_seconds here
    expire = body.get("expire_seconds", DEFAULT_TEMP_EXPIRE)
    if isinstance(expire, bool) or not isinstance(expire, int):
        raise FakeError(40097, "invalid args")
    if not 1 <= expire <= MAX_TEMP_EXPIRE:
        raise FakeError(40097, "invalid args")
    return jsonify(expire_seconds=expire, **new_qr_code())


def media_get() -> Response:
    """GET /cgi-bin/media/get: the media bytes with WeChat's Content-disposition header."""
    fake = _fake()
    fake.check_token(request.args.get("access_token"))
    media_id = request.args.get("media_id")
    if not media_id:
        raise FakeError(41006, "media_id missing")
    with fake.lock:
        stored = fake.media.get(media_id)
    if stored is None:
        raise FakeError(40007, "invalid media_id")
    content, content_type = stored
    extension = mimetypes.guess_extension(content_type) or ".bin"
    headers = {
        "Content-disposition": f'attachment; filename="{media_id}{extension}"',
        "Cache-Control": "no-cache, must-revalidate",
    }
    return Response(content, content_type=content_type, headers=headers)


def control_media() -> Response:
    """POST /_fake/media?media_id=&content_type=: register the raw body as a media file."""
    media_id = request.args.get("media_id") or secrets.token_urlsafe(24)
    content_type = request.args.get("content_type", "image/jpeg")
    fake = _fake()
    with fake.lock:
        fake.media[media_id] = (request.get_data(), content_type)
    return jsonify(media_id=media_id)


def control_sent() -> Response:
    """GET /_fake/sent: every accepted customer-service message, oldest first."""
    fake = _fake()
    with fake.lock:
        return jsonify(messages=list(fake.sent))


def control_notices() -> Response:
    """GET /_fake/notices: every accepted subscription and template message, oldest first
    (each with "endpoint": subscribe, one_time or template)."""
    fake = _fake()
    with fake.lock:
        return jsonify(notices=list(fake.notices))


def control_consent() -> Response:
    """POST /_fake/consent {"openid", "template_id", "long_term"?, "scene"?}: the worker
    accepted in WeChat (a scene: the one-time link's consent). "accept": false withdraws it."""
    spec = request.get_json(force=True)
    key: tuple[Any, ...] = (spec["openid"], spec["template_id"])
    if "scene" in spec:
        key += (spec["scene"],)
    fake = _fake()
    with fake.lock:
        if spec.get("accept", True):
            fake.consents[key] = None if spec.get("long_term") else 1
        else:
            fake.consents.pop(key, None)
    return jsonify(ok=True)


def control_account() -> Response:
    """POST /_fake/account {"verified"?, "templates"?, "unfollowed"?}: the account's state."""
    spec = request.get_json(force=True)
    fake = _fake()
    with fake.lock:
        fake.verified = bool(spec.get("verified", fake.verified))
        fake.templates = set(spec.get("templates", fake.templates))
        fake.unfollowed = set(spec.get("unfollowed", fake.unfollowed))
    return jsonify(ok=True)


def control_interaction() -> Response:
    """POST /_fake/interaction {"openid", "kind": "message"|"event"}: the worker acted, which
    opens (and from then on enforces) their customer-service window."""
    spec = request.get_json(force=True)
    seconds, quota = WINDOWS[spec.get("kind", "message")]
    fake = _fake()
    with fake.lock:
        fake.windows[spec["openid"]] = [fake.clock() + seconds, quota]
    return jsonify(ok=True)


def control_fail() -> Response | tuple[Response, int]:
    """POST /_fake/fail {"endpoint", "count"?, "errcode"?, "errmsg"?, "status"?, "delay"?}."""
    spec = request.get_json(force=True)
    endpoint = spec.get("endpoint")
    if endpoint not in ENDPOINTS:
        return jsonify(error=f"endpoint must be one of {ENDPOINTS}"), 400
    failure = Failure(
        errcode=spec.get("errcode"),
        errmsg=spec.get("errmsg", "injected failure"),
        status=spec.get("status"),
        delay=float(spec.get("delay", 0.0)),
    )
    fake = _fake()
    with fake.lock:
        fake.failures[endpoint].extend([failure] * int(spec.get("count", 1)))
    return jsonify(ok=True)


def control_reset() -> Response:
    """POST /_fake/reset: back to a fresh account."""
    fake = _fake()
    with fake.lock:
        fake.reset()
    return jsonify(ok=True)


def control_stats() -> Response:
    """GET /_fake/stats: calls per endpoint (injected failures included)."""
    fake = _fake()
    with fake.lock:
        return jsonify(token_requests=fake.calls["token"], calls=dict(fake.calls))


def create_fake_app(
    appid: str,
    secret: str,
    *,
    clock: Callable[[], float] = time.time,
    permanent_qr_limit: int = PERMANENT_QR_LIMIT,
) -> Flask:
    """Build the fake; `clock` lets tests age tokens, `permanent_qr_limit` lets them hit the cap."""
    app = Flask(__name__)
    app.extensions["fake_wechat"] = FakeWeChat(appid, secret, clock, permanent_qr_limit)
    app.before_request(_inject_failure)
    app.register_error_handler(FakeError, _error_response)
    app.add_url_rule("/cgi-bin/token", view_func=token, methods=["GET"])
    app.add_url_rule("/cgi-bin/message/custom/send", view_func=custom_send, methods=["POST"])
    app.add_url_rule("/cgi-bin/qrcode/create", view_func=qrcode_create, methods=["POST"])
    app.add_url_rule("/cgi-bin/media/get", view_func=media_get, methods=["GET"])
    app.add_url_rule(
        "/cgi-bin/message/subscribe/bizsend", view_func=subscribe_bizsend, methods=["POST"]
    )
    app.add_url_rule(
        "/cgi-bin/message/template/subscribe", view_func=template_subscribe, methods=["POST"]
    )
    app.add_url_rule("/cgi-bin/message/template/send", view_func=template_send, methods=["POST"])
    app.add_url_rule("/_fake/notices", view_func=control_notices, methods=["GET"])
    app.add_url_rule("/_fake/consent", view_func=control_consent, methods=["POST"])
    app.add_url_rule("/_fake/account", view_func=control_account, methods=["POST"])
    app.add_url_rule("/_fake/interaction", view_func=control_interaction, methods=["POST"])
    app.add_url_rule("/_fake/media", view_func=control_media, methods=["POST"])
    app.add_url_rule("/_fake/sent", view_func=control_sent, methods=["GET"])
    app.add_url_rule("/_fake/fail", view_func=control_fail, methods=["POST"])
    app.add_url_rule("/_fake/reset", view_func=control_reset, methods=["POST"])
    app.add_url_rule("/_fake/stats", view_func=control_stats, methods=["GET"])
    return app


class RedactingRequestHandler(WSGIRequestHandler):
    """Logs requests without their query string, which carries tokens and the secret."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Log method, path and status only."""
        path = urlsplit(getattr(self, "path", "")).path
        self.log("info", '"%s %s" %s', getattr(self, "command", "-"), path, code)


def make_fake_server(app: Flask, host: str = "127.0.0.1", port: int = 0) -> BaseWSGIServer:
    """A threaded werkzeug server for the fake; port 0 picks a free port."""
    return make_server(host, port, app, threaded=True, request_handler=RedactingRequestHandler)


@contextmanager
def serve_in_thread(app: Flask, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve the fake from a background thread; yield its root URL, e.g. http://host:port."""
    server = make_fake_server(app, host)
    # A short poll interval keeps shutdown() fast: tests start one server each.
    serve = partial(server.serve_forever, poll_interval=0.05)
    thread = threading.Thread(target=serve, name="fake-wechat", daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def main(argv: list[str] | None = None) -> None:
    """Run the fake until interrupted; the first stdout line is "listening HOST:PORT"."""
    parser = argparse.ArgumentParser(description="Local fake of the WeChat API")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--appid", required=True)
    parser.add_argument("--secret", required=True)
    args = parser.parse_args(argv)
    server = make_fake_server(create_fake_app(args.appid, args.secret), args.host, args.port)
    print(f"listening {args.host}:{server.server_port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
