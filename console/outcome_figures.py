"""Dashboard: recovery the worker confirmed, and the worker's satisfaction, per unit and per
handler (issue 17). A case counts as recovered only when its worker said all was paid; a
rating counts for the handler and unit of the moment it was given (``models.CaseRating``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.blueprint import bp
from models import CaseRating, CaseWork, PaymentConfirmation, StaffUser
from models.db import get_session

HERE = "本局"
UNASSIGNED = "（未分派）"


@dataclass
class Outcome:
    """One unit's or handler's resolved cases, as their workers saw them."""

    name: str
    resolved: int = 0
    paid: int = 0
    not_paid: int = 0
    unconfirmed: int = 0
    scores: list[int] = field(default_factory=list)

    @property
    def recovery_rate(self) -> float | None:
        """Percent of resolved cases whose worker confirmed full payment."""
        return round(100 * self.paid / self.resolved, 1) if self.resolved else None

    @property
    def satisfaction(self) -> float | None:
        """Percent of ratings that were 满意 (1)."""
        return round(100 * self.scores.count(1) / len(self.scores), 1) if self.scores else None


@dataclass
class OutcomeFigures:
    """The table by unit and the table by handler."""

    by_unit: list[Outcome]
    by_handler: list[Outcome]


def outcome_figures(session: Session) -> OutcomeFigures:
    """Resolved cases by the worker's answer, and ratings, per unit and per handler."""
    names = {
        row.id: row.username for row in session.execute(select(StaffUser.id, StaffUser.username))
    }
    work = {
        w.complaint_id: (w.transferred_to or HERE, names.get(w.assigned_staff_id or 0, UNASSIGNED))
        for w in session.scalars(select(CaseWork))
    }
    latest: dict[int, str] = {}
    for complaint_id, status in session.execute(
        select(PaymentConfirmation.complaint_id, PaymentConfirmation.status).order_by(
            PaymentConfirmation.id
        )
    ):
        latest[complaint_id] = status  # the newest question's answer counts
    units: dict[str, Outcome] = defaultdict(lambda: Outcome(""))
    handlers: dict[str, Outcome] = defaultdict(lambda: Outcome(""))
    for complaint_id, status in latest.items():
        unit, handler = work.get(complaint_id, (HERE, UNASSIGNED))
        for row in (units[unit], handlers[handler]):
            _count(row, status)
    for rating in session.scalars(select(CaseRating)):
        units[rating.unit or HERE].scores.append(rating.score)
        handlers[names.get(rating.handler_staff_id or 0, UNASSIGNED)].scores.append(rating.score)
    return OutcomeFigures(_rows(units), _rows(handlers))


def _count(row: Outcome, status: str) -> None:
    row.resolved += 1
    if status == "paid":
        row.paid += 1
    elif status in ("partial", "unpaid"):
        row.not_paid += 1
    else:
        row.unconfirmed += 1


def _rows(groups: dict[str, Outcome]) -> list[Outcome]:
    for name, row in groups.items():
        row.name = name
    return sorted(groups.values(), key=lambda row: (-row.resolved, row.name))


@bp.app_template_global("outcome_figures")
def _outcome_figures_global() -> OutcomeFigures:
    # Asked for by the dashboard's template (console/_outcomes.html): its view stays as it is.
    return outcome_figures(get_session())


#: What staff read for the worker's answer about the money.
PAYMENT_WORDS = {
    "asked": "已询问，等待工人回复",
    "paid": "工人确认全部到账",
    "partial": "工人说只到了一部分（已重新办理）",
    "unpaid": "工人说没有到账（已重新办理）",
    "unconfirmed": "已解决（工人未确认）",
}
SCORE_WORDS = {1: "满意", 2: "一般", 3: "不满意"}


@bp.app_template_global("worker_word")
def worker_word(complaint_id: int) -> tuple[str, str]:
    """The worker's own word on a case, for its page: payment, and satisfaction (read only)."""
    session = get_session()
    status = session.scalar(
        select(PaymentConfirmation.status)
        .where(PaymentConfirmation.complaint_id == complaint_id)
        .order_by(PaymentConfirmation.id.desc())
        .limit(1)
    )
    score = session.scalar(select(CaseRating.score).where(CaseRating.complaint_id == complaint_id))
    return PAYMENT_WORDS.get(status or "", "—"), SCORE_WORDS.get(score or 0, "—")
