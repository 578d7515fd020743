"""Benchmark the /wechat webhook against a real gunicorn, in plaintext and safe mode.

Starts gunicorn on a free port (SQLite in a temporary folder unless DATABASE_URL is set;
no Rasa unless --rasa-url is given, so the rule-based NLU answers), sends signed pushes
from N concurrent simulated workers, and prints requests/s and p50/p99 latency per mode.

    .venv/bin/python bench/webhook.py [--workers 20] [--messages 25] [--rasa-url URL]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from config import DEFAULTS  # noqa: E402
from webhooks.simulator import WeChatSimulator  # noqa: E402

MESSAGES = [
    "老板欠我们工资三个月了",
    "我在紫荆苑工地干了三个月,老板欠我们5个人十二万",
    "你好",
    "我的投诉有进展了吗",
    "转人工",
]


def main() -> None:
    """Run the benchmark and print its figures."""
    args = _arguments()
    with tempfile.TemporaryDirectory() as tmp:
        url, server = _start_gunicorn(Path(tmp), args)
        try:
            for encrypted in (False, True):
                _run_mode(url, encrypted, args.workers, args.messages)
        finally:
            server.terminate()
            server.wait(timeout=30)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=20, help="concurrent simulated workers")
    parser.add_argument("--messages", type=int, default=25, help="messages per worker")
    parser.add_argument("--gunicorn-workers", type=int, default=2)
    parser.add_argument("--rasa-url", default="http://127.0.0.1:9")
    return parser.parse_args()


def _start_gunicorn(tmp: Path, args: argparse.Namespace) -> tuple[str, subprocess.Popen[bytes]]:
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite"),
        "RASA_URL": args.rasa_url,
    }
    subprocess.run(
        [str(ROOT / ".venv/bin/flask"), "--app", "app", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.gunicorn_workers),
            "--threads",
            "4",
            "app:create_app()",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            if requests.get(url + "/healthz", timeout=1).ok:
                return url + "/wechat", server
        except requests.RequestException:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def _run_mode(url: str, encrypted: bool, workers: int, messages: int) -> None:
    def one_worker(_: int) -> list[tuple[float, bool]]:
        sim = WeChatSimulator(
            DEFAULTS["WECHAT_TOKEN"],
            DEFAULTS["WECHAT_APPID"],
            DEFAULTS["WECHAT_ENCODING_AES_KEY"],
            encrypted=encrypted,
        )
        session = requests.Session()
        results = []
        for i in range(messages):
            push = sim.push(sim.text(MESSAGES[i % len(MESSAGES)]))
            started = time.perf_counter()
            response = session.post(url, params=push.args, data=push.body, timeout=10)
            ok = response.status_code == 200 and sim.read_reply(response.content) is not None
            results.append((time.perf_counter() - started, ok))
        return results

    started = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        results = [r for batch in pool.map(one_worker, range(workers)) for r in batch]
    elapsed = time.perf_counter() - started
    latencies = sorted(seconds for seconds, _ in results)
    errors = sum(1 for _, ok in results if not ok)
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    print(
        f"{'safe (AES)' if encrypted else 'plaintext':11} requests={len(results)} "
        f"concurrency={workers} rps={len(results) / elapsed:.1f} "
        f"p50={statistics.median(latencies) * 1000:.1f}ms p99={p99 * 1000:.1f}ms errors={errors}"
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


if __name__ == "__main__":
    main()
