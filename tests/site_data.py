"""Helpers of the site, scan, QR and poster tests: a complete site, CSV text, QR decoding."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from flask import Flask
from PIL import Image
from pyzbar.pyzbar import ZBarSymbol, decode

from models import Site
from models.db import get_session

FULL_SITE: dict[str, str] = {
    "code": "ZL-2026-001",
    "name": "钟楼区新城花园三期住宅项目",
    "address": "常州市钟楼区长江中路88号",
    "district": "钟楼区新闸街道",
    "builder": "常州新城置业有限公司",
    "general_contractor": "江苏华建建设集团有限公司",
    "project_department": "华建集团新城花园三期项目部",
    "subcontractors": "常州恒力劳务有限公司（木工、钢筋）；江苏远大幕墙工程有限公司（幕墙）",
    "authority": "常州市钟楼区住房和城乡建设局",
    "labour_manager": "王建国",
    "labour_manager_phone": "139-1234-5678",
    "minimum_wage": "2490元/月；22元/小时",
    "pay_day": "每月15日前足额支付上月工资",
    "inspection_phone": "0519-85681234",
    "mediation": "钟楼区劳动人事争议仲裁院（广化街1号），电话0519-86660000",
    "legal_aid": "钟楼区法律援助中心（星港路65号），电话0519-86880000",
}


def add_site(app: Flask, **overrides: Any) -> int:
    """Store a complete site (with overrides) and return its id."""
    with app.app_context():
        session = get_session()
        site = Site(**{**FULL_SITE, **overrides})
        session.add(site)
        session.commit()
        return site.id


def csv_text(rows: list[dict[str, str]], headers: list[str] | None = None) -> str:
    """A CSV file as a spreadsheet writes it (CRLF line ends)."""
    headers = headers or list(FULL_SITE)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=headers, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def decode_png(path: Path) -> list[str]:
    """Every QR code zbar (an independent decoder) finds in a PNG."""
    with Image.open(path) as image:
        return [s.data.decode() for s in decode(image, symbols=[ZBarSymbol.QRCODE])]
