"""Filing a case that did not come through the bot: a hotline call, a walk-in, a letter, a
referral or a row of an exported spreadsheet.

The fields are read as the bot reads them (``cases/fields.py``). A report that repeats a
case already filed (``cases/duplicates.py``) is linked to it as one more source instead.
The worker has no WeChat conversation: notices to them find WeChat's window closed, and
the case asks staff to phone them (``jobs/messages.py``'s one rule).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cases import numbering
from cases.channels import channel_name
from cases.collective import link_filed
from cases.deadlines import acceptance_ends, china_day, filed_on
from cases.duplicates import find_duplicate
from cases.employers import employer_for, standing
from cases.fields import Reading, columns
from models import Complaint, Site, StatusChange, Worker, utcnow
from models.complaint import ComplaintSource

#: The stand-in OpenID of a worker known only by phone (never a real OpenID: those are
#: 28 characters of letters, digits, "-" and "_").
OFFLINE_PREFIX = "offline:"
#: The flag key staff read on the case page when the employer is blacklisted or a repeat.
EMPLOYER_FLAG = "用人单位提示"


@dataclass(frozen=True)
class Filed:
    """The case a report went to: new, or the earlier case it was linked to."""

    complaint: Complaint
    linked: bool
    warning: str | None


def file_report(
    session: Session,
    reading: Reading,
    *,
    channel: str,
    reference: str | None,
    config: Mapping[str, Any],
    staff_id: int | None = None,
    received: datetime | None = None,
) -> Filed:
    """File a read report as a new case, or link it to the case it repeats.

    ``received``: when the source received it (an imported row); the clocks start then.
    The caller commits.
    """
    now = received or utcnow()
    values = columns(reading, config, now, china_day(now))
    site_code = values.pop("site_code", None)
    employer = employer_for(session, values.get("employer")) or employer_for(
        session, values.get("contractor")
    )
    earlier = find_duplicate(
        session, employer, values.get("contact_phone"), values.get("id_number"), now
    )
    details = _details(values, channel)
    if earlier is not None:
        session.add(
            ComplaintSource(
                complaint_id=earlier.id,
                channel=channel,
                reference=reference,
                duplicate=True,
                details=details,
                staff_id=staff_id,
            )
        )
        session.flush()
        return Filed(earlier, True, standing(session, employer, earlier.id).warning())
    warning = standing(session, employer, None).warning()
    if warning:
        values["flags"] = {**values["flags"], EMPLOYER_FLAG: warning}
    site = session.scalar(select(Site).where(Site.code == site_code)) if site_code else None
    worker = Worker(openid=OFFLINE_PREFIX + uuid.uuid4().hex, subscribed=False)
    session.add(worker)
    session.flush()
    complaint = _numbered(
        session,
        now,
        dict(
            values,
            worker_id=worker.id,
            site_id=site.id if site else None,
            channel=channel,
            employer_id=employer.id if employer else None,
            status="submitted",
            created_at=now,
        ),
    )
    session.add(
        StatusChange(
            complaint_id=complaint.id,
            to_status="submitted",
            note=f"经{channel_name(channel)}登记",
            staff_id=staff_id,
        )
    )
    session.add(
        ComplaintSource(
            complaint_id=complaint.id,
            channel=channel,
            reference=reference,
            details=details,
            staff_id=staff_id,
        )
    )
    session.flush()
    link_filed(session, complaint)  # issue 19: same employer or site, same months
    return Filed(complaint, False, warning)


def _numbered(session: Session, now: datetime, values: dict[str, Any]) -> Complaint:
    """Store the complaint under the day's next case number (skipping numbers taken)."""
    for _attempt in range(numbering.ATTEMPTS):
        case_no = numbering.next_case_no(session, china_day(now))
        try:
            with session.begin_nested():
                complaint = Complaint(case_no=case_no, **values)
                session.add(complaint)
            return complaint
        except IntegrityError as exc:
            if not numbering.is_taken_number(exc):
                raise
            numbering.skip_taken(session, case_no)
    raise RuntimeError("no free case number")


def _details(values: Mapping[str, Any], channel: str) -> dict[str, Any]:
    """What this source said, kept (encrypted) for staff to compare with the case."""
    keep = ("contact_name", "contact_phone", "id_number", "employer", "amount_owed", "headcount")
    out = {k: str(values[k]) for k in keep if values.get(k) is not None}
    if values.get("description"):
        out["description"] = str(values["description"])[:500]
    out["channel"] = channel
    return out


def sms_text(complaint: Complaint) -> str:
    """The text the operator reads out (or sends by SMS): the case number and when the
    bureau decides whether to accept it."""
    accept_by = acceptance_ends(filed_on(complaint), complaint.accept_by)
    return (
        f"【安薪】您反映的欠薪问题已登记，案件编号{complaint.case_no}。"
        f"我们将在{accept_by.month}月{accept_by.day}日前决定是否受理，"
        "并电话联系您。查询进度请提供案件编号。"
    )


def is_offline(worker: Worker) -> bool:
    """Whether the worker has no WeChat conversation (filed by staff or imported)."""
    return worker.openid.startswith(OFFLINE_PREFIX)


def sources_of(complaint: Complaint) -> list[dict[str, str | None]]:
    """The case's sources: its own channel and reference first, then each linked report."""
    own = next((s for s in complaint.sources if not s.duplicate), None)
    first: dict[str, str | None] = {
        "channel": complaint.channel,
        "reference": own.reference if own else None,
    }
    return [first] + [
        {"channel": s.channel, "reference": s.reference} for s in complaint.sources if s.duplicate
    ]
