"""The worker's consent to progress notices: given, refused, withdrawn.

Consent reaches us three ways (developers.weixin.qq.com, 订阅通知 and 一次性订阅消息):

- the subscribe button (``wx-open-subscribe``) on our page: WeChat pushes a
  ``subscribe_msg_popup_event`` listing each template with ``accept`` or ``reject``;
- the user later switches a template off in WeChat's settings: ``subscribe_msg_change_event``;
- the one-time subscription link: WeChat redirects to our page with ``action=confirm`` and
  the ``scene`` and ``reserved`` we gave it (``wechat/subscribe.py``).

And the worker may write "不要再通知我": every consent of theirs is withdrawn. Session
functions; the caller commits.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models import NoticeConsent

#: The one-time link's scene is an integer 0-10000 (its documentation): the case's id names it.
SCENES = 10001
#: The link's ``reserved`` holds [a-zA-Z0-9] only, at most 128 bytes.
RESERVED_MAC = 20


def grant(
    session: Session,
    worker_id: int,
    template_id: str,
    *,
    long_term: bool,
    source: str,
    now: datetime,
    complaint_id: int | None = None,
) -> NoticeConsent:
    """Store one consent (a one-time consent allows one send; WeChat does not add up
    repeated one-time consents of one scene, so neither do we: an unused one is reused)."""
    existing = session.scalar(
        select(NoticeConsent).where(
            NoticeConsent.worker_id == worker_id,
            NoticeConsent.template_id == template_id,
            NoticeConsent.complaint_id.is_(None)
            if complaint_id is None
            else NoticeConsent.complaint_id == complaint_id,
            NoticeConsent.revoked_at.is_(None),
            NoticeConsent.used_at.is_(None),
        )
    )
    if existing is not None:
        existing.long_term = existing.long_term or long_term
        return existing
    consent = NoticeConsent(
        worker_id=worker_id,
        complaint_id=complaint_id,
        template_id=template_id,
        long_term=long_term,
        source=source,
        granted_at=now,
    )
    session.add(consent)
    return consent


def withdraw(
    session: Session, worker_id: int, now: datetime, template_ids: Iterable[str] | None = None
) -> int:
    """Withdraw the worker's consents (all, or those of ``template_ids``); return how many."""
    query = update(NoticeConsent).where(
        NoticeConsent.worker_id == worker_id, NoticeConsent.revoked_at.is_(None)
    )
    if template_ids is not None:
        query = query.where(NoticeConsent.template_id.in_(list(template_ids)))
    result = session.execute(
        query.values(revoked_at=now).execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def record_popup(
    session: Session,
    worker_id: int,
    choices: Iterable[tuple[str, str]],
    *,
    long_term: bool,
    now: datetime,
    source: str = "popup",
) -> list[NoticeConsent]:
    """The worker's choices on the subscribe button or in settings: ``(TemplateId,
    SubscribeStatusString)`` pairs; "accept" grants, anything else ("reject") withdraws."""
    granted: list[NoticeConsent] = []
    for template_id, status in choices:
        if status == "accept":
            granted.append(
                grant(session, worker_id, template_id, long_term=long_term, source=source, now=now)
            )
        else:
            withdraw(session, worker_id, now, [template_id])
    return granted


def popup_choices(event: dict[str, object]) -> list[tuple[str, str]]:
    """``(TemplateId, SubscribeStatusString)`` pairs of a parsed ``subscribe_msg_popup_event``
    or ``subscribe_msg_change_event`` (one item or a list, as XML-to-dict gives them)."""
    for key in ("SubscribeMsgPopupEvent", "SubscribeMsgChangeEvent"):
        block = event.get(key)
        if isinstance(block, dict):
            items = block.get("List")
            if isinstance(items, dict):
                items = [items]
            if isinstance(items, list):
                return [
                    (str(item["TemplateId"]), str(item.get("SubscribeStatusString", "")))
                    for item in items
                    if isinstance(item, dict) and item.get("TemplateId")
                ]
    return []


def sent_results(event: dict[str, object]) -> list[tuple[str, str]]:
    """``(MsgID, result)`` pairs of WeChat's word on notices it took: TEMPLATESENDJOBFINISH
    (``Status``: success, "failed:user block", "failed: system failed") or
    ``subscribe_msg_sent_event`` (a list with ``ErrorCode`` 0 for success)."""
    if event.get("MsgID") and event.get("Status"):
        return [(str(event["MsgID"]), str(event["Status"]))]
    block = event.get("SubscribeMsgSentEvent")
    items = block.get("List") if isinstance(block, dict) else None
    if isinstance(items, dict):
        items = [items]
    results: list[tuple[str, str]] = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and item.get("MsgID"):
            code = str(item.get("ErrorCode", ""))
            status = "success" if code == "0" else f"failed:{item.get('ErrorStatus', code)}"
            results.append((str(item["MsgID"]), status))
    return results


def reserved_for(secret: str, complaint_id: int) -> str:
    """The one-time link's ``reserved``: the case and a MAC, so a forged redirect is refused."""
    return f"{complaint_id}x{_mac(secret, complaint_id)}"


def complaint_of_reserved(secret: str, reserved: str) -> int | None:
    """The case a ``reserved`` names, or None when it was not made by us."""
    number, _, mac = reserved.partition("x")
    if not number.isdigit() or not hmac.compare_digest(mac, _mac(secret, int(number))):
        return None
    return int(number)


def scene_of(complaint_id: int) -> int:
    """The one-time link's scene of a case."""
    return complaint_id % SCENES


def _mac(secret: str, complaint_id: int) -> str:
    digest = hmac.new(secret.encode(), f"notices:{complaint_id}".encode(), hashlib.sha256)
    return digest.hexdigest()[:RESERVED_MAC]
