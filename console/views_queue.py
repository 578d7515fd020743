"""The case queue with filters, and its CSV/XLSX export."""

from __future__ import annotations

from flask import Response, render_template, request
from sqlalchemy import select

from cases.deadlines import china_day
from cases.statuses import STATUS_NAMES
from console import audit, export
from console.auth import CASE_ROLES, roles_required, staff
from console.blueprint import bp
from console.masking import mask
from console.queue import QueueFilter, queue
from models import Site, utcnow
from models.db import get_session

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/complaints")
@roles_required(*CASE_ROLES)
def complaints() -> str | Response:
    """The filtered queue, soonest deadline first; ``?format=csv|xlsx`` downloads it."""
    session = get_session()
    today = china_day(utcnow())
    f = QueueFilter.from_args(request.args)
    rows = queue(session, f, today)
    fmt = request.args.get("format")
    if fmt in ("csv", "xlsx"):
        data = export.table(session, rows, today)
        audit.record(
            session, f"export_{fmt}", staff_id=staff().id, detail=request.query_string.decode()
        )
        session.commit()
        body = export.to_csv(data) if fmt == "csv" else export.to_xlsx(data)
        # content_type is taken as it is; a mimetype would get a second "; charset=utf-8".
        content_type = CSV if fmt == "csv" else XLSX
        name = f"anxin-cases-{today:%Y%m%d}.{fmt}"
        return Response(
            body,
            content_type=content_type,
            headers={"Content-Disposition": f"attachment; filename={name}"},
        )
    sites = session.scalars(select(Site).order_by(Site.code)).all()
    return render_template(
        "console/complaints.html",
        rows=rows,
        f=f,
        today=today,
        sites=sites,
        statuses=STATUS_NAMES,
        mask=mask,
        query=request.query_string.decode(),
    )
