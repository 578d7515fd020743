"""The token-authenticated JSON API for other systems: ``/api/complaints``."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from flask import Blueprint, abort, g, jsonify, request
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from cases.deadlines import case_clocks, china_day
from console import audit
from console.auth import CASE_ROLES
from console.cli import complaint_json
from console.queue import QueueFilter, queue
from models import ApiToken, CaseWork, Complaint, StaffUser, utcnow
from models.db import get_session

api = Blueprint("api", __name__, url_prefix="/api")


def hash_token(token: str) -> str:
    """The stored form of a token: its SHA-256 (tokens are random, so no salt is needed)."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, user: StaffUser) -> str:
    """Make a new token for ``user``; the caller shows it once, only its hash is kept."""
    token = "anx_" + secrets.token_urlsafe(32)
    session.add(ApiToken(staff_id=user.id, token_hash=hash_token(token)))
    return token


@api.before_request
def _authenticate() -> Response | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    session = get_session()
    row = None
    if scheme.lower() == "bearer" and token.strip():
        row = session.scalar(
            select(ApiToken).where(
                ApiToken.token_hash == hash_token(token.strip()), ApiToken.revoked_at.is_(None)
            )
        )
    if row is None or not row.staff.active:
        response = jsonify(error="invalid_token", message="需要有效的访问令牌")
        response.status_code = 401
        response.headers["WWW-Authenticate"] = 'Bearer realm="anxin"'
        return response
    if row.staff.role not in CASE_ROLES:
        abort(403)
    row.last_used_at = utcnow()
    g.api_user = row.staff
    return None


@api.errorhandler(403)
def _forbidden(_exc: Exception) -> tuple[Response, int]:
    return jsonify(error="forbidden", message="该账号无权查看投诉"), 403


@api.errorhandler(404)
def _not_found(_exc: Exception) -> tuple[Response, int]:
    return jsonify(error="not_found"), 404


def _item(session: Session, complaint: Complaint, work: CaseWork | None) -> dict[str, Any]:
    clocks = case_clocks(complaint, work)
    return {
        **complaint_json(session, complaint),
        "first_contact_by": clocks.first_contact_by.isoformat(),
        "next_deadline": clocks.next_due.isoformat() if clocks.next_due else None,
        "next_deadline_label": clocks.next_label,
        "overdue": clocks.overdue(china_day(utcnow())),
        "amount_recovered": (
            None if complaint.amount_recovered is None else str(complaint.amount_recovered)
        ),
        "transferred_to": work.transferred_to if work else None,
    }


@api.get("/complaints")
def list_complaints() -> Response:
    """Filed complaints, filtered like the queue (status, site, district, group, ...)."""
    session = get_session()
    rows = queue(session, QueueFilter.from_args(request.args), china_day(utcnow()))
    audit.record(session, "api_list", staff_id=g.api_user.id, detail=request.query_string.decode())
    items = [_item(session, r.complaint, r.work) for r in rows]
    session.commit()
    return jsonify(complaints=items, count=len(items))


@api.get("/complaints/<case_no>")
def show_complaint(case_no: str) -> Response:
    """One filed complaint by its case number."""
    session = get_session()
    complaint = session.scalar(select(Complaint).where(Complaint.case_no == case_no))
    if complaint is None or complaint.status == "draft":
        abort(404)
    work = session.scalar(select(CaseWork).where(CaseWork.complaint_id == complaint.id))
    audit.record(session, "api_show", staff_id=g.api_user.id, target=case_no)
    item = _item(session, complaint, work)
    session.commit()
    return jsonify(item)
