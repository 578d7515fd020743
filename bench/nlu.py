"""Benchmark NLU parsing through Anxin's client: latency p50/p99 and throughput.

Starts a real Rasa server on the current model (training it if the data changed) unless
--rasa-url is given, then parses the held-out messages from C concurrent callers through
``RasaClient.parse`` (normalisation and entity extraction included). Also times the
rule-based fallback alone.

    .venv/bin/python bench/nlu.py [--callers 8] [--rounds 3] [--replicas 2] [--rasa-url URLS]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nlu.client import RasaClient, rule_parse  # noqa: E402
from nlu.server import running_rasa  # noqa: E402

HELDOUT = ROOT / "nlu" / "eval" / "heldout.jsonl"


def main() -> None:
    """Run the benchmark and print its figures."""
    args = _arguments()
    texts = [json.loads(line)["text"] for line in HELDOUT.read_text("utf-8").splitlines() if line]
    if args.rasa_url:
        _measure(args.rasa_url, texts, args)
        return
    (ROOT / "instance").mkdir(exist_ok=True)
    with ExitStack() as stack:
        urls = [
            stack.enter_context(running_rasa(ROOT / "instance" / f"rasa-bench-{i}.log"))
            for i in range(args.replicas)
        ]
        _measure(",".join(urls), texts, args)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--callers", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3, help="passes over the held-out set")
    parser.add_argument("--replicas", type=int, default=1, help="Rasa servers to start")
    parser.add_argument("--rasa-url", default=None, help="use running server(s), comma-separated")
    return parser.parse_args()


def _measure(url: str, texts: list[str], args: argparse.Namespace) -> None:
    client = RasaClient(url, timeout=5)
    for text in texts[:20]:  # warm up connections and Rasa's first-call costs
        client.parse(text)
    work = texts * args.rounds

    def timed(text: str) -> tuple[float, str]:
        started = time.perf_counter()
        result = client.parse(text)
        return time.perf_counter() - started, result.source

    started = time.perf_counter()
    with ThreadPoolExecutor(args.callers) as pool:
        results = list(pool.map(timed, work))
    elapsed = time.perf_counter() - started
    replicas = len(url.split(","))
    label = f"rasa via client, {replicas} replica(s), {args.callers} callers"
    _report(label, [s for s, _ in results], elapsed)
    fallbacks = sum(1 for _, source in results if source != "rasa")
    print(f"  answers from the rule fallback (timeouts/errors): {fallbacks}")

    started = time.perf_counter()
    seconds = []
    for text in work:
        begin = time.perf_counter()
        rule_parse(text)
        seconds.append(time.perf_counter() - begin)
    _report("rule-based fallback, 1 caller", seconds, time.perf_counter() - started)


def _report(label: str, seconds: list[float], elapsed: float) -> None:
    ordered = sorted(seconds)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    print(
        f"{label}: parses={len(ordered)} throughput={len(ordered) / elapsed:.1f}/s "
        f"p50={statistics.median(ordered) * 1000:.1f}ms p99={p99 * 1000:.1f}ms"
    )


if __name__ == "__main__":
    main()
