"""What a collective case's members add up to, and which complaints are urgent because
their collective case is, written once in SQL: ``cases.collective.totals`` reads one
collective case's sums, and the queue and 今日待办 find the members of every urgent one for a
whole page of cases in one grouped query.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from sqlalchemy import ColumnElement, Numeric, Select, case, cast, func, or_, select
from sqlalchemy.orm import Session

from cases.columns import GroupPolicy
from models import CollectiveCase, CollectiveMember, Complaint


def _sums() -> tuple[
    ColumnElement[int], ColumnElement[int], ColumnElement[Decimal], ColumnElement[int]
]:
    """Members, workers, money owed and whether any member is a group case, over the current
    members joined to their complaints (a complaint without a headcount counts its own
    worker; SQLite keeps amounts as exact decimal text, summed as numbers, not as text)."""
    return (
        func.count(CollectiveMember.id),
        func.sum(func.coalesce(Complaint.headcount, 1)),
        func.coalesce(func.sum(cast(Complaint.amount_owed, Numeric(14, 2))), 0),
        func.max(case((Complaint.is_group.is_(True), 1), else_=0)),
    )


def _urgent(policy: GroupPolicy) -> ColumnElement[bool]:
    """Whether the sums cross the headcount or the amount threshold, or a member is a group
    case on its own."""
    _, headcount, amount, any_group = _sums()
    return or_(headcount >= policy.group_headcount, amount >= policy.group_amount, any_group == 1)


def _current_members() -> Select[int]:
    return (
        select(CollectiveMember.collective_id)
        .join(Complaint, Complaint.id == CollectiveMember.complaint_id)
        .where(CollectiveMember.removed_at.is_(None))
    )


def sums_of(
    session: Session, collective_id: int, policy: GroupPolicy
) -> tuple[int, int, Decimal, bool]:
    """(members, workers, money owed, urgent) of one collective case."""
    members, headcount, amount, _ = _sums()
    query = (
        _current_members()
        .with_only_columns(members, headcount, amount, _urgent(policy))
        .where(CollectiveMember.collective_id == collective_id)
    )
    count, workers, owed, urgent = session.execute(query).one()
    return int(count), int(workers or 0), Decimal(owed or 0), bool(urgent)


def urgent_members(policy: GroupPolicy) -> Select[int, str]:
    """(complaint id, collective number) of each current member of an urgent collective case."""
    urgent = _current_members().group_by(CollectiveMember.collective_id).having(_urgent(policy))
    return (
        select(CollectiveMember.complaint_id, CollectiveCase.collective_no)
        .join(CollectiveCase, CollectiveCase.id == CollectiveMember.collective_id)
        .where(CollectiveMember.removed_at.is_(None), CollectiveMember.collective_id.in_(urgent))
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
