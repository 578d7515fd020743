"""Errors of the site registry and poster tools; their messages are shown to site managers."""

from __future__ import annotations


class PosterError(Exception):
    """A poster or QR code cannot be made; the message (Chinese) says why and what to do."""


class SiteNotFound(PosterError):
    """No site has this code, or it is inactive."""


class MissingFacts(PosterError):
    """The site lacks facts the law requires on the board."""

    def __init__(self, code: str, labels: list[str]) -> None:
        self.code = code
        self.labels = labels
        super().__init__(f"工地 {code} 缺少告示牌必填信息：{'、'.join(labels)}")


class FontNotFound(PosterError):
    """No embeddable CJK TrueType font is available."""


class QRCreateFailed(PosterError):
    """WeChat did not create the permanent QR code."""


class QRCapReached(QRCreateFailed):
    """The account's permanent QR codes (at most 100,000) are used up."""
