"""The Chinese words staff read for the codes the system stores.

Intents, audit actions, handoff reasons, evidence kinds, WeChat events and message
delivery states are stored as short English codes; no page shows a code itself. An unknown
code (a new one nobody named yet) is shown as 其他 with nothing raw.
"""

from __future__ import annotations

from cases.actions import ACTIONS
from console.blueprint import bp
from console.collective import COLLECTIVE_ACTIONS

INTENT_NAMES = {
    "report_arrears": "反映欠薪",
    "query_status": "查询进度",
    "ask_policy": "咨询政策",
    "other_labour": "其他劳动问题",
    "provide_info": "补充信息",
    "affirm": "肯定",
    "deny": "否定",
    "cancel": "取消",
    "request_human": "要求人工",
    "greet": "问候",
    "thank": "感谢",
    "goodbye": "告别",
    "out_of_scope": "无关内容",
    "nlu_fallback": "未能识别",
}

NLU_SOURCES = {"rasa": "模型", "rules": "规则"}

HANDOFF_REASONS = {
    "requested": "主动要求",
    "misunderstood": "机器人多次没听懂",
    "call": "要求来电",
    "crisis": "流露轻生念头，请立即联系",
}

EVIDENCE_KINDS = {
    "image": "图片",
    "voice": "语音",
    "video": "视频",
    "shortvideo": "小视频",
    "location": "位置",
    "file": "文件",
    "link": "链接",
}

MESSAGE_TYPES = {"text": "文字", **EVIDENCE_KINDS, "event": "事件"}

EVENTS = {
    "subscribe": "关注公众号",
    "unsubscribe": "取消关注",
    "SCAN": "扫描工地二维码",
    "scan": "扫描工地二维码",
    "CLICK": "点击菜单",
    "VIEW": "打开菜单链接",
    "LOCATION": "上报位置",
}

DELIVERY = {
    "queued": "等待发送",
    "cs_sent": "已送达",
    "cs_failed": "发送失败",
    "cs_window": "未发送（超出48小时）",
    "notice_sent": "已送达（订阅通知或模板消息）",
}

AUDIT_ACTIONS = {
    "login": "登录",
    "login_failed": "登录失败",
    "login_blocked": "登录受限",
    "logout": "退出",
    "reveal": "查看完整号码",
    "review": "语料标注",
    "takeover": "接管对话",
    "release": "交还机器人",
    "reply": "回复工人",
    "export_csv": "导出 CSV",
    "export_xlsx": "导出 Excel",
    "api_list": "接口查询案件列表",
    "api_show": "接口查看案件",
    "staff_create": "创建账号",
    "staff_deactivate": "停用账号",
    "staff_password": "重设密码",
    "token_issue": "签发接口令牌",
    "token_revoke": "吊销接口令牌",
    "complaint_intake": "登记案件",
    "complaints_import": "导入案件",
    "employer_merge": "合并用人单位",
    "employer_blacklist": "标记黑名单",
    "collective_link": "关联群体性案件",
    "collective_unlink": "移出群体性案件",
    "collective_merge": "合并群体性案件",
    **{f"collective_{key}": f"统一办理：{ACTIONS[key].label}" for key in COLLECTIVE_ACTIONS},
    **{f"case_{key}": f"办理：{action.label}" for key, action in ACTIONS.items()},
}

#: What an audited reveal showed (the entry's detail).
REVEALED = {"contact_phone": "联系电话", "id_number": "身份证号", "texts": "文字中的号码"}

OTHER = "其他"


def _named(names: dict[str, str], code: str | None) -> str:
    return "" if not code else names.get(code, OTHER)


@bp.app_template_global()
def intent_name(code: str | None) -> str:
    """The Chinese name of an intent."""
    return _named(INTENT_NAMES, code)


@bp.app_template_global()
def nlu_source_name(code: str | None) -> str:
    """Who read the message: the model or the rules."""
    return _named(NLU_SOURCES, code)


@bp.app_template_global()
def handoff_reason(code: str | None) -> str:
    """Why the worker is waiting for a person."""
    return _named(HANDOFF_REASONS, code)


@bp.app_template_global()
def evidence_kind(code: str | None) -> str:
    """图片, 语音, ... for an evidence or message type."""
    return _named(MESSAGE_TYPES, code)


@bp.app_template_global()
def event_name(code: str | None) -> str:
    """A WeChat event as staff understand it."""
    return _named(EVENTS, code)


@bp.app_template_global()
def delivery_name(code: str | None) -> str:
    """Where an outbound customer-service message stands."""
    return _named(DELIVERY, code)


@bp.app_template_global()
def audit_action(code: str | None) -> str:
    """The Chinese name of an audit log action."""
    return _named(AUDIT_ACTIONS, code)


@bp.app_template_global()
def audit_target(target: str | None) -> str:
    """An audit entry's object: a case number, a worker, an account, the review queue."""
    if not target:
        return ""
    if target.startswith("worker:"):
        return "工人 " + target.removeprefix("worker:")
    if target == "review":
        return "语料审核"
    return target


@bp.app_template_global()
def audit_detail(action: str | None, detail: str | None) -> str:
    """An audit entry's detail in words: what a reveal showed, an export's filter."""
    if not detail:
        return ""
    if action == "reveal":
        return REVEALED.get(detail, OTHER)
    if action and action.startswith("export_"):
        return "筛选条件：" + detail
    if action == "staff_create":
        return {"admin": "管理员", "hotline": "热线", "site_manager": "工地负责人"}.get(
            detail, OTHER
        )
    return detail
