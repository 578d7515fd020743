"""How a job's failure is treated: retried later, held for the worker, or given up.

A job signals the treatment by raising :class:`RetryLater`, :class:`HoldForWorker` or
:class:`GiveUp`; any other exception is retried with backoff like a transient fault.
WeChat's errors decide which (see the table in ``wechat/client.py``):

    45009  daily API quota used up        retried after midnight, China time
    45047  this worker's customer-service quota used up (20 per 48 h)
                                          held until the worker writes again
    45015  48-hour reply window passed    dead: staff are asked to phone the worker
    other retryable codes, timeouts       retried with backoff
    other codes                           dead
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from cases.deadlines import CHINA, china_day
from wechat.client import WeChatAPIError

DAILY_QUOTA = 45009
WINDOW_CLOSED = 45015
WORKER_QUOTA = 45047


class RetryLater(Exception):
    """A failure that may pass: try again at ``at`` (or after the usual backoff)."""

    def __init__(self, reason: str, at: datetime | None = None) -> None:
        super().__init__(reason)
        self.reason, self.at = reason, at


class HoldForWorker(Exception):
    """Cannot run until the worker writes again (their next message releases the job)."""


class GiveUp(Exception):
    """A failure that cannot pass: the job is dead and its ``on_dead`` hook runs."""


def wechat_failure(exc: WeChatAPIError, now: datetime | None = None) -> Exception:
    """How the runner should treat a WeChat API error."""
    if exc.errcode == DAILY_QUOTA:
        return RetryLater(str(exc), at=next_china_midnight(now))
    if exc.errcode == WORKER_QUOTA:
        return HoldForWorker(str(exc))
    if exc.retryable:
        return RetryLater(str(exc))
    return GiveUp(str(exc))


def next_china_midnight(now: datetime | None = None) -> datetime:
    """When WeChat's daily quotas reset (00:00 in China), with a minute's margin."""
    today = china_day(now or datetime.now(CHINA))
    return datetime.combine(today + timedelta(days=1), time(0, 1), CHINA)
