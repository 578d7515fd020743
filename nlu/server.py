"""Start real Rasa servers on the current model (for tests and benchmarks)."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

from nlu.training import PROJECT, RASA, ensure_model


@dataclass(frozen=True)
class RasaServer:
    """A running ``rasa run --enable-api``: where it listens and its process id."""

    url: str
    pid: int


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_rasa(log_path: Path, port: int | None = None, timeout: float = 180) -> Iterator[str]:
    """Train if needed, start ``rasa run --enable-api`` on 127.0.0.1, yield its URL, stop it."""
    with running_rasa_servers([log_path], [port] if port else None, timeout) as servers:
        yield servers[0].url


@contextmanager
def running_rasa_servers(
    log_paths: list[Path], ports: list[int] | None = None, timeout: float = 180
) -> Iterator[list[RasaServer]]:
    """Start one Rasa replica per log file, all at once (each loads the model in ~15 s on its
    own core), wait until every one is ready, yield them, stop them."""
    model = ensure_model()
    ports = ports or [free_port() for _ in log_paths]
    with ExitStack() as stack:
        started = [
            (stack.enter_context(_process(model, port, log_path)), port, log_path)
            for port, log_path in zip(ports, log_paths, strict=True)
        ]
        servers = []
        for process, port, log_path in started:
            url = f"http://127.0.0.1:{port}"
            _wait_until_ready(url, process, timeout, log_path)
            servers.append(RasaServer(url, process.pid))
        yield servers


@contextmanager
def _process(model: Path, port: int, log_path: Path) -> Iterator[subprocess.Popen[bytes]]:
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
        try:
            yield process
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
