"""What a site's QR code holds, and the code's modules.

Two sources (the rule of ``qr poster``): a permanent WeChat code (``QR_LIMIT_STR_SCENE``,
scene = site code) in production or with ``--wechat``; otherwise the landing page
``PUBLIC_BASE_URL/s/<code>``, for development and for accounts that may not create codes.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlsplit

import qrcode
from qrcode.constants import ERROR_CORRECT_Q
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from wechatpy import WeChatClient

from models import Site, utcnow
from sites.posters.errors import QRCapReached, QRCreateFailed
from wechat.client import WeChatAPIError, create_permanent_qr

logger = logging.getLogger(__name__)

#: WeChat's cap on permanent codes per account (wechat.md, section 6); errcode when reached.
PERMANENT_QR_LIMIT = 100_000
CAP_ERRCODE = 45029
#: The standard's minimum quiet zone, in modules; scanners need it to find the code.
QUIET_ZONE = 4


def landing_url(public_base_url: str, code: str) -> str:
    """The landing page of a site, as printed in a development or link-only QR code."""
    return f"{public_base_url.rstrip('/')}/s/{quote(code, safe='')}"


def is_local_url(url: str) -> bool:
    """True when ``url`` points at this machine: a printed code with it opens nothing."""
    host = (urlsplit(url).hostname or "").lower()
    return host in ("localhost", "0.0.0.0", "::1") or host.startswith("127.")


def use_wechat(config: Mapping[str, Any], choice: bool | None) -> bool:
    """Whether posters carry WeChat codes: the command's choice, else only in production."""
    return choice if choice is not None else config.get("ANXIN_ENV") == "production"


def count_permanent_codes(session: Session) -> int:
    """How many permanent codes this account has made for sites (active or not)."""
    return session.scalar(select(func.count(Site.id)).where(Site.qr_ticket.is_not(None))) or 0


def ensure_wechat_qr(
    session: Session, client: WeChatClient, site: Site, *, limit: int = PERMANENT_QR_LIMIT
) -> str:
    """The site's WeChat QR url, created once and stored; refused past the account's cap.

    The caller commits soon after: a code made but not stored would still count at WeChat.
    """
    if site.qr_url:
        return site.qr_url
    used = count_permanent_codes(session)
    if used >= limit:
        raise QRCapReached(
            f"已用完本公众号的永久二维码额度（{used}/{limit}），无法为工地 {site.code} 新建。"
            "可改用 --link 生成网页链接二维码。"
        )
    try:
        ticket, url = create_permanent_qr(client, site.code)
    except WeChatAPIError as exc:
        if exc.errcode == CAP_ERRCODE:
            raise QRCapReached(
                f"微信提示永久二维码已达上限，无法为工地 {site.code} 新建。"
                "可改用 --link 生成网页链接二维码。"
            ) from None
        hint = "请稍后重试" if exc.retryable else "请检查公众号权限与配置，或改用 --link"
        raise QRCreateFailed(
            f"微信接口未能生成工地 {site.code} 的二维码（{exc}），{hint}。"
        ) from None
    site.qr_ticket, site.qr_url, site.qr_created_at = ticket, url, utcnow()
    session.flush()
    if used + 1 >= limit * 0.9:
        logger.warning("permanent QR codes: %s of %s used", used + 1, limit)
    return url


def qr_modules(data: str) -> list[list[bool]]:
    """The dark/light modules of ``data``'s QR code, quiet zone included.

    Error correction Q (25 %): boards on sites get dusty, splashed and torn.
    """
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_Q, border=QUIET_ZONE)
    code.add_data(data)
    code.make(fit=True)
    return [list(row) for row in code.get_matrix()]


def qr_text(
    session: Session,
    site: Site,
    *,
    public_base_url: str,
    client: WeChatClient | None = None,
    limit: int = PERMANENT_QR_LIMIT,
) -> str:
    """What the site's QR holds: its WeChat code's url when a client is given, else its page."""
    if client is None:
        return landing_url(public_base_url, site.code)
    return ensure_wechat_qr(session, client, site, limit=limit)
