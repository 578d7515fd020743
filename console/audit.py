"""The audit log: who revealed personal data, acted on a case, logged in, issued a token."""

from __future__ import annotations

from flask import has_request_context, request
from sqlalchemy.orm import Session

from models import AuditEntry


def record(
    session: Session,
    action: str,
    *,
    staff_id: int | None,
    target: str | None = None,
    detail: str | None = None,
) -> AuditEntry:
    """Add one audit entry (the caller commits), with the client address when in a request."""
    ip = request.remote_addr if has_request_context() else None
    entry = AuditEntry(staff_id=staff_id, action=action, target=target, detail=detail, ip=ip)
    session.add(entry)
    return entry
