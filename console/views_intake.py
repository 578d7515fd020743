"""Staff intake: a hotline operator registers a phone, walk-in, letter or referral case.

The fields are read as the bot reads a worker's answers (``cases/fields.py``); the operator
reads the case number out to the worker from the SMS text shown once it is filed.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from cases import employers
from cases.channels import CHANNEL_NAMES, IMPORT_CHANNELS, INTAKE_CHANNELS, channel_name
from cases.deadlines import china_day
from cases.fields import FIELDS, read_fields
from cases.importing import ImportFileError, ImportResult, import_file
from cases.intake import file_report, sms_text, sources_of
from console import audit
from console.auth import CASE_ROLES, roles_required, staff
from console.blueprint import bp
from models import Complaint, Site, utcnow
from models.complaint import ComplaintSource
from models.db import get_session

REFERENCE_LENGTH = 64
IMPORT_MAX_BYTES = 20 * 1024 * 1024


def _sites() -> list[Site]:
    return list(get_session().scalars(select(Site).where(Site.active).order_by(Site.code)))


def _render(raw: dict[str, str], errors: dict[str, str]) -> tuple[str, int]:
    page = render_template(
        "console/intake.html",
        fields=FIELDS,
        channels=[(code, CHANNEL_NAMES[code]) for code in INTAKE_CHANNELS],
        sites=_sites(),
        raw=raw,
        errors=errors,
    )
    return page, 400 if errors else 200


@bp.get("/complaints/new")
@roles_required(*CASE_ROLES)
def intake() -> tuple[str, int]:
    """The empty intake form."""
    return _render({"channel": "12333"}, {})


@bp.post("/complaints/new")
@roles_required(*CASE_ROLES)
def intake_submit() -> Response | tuple[str, int]:
    """Read the form as the bot would; file the case (or link it to the one it repeats)."""
    session = get_session()
    raw = {key: value.strip() for key, value in request.form.items() if key != "csrf_token"}
    site = _site(raw.get("site_code", ""))
    reading = read_fields(raw, china_day(utcnow()), site)
    errors = dict(reading.errors)
    errors.update(_other_errors(raw))
    if errors:
        return _render(raw, errors)
    employers.link_unlinked(session)
    filed = file_report(
        session,
        reading,
        channel=raw["channel"],
        reference=raw.get("reference") or None,
        config=current_app.config,
        staff_id=staff().id,
    )
    audit.record(
        session,
        "complaint_intake",
        staff_id=staff().id,
        target=filed.complaint.case_no,
        detail="关联到已有案件" if filed.linked else channel_name(raw["channel"]),
    )
    session.commit()
    return redirect(
        url_for("console.intake_done", case_no=filed.complaint.case_no, linked=int(filed.linked))
    )


def _site(code: str) -> Site | None:
    if not code:
        return None
    return get_session().scalar(select(Site).where(Site.code == code, Site.active))


def _other_errors(raw: dict[str, str]) -> dict[str, str]:
    errors = {}
    if raw.get("channel") not in INTAKE_CHANNELS:
        errors["channel"] = "请选择来源渠道"
    reference = raw.get("reference", "")
    if len(reference) > REFERENCE_LENGTH:
        errors["reference"] = f"来源编号最多{REFERENCE_LENGTH}个字符"
    elif reference and raw.get("channel") in INTAKE_CHANNELS:
        known = get_session().scalar(
            select(ComplaintSource).where(
                ComplaintSource.channel == raw["channel"], ComplaintSource.reference == reference
            )
        )
        if known is not None:
            errors["reference"] = f"该来源编号已登记（案件 {known.complaint.case_no}）"
    if raw.get("site_code") and _site(raw["site_code"]) is None:
        errors["site_code"] = "没有这个在用的工地"
    if not raw.get("consent"):
        errors["consent"] = "请先告知工人：所填信息将用于处理其反映的问题并转交有关部门"
    return errors


@bp.get("/complaints/registered/<case_no>")
@roles_required(*CASE_ROLES)
def intake_done(case_no: str) -> str:
    """The filed case's number and the SMS text the operator reads out."""
    session = get_session()
    complaint = session.scalar(select(Complaint).where(Complaint.case_no == case_no))
    if complaint is None:
        abort(404)
    standing = employers.standing(session, complaint.employer_record, complaint.id)
    return render_template(
        "console/intake_done.html",
        c=complaint,
        linked=request.args.get("linked") == "1",
        sms=sms_text(complaint),
        warning=standing.warning(),
    )


@bp.app_template_global()
def case_sources(complaint: Complaint) -> list[dict[str, str | None]]:
    """The case's sources as staff read them: the channel's name and its reference."""
    return [
        {"name": channel_name(str(s["channel"])), "reference": s["reference"]}
        for s in sources_of(complaint)
    ]


@bp.get("/complaints/import")
@roles_required(*CASE_ROLES)
def import_page() -> str:
    """Upload a spreadsheet exported by the national platform or 12345."""
    return render_template("console/import.html", channels=_import_channels(), result=None)


@bp.post("/complaints/import")
@roles_required(*CASE_ROLES)
def import_upload() -> tuple[str, int]:
    """Import the uploaded file as ``flask complaints import`` does; show what it did."""
    if (request.content_length or 0) > IMPORT_MAX_BYTES:
        abort(413)  # before the form is parsed: a month's export is well under this
    session = get_session()
    upload = request.files.get("file")
    channel = request.form.get("channel", "")
    if channel not in IMPORT_CHANNELS or upload is None or not upload.filename:
        flash("请选择来源渠道和文件", "error")
        return render_template("console/import.html", channels=_import_channels(), result=None), 400
    suffix = Path(upload.filename).suffix.lower()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        upload.save(path)
        try:
            result = import_file(
                session, path, channel=channel, config=current_app.config, staff_id=staff().id
            )
        except ImportFileError as exc:
            session.rollback()
            result = ImportResult(errors=[{"line": exc.line, "why": str(exc)}])
        else:
            audit.record(
                session,
                "complaints_import",
                staff_id=staff().id,
                target=channel_name(channel),
                detail=upload.filename[:100],
            )
            session.commit()
    page = render_template("console/import.html", channels=_import_channels(), result=result)
    return page, 200


def _import_channels() -> list[tuple[str, str]]:
    return [(code, CHANNEL_NAMES[code]) for code in IMPORT_CHANNELS]


@bp.context_processor
def _channel_names() -> dict[str, object]:
    # The queue's rows and filter name every channel in Chinese.
    return {"channel_names": CHANNEL_NAMES}
