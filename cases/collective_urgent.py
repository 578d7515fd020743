"""Which complaints are urgent because their collective case is: the members of every
collective case whose totals cross the group thresholds, found in one SQL query.

``cases.collective.totals`` gives the same answer for one collective case; the queue and
今日待办 need it for a whole page of cases at once, so it is one grouped query here.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Numeric, Select, case, cast, func, or_, select
from sqlalchemy.orm import Session

from cases.columns import GroupPolicy
from models import CollectiveCase, CollectiveMember, Complaint


def urgent_members(policy: GroupPolicy) -> Select[int, str]:
    """(complaint id, collective number) of each current member of an urgent collective case.

    Urgent as in ``totals``: together the members reach the headcount or the amount
    threshold (a complaint without a headcount counts its own worker), or one of them is a
    group case on its own.
    """
    current = CollectiveMember.removed_at.is_(None)
    # SQLite keeps amounts as exact decimal text: summed as numbers, not compared as text.
    amount = func.coalesce(func.sum(cast(Complaint.amount_owed, Numeric(14, 2))), 0)
    urgent = (
        select(CollectiveMember.collective_id)
        .join(Complaint, Complaint.id == CollectiveMember.complaint_id)
        .where(current)
        .group_by(CollectiveMember.collective_id)
        .having(
            or_(
                func.sum(func.coalesce(Complaint.headcount, 1)) >= policy.group_headcount,
                amount >= policy.group_amount,
                func.max(case((Complaint.is_group.is_(True), 1), else_=0)) == 1,
            )
        )
    )
    return (
        select(CollectiveMember.complaint_id, CollectiveCase.collective_no)
        .join(CollectiveCase, CollectiveCase.id == CollectiveMember.collective_id)
        .where(current, CollectiveMember.collective_id.in_(urgent))
    )


def urgent_collectives(
    session: Session, complaint_ids: Iterable[int], policy: GroupPolicy
) -> dict[int, str]:
    """For the given complaints, the number of the urgent collective case each belongs to
    (complaints in none, or in one under the thresholds, are left out)."""
    ids = list(complaint_ids)
    if not ids:
        return {}
    rows = session.execute(
        urgent_members(policy).where(CollectiveMember.complaint_id.in_(ids))
    ).all()
    return {complaint_id: number for complaint_id, number in rows}


def urgent_member_ids(policy: GroupPolicy) -> Select[int]:
    """The ids of every member of an urgent collective case (for a WHERE ... IN)."""
    return select(urgent_members(policy).subquery().c.complaint_id)
