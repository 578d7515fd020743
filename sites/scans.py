"""Recording how workers arrive through a site code; pure data functions for the bot.

The bot calls :func:`record_scan` on a QR ``subscribe``/``SCAN`` event or on a "工地 <code>"
text (see :func:`parse_site_command`) and greets the worker with the site it returns.
"""

from __future__ import annotations

import logging
import re

from sqlalchemy.orm import Session

from models import Scan, Site
from models.site import SCAN_KINDS
from sites.registry import get_site

logger = logging.getLogger(__name__)

#: WeChat prefixes the scene of a QR that made the user subscribe (wechat.md, section 4).
QR_SCENE_PREFIX = "qrscene_"
MAX_SCENE = 128  # the column's length; WeChat's EventKey is short, a typed text may not be
#: What is kept (and shown to staff in the scan analytics) of a typed "工地 <code>" that
#: names no site.
TYPED = "（工人手输）"
# "工地 AB12", "工地：AB12", "工地AB12" (full-width spaces and colons as phones type them).
_SITE_COMMAND = re.compile(r"^\s*工地\s*[:：]?\s*([A-Za-z0-9][A-Za-z0-9_-]{0,31})\s*$")


def parse_site_command(text: str) -> str | None:
    """The code in a "工地 <code>" message, or None when the text is something else."""
    match = _SITE_COMMAND.match(text.replace("\u3000", " "))
    return match.group(1) if match else None


def scene_code(scene: str) -> str:
    """The site code in a scene: EventKey may still carry the subscribe prefix."""
    return scene.removeprefix(QR_SCENE_PREFIX)


def record_scan(session: Session, *, code: str, worker_id: int, kind: str) -> Site | None:
    """Record one arrival through a site code; return the active site, or None.

    ``kind`` is "subscribe" (a QR that made the worker follow), "scan" (a QR while
    following) or "text" ("工地 <code>"). Unknown and inactive codes are recorded too (a
    misprinted or stale poster shows up in the analytics) and logged; a scan of an inactive
    site keeps its ``site_id`` with ``known`` false. The caller commits.
    """
    if kind not in SCAN_KINDS:
        raise ValueError(f"kind must be one of {SCAN_KINDS}, not {kind!r}")
    site = get_site(session, scene_code(code)) if code.strip() else None
    known = site is not None and site.active
    # A typed code that names no site is the worker's own text ("工地 13912345678" is a
    # phone number): neither logged nor kept. QR scenes are ours (we printed them).
    scene = TYPED if kind == "text" and site is None else code[:MAX_SCENE]
    if not known:
        # Worker ids only: OpenIDs stay out of the logs.
        state = "inactive" if site is not None else "unknown"
        shown = TYPED if kind == "text" else repr(code)
        logger.warning("%s site code %s (%s, worker %s)", state, shown, kind, worker_id)
    session.add(
        Scan(
            site_id=None if site is None else site.id,
            worker_id=worker_id,
            scene=scene,
            kind=kind,
            known=known,
        )
    )
    session.flush()
    return site if known else None
