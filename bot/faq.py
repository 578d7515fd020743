"""Short, correct answers to the questions workers ask most, chosen by keywords.

Sources: 《劳动争议调解仲裁法》 (arbitration is free, art. 53; one-year limit, art. 27),
《劳动保障监察条例》 (国务院令第423号), 《保障农民工工资支付条例》 (国务院令第724号),
《法律援助法》.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot import texts
from nlu.normalise import to_simplified


@dataclass(frozen=True)
class Topic:
    """One FAQ entry: the words that select it and its answer."""

    pattern: re.Pattern[str]
    answer: str


def _topic(words: str, answer: str) -> Topic:
    return Topic(re.compile(words), answer)


TOPICS: tuple[Topic, ...] = (
    _topic(
        r"没有?(?:欠条|合同|证据|凭证|考勤|工资条)|没签|不签",
        "没有欠条或合同也能投诉：考勤、记工本、聊天和转账记录、工地照片、工友作证都可以，"
        "劳动保障监察会调查核实。",
    ),
    _topic(
        r"证据|材料|凭证|证明|准备什么|带什么|留什么",
        "要保留的证据：考勤记录、工资条或记工本、欠条、和老板的聊天记录与转账记录、"
        "工作证或门禁卡、工地照片，以及工友的联系方式。没有书面合同也能投诉。",
    ),
    _topic(
        r"仲裁|打官司|起诉|法院|律师|费用|收费|要钱吗|花钱",
        "劳动仲裁不收费（劳动争议调解仲裁法第53条）。拿着欠条的，也可以直接向法院起诉。"
        "请求支付劳动报酬属于法律援助范围，请不起律师可以拨打12348申请。",
    ),
    _topic(
        r"月结|按月|多久发|什么时候发|工资支付|发工资",
        "工资应当按约定的日期足额支付，至少每月支付一次。工程建设项目要开设农民工工资专用账户，"
        "推行总包单位代发工资，不能以工程款没到位为由拖欠农民工工资（保障农民工工资支付条例）。",
    ),
    _topic(
        r"时效|多久|期限|过期|几年|来得及|还能要",
        "申请劳动仲裁的时效一般是一年；在职期间被拖欠工资不受一年限制，"
        "离职的从离职之日起一年内申请。投诉后，劳动保障监察应在5个工作日内决定是否受理，"
        "立案后60个工作日内办结。",
    ),
    _topic(
        r"包工头|转包|分包|总包|跑路",
        "分包单位拖欠的，由施工总承包单位先行清偿；工程包给没有资质的包工头导致欠薪的，"
        "由建设单位或总包单位清偿（保障农民工工资支付条例）。"
        "投诉时写清包工头是谁、在哪个项目干的活就行。",
    ),
    _topic(
        r"12333|12345|12348|电话|热线|找谁|哪里|去哪|哪个部门|怎么投诉|怎么办",
        "可以在安薪直接登记欠薪投诉；电话咨询：12333人社服务热线，12345政务服务热线，"
        "12348法律援助热线。也可以到当地劳动保障监察大队现场投诉。",
    ),
    _topic(
        r"最低工资|最低",
        "工资不能低于当地最低工资标准，具体标准可拨打12333查询，工地的维权告示牌上也有写。",
    ),
)

DEFAULT = (
    "被欠薪可以在安薪直接登记投诉，劳动保障监察5个工作日内受理；"
    "劳动仲裁不收费；咨询请拨12333，法律援助请拨12348。"
)


def answer(question: str) -> str:
    """The best FAQ answer for ``question``, in either script (a general one when no topic
    matches)."""
    simplified = to_simplified(question)
    for topic in TOPICS:
        if topic.pattern.search(simplified):
            return topic.answer
    return DEFAULT


#: Question words about wages: the answer to such a question ends with the offer to file.
WAGE_WORDS = re.compile(r"工资|工钱|欠薪|薪|讨薪|要钱|拖欠|欠|包工头|老板|结账|结算")


def about_wages(question: str) -> bool:
    """Whether a policy question, in either script, is about wages (then the bot offers to
    file)."""
    return bool(WAGE_WORDS.search(to_simplified(question)))


def detour(intent: str, question: str) -> str:
    """The answer to a question asked in the middle of the complaint form."""
    if intent == "other_labour":
        return texts.OTHER_LABOUR
    if intent == "query_status" and not TOPICS[0].pattern.search(question):
        return "投诉提交后就能查询进度。"
    return answer(question)
