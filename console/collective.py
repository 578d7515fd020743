"""One staff action on a collective case, applied to each member as if taken on its page:
each member gets its own history entry, notice and (when resolved) payment question."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from cases.actions import ACTIONS
from cases.collective import members
from console import audit
from console.actions import ActionError, ActionInput, apply_action
from models import CollectiveCase, StaffUser

#: The actions staff take on a whole collective case (the rest stay on each case's page).
COLLECTIVE_ACTIONS = ("accept", "mediate", "resolve")


@dataclass
class Outcome:
    """What one collective action did: the case numbers moved, skipped or not told."""

    applied: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    not_notified: list[str] = field(default_factory=list)


def apply_to_members(
    session: Session,
    collective: CollectiveCase,
    action: str,
    staff: StaffUser,
    now: datetime,
    *,
    note: str = "",
    when: str = "",
    amounts: Mapping[int, str] | None = None,
) -> Outcome:
    """Apply ``action`` to every member whose status allows it; a member already past it
    is skipped. ``amounts``: the amount recovered per member id (resolve).

    An ActionError for any member stops the whole action (the caller rolls back), so a
    collective case is never left half moved.
    """
    if action not in COLLECTIVE_ACTIONS:
        raise ActionError("群体性案件不能进行此操作")
    allowed = ACTIONS[action].allowed_from
    outcome = Outcome()
    prefix = f"群体性案件{collective.collective_no}"
    for complaint in members(session, collective):
        if complaint.status not in allowed:
            outcome.skipped.append(complaint.case_no)
            continue
        data = ActionInput(
            action=action,
            note=f"{prefix}：{note.strip()}" if note.strip() else prefix,
            when=when,
            amount=(amounts or {}).get(complaint.id, ""),
        )
        try:
            delivery = apply_action(session, complaint, data, staff, now)
        except ActionError as exc:
            raise ActionError(f"案件{complaint.case_no}：{exc}") from None
        outcome.applied.append(complaint.case_no)
        if delivery is not None and delivery.problem:
            outcome.not_notified.append(complaint.case_no)
    if not outcome.applied:
        raise ActionError(f"没有成员案件可以{ACTIONS[action].label}")
    audit.record(
        session, f"collective_{action}", staff_id=staff.id, target=collective.collective_no
    )
    return outcome
