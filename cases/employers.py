"""Employers under one normalised name (一企一策): linking, merging, blacklist and repeats.

"德发建筑劳务公司", "德发建筑劳务有限公司" and "老板王德发(德发建筑劳务公司)" are one employer:
the company the name holds (found by the NLU's own normalisers) without its legal form.
A name without a company is keyed on the boss's name; a bare "老板" or "不详" on nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cases.reading import is_generic_boss, is_unknown
from models import Complaint
from models.employer import Employer
from nlu.normalise import extract_entities, to_simplified

#: The legal form at the end of a company's name: left out of the key.
_LEGAL_FORM = re.compile(r"(?:股份有限公司|有限责任公司|有限公司|集团公司|集团|分公司|公司)$")
_NOISE = re.compile(r"[\s()（）\[\]【】「」“”\"'‘’，,。.、:：;；!！?？·-]+")
#: The entities' date reading needs a day; names do not depend on it.
_ANY_DAY = date(2026, 1, 1)
KEY_LENGTH = 200


def employer_key(name: str | None) -> str | None:
    """The normalised key of an employer's name; None when it names no one."""
    if not name or not name.strip():
        return None
    text = to_simplified(name).strip()
    if is_unknown(text) or is_generic_boss(text):
        return None
    entities = extract_entities(text, _ANY_DAY)
    companies = [str(e.value) for e in entities if e.name == "employer" and e.value]
    companies = [c for c in companies if not is_generic_boss(c)]
    people = [str(e.value) for e in entities if e.name == "contractor" and e.value]
    chosen = companies[0] if companies else people[0] if people else text
    key = _LEGAL_FORM.sub("", _NOISE.sub("", chosen)) or _NOISE.sub("", chosen)
    return key[:KEY_LENGTH] or None


def resolve(session: Session, employer: Employer) -> Employer:
    """The employer a merged name now belongs to (itself when never merged)."""
    seen = {employer.id}
    while employer.merged_into_id is not None:
        target = session.get(Employer, employer.merged_into_id)
        if target is None or target.id in seen:  # a broken chain: stop where we are
            break
        seen.add(target.id)
        employer = target
    return employer


def employer_for(session: Session, name: str | None) -> Employer | None:
    """The employer record of a name, created on first sight; None for no one."""
    key = employer_key(name)
    if key is None:
        return None
    found = session.scalar(select(Employer).where(Employer.key == key))
    if found is None:
        try:
            with session.begin_nested():
                found = Employer(name=(name or key).strip()[:200], key=key)
                session.add(found)
        except IntegrityError:  # another request created it at the same moment
            found = session.scalar(select(Employer).where(Employer.key == key))
            assert found is not None
    return resolve(session, found)


def link(session: Session, complaint: Complaint) -> Employer | None:
    """Set the complaint's employer record from its employer (or contractor) name."""
    record = employer_for(session, complaint.employer) or employer_for(
        session, complaint.contractor
    )
    complaint.employer_id = record.id if record else None
    return record


def link_unlinked(session: Session) -> int:
    """Link filed complaints that have an employer name but no record yet (the bot's).

    The bot files complaints without touching employers; readers call this first.
    """
    unlinked = session.scalars(
        select(Complaint).where(
            Complaint.employer_id.is_(None),
            Complaint.status != "draft",
            (Complaint.employer.is_not(None)) | (Complaint.contractor.is_not(None)),
        )
    ).all()
    linked = sum(1 for complaint in unlinked if link(session, complaint) is not None)
    session.flush()
    return linked


@dataclass(frozen=True)
class Standing:
    """What intake tells staff about an employer: blacklisted, and its other cases."""

    employer: Employer | None
    blacklisted: bool
    other_cases: int

    def warning(self) -> str | None:
        """The Chinese warning shown on intake, or None."""
        if self.employer is None:
            return None
        parts = []
        if self.blacklisted:
            parts.append("该用人单位在拖欠工资失信名单（黑名单）上")
        if self.other_cases:
            parts.append(f"该用人单位已有{self.other_cases}件其他欠薪投诉（重复被投诉）")
        return "；".join(parts) or None


def standing(session: Session, employer: Employer | None, exclude_id: int | None) -> Standing:
    """The employer's blacklist status and how many other filed cases name it."""
    if employer is None:
        return Standing(None, False, 0)
    query = select(func.count(Complaint.id)).where(
        Complaint.employer_id.in_(merged_ids(session, employer)), Complaint.status != "draft"
    )
    if exclude_id is not None:
        query = query.where(Complaint.id != exclude_id)
    return Standing(employer, employer.blacklisted, session.scalar(query) or 0)


def merged_ids(session: Session, employer: Employer) -> list[int]:
    """The ids of ``employer`` and of every name merged into it (at any depth)."""
    ids, frontier = [employer.id], [employer.id]
    while frontier:
        frontier = list(
            session.scalars(select(Employer.id).where(Employer.merged_into_id.in_(frontier)))
        )
        ids.extend(i for i in frontier if i not in ids)
    return ids


def merge(session: Session, source: Employer, target: Employer) -> int:
    """Merge ``source`` into ``target`` by hand: its cases and later complaints go there.

    Returns how many cases moved. Merging a name into itself (or into a name merged into
    it) is refused, because the chain would never end.
    """
    target = resolve(session, target)
    if target.id in merged_ids(session, source):
        raise ValueError("不能把单位合并到它自己")
    moved = 0
    for complaint in session.scalars(
        select(Complaint).where(Complaint.employer_id.in_(merged_ids(session, source)))
    ):
        complaint.employer_id = target.id
        moved += 1
    source.merged_into_id = target.id
    target.blacklisted = target.blacklisted or source.blacklisted
    session.flush()
    return moved


@dataclass(frozen=True)
class Summary:
    """One employer's line in the list: its cases, amounts and whether it is blacklisted."""

    employer: Employer
    cases: int
    owed: Decimal
    recovered: Decimal


def summaries(session: Session) -> list[Summary]:
    """Every employer with filed cases, most cases first (merged names counted once)."""
    link_unlinked(session)
    rows = session.execute(
        select(
            Complaint.employer_id,
            func.count(Complaint.id),
            func.coalesce(func.sum(Complaint.amount_owed), 0),
            func.coalesce(func.sum(Complaint.amount_recovered), 0),
        )
        .where(Complaint.employer_id.is_not(None), Complaint.status != "draft")
        .group_by(Complaint.employer_id)
    ).all()
    out = []
    for employer_id, count, owed, recovered in rows:
        employer = session.get(Employer, employer_id)
        if employer is not None:
            out.append(Summary(employer, count, Decimal(str(owed)), Decimal(str(recovered))))
    return sorted(out, key=lambda s: (-s.cases, s.employer.name))
