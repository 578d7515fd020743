"""What the worker is told at each step of the legal clock, and how their answers are read.

Pure: texts, the short fields of WeChat's subscription and template notices, the questions
after a case is resolved and the reading of the worker's answers. Sending (which channel,
when) is ``jobs/notices.py``'s work; storing answers is ``cases/payment.py``'s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from cases.deadlines import Clocks
from cases.statuses import INVESTIGATING, status_name

#: The notice kinds, each with its own template per channel (config: WECHAT_TEMPLATE_<KIND>,
#: WECHAT_SUBSCRIBE_TEMPLATE_<KIND>).
TEMPLATE_KINDS = ("progress", "deadline", "payment")
#: A subscription or template field of type ``thing`` holds at most 20 characters
#: (developers.weixin.qq.com, 订阅通知 "参数值内容限制").
THING_LIMIT = 20
#: How long a worker has to say whether the money arrived.
CONFIRM_DAYS = 7
HOTLINE = "12333"

PAYMENT_QUESTION = "钱到账了吗？请回复数字：1 全部到账 2 只到了一部分 3 没有到账"
SATISFACTION_QUESTION = "对处理结果满意吗？请回复数字：1 满意 2 一般 3 不满意（也可以接着说说原因）"
#: The one line that invites the worker to progress notices (at submission, status query).
INVITE = "想在微信里收到办理进度提醒，请点这里订阅：{link}（回复“不要再通知我”可随时停止）"
STOPPED = "好的，以后不再给您发送案件进度提醒。您仍可随时发“查询”了解进度。"
UNCONFIRMED = "已解决（工人未确认）"
#: Said with a case whose legal deadline has passed: what happens next, whom to call.
OVERDUE_NEXT = (
    f"这个期限已经过了。我们已提醒办案人员尽快处理；您也可以拨打{HOTLINE}，"
    "或到区劳动保障监察大队反映超期未办。"
)

#: What the worker's answer to the payment question means.
PAID, PARTIAL, UNPAID = "paid", "partial", "unpaid"
_PAYMENT_WORDS = (
    (PARTIAL, ("一部分", "部分", "只到了", "只给了", "还差", "没给全", "不够")),
    (UNPAID, ("没有到", "没到", "还没", "没有", "没收到", "没拿到", "没给", "一分没")),
    (PAID, ("全部到账", "全到", "到账了", "拿到了", "收到了", "都到了", "给了", "发了")),
)
_SATISFACTION = {"1": 1, "满意": 1, "2": 2, "一般": 2, "还行": 2, "3": 3, "不满意": 3}
_STOP = re.compile(r"(不要|别|不用|无需|停止).{0,3}(再)?(通知|提醒|发消息|推送)")


@dataclass(frozen=True)
class Notice:
    """One notice: the full text (customer-service message, transcript) and the short
    fields a subscription or template message carries."""

    kind: str  # the status reached, "overdue" or "payment"
    template_kind: str  # one of TEMPLATE_KINDS
    text: str
    status_line: str  # at most THING_LIMIT characters
    detail_line: str  # at most THING_LIMIT characters


def short(text: str, limit: int = THING_LIMIT) -> str:
    """``text`` cut to ``limit`` characters (an ellipsis marks the cut)."""
    text = text.strip().rstrip("。")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def fields(notice: Notice, case_no: str, day: date) -> dict[str, str]:
    """The data of a subscription or template notice: case number, status, date, detail.

    The account's templates are chosen with these four fields (README, "Notices").
    """
    return {
        "character_string1": case_no,
        "thing2": notice.status_line,
        "time3": day.isoformat(),
        "thing4": notice.detail_line,
    }


def status_notice(status: str, case_no: str, detail: str, full_text: str) -> Notice:
    """The notice of a status change (``full_text`` from ``cases.actions.notice_text``);
    a resolved case also asks whether the money arrived."""
    if status == "resolved":
        text = f"{full_text}\n{PAYMENT_QUESTION}"
        return Notice(
            status, "payment", text, "已解决，请确认钱是否到账", short(detail or "回复1/2/3")
        )
    line = short(status_name(status))
    return Notice(status, "progress", full_text, line, short(detail or "详情请查看公众号消息"))


def overdue_notice(case_no: str, label: str, due: date) -> Notice:
    """The notice of a missed legal deadline: what happens next and whom to call."""
    text = (
        f"您的案件{case_no}的{label}期限（{due.isoformat()}）已过，尚未办完。"
        f"我们已提醒办案人员尽快处理；超期未办的，您可以拨打{HOTLINE}或到劳动保障监察大队反映。"
    )
    return Notice("overdue", "deadline", text, short(f"{label}期限已过"), f"可拨打{HOTLINE}反映")


def missed_deadlines(status: str, clocks: Clocks, today: date) -> list[tuple[str, date]]:
    """The legal deadlines a case in ``status`` has missed by ``today``: acceptance (5
    working days) while submitted, the investigation (60, +30 extended) while under way."""
    missed: list[tuple[str, date]] = []
    if status == "submitted" and clocks.accept_by < today:
        missed.append(("受理", clocks.accept_by))
    if status in INVESTIGATING and clocks.investigate_by < today:
        missed.append(("办结", clocks.investigate_by))
    return missed


def reopened_text(case_no: str, answer: str, new_due: date) -> str:
    """What the worker is told when their answer reopens the case."""
    said = "只到了一部分" if answer == PARTIAL else "钱没有到账"
    return (
        f"已记下：{said}。案件{case_no}已重新办理，新的办结期限是{new_due.isoformat()}，"
        f"有进展会再通知您。如有疑问可拨打{HOTLINE}。"
    )


def paid_text(case_no: str) -> str:
    """The thanks after the worker confirms payment, followed by the one satisfaction question."""
    return f"好的，已记下案件{case_no}的钱已全部到账。\n{SATISFACTION_QUESTION}"


def read_payment(text: str) -> str | None:
    """The worker's answer to "钱到账了吗" (PAID, PARTIAL, UNPAID), or None if it is not one.

    A partial or missing payment is checked first: "没有全部到账" is not "全部到账".
    """
    said = _compact(text)
    if not said:
        return None
    if said in ("1", "2", "3"):
        return {"1": PAID, "2": PARTIAL, "3": UNPAID}[said]
    if said.isdigit():
        return None
    for answer, words in _PAYMENT_WORDS:
        if any(word in said for word in words):
            return answer
    return None


def read_satisfaction(text: str) -> int | None:
    """The worker's rating (1 满意, 2 一般, 3 不满意), or None if the text gives none."""
    said = _compact(text)
    if said in _SATISFACTION:
        return _SATISFACTION[said]
    if "不满意" in said:
        return 3
    for word, score in (("满意", 1), ("一般", 2)):
        if said.startswith(word) or said.endswith(word):
            return score
    return None


def wants_no_notices(text: str) -> bool:
    """True when the worker asks to stop progress notices ("不要再通知我")."""
    return bool(_STOP.search(_compact(text)))


def says_paid(text: str) -> bool:
    """True for an unprompted "钱拿到了,谢谢" (the worker was paid while the case was open):
    words about money being paid, not a bare menu number."""
    said = _compact(text)
    about_money = any(word in said for word in ("钱", "工资", "工钱", "到账"))
    return about_money and not said.isdigit() and read_payment(said) == PAID


def _compact(text: str) -> str:
    return re.sub(r"[\s，。！？!?,.、~～]+", "", text or "")
