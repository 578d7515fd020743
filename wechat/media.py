"""Downloading the media workers send as evidence.

WeChat keeps media for only 3 days, so each file is fetched as soon as the reply has gone
out (in a small background pool, never on the reply's path). A failed download stays
``pending`` and is retried by ``flask --app app media retry`` until ``MAX_ATTEMPTS``.
"""

from __future__ import annotations

import hashlib
import logging
from concurrent.futures import Future, ThreadPoolExecutor, wait
from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Evidence
from models.db import get_session
from wechat.client import WeChatAPIError, download_media, get_client

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


def store_evidence(
    session: Session, evidence: Evidence, content: bytes, content_type: str, media_dir: Path
) -> None:
    """Keep the file under its SHA-256 (the same file sent twice is stored once)."""
    digest = hashlib.sha256(content).hexdigest()
    path = media_dir / digest[:2] / digest
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_bytes(content)
    evidence.sha256, evidence.size = digest, len(content)
    evidence.content_type, evidence.storage_path = content_type, str(path)
    evidence.download_status = "stored"


def download_evidence(app: Flask, evidence_id: int) -> str:
    """Fetch one evidence file from WeChat; return its download status afterwards."""
    with app.app_context():
        session = get_session()
        evidence = session.get(Evidence, evidence_id)
        if evidence is None or evidence.download_status != "pending" or not evidence.media_id:
            return evidence.download_status if evidence else "missing"
        evidence.download_attempts += 1
        try:
            content, content_type = download_media(get_client(app), evidence.media_id)
            store_evidence(session, evidence, content, content_type, media_dir(app))
        except WeChatAPIError as exc:
            log.warning("media download for evidence %s failed: %s", evidence_id, exc)
            if not exc.retryable or evidence.download_attempts >= MAX_ATTEMPTS:
                evidence.download_status = "failed"
        session.commit()
        return evidence.download_status


def media_dir(app: Flask) -> Path:
    """Where evidence files are kept (``MEDIA_DIR``, default ``instance/media``)."""
    return Path(app.config.get("MEDIA_DIR") or Path(app.instance_path) / "media")


class MediaFetcher:
    """A small thread pool that downloads evidence after the webhook has answered."""

    def __init__(self, app: Flask, workers: int = 2) -> None:
        self.app = app
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="media")
        self.futures: list[Future[str]] = []

    def fetch(self, evidence_ids: list[int]) -> None:
        """Queue downloads; a failure is logged and left for ``media retry``."""
        self.futures = [f for f in self.futures if not f.done()]
        for evidence_id in evidence_ids:
            self.futures.append(self.pool.submit(self._safe_download, evidence_id))

    def wait(self, timeout: float = 30) -> None:
        """Block until the queued downloads are done (tests, shutdown)."""
        wait(self.futures, timeout=timeout)

    def _safe_download(self, evidence_id: int) -> str:
        try:
            return download_evidence(self.app, evidence_id)
        except Exception:  # a background thread must not die silently
            log.exception("media download for evidence %s crashed", evidence_id)
            return "pending"


@click.group("media")
def media_cli() -> None:
    """Evidence files."""


@media_cli.command("retry")
@with_appcontext
def retry_command() -> None:
    """Download every evidence file still pending."""
    from flask import current_app

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    pending = (
        get_session()
        .scalars(select(Evidence.id).where(Evidence.download_status == "pending"))
        .all()
    )
    results = [download_evidence(app, evidence_id) for evidence_id in pending]
    click.echo(
        f"待下载 {len(pending)} 个：成功 {results.count('stored')}，"
        f"失败 {results.count('failed')}，稍后重试 {results.count('pending')}"
    )


def init_app(app: Flask) -> None:
    """Keep a fetcher in ``app.extensions["media"]`` and add ``flask media retry``."""
    app.extensions["media"] = MediaFetcher(app)
    app.cli.add_command(media_cli)
