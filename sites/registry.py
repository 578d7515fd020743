"""The site registry: the board's fields, validation, saving, and look-ups for the bot.

The fields are those the 《保障农民工工资支付条例》 (国务院令第724号, art. 34) requires on
the 维权信息告示牌; every one but ``code`` is printed on the poster.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Site


@dataclass(frozen=True)
class SiteField:
    """One fact of a site: its CSV header / option name, its label on the board, its limit."""

    name: str
    label: str
    max_length: int
    phone: bool = False


FIELDS: tuple[SiteField, ...] = (
    SiteField("code", "工地编号", 32),
    SiteField("name", "项目名称", 200),
    SiteField("address", "项目地址", 300),
    SiteField("district", "所在区（街道）", 100),
    SiteField("builder", "建设单位", 200),
    SiteField("general_contractor", "施工总承包单位", 200),
    SiteField("project_department", "项目部", 200),
    SiteField("subcontractors", "分包单位", 1000),
    SiteField("authority", "行业工程建设主管部门", 200),
    SiteField("labour_manager", "劳资专管员", 100),
    SiteField("labour_manager_phone", "劳资专管员电话", 40, phone=True),
    SiteField("minimum_wage", "当地最低工资标准", 100),
    SiteField("pay_day", "工资支付日期", 100),
    SiteField("inspection_phone", "劳动保障监察投诉电话", 40, phone=True),
    SiteField("mediation", "劳动争议调解、仲裁渠道", 1000),
    SiteField("legal_aid", "法律援助渠道", 1000),
)
FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS)
LABELS: dict[str, str] = {f.name: f.label for f in FIELDS}
#: Facts a poster cannot go without (all of them; a site with no subcontractor writes "无").
POSTER_FACTS: tuple[str, ...] = FIELD_NAMES[1:]

# Codes are typed by workers ("工地 AB12") and used as WeChat scene_str: short and plain.
_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,31}$")
_PHONE = re.compile(r"^[0-9+()（）\-\s转]+$")
_SPACES = re.compile(r"\s+")
_TRUE = {"1", "true", "yes", "y", "是", "启用"}
_FALSE = {"0", "false", "no", "n", "否", "停用"}


@dataclass
class SiteInput:
    """Cleaned values for one site; ``facts`` holds only the fields that were given."""

    code: str
    facts: dict[str, str] = field(default_factory=dict)
    active: bool | None = None


@dataclass(frozen=True)
class SaveResult:
    """What saving a site did: created it, changed some facts, or nothing."""

    site: Site
    created: bool
    changed: tuple[str, ...]


def normalise_code(code: str) -> str:
    """The canonical form of a site code (trimmed, upper case) for storage and look-up."""
    return code.strip().upper()


def clean_site_values(raw: Mapping[str, Any]) -> tuple[SiteInput | None, list[str]]:
    """Validate raw values (CSV row or CLI options); return the input or Chinese errors.

    Keys absent or None are "not given"; "active" may be 1/0, true/false, 是/否.
    """
    errors: list[str] = []
    code = normalise_code(str(raw.get("code") or ""))
    if not _CODE.match(code):
        errors.append("工地编号须为 1-32 位字母、数字、- 或 _，以字母或数字开头")
    facts: dict[str, str] = {}
    for spec in FIELDS[1:]:
        value = raw.get(spec.name)
        if value is None:
            continue
        text = _SPACES.sub(" ", str(value)).strip()
        problem = _field_problem(spec, text)
        if problem:
            errors.append(problem)
        facts[spec.name] = text
    active = _parse_active(raw.get("active"), errors)
    return (None if errors else SiteInput(code, facts, active)), errors


def _field_problem(spec: SiteField, text: str) -> str | None:
    if len(text) > spec.max_length:
        return f"{spec.label}过长（最多 {spec.max_length} 字）"
    if spec.phone and text and not (_PHONE.match(text) and sum(c.isdigit() for c in text) >= 5):
        return f"{spec.label}不是有效的电话号码：{text}"
    return None


def _parse_active(value: Any, errors: list[str]) -> bool | None:
    if value is None or str(value).strip() == "":
        return None
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    errors.append(f"active 应为 1 或 0（是/否）：{value}")
    return None


def save_site(session: Session, data: SiteInput) -> SaveResult:
    """Create the site or update the given facts; a changed fact bumps the poster version."""
    site = session.scalars(select(Site).where(Site.code == data.code)).one_or_none()
    created = site is None
    if site is None:
        if not data.facts.get("name"):
            raise ValueError("项目名称不能为空")
        site = Site(code=data.code, name=data.facts["name"])
        session.add(site)
    changed = tuple(name for name, value in data.facts.items() if getattr(site, name) != value)
    for name in changed:
        setattr(site, name, data.facts[name])
    if changed and not created:
        site.facts_version += 1
    if data.active is not None:
        site.active = data.active
    session.flush()
    return SaveResult(site, created, () if created else changed)


def get_site(session: Session, code: str) -> Site | None:
    """The site with this code, active or not."""
    return session.scalars(select(Site).where(Site.code == normalise_code(code))).one_or_none()


def find_active_site(session: Session, code: str) -> Site | None:
    """The active site for a scanned or typed code (case-insensitive), or None."""
    site = get_site(session, code)
    return site if site is not None and site.active else None


def site_facts(site: Site) -> dict[str, str]:
    """The site's board facts by field name (``code``, ``name``, ``address``, ...), in order."""
    return {name: getattr(site, name) or "" for name in FIELD_NAMES}


def missing_facts(site: Site) -> list[str]:
    """Labels of the facts the poster needs that the site lacks."""
    return [LABELS[name] for name in POSTER_FACTS if not (getattr(site, name) or "").strip()]


def site_as_dict(site: Site) -> dict[str, Any]:
    """A JSON-ready view of a site for ``sites list --json`` and the console."""
    return {
        **site_facts(site),
        "active": site.active,
        "facts_version": site.facts_version,
        "wechat_qr": site.qr_url is not None,
        "missing": missing_facts(site),
        "updated_at": site.updated_at.isoformat() if site.updated_at else None,
    }
