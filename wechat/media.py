"""Keeping the media workers send as evidence.

WeChat keeps media for only 3 days, so each file is fetched as soon as the reply has gone
out: the webhook queues a ``download_media`` job (``jobs/media.py``) in the transaction
that stores the evidence, and the job calls :func:`store_evidence`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask

from models import Evidence

#: Download attempts before an evidence file is given up as failed.
MAX_ATTEMPTS = 5


def store_evidence(evidence: Evidence, content: bytes, content_type: str, media_dir: Path) -> None:
    """Keep the file under its SHA-256 (the same file sent twice is stored once)."""
    digest = hashlib.sha256(content).hexdigest()
    path = media_dir / digest[:2] / digest
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_bytes(content)
    evidence.sha256, evidence.size = digest, len(content)
    evidence.content_type, evidence.storage_path = content_type, str(path)
    evidence.download_status = "stored"


def media_dir(app: Flask) -> Path:
    """Where evidence files are kept (``MEDIA_DIR``, default ``instance/media``)."""
    return Path(app.config.get("MEDIA_DIR") or Path(app.instance_path) / "media")
