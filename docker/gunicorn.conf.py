"""gunicorn settings of the app image; read by ``gunicorn --config docker/gunicorn.conf.py``.

Environment: ``PORT`` (8000; or ``BIND``, e.g. 127.0.0.1:8000), ``WEB_WORKERS`` (2; about
one per core, docs/scaling.md), ``WEB_THREADS`` (4), ``LOG_FORMAT`` (json) and
``PROMETHEUS_MULTIPROC_DIR`` (metrics shared by the workers; emptied when gunicorn starts).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

bind = os.environ.get("BIND") or f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_WORKERS", "2"))
threads = int(os.environ.get("WEB_THREADS", "4"))
# WeChat waits 5 s for a reply; a request still running after 30 s is stuck.
timeout = 30
graceful_timeout = 20
keepalive = 5

# One root handler from ops/logs.py (JSON, request id, masking) for gunicorn's own records
# too. gunicorn's access log is dropped: the app logs one line per request with the URL
# rule instead of the raw path and query string (which hold OpenIDs and signatures).
logconfig_dict: dict[str, Any] = {
    "root": {"level": "INFO", "handlers": ["anxin"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": [], "propagate": True},
        "gunicorn.access": {"level": "CRITICAL", "handlers": [], "propagate": False},
    },
    "handlers": {
        "anxin": {"()": "ops.logs.make_handler", "kind": os.environ.get("LOG_FORMAT", "json")}
    },
}


def _multiproc_dir() -> Path | None:
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    return Path(path) if path else None


def on_starting(server: Any) -> None:
    """Empty the metrics directory: files of a previous run would be summed in."""
    path = _multiproc_dir()
    if path is not None:
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True, exist_ok=True)


def child_exit(server: Any, worker: Any) -> None:
    """Let prometheus_client drop a dead worker's live gauges."""
    if _multiproc_dir() is not None:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
