"""HTTP hardening of the console and the API: security headers, no caching, evidence types."""

from __future__ import annotations

from flask import request
from werkzeug.wrappers import Response

#: The console loads only its own stylesheet and media (no scripts at all); no one may frame it.
CONSOLE_CSP = (
    "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
#: The API returns JSON, which never needs to load anything.
API_CSP = "default-src 'none'; frame-ancestors 'none'"

#: Evidence types a browser may show inline: pictures, voice and video as WeChat sends them.
#: Nothing that can carry a script (HTML, SVG, XML, PDF) is on the list.
INLINE_EVIDENCE = frozenset(
    {
        "image/jpeg",
        "image/png",
        "image/gif",
        "image/webp",
        "image/bmp",
        "audio/amr",
        "audio/mpeg",
        "audio/mp3",
        "audio/mp4",
        "audio/aac",
        "audio/ogg",
        "audio/wav",
        "audio/x-wav",
        "audio/speex",
        "video/mp4",
        "video/mpeg",
        "video/quicktime",
        "video/webm",
    }
)


def inline_type(content_type: str | None) -> str | None:
    """The evidence's media type if it may be shown inline, else None (send as a download)."""
    kind = (content_type or "").split(";", 1)[0].strip().lower()
    return kind if kind in INLINE_EVIDENCE else None


def add_security_headers(response: Response) -> Response:
    """An ``after_request`` hook: headers for every console and API response.

    Pages and downloads carry workers' personal data, so nothing but the stylesheet may be
    kept by the browser or a proxy.
    """
    path = request.path
    if path.startswith("/console/") or path == "/console":
        # same-origin, not no-referrer: over HTTPS Flask-WTF refuses a form posted without
        # a same-site Referer (WTF_CSRF_SSL_STRICT), so the console's own forms need it.
        csp, referrer = CONSOLE_CSP, "same-origin"
    elif path.startswith("/api/"):
        csp, referrer = API_CSP, "no-referrer"
    else:
        return response
    response.headers["Content-Security-Policy"] = csp
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = referrer
    if request.endpoint != "console.static":
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    return response
