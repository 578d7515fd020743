"""Anxin's data model (typed SQLAlchemy 2). Sessions are opened and closed by the caller."""

from models.base import Base, insert_or_skip, utcnow
from models.chat import ConversationState, Message, Worker
from models.checkin import CHECKIN_ANSWERS, Checkin, CheckinOptIn
from models.collective import CollectiveCase, CollectiveMember
from models.complaint import STATUSES, CaseCounter, Complaint, Evidence, StatusChange
from models.notice import CaseNotice, CaseRating, NoticeConsent, PaymentConfirmation
from models.outbox import OUTBOX_STATUSES, OutboxJob
from models.site import Scan, Site
from models.staff import (
    ROLES,
    ApiToken,
    AuditEntry,
    CaseNote,
    CaseWork,
    LoginAttempt,
    MessageReview,
    StaffSite,
    StaffUser,
    case_work_of,
)

__all__ = [
    "OUTBOX_STATUSES",
    "ROLES",
    "STATUSES",
    "ApiToken",
    "AuditEntry",
    "CaseCounter",
    "CaseNotice",
    "CaseRating",
    "CaseNote",
    "CHECKIN_ANSWERS",
    "Checkin",
    "CheckinOptIn",
    "CaseWork",
    "CollectiveCase",
    "CollectiveMember",
    "LoginAttempt",
    "MessageReview",
    "NoticeConsent",
    "PaymentConfirmation",
    "StaffSite",
    "Base",
    "Complaint",
    "ConversationState",
    "Evidence",
    "Message",
    "OutboxJob",
    "Scan",
    "Site",
    "StaffUser",
    "StatusChange",
    "Worker",
    "case_work_of",
    "insert_or_skip",
    "utcnow",
]
