"""The staff actions on a case, as one table: from which statuses, to which, the field each
needs, what the history records and what the worker is told.

Applying an action (storing its fields, queuing the notice) is the console's work
(``console/actions.py``); what an action *is* lives here.
"""

from __future__ import annotations

from dataclasses import dataclass

from cases.deadlines import EXTENSION_DAYS
from cases.statuses import FILED, INVESTIGATING, status_name

#: The message a status change sends the worker; ``detail`` is the action's own sentence.
NOTICE = "您的案件{case_no}有新进展：{status}。{detail}如有疑问，可直接回复本消息或拨打12333。"


@dataclass(frozen=True)
class Action:
    """One thing staff can do to a case."""

    label: str
    to_status: str | None  # None: recorded in the history, status unchanged
    allowed_from: frozenset[str]
    #: The action form's field this action needs (``ActionInput``'s name), if any.
    required: str | None = None
    #: Said to staff when that field is empty.
    missing: str = ""
    #: The history's detail; ``{value}`` is the field's value as stored.
    record: str = ""
    #: The worker notice's detail; ``{value}`` likewise.
    notice: str = ""
    #: A form field the action may carry (the mediation's date and place): when given, it
    #: fills ``record`` and ``notice`` like a required one.
    optional: str | None = None


ACTIONS: dict[str, Action] = {
    "accept": Action("受理", "accepted", frozenset({"submitted"})),
    "assign": Action(
        "分派", "assigned", INVESTIGATING, "assignee_id", "请选择办案人员", "分派给{value}"
    ),
    "transfer": Action(
        "转交",
        "transferred",
        frozenset({"submitted"}) | INVESTIGATING,
        "unit",
        "请填写转交单位",
        "转交{value}",
        "已转交{value}处理。",
    ),
    "mediate": Action(
        "调解",
        "mediating",
        frozenset({"accepted", "assigned"}),
        record="调解时间：{value}",
        notice="调解时间：{value}，请按时参加。",
        optional="when",
    ),
    "resolve": Action(
        "已解决",
        "resolved",
        INVESTIGATING | {"transferred"},
        "amount",
        "追回金额请填数字（元）",
        "追回{value}元",
        "追回金额{value}元。",
    ),
    "close": Action("结案", "closed", INVESTIGATING | {"resolved", "transferred"}),
    "reject": Action(
        "不予受理",
        "rejected",
        frozenset({"submitted", "accepted"}),
        "reason",
        "请填写不予受理的理由",
        "理由：{value}",
        "理由：{value}。",
    ),
    "extend": Action(f"延长调查期（{EXTENSION_DAYS}个工作日）", None, INVESTIGATING),
    "contacted": Action("已电话联系工人", None, FILED),
}


def actions_from(status: str) -> dict[str, Action]:
    """The actions staff may take on a case in ``status``, in the table's order."""
    return {key: action for key, action in ACTIONS.items() if status in action.allowed_from}


def history_note(action: Action, value: object, note: str) -> str:
    """The history entry of ``action``: its label, its field's detail and the staff note."""
    parts = [action.record.format(value=value)] if action.record and value is not None else []
    if note:
        parts.append(note)
    return f"{action.label}：{'；'.join(parts)}" if parts else action.label


def notice_detail(action: Action, value: object) -> str:
    """The notice's own sentence for ``action`` (the unit, the amount, the reason), or ""."""
    return action.notice.format(value=value) if action.notice and value is not None else ""


def notice_text(action: Action, case_no: str, value: object) -> str | None:
    """What the worker is told after ``action`` (None: the status did not change)."""
    if action.to_status is None:
        return None
    detail = notice_detail(action, value)
    return NOTICE.format(case_no=case_no, status=status_name(action.to_status), detail=detail)
