"""A recall guard after the intent classifier: a missed complaint is the worst error.

Rasa is often confidently wrong on complaints told as stories (rasa.md, "What real workers'
messages look like"): "钱一直没结, 包工头说要等上面的钱" reads like a status question, and
"欠我工资1万8, 包工头叫马卫东" like a bare answer. This module applies what the intents
mean rather than what the words look like:

- a status question refers to an earlier complaint or an office; a message that states
  unpaid wages and refers to neither is a complaint;
- a story of unpaid wages is not a bare slot value, nor a question, nor noise.
"""

from __future__ import annotations

import re

#: The message says wages are owed ("欠", "没发", "拖欠"), not merely mentions money.
ARREARS = re.compile(
    r"欠|拖欠|托欠|没给|没发|不给|不发|没结|没有结|不结|未付|未发|扣着|讨薪|白干|提不出|差.{0,4}[万千百块元]"
)
#: It refers to a complaint already made, or to an office that could have one.
PRIOR_COMPLAINT = re.compile(
    r"投诉[了过后的]|反映[了过的]|举报[了过]|登记过|提交过|上次|之前|办结|处理|查了|没人管"
    r"|信访|12345|12333|劳动局|人社|监察|仲裁|法院|进度|结果|回复|受理|立案|编号|街道|社区"
    r"|转给|转到|推给|找过|去过"
)
#: It asks something ("我要投诉" is no question; "需要准备什么证据" is one).
QUESTION = re.compile(
    r"[?？]|吗|么|怎么|咋|什么|啥|哪|能不能|可不可以|是不是|有没有|还是|多久|多少钱能|找谁"
)
#: Thanks after wages came back look like complaints but are not.
RECOVERED = re.compile(r"谢谢|感谢|多谢|讨回|要回来|(?<![没未不])(?:拿到了|发了|到账了?|结清了)")

MIN_STORY = 16  # characters: shorter texts may well be bare answers ("欠三万")
FALLBACK = "nlu_fallback"
GUARDED = ("query_status", "provide_info", "ask_policy", FALLBACK, "out_of_scope")


def recall_first(intent: str, confidence: float, text: str) -> tuple[str, float]:
    """Turn a likely-missed complaint into ``report_arrears``; keep anything else."""
    if intent not in GUARDED or not ARREARS.search(text) or RECOVERED.search(text):
        return intent, confidence
    if intent == "query_status" and PRIOR_COMPLAINT.search(text):
        return intent, confidence
    if intent != FALLBACK and QUESTION.search(text):
        return intent, confidence
    if intent == "provide_info" and len(text) < MIN_STORY:
        return intent, confidence
    return "report_arrears", max(confidence, 0.5)
