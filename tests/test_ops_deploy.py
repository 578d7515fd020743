"""Deployment files, checked without a Docker engine: the compose file, and the boot, nginx
and PgBouncer scripts run outside containers against this machine's PostgreSQL."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml
from sqlalchemy import text

from config import normalise_database_url
from models.db import make_engine
from tests.conftest import NO_RASA, ROOT
from tests.ops_helpers import scratch_database, silent_server

DOCKER = ROOT / "docker"
PG_URL = os.environ.get("TEST_DATABASE_URL")
needs_postgres = pytest.mark.skipif(not PG_URL, reason="TEST_DATABASE_URL is not set")
VENV_BIN = Path(sys.executable).parent


def compose(
    *args: str, env_file: Path = DOCKER / ".env.example"
) -> subprocess.CompletedProcess[str]:
    """``docker-compose`` (Debian's; no engine needed for ``config``) on docker/compose.yml."""
    binary = shutil.which("docker-compose")
    if binary is None:
        pytest.fail("docker-compose is missing: `make install` installs Debian's package")
    command = [binary, "--env-file", str(env_file), "-f", str(DOCKER / "compose.yml"), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, cwd=DOCKER)


@pytest.fixture(scope="module")
def resolved() -> dict[str, Any]:
    """docker/compose.yml as docker-compose resolves it with .env.example."""
    done = compose("config")
    assert done.returncode == 0, done.stderr
    return yaml.safe_load(done.stdout)


def test_compose_file_is_valid() -> None:
    done = compose("config", "--quiet")
    assert done.returncode == 0, done.stderr


def test_compose_refuses_a_missing_secret(tmp_path: Path) -> None:
    lines = (DOCKER / ".env.example").read_text("utf-8").splitlines()
    env_file = tmp_path / ".env"
    env_file.write_text("\n".join(x for x in lines if not x.startswith("POSTGRES_PASSWORD=")))
    done = compose("config", "--quiet", env_file=env_file)
    assert done.returncode != 0
    assert "POSTGRES_PASSWORD" in done.stderr


def test_only_nginx_is_published(resolved: dict[str, Any]) -> None:
    services = resolved["services"]
    assert {name for name, s in services.items() if s.get("ports")} == {"nginx"}
    assert resolved["networks"]["backend"]["internal"] is True
    assert services["nginx"]["networks"].keys() == {"frontend"}


def test_the_app_reaches_every_service_it_names(resolved: dict[str, Any]) -> None:
    services = resolved["services"]
    env = services["app"]["environment"]
    replicas = [url.split("//")[1].split(":")[0] for url in env["RASA_URL"].split(",")]
    assert len(replicas) == 2 and all(r in services for r in replicas)
    assert "@pgbouncer:6432/" in env["DATABASE_URL"] and env["DATABASE_PGBOUNCER"] == "1"
    assert env["REDIS_URL"].startswith("redis://redis:")
    assert env["PROXY_COUNT"] == "1"
    assert services["worker"]["environment"]["DATABASE_URL"] == env["DATABASE_URL"]


def test_health_gates(resolved: dict[str, Any]) -> None:
    """Every dependency waited on as healthy has a health check (here or in its Dockerfile)."""
    services = resolved["services"]
    dockerfile_checks = {"pgbouncer"}  # docker/pgbouncer/Dockerfile HEALTHCHECK
    for service in services.values():
        for dependency, rule in (service.get("depends_on") or {}).items():
            if rule["condition"] == "service_healthy":
                assert "healthcheck" in services[dependency] or dependency in dockerfile_checks
    assert "/readyz" in " ".join(services["app"]["healthcheck"]["test"])
    assert "/healthz" in " ".join(services["nginx"]["healthcheck"]["test"])
    assert "HEALTHCHECK" in (DOCKER / "pgbouncer" / "Dockerfile").read_text()


def test_worker_command_exists() -> None:
    """The worker image's CMD is a command the app has."""
    dockerfile = (DOCKER / "Dockerfile").read_text()
    assert 'CMD ["flask", "--app", "app", "jobs", "worker"]' in dockerfile
    done = subprocess.run(
        [str(VENV_BIN / "flask"), "--app", "app", "jobs", "worker", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr


# --- docker/boot.sh -----------------------------------------------------------------------


def boot(database_url: str, *command: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run docker/boot.sh as a container would, with this virtualenv's flask on PATH."""
    environ = {
        **os.environ,
        "PATH": f"{VENV_BIN}:{os.environ['PATH']}",
        "DATABASE_URL": database_url,
        "RASA_URL": NO_RASA,
        **env,
    }
    return subprocess.run(
        [str(DOCKER / "boot.sh"), *command],
        env=environ,
        capture_output=True,
        text=True,
        timeout=180,
    )


#: The command boot.sh execs: prints its PID and the schema version it finds.
REPORT = (
    "import os, sys; from sqlalchemy import create_engine, text; "
    "from config import normalise_database_url as n; "
    "e = create_engine(n(os.environ['DATABASE_URL'])); "
    "c = e.connect(); print(os.getpid(), c.scalar(text('SELECT version_num FROM alembic_version')))"
)


def _head() -> str:
    heads = [p.name.split("_")[0] for p in (ROOT / "migrations" / "versions").glob("[0-9]*.py")]
    return max(heads)


def _check_boot(done: subprocess.CompletedProcess[str]) -> None:
    assert done.returncode == 0, done.stderr
    pid, version = done.stdout.split()
    assert version.startswith(_head()), "migrations were not applied up to the head"
    assert "boot: applying database migrations" in done.stderr
    assert "数据库已就绪" in done.stderr


def test_boot_on_sqlite(tmp_path: Path) -> None:
    done = boot(f"sqlite:///{tmp_path / 'boot.sqlite'}", sys.executable, "-c", REPORT)
    _check_boot(done)


@needs_postgres
def test_boot_on_postgresql() -> None:
    assert PG_URL
    with scratch_database(PG_URL, "boot") as url:
        _check_boot(boot(url, sys.executable, "-c", REPORT))
        # Booting again (a restart) finds the schema current and still starts the command.
        _check_boot(boot(url, sys.executable, "-c", REPORT))


def test_boot_execs_the_command(tmp_path: Path) -> None:
    """The command replaces the shell (it is PID 1 in a container and gets the signals)."""
    environ = {
        **os.environ,
        "PATH": f"{VENV_BIN}:{os.environ['PATH']}",
        "RASA_URL": NO_RASA,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'exec.sqlite'}",
    }
    process = subprocess.Popen(
        [str(DOCKER / "boot.sh"), "sh", "-c", "echo $$"],
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    out, _ = process.communicate(timeout=180)
    assert process.returncode == 0
    assert int(out) == process.pid


def test_boot_gives_up_on_a_missing_database() -> None:
    started = time.monotonic()
    done = boot(
        "postgresql://postgres@127.0.0.1:9/anxin",
        "sh",
        "-c",
        "echo started",
        BOOT_DB_ATTEMPTS="2",
        BOOT_DB_INTERVAL="0.2",
    )
    assert done.returncode != 0
    assert "started" not in done.stdout
    assert "(2/2)" in done.stderr and "仍未就绪" in done.stderr
    assert time.monotonic() - started < 60


def test_boot_needs_a_command() -> None:
    assert boot("sqlite://").returncode == 64


# --- gunicorn with the image's configuration ----------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def gunicorn_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """boot.sh + gunicorn + docker/gunicorn.conf.py (2 workers of 1 thread), as the app image
    runs them; Rasa hangs, so each /readyz holds its worker for READY_TIMEOUT."""
    with silent_server() as hung_rasa:
        yield from _serve(tmp_path, hung_rasa)


def _serve(tmp_path: Path, rasa_url: str) -> Iterator[tuple[str, Path]]:
    port = _free_port()
    log = tmp_path / "gunicorn.log"
    environ = {
        **os.environ,
        "PATH": f"{VENV_BIN}:{os.environ['PATH']}",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'web.sqlite'}",
        "RASA_URL": rasa_url,
        "READY_TIMEOUT": "0.5",
        "BIND": f"127.0.0.1:{port}",
        "WEB_WORKERS": "2",
        "WEB_THREADS": "1",
        "LOG_FORMAT": "json",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "prometheus"),
    }
    command = ["gunicorn", "--config", "docker/gunicorn.conf.py", "app:create_app()"]
    with log.open("w") as sink:
        process = subprocess.Popen(
            [str(DOCKER / "boot.sh"), *command], env=environ, stdout=sink, stderr=sink
        )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if requests.get(url + "/healthz", timeout=1).ok:
                    break
            except requests.RequestException:  # not listening yet, or a worker still booting
                pass
            assert process.poll() is None, log.read_text()
            time.sleep(0.1)
        yield url, log
    finally:
        process.terminate()
        process.wait(timeout=30)


def _count(http: requests.Session, url: str, route: str) -> float:
    key = f'anxin_http_requests_total{{method="GET",route="{route}",status='
    lines = [x for x in http.get(url + "/metrics").text.splitlines() if x.startswith(key)]
    return sum(float(x.split()[-1]) for x in lines)


def test_gunicorn_as_in_the_image(gunicorn_server: tuple[str, Path], tmp_path: Path) -> None:
    url, log = gunicorn_server
    with requests.Session() as http:
        before = _count(http, url, "/readyz")
        # Four at once on two single-threaded workers: both workers must take some.
        with ThreadPoolExecutor(4) as pool:
            answers = list(pool.map(lambda _: requests.get(url + "/readyz", timeout=10), range(4)))
        after = _count(http, url, "/readyz")
        traced = http.get(url + "/s/X1", headers={"X-Request-Id": "trace-77"})
    assert {a.status_code for a in answers} == {503}
    assert answers[0].json()["down"] == [answers[0].json()["down"][0]]
    assert answers[0].json()["down"][0].startswith("rasa ")
    assert traced.headers["X-Request-Id"] == "trace-77"
    # Multiprocess mode: whichever worker answers the scrape counts both workers' requests.
    assert len(list((tmp_path / "prometheus").glob("counter_*.db"))) == 2
    assert after - before == 4
    time.sleep(0.5)
    text_log = log.read_text()
    records = [json.loads(x) for x in text_log.splitlines() if x.startswith("{")]
    assert any(r["logger"] == "gunicorn.error" for r in records), "gunicorn's own lines are JSON"
    landing = [r for r in records if r.get("request_id") == "trace-77"]
    assert landing and landing[0]["route"] == "/s/<code>"
    assert "/s/X1" not in text_log  # no raw paths: gunicorn's access log is off


# --- nginx: the office network's access list ---------------------------------------------


def office_acl(cidrs: str, out: Path) -> subprocess.CompletedProcess[str]:
    """Run docker/nginx/40-office-cidr.sh as the nginx image does before starting."""
    env = {**os.environ, "OFFICE_CIDRS": cidrs, "OFFICE_ACL_FILE": str(out)}
    return subprocess.run(
        ["sh", str(DOCKER / "nginx" / "40-office-cidr.sh")],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_office_acl_allows_the_listed_networks_only(tmp_path: Path) -> None:
    out = tmp_path / "snippets" / "office-only.conf"
    done = office_acl("10.20.0.0/16, 192.168.8.0/24 2001:db8::/32", out)
    assert done.returncode == 0, done.stderr
    rules = [x for x in out.read_text().splitlines() if not x.startswith("#")]
    assert rules == [
        "allow 127.0.0.1;",
        "allow 10.20.0.0/16;",
        "allow 192.168.8.0/24;",
        "allow 2001:db8::/32;",
        "deny all;",
    ]


@pytest.mark.parametrize("cidrs", ["", " , ", "10.0.0.0/8; allow all", "office"])
def test_office_acl_refuses_bad_input(tmp_path: Path, cidrs: str) -> None:
    out = tmp_path / "office-only.conf"
    done = office_acl(cidrs, out)
    assert done.returncode != 0
    assert not out.exists()


def test_nginx_keeps_staff_pages_on_the_office_network() -> None:
    template = (DOCKER / "nginx" / "templates" / "anxin.conf.template").read_text()
    blocks = template.split("location ")[1:]
    include = "include /etc/nginx/snippets/office-only.conf;"
    by_path = {block.split("{")[0].strip(): block.split("}")[0] for block in blocks}
    for path in ("/console/", "/api/", "~ ^/(metrics|healthz|readyz)$"):
        assert include in by_path[path], path
    for path in ("= /wechat", "/s/"):
        assert include not in by_path[path] and "proxy_pass" in by_path[path], path
    assert "return 404" in by_path["/"]


# --- PgBouncer (transaction pooling) in front of this machine's PostgreSQL ----------------


@pytest.fixture
def pgbouncer() -> Iterator[str]:
    """docker/pgbouncer/entrypoint.sh run here; yields the app's URL through it."""
    if not PG_URL:
        pytest.skip("TEST_DATABASE_URL is not set")
    if not shutil.which("pgbouncer") and not Path("/usr/sbin/pgbouncer").exists():
        pytest.fail("pgbouncer is missing: `make install` installs Debian's package")
    from sqlalchemy import make_url

    target = make_url(PG_URL)
    port = _free_port()
    conf = Path(tempfile.mkdtemp(prefix="anxin-pgbouncer-"))
    env = {
        **os.environ,
        "PATH": f"{os.environ['PATH']}:/usr/sbin",
        "PGBOUNCER_CONF_DIR": str(conf),
        "DB_HOST": target.host or "127.0.0.1",
        "DB_PORT": str(target.port or 5432),
        "DB_NAME": target.database or "",
        "DB_USER": target.username or "postgres",
        "DB_PASSWORD": 'pw"with-quote',
        "LISTEN_ADDR": "127.0.0.1",
        "LISTEN_PORT": str(port),
        "DEFAULT_POOL_SIZE": "1",  # one server connection: every client shares it
    }
    log = conf.with_suffix(".log")
    with log.open("w") as sink:
        process = subprocess.Popen(
            ["sh", str(DOCKER / "pgbouncer" / "entrypoint.sh")],
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    is_ready = ["pg_isready", "-q", "-h", "127.0.0.1", "-p", str(port)]
    try:
        for _ in range(100):
            if subprocess.run(is_ready).returncode == 0:
                break
            assert process.poll() is None, log.read_text()
            time.sleep(0.1)
        password = "pw%22with-quote"
        yield f"postgresql://{target.username}:{password}@127.0.0.1:{port}/{target.database}"
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(conf, ignore_errors=True)
        log.unlink(missing_ok=True)


def _interleave(url: str, pgbouncer_setting: bool) -> None:
    """Two pooled connections take turns on one server connection, repeating a query."""
    engine = make_engine(normalise_database_url(url), pgbouncer=pgbouncer_setting)
    try:
        with engine.connect() as first, engine.connect() as second:
            for i in range(8):  # psycopg prepares a statement on its 5th execution
                for connection in (first, second):
                    value = connection.execute(text("SELECT :n + 1"), {"n": i}).scalar()
                    assert value == i + 1
                    connection.commit()
    finally:
        engine.dispose()


def test_through_pgbouncer_with_prepared_statements_off(pgbouncer: str) -> None:
    _interleave(pgbouncer, pgbouncer_setting=True)


def test_without_the_setting_pgbouncer_breaks_prepared_statements(pgbouncer: str) -> None:
    """Why DATABASE_PGBOUNCER exists: the failure it prevents."""
    from sqlalchemy.exc import DBAPIError

    with pytest.raises(DBAPIError, match="prepared statement"):
        _interleave(pgbouncer, pgbouncer_setting=False)
