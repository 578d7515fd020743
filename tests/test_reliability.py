"""Faults injected one at a time: Rasa hanging, Redis down, WeChat errors, the database down.

Each test drives the real webhook and the real job code; only the failing part is broken.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import requests
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import make_url, select

from app import create_app
from config import DEFAULTS
from jobs.runner import run_job
from models import CaseWork, Complaint, ConversationState, Message, OutboxJob, utcnow
from models.db import get_session
from webhooks.simulator import Push, WeChatSimulator

from .conftest import ROOT, _empty_tables, base_config
from .scripts import TERSE
from .tcpproxy import TcpProxy
from .test_webhook import post, stored

SIMULATOR_KEYS = ("WECHAT_TOKEN", "WECHAT_APPID", "WECHAT_ENCODING_AES_KEY")


@contextmanager
def hanging_server() -> Iterator[str]:
    """A TCP server that accepts connections and never answers (a hung Rasa)."""
    listener = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        for connection in held:
            connection.close()
        listener.close()


def jobs(app: Flask) -> list[OutboxJob]:
    with app.app_context():
        return list(get_session().scalars(select(OutboxJob).order_by(OutboxJob.id)))


def sent(fake_url: str) -> list[str]:
    return [
        body["text"]["content"]
        for body in requests.get(fake_url + "/_fake/sent").json()["messages"]
    ]


def fail_next_send(fake_url: str, errcode: int, count: int = 1) -> None:
    requests.post(
        fake_url + "/_fake/fail",
        json={"endpoint": "message/custom/send", "errcode": errcode, "count": count},
    ).raise_for_status()


# --- Rasa down or hanging --------------------------------------------------------------


def test_hanging_rasa_falls_back_to_rules_and_the_form_goes_on(
    app: Flask, simulator: WeChatSimulator
) -> None:
    with hanging_server() as url:
        app.config.update(RASA_URL=url, RASA_TIMEOUT=0.3)
        app.extensions["nlu"] = None
        import nlu.client

        nlu.client.init_app(app)
        client = app.test_client()
        replies = []
        for text in TERSE:
            started = time.monotonic()
            replies.append(
                simulator.read_reply(post(client, simulator.push(simulator.text(text))).data)
            )
            assert time.monotonic() - started < 3
    with app.app_context():
        complaint = get_session().scalars(select(Complaint)).one()
        assert complaint.status == "submitted" and complaint.case_no in (replies[-1] or "")
    assert {m.nlu_source for m in stored(app) if m.msg_type == "text"} == {"rules"}


def test_a_turn_over_the_budget_answers_success_and_the_reply_follows(
    app: Flask, simulator: WeChatSimulator, fake_wechat: str
) -> None:
    with hanging_server() as url:
        app.config.update(RASA_URL=url, RASA_TIMEOUT=1.5, REPLY_BUDGET_SECONDS=0.3)
        import nlu.client

        nlu.client.init_app(app)
        push = simulator.push(simulator.text("老板欠我工资"))
        started = time.monotonic()
        response = post(app.test_client(), push)
        assert response.data == b"success" and time.monotonic() - started < 1.0
        deadline = time.monotonic() + 10
        while not sent(fake_wechat) and time.monotonic() < deadline:
            app.extensions["jobs"].wait()
            time.sleep(0.1)
    [reply] = stored(app, "out")
    assert reply.status == "cs_sent" and sent(fake_wechat) == [reply.content]
    # WeChat's retry of the same message must not repeat the reply passively.
    assert post(app.test_client(), push).data == b"success"
    assert len(stored(app, "in")) == 1 and len(stored(app, "out")) == 1


# --- Redis down --------------------------------------------------------------------------


def test_redis_down_the_webhook_answers_and_jobs_wait_in_the_outbox(
    database_urls: dict[str, str],
) -> None:
    simulator = WeChatSimulator(*(DEFAULTS[key] for key in SIMULATOR_KEYS))
    redis_url = os.environ.get("TEST_REDIS_URL")
    if not redis_url:
        pytest.skip("TEST_REDIS_URL not set")
    config = base_config(database_urls["sqlite"]) | {
        "REDIS_URL": "redis://127.0.0.1:1/0",  # nothing listens there
        "REPLY_BUDGET_SECONDS": 0.0,  # every reply goes out as a customer-service message
    }
    down = create_app(config)
    try:
        push = simulator.push(simulator.text("老板欠我工资"))
        response = post(down.test_client(), push)
        assert response.status_code == 200 and response.data == b"success"
        time.sleep(0.5)  # the turn finishes in its thread and queues the reply
        [job] = jobs(down)
        assert (job.kind, job.status) == ("send_message", "pending")
        # Redis is back: a worker process relays the waiting job and runs it.
        from devtools.fake_wechat import create_fake_app, serve_in_thread
        from jobs.worker import work

        fake = create_fake_app(down.config["WECHAT_APPID"], down.config["WECHAT_SECRET"])
        with serve_in_thread(fake) as fake_url:
            back = create_app(
                config | {"REDIS_URL": redis_url, "WECHAT_API_BASE": fake_url + "/cgi-bin/"}
            )
            back.extensions["jobs"].redis.flushdb()
            with back.app_context():
                get_session().execute(
                    OutboxJob.__table__.update().values(lease_until=utcnow() - timedelta(1))
                )
                get_session().commit()
            assert back.extensions["jobs"].relay_once() == 1
            with back.app_context():
                work(back, burst=True)
            assert sent(fake_url) == [stored(back, "out")[0].content]
        assert [j.status for j in jobs(back)] == ["done"]
    finally:
        _empty_tables(down)


# --- WeChat API errors -------------------------------------------------------------------


def queue_reply(app: Flask, simulator: WeChatSimulator) -> OutboxJob:
    """A reply that missed the passive window, waiting as a send_message job."""
    app.config["REPLY_BUDGET_SECONDS"] = 0.0
    post(app.test_client(), simulator.push(simulator.text("老板欠我工资")))
    deadline = time.monotonic() + 5
    while not jobs(app) and time.monotonic() < deadline:
        time.sleep(0.05)
    app.extensions["jobs"].wait()
    [job] = jobs(app)
    return job


def test_daily_quota_45009_retries_after_midnight(
    app: Flask, simulator: WeChatSimulator, fake_wechat: str
) -> None:
    fail_next_send(fake_wechat, 45009)
    job = queue_reply(app, simulator)
    assert job.status == "pending" and "45009" in (job.last_error or "")
    china_midnight = job.run_after.astimezone(ZoneInfo("Asia/Shanghai"))
    assert (china_midnight.hour, china_midnight.minute) == (0, 1)
    assert job.run_after - utcnow() <= timedelta(days=1)
    assert sent(fake_wechat) == []


def test_worker_quota_45047_holds_the_reply_until_the_worker_writes(
    app: Flask, simulator: WeChatSimulator, fake_wechat: str
) -> None:
    fail_next_send(fake_wechat, 45047)
    job = queue_reply(app, simulator)
    assert job.status == "pending" and job.run_after - utcnow() > timedelta(hours=47)
    app.config["REPLY_BUDGET_SECONDS"] = 4.0
    post(app.test_client(), simulator.push(simulator.text("还在吗")))  # the worker writes
    app.extensions["jobs"].relay_once()
    app.extensions["jobs"].wait()
    assert jobs(app)[0].status == "done"
    assert sent(fake_wechat) == [stored(app, "out")[0].content]


def test_window_closed_45015_is_not_retried_and_staff_are_told(
    app: Flask, simulator: WeChatSimulator, fake_wechat: str
) -> None:
    fail_next_send(fake_wechat, 45015)
    job = queue_reply(app, simulator)
    assert job.status == "dead" and job.attempts == 1
    with app.app_context():
        state = get_session().scalars(select(ConversationState)).one()
        assert state.handoff_reason == "undelivered"
    assert stored(app, "out")[0].status == "cs_failed"


def test_system_busy_is_retried_with_backoff_then_sent(
    app: Flask, simulator: WeChatSimulator, fake_wechat: str
) -> None:
    fail_next_send(fake_wechat, -1)
    job = queue_reply(app, simulator)
    assert job.status == "pending" and timedelta(0) < job.run_after - utcnow() <= timedelta(
        seconds=15
    )
    with app.app_context():
        get_session().execute(OutboxJob.__table__.update().values(run_after=utcnow()))
        get_session().commit()
    assert run_job(app, job.id) == "done"
    assert run_job(app, job.id) is None  # a second hand-over of a done job does nothing
    assert sent(fake_wechat) == [stored(app, "out")[0].content]


def test_a_console_notice_that_cannot_be_delivered_asks_staff_to_phone(
    app: Flask, fake_wechat: str
) -> None:
    from jobs.outbox import enqueue
    from models import Worker

    fail_next_send(fake_wechat, 40003)  # invalid openid: never retried
    with app.app_context():
        session = get_session()
        worker = Worker(openid="o_gone", last_inbound_at=utcnow())
        session.add(worker)
        session.flush()
        complaint = Complaint(case_no="261126-0001", worker_id=worker.id, status="submitted")
        notice = Message(worker_id=worker.id, direction="out", msg_type="text", content="已受理")
        session.add_all([complaint, notice])
        session.flush()
        enqueue(session, "send_message", {"message_id": notice.id, "complaint_id": complaint.id})
        session.commit()
    app.extensions["jobs"].wait()
    with app.app_context():
        work = get_session().scalars(select(CaseWork)).one()
        assert "40003" in (work.call_worker_reason or "")


def test_a_staff_reply_on_a_case_that_cannot_be_delivered_marks_the_case(
    app: Flask, fake_wechat: str
) -> None:
    from console import actions
    from models import StaffUser, Worker

    fail_next_send(fake_wechat, 40003)
    with app.app_context():
        session = get_session()
        worker = Worker(openid="o_gone", last_inbound_at=utcnow())
        staff = StaffUser(username="li", password_hash="-", role="hotline")
        session.add_all([worker, staff])
        session.flush()
        complaint = Complaint(case_no="261126-0002", worker_id=worker.id, status="submitted")
        session.add(complaint)
        session.flush()
        actions.take_over(session, complaint, staff)
        actions.reply(session, complaint, "您好，我是12333的工作人员", staff, utcnow())
        session.commit()
    app.extensions["jobs"].wait()
    with app.app_context():
        work = get_session().scalars(select(CaseWork)).one()
        assert "40003" in (work.call_worker_reason or "")


# --- the database down -------------------------------------------------------------------


def test_database_down_answers_503_writes_nothing_and_recovers_by_itself(
    database_urls: dict[str, str],
) -> None:
    if "postgresql" not in database_urls:
        pytest.skip("TEST_DATABASE_URL not set")
    simulator = WeChatSimulator(*(DEFAULTS[key] for key in SIMULATOR_KEYS))
    url = make_url(database_urls["postgresql"])
    proxy = TcpProxy((url.host or "127.0.0.1", url.port or 5432))
    proxy.restore()
    app = create_app(base_config(url.set(port=proxy.port).render_as_string(hide_password=False)))
    client = app.test_client()
    try:
        assert simulator.read_reply(post(client, simulator.push(simulator.text("你好"))).data)
        proxy.cut()  # the database goes away, with the pool's connections
        push = simulator.push(simulator.text("老板欠我们五个人三万块"))
        assert post(client, push).status_code == 503
        assert post(client, push).status_code == 503  # WeChat's retry, still down
        proxy.restore()
        reply = simulator.read_reply(post(client, push).data)  # the next retry
        assert reply and "30000" in reply.replace(",", "")
        contents = [m.content for m in stored(app, "in")]
        assert contents == ["你好", "老板欠我们五个人三万块"]
        assert len(stored(app, "out")) == 2
    finally:
        proxy.cut()
        proxy.restore()
        _empty_tables(app)
        app.extensions["db"].engine.dispose()
        proxy.cut()


# --- a web worker killed mid-request -----------------------------------------------------


def test_a_worker_killed_mid_request_loses_nothing_and_duplicates_nothing(
    tmp_path: Path,
) -> None:
    simulator = WeChatSimulator(*(DEFAULTS[key] for key in SIMULATOR_KEYS))
    database = f"sqlite:///{tmp_path / 'crash.sqlite'}"
    setup = create_app(base_config(database))
    with setup.app_context():
        upgrade()
    with hanging_server() as rasa:
        port = free_port()
        env = os.environ | {
            "DATABASE_URL": database,
            "RASA_URL": rasa,
            "RASA_TIMEOUT": "3",  # the first delivery is still waiting for Rasa when killed
            "REPLY_BUDGET_SECONDS": "4.5",
            "MESSAGE_LEASE_SECONDS": "2",
        }
        server = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/gunicorn"),
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--threads",
                "2",
                "app:create_app()",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            url = f"http://127.0.0.1:{port}/wechat"
            wait_until(lambda: _answers(f"http://127.0.0.1:{port}/healthz"))
            push = simulator.push(simulator.text("老板欠我们三个人两万块钱"))
            first = threading.Thread(target=_post_ignoring_errors, args=(url, push))
            first.start()
            wait_until(lambda: len(stored(setup, "in")) == 1)
            [worker_pid] = _children(server.pid)
            os.kill(worker_pid, signal.SIGKILL)  # mid-request: stored, not yet answered
            first.join()
            wait_until(lambda: _answers(f"http://127.0.0.1:{port}/healthz"))
            assert stored(setup, "in")[0].status == "received" and not stored(setup, "out")
            time.sleep(2.1)  # the dead delivery's lease runs out; WeChat retries
            response = requests.post(url, params=push.args, data=push.body, timeout=10)
            reply = simulator.read_reply(response.content)
            assert reply and "20000" in reply.replace(",", "")
            assert (
                simulator.read_reply(
                    requests.post(url, params=push.args, data=push.body, timeout=10).content
                )
                == reply
            )  # a later retry repeats the same reply
        finally:
            server.terminate()
            server.wait(10)
    assert len(stored(setup, "in")) == 1 and len(stored(setup, "out")) == 1


def free_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        return int(probe.getsockname()[1])


def wait_until(condition: Callable[[], bool], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=1).ok
    except requests.RequestException:
        return False


def _post_ignoring_errors(url: str, push: Push) -> None:
    with contextlib.suppress(requests.RequestException):
        requests.post(url, params=push.args, data=push.body, timeout=10)


def _children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(line) for line in out.split()]


# --- a flood from one sender -------------------------------------------------------------


def test_a_flood_from_one_sender_is_refused_politely_and_others_are_answered(
    app: Flask, simulator: WeChatSimulator
) -> None:
    from nlu.types import ParseResult
    from webhooks.delivery import TOO_FAST, SenderLimit

    parsed: list[str] = []

    class CountingParser:
        def parse(self, text: str) -> ParseResult:
            parsed.append(text)
            return ParseResult(text=text, intent="greet", confidence=0.9, source="test")

    app.extensions["nlu"] = CountingParser()
    app.extensions["sender_limit"] = SenderLimit("3/minute", None)
    client = app.test_client()
    flood = [
        simulator.read_reply(post(client, simulator.push(simulator.text(f"第{i}条"))).data)
        for i in range(6)
    ]
    assert flood[3:] == [TOO_FAST] * 3 and TOO_FAST not in flood[:3]
    assert parsed == ["第0条", "第1条", "第2条"]  # the flood never reached the NLU
    other = WeChatSimulator(*(DEFAULTS[key] for key in SIMULATOR_KEYS))
    assert simulator.read_reply(post(client, other.push(other.text("你好"))).data) != TOO_FAST
    statuses = [m.status for m in stored(app)]
    assert statuses == ["handled"] * 3 + ["limited"] * 3 + ["handled"]


def test_the_limiter_fails_open_when_redis_is_down() -> None:
    from webhooks.delivery import SenderLimit

    limit = SenderLimit("1/minute", "redis://127.0.0.1:1/0")
    assert all(limit.allow("o_someone") for _ in range(3))


def test_a_job_whose_worker_died_is_taken_again_after_its_lease(
    app: Flask, simulator: WeChatSimulator, fake_wechat: str
) -> None:
    from jobs.outbox import claim

    fail_next_send(fake_wechat, -1)
    job = queue_reply(app, simulator)  # first attempt failed; the retry is due in 15 s
    with app.app_context():
        session = get_session()
        session.execute(OutboxJob.__table__.update().values(run_after=utcnow()))
        session.commit()
        assert claim(session, job.id) is not None  # a job worker takes it ... and dies
        assert claim(session, job.id) is None  # nobody else may take it meanwhile
        assert app.extensions["jobs"].relay_once() == 0
        session.execute(
            OutboxJob.__table__.update().values(lease_until=utcnow() - timedelta(seconds=1))
        )
        session.commit()
    assert app.extensions["jobs"].relay_once() == 1
    app.extensions["jobs"].wait()
    [job] = jobs(app)
    assert (job.status, job.attempts) == ("done", 3)
    assert sent(fake_wechat) == [stored(app, "out")[0].content]


def test_a_message_no_retry_answered_is_answered_by_the_job_worker(
    app: Flask, simulator: WeChatSimulator, fake_wechat: str
) -> None:
    from webhooks.delivery import recover_abandoned
    from webhooks.inbound import parse_inbound, store_inbound

    with app.app_context():  # stored by a process that died before answering
        session = get_session()
        inbound = parse_inbound(simulator.text("老板欠我们工资"))
        store_inbound(session, inbound, lease_until=utcnow() - timedelta(minutes=1))
    assert recover_abandoned(app) == 1
    assert recover_abandoned(app) == 0  # a second sweep does not answer it again
    app.extensions["jobs"].wait()
    app.extensions["jobs"].wait()
    [message] = stored(app, "in")
    [reply] = stored(app, "out")
    assert message.status == "handled" and reply.status == "cs_sent"
    assert sent(fake_wechat) == [reply.content]


def test_the_job_worker_refuses_to_start_without_redis(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["jobs", "worker", "--burst"])
    assert result.exit_code == 1 and "未设置 REDIS_URL" in result.output
