"""``flask --app app jobs ...``: run the worker, relay due jobs, see where jobs stand."""

from __future__ import annotations

import json

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select, update

from jobs.dispatch import get_dispatcher
from models import OutboxJob, utcnow
from models.db import get_session


@click.group("jobs")
def jobs_cli() -> None:
    """Outbound work: customer-service messages and media downloads."""


@jobs_cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop once the queue is empty.")
@with_appcontext
def worker_command(burst: bool) -> None:
    """Run jobs from Redis and relay due jobs from the outbox (needs REDIS_URL)."""
    from jobs.worker import work

    if not current_app.config.get("REDIS_URL"):
        raise click.ClickException(
            "未设置 REDIS_URL：没有 Redis 时，任务在网站进程内执行，无需任务进程"
        )
    work(current_app._get_current_object(), burst=burst)  # type: ignore[attr-defined]


@jobs_cli.command("relay")
@with_appcontext
def relay_command() -> None:
    """Hand every due job to the queue once (or run it here without Redis)."""
    dispatcher = get_dispatcher(current_app)
    handed = dispatcher.relay_once()
    dispatcher.wait()
    click.echo(f"已交给队列 {handed} 个任务")


@jobs_cli.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@with_appcontext
def status_command(as_json: bool) -> None:
    """How many jobs are pending, running, done and dead."""
    rows = get_session().execute(select(OutboxJob.status, func.count()).group_by(OutboxJob.status))
    counts = {status: count for status, count in rows}
    if as_json:
        click.echo(json.dumps(counts))
    else:
        for status in ("pending", "running", "done", "dead"):
            click.echo(f"{status}\t{counts.get(status, 0)}")


@jobs_cli.command("revive")
@with_appcontext
def revive_command() -> None:
    """Give dead jobs another round of attempts (after fixing what killed them)."""
    session = get_session()
    revived = session.execute(
        update(OutboxJob)
        .where(OutboxJob.status == "dead")
        .values(status="pending", attempts=0, run_after=utcnow(), lease_until=None)
    ).rowcount  # type: ignore[attr-defined]
    session.commit()
    click.echo(f"已重新排队 {revived} 个任务")


@jobs_cli.command("notices")
@with_appcontext
def notices_command() -> None:
    """Tell workers of missed legal deadlines and close payment questions unanswered for 7
    days, now (the relay does this every 10 minutes)."""
    from jobs.notices import sweep

    sent = sweep(current_app._get_current_object(), force=True)  # type: ignore[attr-defined]
    get_dispatcher(current_app).wait()
    click.echo(f"已发送 {sent} 条期限提醒")
