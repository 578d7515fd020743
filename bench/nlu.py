"""Benchmark NLU parsing through Anxin's client: latency p50/p99, throughput and CPU.

Starts real Rasa replicas on the current model (training it if the data changed) unless
--rasa-url is given, then parses the held-out messages from C concurrent callers through
``RasaClient.parse`` (normalisation, entities and the recall guard included), for every
combination of --replicas and --callers. Also times the rule-based fallback alone.

- "cold": the client's cache is off, so every parse goes to Rasa (the honest figure).
- "mix" (--mix): the cache is on; every held-out and dev message (all distinct) is followed,
  one time in two, by one of the stock replies below, as in a real conversation; the share
  of parses answered from the cache is shown.

CPU per parse is split into the client (this process) and the servers (read from /proc when
this script started them). The machine is shared: the 1-minute load average before each run
is printed, and a busy machine shows in the tails.

    .venv/bin/python bench/nlu.py [--replicas 1,2] [--callers 1,8] [--rounds 3] [--mix]
                                  [--rasa-url URLS]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from config import DEFAULTS  # noqa: E402
from nlu.client import RasaClient, rule_parse  # noqa: E402
from nlu.server import RasaServer, running_rasa_servers  # noqa: E402

HELDOUT = ROOT / "nlu" / "eval" / "heldout.jsonl"
DEV = ROOT / "nlu" / "eval" / "dev.jsonl"
#: Short replies that workers send again and again while the bot fills the complaint form.
STOCK_REPLIES = (
    "好的", "好", "是", "是的", "对", "对的", "嗯", "嗯嗯", "可以", "确认", "没有", "不是", "不对",
    "没有了", "谢谢", "谢谢你", "你好", "在吗", "1", "2", "有", "有欠条", "没有合同", "取消",
    "转人工", "再见", "知道了", "行", "没问题", "好的谢谢",
)  # fmt: skip


def main() -> None:
    """Run the benchmark and print its figures."""
    args = _arguments()
    texts = [json.loads(line)["text"] for line in HELDOUT.read_text("utf-8").splitlines() if line]
    replicas = [int(n) for n in args.replicas.split(",")]
    callers = [int(n) for n in args.callers.split(",")]
    print(
        "replicas callers mode  parses  parses/s  p50 ms  p99 ms  "
        "client CPU ms  server CPU ms  cache hits  load"
    )
    if args.rasa_url:
        urls = [u.strip() for u in args.rasa_url.split(",") if u.strip()]
        _table([RasaServer(u, 0) for u in urls], [len(urls)], callers, texts, args)
    else:
        (ROOT / "instance").mkdir(exist_ok=True)
        logs = [ROOT / "instance" / f"rasa-bench-{i}.log" for i in range(max(replicas))]
        with running_rasa_servers(logs) as servers:
            _table(servers, replicas, callers, texts, args)
    _rules(texts * args.rounds)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--replicas", default="1,2", help="Rasa servers, e.g. 1,2,3")
    parser.add_argument("--callers", default="1,8", help="concurrent callers, e.g. 1,8")
    parser.add_argument("--rounds", type=int, default=3, help="passes over the held-out set")
    parser.add_argument("--mix", action="store_true", help="also run the cached realistic mix")
    parser.add_argument("--rasa-url", default=None, help="use running server(s), comma-separated")
    return parser.parse_args()


def _table(
    servers: list[RasaServer],
    replicas: list[int],
    callers: list[int],
    texts: list[str],
    args: argparse.Namespace,
) -> None:
    for count in replicas:
        for threads in callers:
            _run(servers[:count], threads, texts * args.rounds, cache_size=0, mode="cold")
        if args.mix:
            work = _mix(random.Random(42))
            _run(servers[:count], max(callers), work, DEFAULTS["NLU_CACHE_SIZE"], mode="mix")


def _mix(rng: random.Random) -> list[str]:
    """Every held-out and dev message once, each followed one time in two by a stock reply.

    The messages are distinct, so only the stock replies can hit the cache."""
    texts = []
    for path in (HELDOUT, DEV):
        texts += [json.loads(line)["text"] for line in path.read_text("utf-8").splitlines() if line]
    work = []
    for text in dict.fromkeys(texts):
        work.append(text)
        if rng.random() < 0.5:
            work.append(rng.choice(STOCK_REPLIES))
    return work


def _run(
    servers: list[RasaServer], threads: int, work: list[str], cache_size: int, mode: str
) -> None:
    client = RasaClient(",".join(s.url for s in servers), timeout=5, cache_size=cache_size)
    for text in work[:20]:  # warm up connections and Rasa's first-call costs
        client.parse(text)
    client.cache.hits = client.cache.misses = 0
    load = os.getloadavg()[0]

    def timed(text: str) -> tuple[float, str]:
        started = time.perf_counter()
        result = client.parse(text)
        return time.perf_counter() - started, result.source

    server_before = [_cpu_seconds(s.pid) for s in servers]
    client_before = _own_cpu_seconds()
    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        results = list(pool.map(timed, work))
    elapsed = time.perf_counter() - started
    client_cpu = (_own_cpu_seconds() - client_before) / len(work)
    server_after = [_cpu_seconds(s.pid) for s in servers]
    server_cpu = (
        sum(a - b for a, b in zip(server_after, server_before, strict=True)) / len(work)
        if all(v is not None for v in server_after + server_before)
        else None
    )
    seconds = sorted(s for s, _ in results)
    lookups = client.cache.hits + client.cache.misses
    hits = f"{client.cache.hits / len(work):.0%}" if lookups else "-"
    print(
        f"{len(servers):8} {threads:7} {mode:4} {len(work):7} {len(work) / elapsed:9.0f} "
        f"{_ms(_percentile(seconds, 0.5)):7} {_ms(_percentile(seconds, 0.99)):7} "
        f"{client_cpu * 1000:13.2f} "
        f"{'-' if server_cpu is None else f'{server_cpu * 1000:.2f}':>14} {hits:>11} {load:5.2f}"
    )
    fallbacks = sum(1 for _, source in results if source != "rasa")
    if fallbacks:
        print(f"  answers from the rule fallback (timeouts/errors): {fallbacks}")


def _rules(work: list[str]) -> None:
    started = time.perf_counter()
    seconds = []
    for text in work:
        begin = time.perf_counter()
        rule_parse(text)
        seconds.append(time.perf_counter() - begin)
    seconds.sort()
    print(
        f"rule-based fallback, 1 caller: parses={len(work)} "
        f"throughput={len(work) / (time.perf_counter() - started):.0f}/s "
        f"p50={_ms(_percentile(seconds, 0.5))}ms p99={_ms(_percentile(seconds, 0.99))}ms"
    )


def _percentile(ordered: list[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def _own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU of a process (Linux /proc), None when unknown."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


if __name__ == "__main__":
    main()
