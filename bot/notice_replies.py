"""Replies to a notice are read as replies to it (pure: no database, no Flask).

After a case notice, "1", "好的" or a question answer that notice, not the menu; after the
payment question "1/2/3" or "还没到" answer it; after the satisfaction question "1/2/3" (with
an optional reason) rate the case; "不要再通知我" stops notices at any time; "钱拿到了,谢谢"
while a case is open records the payment (asking which case when there are several).
``bot/notices.py`` finds what is pending and carries out the decision.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cases.notices import read_payment, read_satisfaction, says_paid, wants_no_notices
from cases.numbering import case_number_in
from nlu.normalise import to_simplified

#: What the worker's next message may answer: the latest notice not yet answered.
PAYMENT, SATISFACTION, REASON, STATUS, WHICH_CASE = (
    "payment",
    "satisfaction",
    "reason",
    "status",
    "which_case",
)
ACKS = frozenset(
    {"1", "好", "好的", "收到", "知道了", "知道", "谢谢", "嗯", "行", "ok", "OK", "好的谢谢"}
)
_QUESTION = re.compile(r"[?？吗呢]$|什么时候|怎么|多久|进度|几天|啥时候")
#: A reason is a short remark, not a new complaint.
MAX_REASON = 200


@dataclass(frozen=True)
class Pending:
    """What a message may answer: the latest unanswered notice's kind and case, a payment
    question still open (answered in words at any time), and the worker's open cases."""

    kind: str | None = None
    case_no: str | None = None
    payment_case: str | None = None
    open_cases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Decision:
    """What to do with the message: ``action`` on ``case_no`` with ``value``."""

    action: str  # stop, payment, rate, reason, ack, ask_case, paid_case
    case_no: str | None = None
    value: str | int | None = None
    reason: str | None = None


def read(text: str, pending: Pending) -> Decision | None:
    """The decision a message makes as a reply, or None: the dialogue handles it."""
    written = (text or "").strip()
    text = to_simplified(written)  # "還沒到", "滿意" read as "还没到", "满意"
    if not text:
        return None
    if wants_no_notices(text):
        return Decision("stop")
    by_kind = _answer_to(text, pending, written)
    if by_kind is not None:
        return by_kind
    if pending.payment_case and not text.isdigit():
        answer = read_payment(text)
        if answer is not None:
            return Decision("payment", pending.payment_case, answer)
    if says_paid(text) and pending.open_cases:
        if len(pending.open_cases) == 1:
            return Decision("paid_case", pending.open_cases[0])
        return Decision("ask_case")
    return None


def _answer_to(text: str, pending: Pending, written: str) -> Decision | None:
    """A reply to the latest notice, read by its kind (``text`` simplified; a reason is kept
    as ``written``, which has the same length)."""
    if pending.kind == PAYMENT and pending.case_no:
        answer = read_payment(text)
        return Decision("payment", pending.case_no, answer) if answer else None
    if pending.kind == SATISFACTION and pending.case_no:
        return _rating(text, pending.case_no, written)
    if pending.kind == REASON and pending.case_no:
        if text.isdigit() or len(text) > MAX_REASON or says_paid(text):
            return None
        return Decision("reason", pending.case_no, reason=written)
    if pending.kind == WHICH_CASE:
        return _which_case(text, pending)
    replied = text in ACKS or _QUESTION.search(text) or read_payment(text) == "unpaid"
    if pending.kind == STATUS and pending.case_no and replied:
        return Decision("ack", pending.case_no)
    return None


def _rating(text: str, case_no: str, written: str) -> Decision | None:
    """ "3 拖得太久" rates 3 with a reason (kept as ``written``); "满意" rates 1."""
    head, space, _ = text.partition(" ")
    for candidate, start in ((head, len(head) + len(space)), (text[:1], 1), (text, len(text))):
        score = read_satisfaction(candidate)
        if score is not None:
            reason = written[start:].strip(" ，,。")
            return Decision("rate", case_no, score, reason or None)
    return None


def _which_case(text: str, pending: Pending) -> Decision | None:
    """The case the worker means: its number, or its place in the list we sent."""
    case_no = case_number_in(text)
    if case_no in pending.open_cases:
        return Decision("paid_case", case_no)
    if text.isdigit() and 1 <= int(text) <= len(pending.open_cases):
        return Decision("paid_case", pending.open_cases[int(text) - 1])
    return None
