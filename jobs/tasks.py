"""The outbound work Anxin queues: customer-service messages and evidence downloads.

WeChat's errors decide what happens next (see the table in ``wechat/client.py``):

    45009  daily API quota used up        retried after midnight, China time
    45047  this worker's customer-service quota used up (20 per 48 h)
                                          held until the worker writes again
    45015  48-hour reply window passed    dead: staff are asked to phone the worker
    other retryable codes, timeouts       retried with backoff
    other codes                           dead
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from jobs.runner import GiveUp, HoldForWorker, RetryLater, handler
from models import ConversationState, Evidence, Message, OutboxJob, Worker, case_work_of
from wechat.client import WeChatAPIError, download_media, get_client, send_text
from wechat.media import MAX_ATTEMPTS as MEDIA_ATTEMPTS
from wechat.media import media_dir, store_evidence

CHINA = ZoneInfo("Asia/Shanghai")
DAILY_QUOTA = 45009
WINDOW_CLOSED = 45015
WORKER_QUOTA = 45047


def wechat_failure(exc: WeChatAPIError, now: datetime | None = None) -> Exception:
    """How the runner should treat a WeChat API error."""
    if exc.errcode == DAILY_QUOTA:
        return RetryLater(str(exc), at=next_china_midnight(now))
    if exc.errcode == WORKER_QUOTA:
        return HoldForWorker(str(exc))
    if exc.retryable:
        return RetryLater(str(exc))
    return GiveUp(str(exc))


def next_china_midnight(now: datetime | None = None) -> datetime:
    """When WeChat's daily quotas reset (00:00 in China), with a minute's margin."""
    today = (now or datetime.now(CHINA)).astimezone(CHINA).date()
    return datetime.combine(today + timedelta(days=1), time(0, 1), CHINA)


def _send_message(session: Session, job: OutboxJob) -> None:
    message = session.get(Message, job.payload["message_id"])
    if message is None or message.status == "cs_sent":
        return  # already sent by an earlier attempt whose process died before recording it
    worker = session.get(Worker, message.worker_id)
    assert worker is not None
    try:
        send_text(get_client(current_app), worker.openid, message.content or "")
    except WeChatAPIError as exc:
        message.payload = {**message.payload, "errcode": exc.errcode}
        session.commit()
        raise wechat_failure(exc) from exc
    message.status = "cs_sent"


def _undelivered(session: Session, job: OutboxJob) -> None:
    """Staff must reach the worker another way: flag the case, or the conversation."""
    message = session.get(Message, job.payload["message_id"])
    if message is None:
        return
    message.status = "cs_failed"
    errcode = message.payload.get("errcode")
    reason = (
        "微信回复窗口已过（45015），请电话联系工人"
        if errcode == WINDOW_CLOSED
        else f"微信推送失败（错误码 {errcode or '未知'}），请电话联系工人"
    )
    complaint_id = job.payload.get("complaint_id")
    if complaint_id is not None:
        case_work_of(session, complaint_id).call_worker_reason = reason
        return
    state = session.scalar(
        select(ConversationState).where(ConversationState.worker_id == message.worker_id)
    )
    if state is not None and state.handoff_requested_at is None:
        state.handoff_requested_at, state.handoff_reason = message.created_at, "undelivered"


handler("send_message", on_dead=_undelivered)(_send_message)


@handler("download_media")
def _download_media(session: Session, job: OutboxJob) -> None:
    evidence = session.get(Evidence, job.payload["evidence_id"])
    if evidence is None or evidence.download_status != "pending" or not evidence.media_id:
        return
    evidence.download_attempts += 1
    try:
        content, content_type = download_media(get_client(current_app), evidence.media_id)
    except WeChatAPIError as exc:
        if not exc.retryable or evidence.download_attempts >= MEDIA_ATTEMPTS:
            evidence.download_status = "failed"
            session.commit()
            raise GiveUp(str(exc)) from exc
        session.commit()
        raise wechat_failure(exc) from exc
    store_evidence(evidence, content, content_type, media_dir(current_app))
