"""Every sentence the bot says, in one place, in plain Simplified Chinese.

Replies must stay under 300 characters and ask at most one question.
"""

# Why a required field matters is the field's own (``cases.fields``): staff are told too.
from cases.fields import WHY_AMOUNT as WHY_AMOUNT
from cases.fields import WHY_EMPLOYER as WHY_EMPLOYER
from cases.fields import WHY_PHONE as WHY_PHONE

MENU = (
    "安薪可以帮您：\n"
    "1. 反映欠薪\n"
    "2. 查询进度\n"
    "3. 咨询政策（如要保留哪些证据）\n"
    "4. 转人工\n"
    "回复数字即可，也可以直接说您的情况。"
)

WELCOME = (
    "您好，欢迎关注安薪——农民工欠薪反映平台。\n"
    "被拖欠工资？直接告诉我们，例如：“我在紫荆苑工地干了三个月，老板欠我们5个人十二万”。\n\n" + MENU
)

SITE_WELCOME = (
    "您好！这是【{name}】项目的维权码，反映的问题会自动关联到本项目。\n"
    "请说说您的情况，例如：“包工头老王欠我们5个人三万五，干了三个月”。"
)

# --- the complaint form -------------------------------------------------------------------
FORM_START = "收到，我们帮您登记欠薪投诉，随时回复“取消”可以退出。"
FORM_NOTED = "已记下：{facts}。"
ASK_OPEN = (
    "还需要知道：{items}。可以一起说，例如：“在紫荆苑工地，包工头老王，5个人，干了三个月，木工”。"
)
ASK_SITE = "在哪个工地、项目或单位干的活？例如：紫荆苑工地"
ASK_EMPLOYER = "欠钱的是哪个老板或公司？例如：包工头老王，或：某某建筑公司"
ASK_AMOUNT = "一共欠了多少钱？例如：三万五"
ASK_HEADCOUNT = "一共几个人被欠薪？例如：就我一个，或：我们5个人"
ASK_PERIOD = "欠的是哪段时间的工资？例如：去年10月到今年1月，或：三个月"
ASK_WORK_TYPE = "您干的是什么工种？例如：木工、钢筋工、小工"
ASK_CONTACT = "怎么称呼您？请一起留个电话，方便工作人员联系。例如：张三 13912345678"
ASK_PHONE = "请留个手机号，方便工作人员联系您。例如：13912345678"

HINT_SITE = "没看懂工地名称。"
HINT_EMPLOYER = "没看懂是哪个老板或公司。"
HINT_AMOUNT = "没看懂金额，请写数字或大写都行。"
HINT_HEADCOUNT = "没看懂人数。"
HINT_PERIOD = "没看懂时间。"
HINT_WORK_TYPE = "没看懂工种。"
HINT_NAME = "没看懂您的姓名。"
HINT_PHONE = "电话号码好像不对，手机号是11位数字。"
FLAGGED = "这一项先按您的原话记下，工作人员会再核实。"
#: More of the story told while a question waits: kept for staff, the question asked again.
STORY_NOTED = "您说的情况都记下了，会一并交给工作人员。"
ASK_BOSS_NAME = "知道{boss}姓什么、叫什么吗？不知道就回复“不知道”。"
BOSS_NAME_UNKNOWN = "好的，先记为“{boss}”，工作人员会再核实。"
KEPT_UNKNOWN = "好的，{label}先记为不详，工作人员会再核实。"
NOTED_UNKNOWN = "好的，{label}不清楚也没关系。"
ASK_EACH = "是{each}，一共几个人？"
CALL_NOTED = "好的，已请工作人员打电话给您（工作日9:00-17:00）。"
THANKS_MID_FORM = "不客气。"
STILL_HERE = "在的。"
TAKE_YOUR_TIME = "好的，不着急，想好了直接回复就行。"
CONTINUE = "我们继续登记：{prompt}"

CONFIRM = (
    "请核对您的投诉：\n{summary}\n"
    "提交即确认属实（虚假投诉要承担法律责任），同意转给劳动保障监察等部门处理。\n"
    "回复1提交，2取消；哪项不对直接说，如“金额不对，是十三万”。"
)
CONFIRM_AGAIN = "回复1确认提交，回复2取消；哪项不对直接说，如“电话错了”。"
CHANGED = "已改：{line}。"
WHICH_FIELD = "哪一项需要修改？回复序号：\n{fields}"
FIX_FIELD = "好的，请重新告诉我{label}。{prompt}"

SUBMITTED = (
    "提交成功！案件编号：{case_no}（电话查询时请报这个编号）。\n"
    "劳动保障监察应在5个工作日内（{accept_by}前）受理，"
    "立案后60个工作日内（{investigate_by}前）办结。\n"
    "有欠条、考勤、工资条、聊天记录或照片，可以直接发过来作为证据。"
)
GROUP_CASE = "\n涉及人数多或金额大，已标记为群体性紧急案件，优先处理。"

CANCEL_FORM = "好的，已取消，这次的信息没有提交。需要时随时再找安薪。"
CANCEL = "好的。需要时随时再找安薪。"

RESUME = "您上次的投诉还没提交，继续吗？回复1继续，回复2重新开始。"
RESTART = "好的，我们重新开始。请说说您的情况，例如：“包工头老王欠我们5个人三万五”。"
EXPIRED = "您上次没提交的投诉已经过期作废。"

SAME_CASE = (
    "您{created}已投诉过“{employer}”（案件编号{case_no}，{status}）。"
    "这次是同一件事吗？回复1是同一件事，回复2不是，新投诉。"
)
SAME_CASE_KEPT = "好的，不重复立案，工作人员会继续处理{case_no}。补充的材料可以直接发过来。"

# --- status --------------------------------------------------------------------------------
CASE_STATUS = "案件{case_no}：{status}\n提交：{created}，最近更新：{updated}"
NEXT_ACCEPT = "\n下一步：{date}前受理（5个工作日内）。"
NEXT_INVESTIGATE = "\n下一步：{date}前办结（60个工作日内）。"
NEXT_INVESTIGATE_EXTENDED = "\n下一步：{date}前办结（办案期限已依法延长）。"
CASE_LIST = "您有{count}件投诉：\n{items}\n回复序号查看详情。"
NO_CASES = (
    "没有查到您通过安薪提交的投诉。通过其他渠道反映的，请拨打12333查询。"
    "现在要反映欠薪吗？回复1开始。"
)
CASE_NOT_FOUND = "没有找到编号{case_no}的案件，请核对编号，或拨打12333查询。"

# --- other answers -----------------------------------------------------------------------
OTHER_LABOUR = (
    "社保、工伤、辞退、劳动合同等问题，请拨打12333人社服务热线咨询，"
    "或到当地劳动人事争议仲裁院申请仲裁（不收费）；受伤了请先就医并保留病历和票据。"
    "安薪专门受理欠薪问题。"
)
HANDOFF_WAIT = "工作人员会尽快联系您（工作日9:00-17:00），请稍等。着急的话请拨打12333。"
OFFER_REPORT = "您是要反映欠薪吗？回复1登记"
JOIN_COLLECTIVE = (
    "这个工地已有工友反映欠薪{boss}，您也被欠了吗？回复1加入，"
    "只需告诉我们您自己被欠多少、哪段时间和联系方式。"
)
JOIN_BOSS = "（欠钱的老板/公司：{employer}）"
OFFER_AFTER_ANSWER = "要登记欠薪投诉的话，回复1。"
REQUEST_HUMAN = (
    "已通知工作人员，会尽快回复您（工作日9:00-17:00）。着急的话请拨打12333人社服务热线。"
)
CRISIS = (
    "您说的话让我们很担心。请一定先保护好自己：心里难受可以拨打12356心理援助热线（全国统一号码），"
    "有危险请马上拨打110或120。已请工作人员尽快联系您（工作日9:00-17:00），欠薪的事我们一起想办法。"
)
MISUNDERSTOOD = "抱歉，我还是没看懂。已请工作人员来看看（工作日9:00-17:00），也可以拨打12333。"
THANK = "不客气，有需要随时找安薪。"
GOODBYE = "好的，再见。有欠薪问题随时发消息给安薪。"
UNCLEAR = "抱歉，我没太明白“{text}”。\n" + MENU

VOICE_WITHOUT_TEXT = "收到语音，已保存。为了登记准确，请用文字发一下关键信息。"
EVIDENCE_SAVED = "收到，已作为证据保存。"
EVIDENCE_FOR_CASE = "收到，已作为证据附到案件{case_no}。"
LOCATION_RECEIVED = "收到您的位置：{label}。"
