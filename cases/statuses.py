"""The statuses of a complaint, their Chinese names, and the named groups every reader uses."""

from __future__ import annotations

# Every status, in the order a case usually moves through them: declared once, with the
# column it constrains.
from models.complaint import STATUSES as STATUSES

#: What workers and staff read for each filed status (a draft is never shown).
STATUS_NAMES = {
    "submitted": "已提交，等待受理",
    "accepted": "已受理，正在调查",
    "assigned": "已分派给办案人员",
    "transferred": "已转交其他部门",
    "mediating": "调解中",
    "resolved": "已解决",
    "closed": "已结案",
    "rejected": "不予受理",
}

DRAFT = "draft"
#: Filed statuses: everything a worker has submitted.
FILED = frozenset(STATUS_NAMES)
#: Under investigation here: the investigation clock runs (a transferred case runs on
#: another unit's clock).
INVESTIGATING = frozenset({"accepted", "assigned", "mediating"})
#: Over for this bureau: no clock runs.
FINAL = frozenset({"resolved", "closed", "rejected", "transferred"})
#: Still worked here: filed and not final.
OPEN = FILED - FINAL
#: Over for good: the case's personal data may be purged after the retention period (a
#: transferred case is still another unit's, and kept).
FINISHED = frozenset({"resolved", "closed", "rejected"})


def status_name(status: str) -> str:
    """The Chinese name of ``status`` (the code itself when it has none)."""
    return STATUS_NAMES.get(status, status)
