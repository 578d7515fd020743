"""Pay-day check-ins (月结月清): who is asked, when, and what their answers mean.

A worker who scanned a site's code or filed a complaint about it may ask to be asked
("每月发工资后问我一声"). A few days after the site's pay day (the poster's 工资支付日期),
they are asked once whether the month's wages came; "没发" or "一部分" starts a complaint
with the site and the month already filled in (``bot/checkins.py``). Sending is
``jobs/checkins.py``'s work; the figures per site are ``cases/checkin_report.py``'s.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from cases.deadlines import china_day
from models import Checkin, CheckinOptIn, Complaint, Scan, Site
from nlu.normalise import to_simplified

#: Answers, as stored (models.CHECKIN_ANSWERS).
PAID, UNPAID, PARTIAL = "paid", "unpaid", "partial"
#: "none": nothing could reach the worker when the check-in was due.
UNREACHED = "none"
#: How long an unanswered check-in still takes a plain "1/2/3".
ANSWER_DAYS = 7
#: A check-in missed on its day (the job did not run) is still sent this many days later.
CATCH_UP_DAYS = 7

QUESTION = "【{site}】本月工资按时足额发了吗？请回复数字：1 发了 2 没发 3 只发了一部分"
OFFER = "想每月发工资后让我们问您一声工资发没发？回复“发工资后问我”即可（随时可停）。"
OPTED_IN = (
    "好的，【{sites}】每月发工资的日子（{pay_day}）过后几天，我们会问您一声工资发了没有。"
    "回复“不要再问了”可随时停止。"
)
NO_PAY_DAY = "工资支付日期未登记"
NO_SITE = "请先扫一下工地告示牌上的二维码（或发送“工地 编号”），我们才知道要问哪个工地的工资。"
STOPPED = "好的，以后不再问您工资发放的情况。需要时可以随时直接反映欠薪。"
THANKS_PAID = "收到，工资按时发了就好！下个月发工资后我们再问您。回复“不要再问了”可随时停止。"
FORM_LEAD = "您说【{site}】{month}的工资{what}，我们现在帮您登记欠薪。"
WHAT = {UNPAID: "没发", PARTIAL: "只发了一部分"}

_DIGITS = {"1": PAID, "2": UNPAID, "3": PARTIAL}
_ANSWER_WORDS = (  # the first that matches wins: "只发了一部分" is partial, not paid
    (PARTIAL, re.compile(r"一部分|部分|一半|没发全|没发够|没给全|不够|少发|只发了|还差|没结清")),
    (UNPAID, re.compile(r"没发|没有发|未发|还没|没给|没有给|一分没|拖着|没到账|没有")),
    (PAID, re.compile(r"发了|发齐|足额|按时|到账了|都到了|拿到了|收到了|结清了|有发")),
)
_OPT_IN = re.compile(r"(?:发工资|发薪|工资).{0,6}(?:问我|提醒我|问一声|问一下)|每月.{0,6}问我")
_STOP = re.compile(r"(?:不要|别|不用|甭|停止|无需)再?(?:问|发|提醒)(?:我|了|啦|工资)")
#: Stop words are read only in a short message ("别问我怎么知道" inside a story is not one).
_STOP_LENGTH = 12
_DAY = re.compile(r"(\d{1,2}|[一二三四五六七八九十廿]{1,3})\s*[日号]")
_MONTH_END = re.compile(r"月底|月末")
_SAME_MONTH = re.compile(r"当月|本月")


@dataclass(frozen=True)
class Due:
    """One check-in to send: the worker, their site and the pay day's month ("2026-11")."""

    worker_id: int
    site_id: int
    site_code: str
    site_name: str
    month: str


def read_answer(text: str) -> str | None:
    """What "1", "没发", "只发了一部分" or "发了" answers (paid, unpaid, partial), or None."""
    text = re.sub(r"\s+", "", to_simplified(text or "")).strip("。.!！")  # "沒發" as "没发"
    if text in _DIGITS:
        return _DIGITS[text]
    if not text or len(text) > 30:
        return None
    for answer, words in _ANSWER_WORDS:
        if words.search(text):
            return answer
    return None


def wants_checkins(text: str) -> bool:
    """True for "每月发工资后问我一声" and the like."""
    return bool(_OPT_IN.search(text or ""))


def wants_no_checkins(text: str) -> bool:
    """True for "不要再问了", "别问我了" (a short message only)."""
    text = (text or "").strip()
    return len(text) <= _STOP_LENGTH and bool(_STOP.search(text))


def pay_day_of(text: str) -> int | None:
    """The day of the month a site pays ("每月15日前" -> 15, "每月十五号" -> 15, "月底" -> 31),
    or None when the poster's words name none."""
    found = _DAY.search(text or "")
    if found:
        raw = found.group(1)
        day = int(raw) if raw.isdigit() else _chinese_number(raw.replace("廿", "二十"))
        return day if day is not None and 1 <= day <= 31 else None
    return 31 if _MONTH_END.search(text or "") else None


def _chinese_number(text: str) -> int | None:
    try:
        value = _cn2an()(text, "normal")
    except (ValueError, KeyError):
        return None
    return value if isinstance(value, int) else None


@cache
def _cn2an() -> Callable[[str, str], object]:
    """cn2an, imported on first use (its import is slow)."""
    import cn2an  # type: ignore[import-untyped]  # the package ships no types

    convert: Callable[[str, str], object] = cn2an.cn2an
    return convert


def due_on(pay_day: int, year: int, month: int, delay_days: int) -> date:
    """The day a month's check-in is due: ``delay_days`` after the pay day (the 31st of a
    short month is its last day)."""
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(pay_day, last)) + timedelta(days=delay_days)


def wages_month(pay_day_text: str, month: str) -> tuple[int, int]:
    """The month whose wages fall due on the pay day of ``month``: the month before, as
    "每月15日前支付上月工资" says, unless the poster says 当月/本月."""
    year, number = (int(part) for part in month.split("-"))
    if _SAME_MONTH.search(pay_day_text or ""):
        return year, number
    return (year, number - 1) if number > 1 else (year - 1, 12)


def month_key(day: date) -> str:
    """ "2026-11" for a day of November 2026."""
    return f"{day.year:04d}-{day.month:02d}"


def _month_before(day: date) -> date:
    return (day.replace(day=1) - timedelta(days=1)).replace(day=1)


def due(session: Session, today: date, delay_days: int) -> list[Due]:
    """Every check-in due on ``today``: opted-in workers of active sites whose pay day plus
    ``delay_days`` has come (up to CATCH_UP_DAYS late), who opted in before that day and
    were not asked for that month yet."""
    rows = session.execute(
        select(CheckinOptIn.worker_id, CheckinOptIn.opted_in_at, Site)
        .join(Site, Site.id == CheckinOptIn.site_id)
        .where(CheckinOptIn.stopped_at.is_(None), Site.active.is_(True))
        .order_by(Site.code, CheckinOptIn.worker_id)
    ).all()
    found: list[Due] = []
    for worker_id, opted_in_at, site in rows:
        pay_day = pay_day_of(site.pay_day)
        if pay_day is None:
            continue
        for first in (today.replace(day=1), _month_before(today)):
            day = due_on(pay_day, first.year, first.month, delay_days)
            late = (today - day).days
            if 0 <= late <= CATCH_UP_DAYS and china_day(opted_in_at) < day:
                found.append(Due(worker_id, site.id, site.code, site.name, month_key(first)))
                break
    asked = _already_asked(session, {(d.worker_id, d.month) for d in found})
    chosen: dict[tuple[int, str], Due] = {}
    for item in found:  # one question per worker and month, whatever their sites
        chosen.setdefault((item.worker_id, item.month), item)
    return [item for key, item in chosen.items() if key not in asked]


def _already_asked(session: Session, keys: set[tuple[int, str]]) -> set[tuple[int, str]]:
    if not keys:
        return set()
    rows = session.execute(
        select(Checkin.worker_id, Checkin.month).where(
            tuple_(Checkin.worker_id, Checkin.month).in_(sorted(keys))
        )
    )
    return {(worker_id, month) for worker_id, month in rows}


def known_sites(session: Session, worker_id: int) -> list[Site]:
    """The active sites a worker is linked to: the last one they scanned and those of their
    filed complaints."""
    scanned = session.scalar(
        select(Scan.site_id)
        .where(Scan.worker_id == worker_id, Scan.known.is_(True))
        .order_by(Scan.id.desc())
        .limit(1)
    )
    filed = session.scalars(
        select(Complaint.site_id).where(
            Complaint.worker_id == worker_id,
            Complaint.site_id.is_not(None),
            Complaint.status != "draft",
        )
    ).all()
    ids = list(dict.fromkeys(i for i in (scanned, *filed) if i is not None))
    if not ids:
        return []
    sites = session.scalars(select(Site).where(Site.id.in_(ids), Site.active.is_(True))).all()
    return sorted(sites, key=lambda site: ids.index(site.id))


def opt_in(session: Session, worker_id: int, sites: Iterable[Site], now: datetime) -> None:
    """The worker asked to be asked after the pay day of ``sites`` (again, if they stopped)."""
    for site in sites:
        row = session.scalar(
            select(CheckinOptIn).where(
                CheckinOptIn.worker_id == worker_id, CheckinOptIn.site_id == site.id
            )
        )
        if row is None:
            session.add(CheckinOptIn(worker_id=worker_id, site_id=site.id, opted_in_at=now))
        elif row.stopped_at is not None:
            row.stopped_at, row.opted_in_at = None, now
    session.flush()


def opted_in(session: Session, worker_id: int, site_id: int | None = None) -> bool:
    """True when the worker is asked after pay days (of ``site_id``, or of any site)."""
    query = select(CheckinOptIn.id).where(
        CheckinOptIn.worker_id == worker_id, CheckinOptIn.stopped_at.is_(None)
    )
    if site_id is not None:
        query = query.where(CheckinOptIn.site_id == site_id)
    return session.scalar(query.limit(1)) is not None


def stop(session: Session, worker_id: int, now: datetime) -> int:
    """ "不要再问了": no more check-ins for any site. Returns how many sites the worker ever
    opted in to (0: the words were not about check-ins; said twice, they still are)."""
    rows = session.scalars(select(CheckinOptIn).where(CheckinOptIn.worker_id == worker_id)).all()
    for row in rows:
        row.stopped_at = row.stopped_at or now
    return len(rows)


def pending(session: Session, worker_id: int, now: datetime) -> Checkin | None:
    """The worker's newest check-in that reached them, is unanswered and still takes an
    answer (asked within ANSWER_DAYS)."""
    return session.scalar(
        select(Checkin)
        .where(
            Checkin.worker_id == worker_id,
            Checkin.answer.is_(None),
            Checkin.channel != UNREACHED,
            Checkin.asked_at >= now - timedelta(days=ANSWER_DAYS),
        )
        .order_by(Checkin.id.desc())
        .limit(1)
    )


def record_answer(checkin: Checkin, answer: str, now: datetime) -> None:
    """Keep the worker's answer (the first one: a check-in is answered once)."""
    if checkin.answer is None:
        checkin.answer, checkin.answered_at = answer, now
