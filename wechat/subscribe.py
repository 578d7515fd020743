"""The worker's page for progress notices, and the one-time subscription link's return.

``/notices/subscribe?c=...`` shows the subscribe button (``wx-open-subscribe``, whose choices
WeChat pushes to ``/wechat`` as ``subscribe_msg_popup_event``) and the one-time subscription
link. WeChat sends the worker back from that link to ``/notices/consent`` with ``openid``,
``template_id``, ``action`` (confirm or cancel), ``scene`` and our ``reserved``
(developers.weixin.qq.com, 一次性订阅消息, step 1); a confirmed one is stored here.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, abort, current_app, render_template, request
from sqlalchemy import select

from cases.consents import complaint_of_reserved, grant, reserved_for, scene_of
from models import Complaint, utcnow
from models.db import get_session

bp = Blueprint("notices", __name__, url_prefix="/notices", template_folder="templates")
ONE_TIME_URL = "https://mp.weixin.qq.com/mp/subscribemsg"
SUBSCRIBE_TEMPLATES = (
    "WECHAT_SUBSCRIBE_TEMPLATE_PROGRESS",
    "WECHAT_SUBSCRIBE_TEMPLATE_DEADLINE",
    "WECHAT_SUBSCRIBE_TEMPLATE_PAYMENT",
)


def invite_link(config: Any, complaint_id: int) -> str:
    """The page a worker opens from the invite line to subscribe to a case's notices."""
    reserved = reserved_for(config["SECRET_KEY"], complaint_id)
    return f"{config['PUBLIC_BASE_URL'].rstrip('/')}/notices/subscribe?c={reserved}"


def one_time_link(config: Any, complaint_id: int) -> str | None:
    """The one-time subscription link of a case (None: no one-time template configured)."""
    template_id = config.get("WECHAT_ONE_TIME_TEMPLATE")
    if not template_id:
        return None
    back = f"{config['PUBLIC_BASE_URL'].rstrip('/')}/notices/consent"
    query = urlencode(
        {
            "action": "get_confirm",
            "appid": config["WECHAT_APPID"],
            "scene": scene_of(complaint_id),
            "template_id": template_id,
            "redirect_url": back,
            "reserved": reserved_for(config["SECRET_KEY"], complaint_id),
        }
    )
    return f"{ONE_TIME_URL}?{query}#wechat_redirect"


@bp.get("/subscribe")
def subscribe() -> str:
    """The subscribe page of one case (named by the signed ``c``)."""
    complaint = _complaint(request.args.get("c", ""))
    config = current_app.config
    templates = [config[name] for name in SUBSCRIBE_TEMPLATES if config.get(name)]
    return render_template(
        "notices/subscribe.html",
        case_no=complaint.case_no,
        templates=",".join(templates),
        one_time=one_time_link(config, complaint.id),
    )


@bp.get("/consent")
def consent() -> tuple[str, int] | str:
    """WeChat's return from the one-time link: store a confirmed consent of the case's worker."""
    args = request.args
    complaint = _complaint(args.get("reserved", ""))
    config = current_app.config
    template_id = config.get("WECHAT_ONE_TIME_TEMPLATE")
    if args.get("action") != "confirm":
        return render_template("notices/consent.html", ok=False, case_no=complaint.case_no)
    valid = (
        template_id
        and args.get("template_id") == template_id
        and args.get("scene") == str(scene_of(complaint.id))
        and args.get("openid") == complaint.worker.openid
    )
    if not valid:
        abort(400)
    session = get_session()
    grant(
        session,
        complaint.worker_id,
        template_id,
        long_term=False,
        source="one_time_link",
        now=utcnow(),
        complaint_id=complaint.id,
    )
    session.commit()
    return render_template("notices/consent.html", ok=True, case_no=complaint.case_no)


def _complaint(reserved: str) -> Complaint:
    complaint_id = complaint_of_reserved(current_app.config["SECRET_KEY"], reserved)
    if complaint_id is None:
        abort(404)
    complaint = get_session().scalar(select(Complaint).where(Complaint.id == complaint_id))
    if complaint is None or complaint.status == "draft":
        abort(404)
    return complaint
