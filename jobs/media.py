"""The ``download_media`` job: fetch a worker's photo, voice or video from WeChat.

WeChat keeps a temporary media file for three days; the job is queued after the turn that
received it, so the reply is never delayed by the download.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy.orm import Session

from jobs.failures import GiveUp, wechat_failure
from jobs.outbox import enqueue
from models import Evidence, OutboxJob
from wechat.client import WeChatAPIError, download_media, get_client
from wechat.media import MAX_ATTEMPTS, media_dir, store_evidence

KIND = "download_media"


def queue_download(session: Session, evidence_id: int, worker_id: int | None) -> None:
    """Queue the download of one piece of evidence, in the caller's transaction."""
    enqueue(session, KIND, {"evidence_id": evidence_id}, worker_id=worker_id)


def download(session: Session, job: OutboxJob) -> None:
    """Run one download: store the file, or count the attempt and let the runner retry."""
    evidence = session.get(Evidence, job.payload["evidence_id"])
    if evidence is None or evidence.download_status != "pending" or not evidence.media_id:
        return
    evidence.download_attempts += 1
    try:
        content, content_type = download_media(get_client(current_app), evidence.media_id)
    except WeChatAPIError as exc:
        if not exc.retryable or evidence.download_attempts >= MAX_ATTEMPTS:
            evidence.download_status = "failed"
            session.commit()
            raise GiveUp(str(exc)) from exc
        session.commit()  # the attempt counts even though the job is rolled back
        raise wechat_failure(exc) from exc
    store_evidence(evidence, content, content_type, media_dir(current_app))
