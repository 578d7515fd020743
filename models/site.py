"""Construction sites (the facts of the legally required board) and QR scans."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, utcnow

#: How a worker reached a site: a QR subscribe, a QR scan while following, or "工地 <code>".
SCAN_KINDS = ("subscribe", "scan", "text")


class Site(Base):
    """A construction site with its QR scene code.

    The fields follow the 《保障农民工工资支付条例》 (国务院令第724号) list of what the
    维权信息告示牌 must show.
    """

    __tablename__ = "site"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)  # the QR scene string
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300), default="")
    district: Mapped[str] = mapped_column(String(100), default="")
    builder: Mapped[str] = mapped_column(String(200), default="")  # 建设单位
    general_contractor: Mapped[str] = mapped_column(String(200), default="")  # 施工总承包单位
    project_department: Mapped[str] = mapped_column(String(200), default="")  # 项目部
    subcontractors: Mapped[str] = mapped_column(Text, default="")  # 分包单位
    authority: Mapped[str] = mapped_column(String(200), default="")  # 行业工程建设主管部门
    labour_manager: Mapped[str] = mapped_column(String(100), default="")  # 劳资专管员
    labour_manager_phone: Mapped[str] = mapped_column(String(40), default="")
    minimum_wage: Mapped[str] = mapped_column(String(100), default="")  # 当地最低工资标准
    pay_day: Mapped[str] = mapped_column(String(100), default="")  # 工资支付日期
    inspection_phone: Mapped[str] = mapped_column(String(40), default="")  # 劳动保障监察
    mediation: Mapped[str] = mapped_column(Text, default="")  # 调解、仲裁渠道
    legal_aid: Mapped[str] = mapped_column(Text, default="")  # 法律援助
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped whenever a fact shown on the poster changes, and printed on it, so that staff
    # can tell a board on site that is out of date.
    facts_version: Mapped[int] = mapped_column(default=1, server_default="1")
    # The permanent WeChat QR code, created once: permanent codes are capped per account.
    qr_ticket: Mapped[str | None] = mapped_column(String(200))
    qr_url: Mapped[str | None] = mapped_column(String(300))
    qr_created_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Scan(Base):
    """One arrival of a worker through a site code: known or not, it is kept for analytics."""

    __tablename__ = "scan"
    __table_args__ = (
        # Scans per site per day, and a site's first and last scan, read this index.
        Index("ix_scan_site_id_created_at", "site_id", "created_at"),
        CheckConstraint("kind IN ('subscribe', 'scan', 'text')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("site.id"))
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id"), index=True)
    scene: Mapped[str] = mapped_column(String(128))  # the code as scanned or typed
    kind: Mapped[str] = mapped_column(String(16))
    known: Mapped[bool]  # an active site matched the scene
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    site: Mapped[Site | None] = relationship()
