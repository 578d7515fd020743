"""Telling the worker from the console: case notices and staff replies.

They are outbound customer-service messages, created, queued, sent and failed by
``jobs/messages.py`` alone (WeChat's 48 h window, the job, and the one rule and sentence
for "cannot reach the worker, phone them"). This module only names that door for console
code: :func:`deliver` is :func:`jobs.messages.notify`.
"""

from __future__ import annotations

from jobs.messages import Delivery
from jobs.messages import notify as deliver

__all__ = ["Delivery", "deliver"]
