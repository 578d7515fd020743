"""Load benchmark: the whole stack under many workers' conversations at once.

Starts, on this machine: the fake WeChat API, Rasa replicas on the trained model, gunicorn
on PostgreSQL and Redis, and a job worker (``flask jobs worker``). Then N simulated workers
hold the persona conversations of the test suite (tests/personas.json) concurrently: every
push signed, a third of the workers in safe (AES) mode, 10% of messages delivered a second
time as WeChat's retries do. Phases:

1. conversations: workers pause ``--think`` seconds (uniformly 0.5x..1.5x) between messages,
   as people typing do; prints throughput, p50/p99 latency and errors;
2. capacity: the same workers with no pause, to find the webhook's throughput;
3. Rasa alone: ``POST /model/parse`` of the same texts straight to the replicas, with the
   same concurrency; prints its throughput and the webhook/Rasa ratio.

Phases 2 and 3 also print the CPU time per message of each part of the stack (web, Rasa,
PostgreSQL, job worker, this load generator), read from /proc: on one machine, throughput is
bounded by cores / CPU per message, which is what the ratio comes down to.

After the phases every pushed message is checked in the database: missing or duplicated
inbound messages, and replies not delivered (passively or as customer-service messages) or
delivered twice. ``--soak SECONDS`` runs phase 1 that long and samples the memory (RSS) of
the web and job processes every 30 s, printing the growth after the first minute.

    .venv/bin/python bench/load.py [--workers 50] [--duration 60] [--soak 600]
"""

from __future__ import annotations

import argparse
import itertools
import json
import logging
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import requests
from sqlalchemy import Engine, create_engine, func, select, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from config import DEFAULTS, normalise_database_url  # noqa: E402
from devtools.fake_wechat import create_fake_app, serve_in_thread  # noqa: E402
from models import Message, OutboxJob  # noqa: E402
from nlu.server import free_port, running_rasa_servers  # noqa: E402
from webhooks.simulator import Push, WeChatSimulator  # noqa: E402

#: WeChat waits 5 s for an answer and tries "three times in all" more.
WECHAT_TIMEOUT, WECHAT_RETRIES = 5.0, 3
MSG_IDS = itertools.count(random.SystemRandom().randrange(10**15, 9 * 10**15))
PERSONAS = json.loads((ROOT / "tests" / "personas.json").read_text("utf-8"))
VENV = ROOT / ".venv" / "bin"


@dataclass
class Delivery:
    """One HTTP push and what came back."""

    msg_id: int
    seconds: float
    problem: str | None  # None: answered with 200 and a well-formed body
    reply: str | None
    retry: bool = False


@dataclass
class Phase:
    """Everything one phase pushed."""

    name: str
    deliveries: list[Delivery] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    elapsed: float = 0.0

    def add(self, delivery: Delivery) -> None:
        with self.lock:
            self.deliveries.append(delivery)

    def report(self) -> float:
        """Print the phase's figures; return its throughput (first deliveries per second)."""
        first = [d for d in self.deliveries if not d.retry]
        latencies = sorted(d.seconds for d in self.deliveries)
        errors = Counter(d.problem for d in self.deliveries if d.problem)
        late = sum(1 for d in first if not d.problem and d.reply is None)
        rps = len(first) / self.elapsed
        print(
            f"{self.name:13} messages={len(first)} retries={len(self.deliveries) - len(first)} "
            f"throughput={rps:.1f}/s p50={_ms(statistics.median(latencies))} "
            f"p99={_ms(_percentile(latencies, 0.99))} max={_ms(latencies[-1])} "
            f"errors={sum(errors.values())} {dict(errors) or ''} answered_later={late}"
        )
        return rps


def main() -> None:
    """Start the stack, run the phases, check the transcripts, print the figures."""
    args = _arguments()
    with ExitStack() as stack:
        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # the fake API's access log
        tmp = ROOT / "instance" / "bench-load"  # logs stay for reading afterwards
        tmp.mkdir(parents=True, exist_ok=True)
        fake = create_fake_app(DEFAULTS["WECHAT_APPID"], DEFAULTS["WECHAT_SECRET"])
        fake_url = stack.enter_context(serve_in_thread(fake))
        rasa = stack.enter_context(
            running_rasa_servers([tmp / f"rasa-{i}.log" for i in range(args.rasa_replicas)])
        )
        rasa_urls = [server.url for server in rasa]
        env = _environment(args, fake_url, rasa_urls, tmp)
        _fresh_database(env)
        web = stack.enter_context(_process(_gunicorn(args), env, tmp / "gunicorn.log"))
        worker = stack.enter_context(
            _process([str(VENV / "flask"), "--app", "app", "jobs", "worker"], env, tmp / "w.log")
        )
        url = f"http://127.0.0.1:{env['PORT']}"
        _wait_for(url + "/healthz")
        print(
            f"stack: gunicorn {args.gunicorn_workers}x{args.threads} threads, "
            f"{args.rasa_replicas} Rasa replicas, PostgreSQL, Redis, 1 job worker; "
            f"{args.workers} simulated workers, 1/3 encrypted, {args.duplicates:.0%} retried"
        )
        _warm_up(url + "/wechat")
        seconds = args.soak or args.duration
        sampler = _MemorySampler([web.pid, worker.pid], interval=30)
        conversation = _run_phase("conversations", url + "/wechat", args, seconds, args.think)
        sampler.stop()
        conversation.report()
        parts = {
            "web": [web.pid],
            "rasa": [server.pid for server in rasa],
            "postgres": _postgres_pids(),
            "job worker": [worker.pid],
            "load generator": [os.getpid()],
        }
        meter = _CpuMeter(parts)
        capacity = _run_phase("capacity", url + "/wechat", args, args.duration, 0.0)
        webhook_rps = capacity.report()
        meter.report(len([d for d in capacity.deliveries if not d.retry]))
        meter = _CpuMeter(parts)
        rasa_rps, parses = _rasa_alone(rasa_urls, args.workers, args.duration)
        print(f"rasa alone    throughput={rasa_rps:.1f}/s (POST /model/parse, same texts)")
        meter.report(parses)
        print(f"ratio         webhook/rasa = {webhook_rps / rasa_rps:.0%}")
        _check_transcripts(env["DATABASE_URL"], [conversation, capacity], fake_url)
        sampler.report()


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=50, help="concurrent simulated workers")
    parser.add_argument("--duration", type=float, default=60, help="seconds per phase")
    parser.add_argument("--think", type=float, default=2.0, help="mean pause between messages")
    parser.add_argument("--duplicates", type=float, default=0.10, help="share delivered twice")
    parser.add_argument("--soak", type=float, default=0, help="seconds of phase 1 (memory)")
    parser.add_argument("--gunicorn-workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--rasa-replicas", type=int, default=2)
    parser.add_argument(
        "--database-url", default="postgresql://postgres@127.0.0.1:5432/anxin_bench"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/12")
    return parser.parse_args()


def _environment(
    args: argparse.Namespace, fake_url: str, rasa_urls: list[str], tmp: Path
) -> dict[str, str]:
    return {
        **os.environ,
        "ANXIN_ENV": "development",
        "PORT": str(free_port()),
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "RASA_URL": ",".join(rasa_urls),
        "WECHAT_API_BASE": fake_url + "/cgi-bin/",
        "MEDIA_DIR": str(tmp / "media"),
        "RATE_LIMIT": "1000/minute",  # the workers here are honest; flooding is tested apart
        "LOG_FORMAT": "text",
    }


def _fresh_database(env: dict[str, str]) -> None:
    """An empty, migrated database (created if missing) and an empty Redis database."""
    url = normalise_database_url(env["DATABASE_URL"])
    name = url.rsplit("/", 1)[1]
    admin = create_engine(url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    subprocess.run(
        [str(VENV / "flask"), "--app", "app", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    import redis

    redis.Redis.from_url(env["REDIS_URL"]).flushdb()


def _gunicorn(args: argparse.Namespace) -> list[str]:
    return [
        str(VENV / "gunicorn"),
        "--bind",
        "127.0.0.1:${PORT}",
        "--workers",
        str(args.gunicorn_workers),
        "--threads",
        str(args.threads),
        "--timeout",
        "30",
        "app:create_app()",
    ]


@contextmanager
def _process(
    command: list[str], env: dict[str, str], log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    command = [part.replace("${PORT}", env["PORT"]) for part in command]
    with open(log, "wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            yield process
        finally:
            process.terminate()
            process.wait(timeout=30)


def _wait_for(url: str) -> None:
    for _ in range(150):
        try:
            if requests.get(url, timeout=1).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{url} did not answer")


def _warm_up(url: str) -> None:
    """A few messages first, so no phase pays for imports, connections and first calls."""
    phase = Phase("warm-up")
    for persona in PERSONAS[:4]:
        _converse(url, WeChatSimulator(*_account()), persona["messages"], phase, 0, 0.0)


def _run_phase(
    name: str, url: str, args: argparse.Namespace, seconds: float, think: float
) -> Phase:
    phase = Phase(name)
    deadline = time.monotonic() + seconds

    def simulated_worker(number: int) -> None:
        rng = random.Random(number)
        while time.monotonic() < deadline:
            persona = PERSONAS[rng.randrange(len(PERSONAS))]
            sim = WeChatSimulator(*_account(), encrypted=number % 3 == 0)
            _converse(url, sim, persona["messages"], phase, think, args.duplicates, rng, deadline)

    started = time.monotonic()
    with ThreadPoolExecutor(args.workers) as pool:
        list(pool.map(simulated_worker, range(args.workers)))
    phase.elapsed = time.monotonic() - started
    return phase


def _converse(
    url: str,
    sim: WeChatSimulator,
    messages: list[str],
    phase: Phase,
    think: float,
    duplicates: float,
    rng: random.Random | None = None,
    deadline: float = float("inf"),
) -> None:
    rng = rng or random.Random(0)
    for text_ in messages:
        if time.monotonic() >= deadline:
            return
        msg_id = next(MSG_IDS)  # unique across phases, as WeChat's are
        push = sim.push(sim.text(text_, msg_id=msg_id))
        retry = None
        if rng.random() < duplicates:  # WeChat delivers it again while we answer
            retry = threading.Timer(
                rng.uniform(0.0, 0.5), _deliver, (url, sim, push, msg_id, phase, True)
            )
            retry.start()
        _deliver(url, sim, push, msg_id, phase, False)
        if retry is not None:
            retry.join()
        if think:
            time.sleep(rng.uniform(0.5 * think, 1.5 * think))


def _deliver(
    url: str,
    sim: WeChatSimulator,
    push: Push,
    msg_id: int,
    phase: Phase,
    retry: bool,
) -> None:
    """Push as WeChat does: a new connection, 5 s at most, after a failure again (3 times)."""
    for attempt in range(1 + WECHAT_RETRIES):
        started = time.perf_counter()
        try:
            response = requests.post(url, params=push.args, data=push.body, timeout=WECHAT_TIMEOUT)
            problem = None if response.status_code == 200 else f"HTTP {response.status_code}"
            reply = sim.read_reply(response.content) if problem is None else None
        except Exception as exc:  # a timeout, a reset, a malformed reply
            problem, reply = type(exc).__name__, None
        phase.add(
            Delivery(msg_id, time.perf_counter() - started, problem, reply, retry or attempt > 0)
        )
        if problem is None:
            return


def _rasa_alone(urls: list[str], callers: int, seconds: float) -> tuple[float, int]:
    """Parses per second straight to the replicas, and how many were made."""
    texts = [m for persona in PERSONAS for m in persona["messages"]]
    deadline = time.monotonic() + seconds
    counts: list[int] = []

    def caller(number: int) -> None:
        session, done = requests.Session(), 0
        while time.monotonic() < deadline:
            url = urls[(number + done) % len(urls)]
            session.post(url + "/model/parse", json={"text": texts[done % len(texts)]}, timeout=10)
            done += 1
        counts.append(done)

    started = time.monotonic()
    with ThreadPoolExecutor(callers) as pool:
        list(pool.map(caller, range(callers)))
    return sum(counts) / (time.monotonic() - started), sum(counts)


class _CpuMeter:
    """CPU time each part of the stack spent from now until ``report`` (Linux /proc).

    Shows where a message's cost goes: everything here shares the machine's cores, so
    throughput is about cores / (CPU seconds per message).
    """

    def __init__(self, parts: dict[str, list[int]]) -> None:
        self.parts = parts
        self.before = self._read()

    def report(self, count: int) -> None:
        after = self._read()
        used = {name: after[name] - self.before[name] for name in self.parts}
        per = " ".join(f"{name}={seconds / count * 1000:.2f}" for name, seconds in used.items())
        total, cores = sum(used.values()) / count, len(os.sched_getaffinity(0))
        print(
            f"  CPU ms per message: {per}; total={total * 1000:.2f} "
            f"(at most {cores} cores / {total * 1000:.2f} ms = {cores / total:.0f}/s)"
        )

    def _read(self) -> dict[str, float]:
        # A part is its processes and their children, except children that are parts of
        # their own (this script started the web app, Rasa and the job worker).
        # A root's own figure includes its children that have ended (PostgreSQL's backends
        # come and go with connections).
        roots = {pid for pids in self.parts.values() for pid in pids}
        return {
            name: sum(
                _cpu_seconds(root, ended_children=True)
                + sum(_cpu_seconds(c) for c in _children(root) if c not in roots)
                for root in pids
            )
            for name, pids in self.parts.items()
        }


def _cpu_seconds(pid: int, ended_children: bool = False) -> float:
    """User + system CPU of one process (its threads included), 0 once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    ticks = int(fields[11]) + int(fields[12])
    if ended_children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / os.sysconf("SC_CLK_TCK")


def _postgres_pids() -> list[int]:
    """The PostgreSQL server's processes on this machine (the postmaster's tree)."""
    out = subprocess.run(["pgrep", "-o", "-x", "postgres"], capture_output=True, text=True)
    return [int(pid) for pid in out.stdout.split()]


def _check_transcripts(database_url: str, phases: list[Phase], fake_url: str) -> None:
    """Every pushed message stored once and answered once, passively or later."""
    engine = create_engine(normalise_database_url(database_url))
    deadline = time.monotonic() + 120
    with engine.connect() as connection:
        while time.monotonic() < deadline:  # let the job worker send what is queued
            busy = connection.scalar(
                select(func.count())
                .select_from(OutboxJob)
                .where(OutboxJob.status.in_(("pending", "running")))
            )
            unanswered = connection.scalar(
                select(func.count()).select_from(Message).where(Message.status == "received")
            )
            if not busy and not unanswered:
                break
            connection.rollback()
            time.sleep(1)
        stored = Counter(
            connection.scalars(select(Message.wechat_msg_id).where(Message.direction == "in"))
        )
        replies = dict(
            connection.execute(
                select(Message.reply_to_id, func.count())
                .where(Message.direction == "out")
                .group_by(Message.reply_to_id)
            ).all()
        )
        inbound = dict(
            connection.execute(
                select(Message.wechat_msg_id, Message.id).where(Message.direction == "in")
            ).all()
        )
        undelivered = connection.scalar(
            select(func.count())
            .select_from(Message)
            .where(Message.direction == "out", Message.status.not_in(("passive", "cs_sent")))
        )
        dead = connection.scalar(
            select(func.count()).select_from(OutboxJob).where(OutboxJob.status == "dead")
        )
    pushed = {d.msg_id for phase in phases for d in phase.deliveries}
    missing = sum(1 for msg_id in pushed if stored[msg_id] == 0)
    duplicated = sum(count - 1 for count in stored.values() if count > 1)
    no_reply = sum(1 for msg_id in pushed if replies.get(inbound.get(msg_id), 0) == 0)
    double_reply = sum(count - 1 for count in replies.values() if count > 1)
    passive_twice = _passive_and_sent_later(phases, engine)
    cs_sent = len(requests.get(fake_url + "/_fake/sent", timeout=10).json()["messages"])
    print(
        f"transcripts   pushed={len(pushed)} missing={missing} duplicated={duplicated} "
        f"unanswered={no_reply} replies_duplicated={double_reply + passive_twice} "
        f"undelivered={undelivered} dead_jobs={dead} customer_service_messages={cs_sent}"
    )


def _passive_and_sent_later(phases: list[Phase], engine: Engine) -> int:
    """Messages whose reply reached the worker both passively and as a CS message."""
    passive = {d.msg_id for phase in phases for d in phase.deliveries if d.reply}
    with engine.connect() as connection:
        sent_later = set(
            connection.scalars(
                select(Message.wechat_msg_id).where(
                    Message.id.in_(select(Message.reply_to_id).where(Message.status == "cs_sent"))
                )
            )
        )
    return len(passive & sent_later)


class _MemorySampler:
    """Samples the RSS of process trees (a process and its children) in a thread."""

    def __init__(self, pids: list[int], interval: float) -> None:
        self.pids, self.samples = pids, []  # type: ignore[var-annotated]
        self._stop = threading.Event()
        self.started = time.monotonic()
        self._thread = threading.Thread(target=self._run, args=(interval,), daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self.samples.append((time.monotonic() - self.started, self._rss()))

    def report(self) -> None:
        after_warm_up = [(t, rss) for t, rss in self.samples if t >= 60]
        if len(after_warm_up) < 2 or after_warm_up[-1][0] < 120:
            return  # only a soak (--soak) runs long enough to tell
        (t0, first), (t1, last) = after_warm_up[0], after_warm_up[-1]
        print(
            f"memory        web+jobs RSS {first / 2**20:.0f} MiB at {t0:.0f}s -> "
            f"{last / 2**20:.0f} MiB at {t1:.0f}s: growth {last / first - 1:+.1%}"
        )

    def _run(self, interval: float) -> None:
        while not self._stop.wait(interval):
            self.samples.append((time.monotonic() - self.started, self._rss()))

    def _rss(self) -> int:
        return sum(_rss(pid) for root in self.pids for pid in [root, *_children(root)])


def _rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(line) for line in out.split()]


def _account() -> tuple[str, str, str]:
    return DEFAULTS["WECHAT_TOKEN"], DEFAULTS["WECHAT_APPID"], DEFAULTS["WECHAT_ENCODING_AES_KEY"]


def _percentile(values: list[float], share: float) -> float:
    return values[min(len(values) - 1, int(len(values) * share))]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}ms"


if __name__ == "__main__":
    main()
