"""Merging two collective cases that staff find are one (linking keeps separate collective
cases apart: it joins the oldest one a complaint matches and never merges them itself).

Every member row of the merged case moves to the case kept, the current members and the
complaints staff took out alike (a complaint taken out stays out of automatic linking). The
merged case keeps its number, with no members: the number is never given to another
collective case, and the audit log says where its members went.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from cases.collective import CollectiveError, lock_linking, members
from models import CollectiveCase, CollectiveMember, utcnow

#: The audit entry of a merge (console and command line): target the merged collective
#: case, detail the one kept. The merged case's page follows it to the one kept.
MERGE_AUDIT = "collective_merge"


def merge(
    session: Session,
    source: CollectiveCase,
    target: CollectiveCase,
    staff_id: int | None,
    now: datetime | None = None,
) -> list[str]:
    """Move every member of ``source`` into ``target``; return the case numbers that moved.

    ``staff_id`` None: merged from the command line. The caller commits and audits.
    """
    now = now or utcnow()
    if source.id == target.id:
        raise CollectiveError("不能将群体性案件并入其自身")
    lock_linking(session)
    moved = [c.case_no for c in members(session, source)]
    if not moved:
        raise CollectiveError(f"群体性案件{source.collective_no}没有成员案件")
    kept = {
        row.complaint_id: row
        for row in session.scalars(
            select(CollectiveMember).where(CollectiveMember.collective_id == target.id)
        )
    }
    for row in list(
        session.scalars(select(CollectiveMember).where(CollectiveMember.collective_id == source.id))
    ):
        _move(session, row, target, kept.get(row.complaint_id), staff_id, now)
    session.flush()
    return moved


def _move(
    session: Session,
    row: CollectiveMember,
    target: CollectiveCase,
    there: CollectiveMember | None,
    staff_id: int | None,
    now: datetime,
) -> None:
    """Move one member row; a complaint with a row in ``target`` already keeps that row
    (one row per complaint and collective case), revived when it is a current member."""
    if there is None:
        row.collective_id = target.id
        if row.removed_at is None:
            row.linked_by, row.staff_id, row.created_at = "staff", staff_id, now
        return
    if row.removed_at is None:
        there.removed_at, there.removed_by_staff_id = None, None
        there.linked_by, there.staff_id, there.created_at = "staff", staff_id, now
    session.delete(row)
