"""Start a real Rasa server on the current model (for tests and benchmarks)."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

from nlu.training import PROJECT, RASA, ensure_model


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_rasa(log_path: Path, port: int | None = None, timeout: float = 180) -> Iterator[str]:
    """Train if needed, start ``rasa run --enable-api`` on 127.0.0.1, yield its URL, stop it."""
    model = ensure_model()
    port = port or free_port()
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [
                str(RASA),
                "run",
                "--enable-api",
                "-i",
                "127.0.0.1",
                "-p",
                str(port),
                "-m",
                str(model),
            ],
            cwd=PROJECT,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"},
        )
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_until_ready(url, process, timeout, log_path)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=30)


def _wait_until_ready(
    url: str, process: subprocess.Popen[bytes], timeout: float, log_path: Path
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"rasa exited early; see {log_path}")
        try:
            if "model_file" in requests.get(url + "/status", timeout=2).json():
                return
        except (requests.RequestException, ValueError):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"rasa did not become ready in {timeout:.0f} s; see {log_path}")
