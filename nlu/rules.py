"""Rule-based intent classifier, used when the Rasa server is down.

It is deliberately simple: ordered keyword tables, read top to bottom.

1. ``SHORT_REPLIES``: a whole message that is one stock phrase ("好的", "不是", "谢谢",
   "转人工") gets that intent at once.
2. ``CUES``: every other message is scored.  Each cue adds its weight to its intent when its
   pattern occurs (once per cue, however often it occurs); negative weights remove evidence
   (a message saying the money has arrived is not a new complaint).
3. A message that is nothing but slot values (an amount, a phone number, a name) scores for
   ``provide_info``.
4. The best score wins; ties go to the intent listed first in ``PRIORITY``, which puts
   ``report_arrears`` first because missing a complaint is the worst error.  A long message
   with no cue at all is also read as a complaint (a fragment of a worker's story), at low
   confidence.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date

from nlu.guard import recall_first
from nlu.normalise import extract_entities, is_person_name, prepare_text

#: Tie-break order; also the order intents are reported in.
PRIORITY: tuple[str, ...] = (
    "report_arrears",
    "request_human",
    "cancel",
    "query_status",
    "other_labour",
    "thank",
    "ask_policy",
    "provide_info",
    "goodbye",
    "greet",
    "affirm",
    "deny",
    "out_of_scope",
)

# Negations that turn "拿到了" into "没拿到": a fixed-width lookbehind per form.
_NOT_NEGATED = r"(?<![没未不别])(?<!没有)(?<!还没)(?<!没能)(?<!不能)(?<!没法)"


@dataclass(frozen=True)
class Cue:
    """Evidence for one intent: a regex and how much it counts."""

    intent: str
    weight: float
    pattern: re.Pattern[str]


def _cue(intent: str, weight: float, *alternatives: str) -> Cue:
    """Build a cue that fires when any of the regex ``alternatives`` occurs."""
    return Cue(intent, weight, re.compile("|".join(alternatives), re.IGNORECASE))


def _words(*phrases: str) -> re.Pattern[str]:
    """A whole-message pattern: one or more of ``phrases`` in a row ("好的好的")."""
    return re.compile(f"(?:{'|'.join(phrases)})+", re.IGNORECASE)


#: Whole-message stock phrases, checked in order after punctuation and particles are removed.
SHORT_REPLIES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("request_human", _words("转人工", "人工", "人工客服", "客服", "真人", "找人工", "我要人工",
                             "我要找人", "工作人员")),
    ("cancel", _words("取消", "算了", "不弄了", "不办了", "不搞了", "退出", "撤销", "撤回",
                      "不投诉了", "不举报了", "不要了")),
    ("thank", _words("谢谢", "谢谢你", "谢谢你们", "谢谢您", "多谢", "感谢", "非常感谢", "谢了",
                     "辛苦了", "辛苦你们了", "麻烦了", "thanks", "thank you", "thx", "好的谢谢",
                     "好谢谢", "嗯谢谢")),
    ("goodbye", _words("再见", "拜拜", "拜", "88", "886", "回头见", "下次聊", "先这样",
                       "就这样吧", "就这样", "没事了", "好的再见")),
    ("greet", _words("你好", "您好", "你们好", "在吗", "在不在", "有人吗", "有人在吗", "哈喽",
                     "嗨", "hello", "hi", "喂", "早上好", "上午好", "下午好", "晚上好", "早")),
    ("affirm", _words("是", "是的", "是啊", "对", "对的", "对啊", "没错", "嗯", "嗯嗯", "恩",
                      "好", "好的", "好滴", "好嘞", "行", "行的", "可以", "没问题", "确认", "确定",
                      "同意", "ok", "okay", "yes", "要", "需要", "当然", "对对", "正确", "就是")),
    ("deny", _words("不", "不是", "不对", "不要", "不用", "不用了", "不需要", "没有", "没",
                    "否", "错了", "不行", "不可以", "不同意", "no", "都不是", "不是的", "还没有",
                    "没有了")),
)  # fmt: skip

_REPORT = "report_arrears"
_STATUS = "query_status"
_OTHER = "other_labour"
_POLICY = "ask_policy"
_HUMAN = "request_human"
#: The worker says the money has come: against a new complaint, for thanks.
_PAID = (
    _NOT_NEGATED + "(?:拿到|收到|领到|到账|到手|结清|讨回|要回|追回|发下来|补发|发放)(?:了|啦)",
    "(?:已经|都|终于|总算)"
    + _NOT_NEGATED
    + "(?:拿到|收到|领到|到账|到手|结清|发了|给了|讨回|要回|追回)",
)
_PAY = "(?:给|发|结|付|支付|算)"
_WAGES = "(?:工资|工钱|钱|薪水|薪资|款|账|辛苦钱|血汗钱)"

#: Scored cues.  Weights: 3 = decisive phrase, 2 = strong, 1 = topical, below 1 = context.
CUES: tuple[Cue, ...] = (
    # --- a new complaint about unpaid wages -------------------------------------------------
    _cue(_REPORT, 3, "欠(?:了)?(?:我|俺|咱|我们|咱们|大家|工人|他们)", "欠着", "讨薪", "讨要",
         "追讨", "讨工资", "要工资", "要工钱", "讨工钱", "要账"),
    _cue(_REPORT, 2, "拖欠", "欠薪", "欠款", "欠工资", "欠钱"),  # also in general questions
    _cue(_REPORT, 3, f"(?:不|没|没有|未|还没|一直没|迟迟不|拒不|不肯|不愿){_PAY}"
         f"(?:我|我们|大家|工人)?(?:的)?{_WAGES}"),
    _cue(_REPORT, 3, "(?:工资|工钱|薪水|血汗钱|辛苦钱|钱|账)"
         "(?:一直|还|都|也|到现在|至今|迟迟|始终)*(?:没|不|未|没有)(?:给|发|结|付|到|拿到|算)"),
    _cue(_REPORT, 3, "白干", "白做", "白忙", "一分(?:钱)?(?:都|也)?没", "要不到", "要不回",
         "拿不到", "讨不到", "结不了", "不结账", "不给钱", "赖账", "耍赖", "克扣",
         "扣(?:了)?(?:我|我们)?(?:的)?工资", "只给了", "只发了", "还差", "还欠", "剩下的"),
    _cue(_REPORT, 3, "(?:没|没有|未|还没|一直没|始终没)(?:拿到|收到|领到|到账|到手)"),
    _cue(_REPORT, 2.5, "(?:想|要|我要|我想|怎么|如何|帮我)(?:投诉|举报|反映|维权)"),
    _cue(_REPORT, 2, "跑路", "跑了", "卷款", "失联", "联系不上", "找不到(?:人|他|老板)",
         "不接(?:我)?电话", "打不通", "拉黑", "躲着", "躲起来", "玩失踪", "推脱", "一拖再拖",
         "拖着", "一直拖", "拖了", "说下个月", "说过几天", "欠条", "白条", "打条子", "不露面",
         "没钱给"),
    _cue(_REPORT, 1, "工资", "工钱", "薪水", "薪资", "血汗钱", "辛苦钱", "劳务费", "工程款",
         "人工费", "结账", "工价"),
    _cue(_REPORT, 0.5, "老板", "包工头", "工头", "老总", "项目部", "班组长", "工地", "干活",
         "打工", "做工", "干了"),
    _cue(_REPORT, -2.5, *_PAID),
    # --- asking about a complaint already made ---------------------------------------------
    _cue(_STATUS, 3, "进度", "进展", "处理(?:得|的)?(?:怎么样|如何|到哪)", "怎么样了",
         "有(?:结果|消息|回复|下文)(?:了)?(?:吗|没)", "结果(?:呢|出来)", "受理(?:了)?(?:吗|没)",
         "查(?:一下|询)", "案件号", "受理号", "投诉编号", "回执"),
    _cue(_STATUS, 2.5, "(?:上次|之前|前几天|前段时间|上个月|上周|已经|早就|我也)"
         "(?:在这里|在你们这)?(?:投诉|反映|举报|提交|登记|报)"),
    _cue(_STATUS, 1.5, "(?:投诉|反映|举报|提交|登记|报)(?:了|过)"),
    _cue(_STATUS, 2, "没人(?:管|理|处理|联系|回复|回)", "没有人(?:管|理|处理|联系)", "石沉大海",
         "没(?:有)?(?:下文|动静|回音|回复|消息|结果)", "不了了之", "不受理", "不予受理"),
    _cue(_STATUS, 2, "转给", "转到", "推给", "推来推去", "踢皮球", "让我去找", "叫我去找",
         "让我找", "叫我找", "又让我", "又叫我", "说不归", "不归(?:他们|我们)?管", "不管这事",
         "让我等", "叫我等", "等通知", "回去等", "来回跑"),
    _cue(_STATUS, 1, "12345", "12333", "12348", "劳动监察", "监察大队", "人社局", "人社",
         "劳动局", "信访", "仲裁委", "街道", "社区", "居委会", "住建局", "热线", "派出所"),
    _cue(_STATUS, 1.5, "多久", "什么时候(?:能|才|会)?(?:处理|解决|有结果|回复|到账|拿到|给)",
         "还要等", "等了", "催(?:一下|促|催)?"),
    # --- other labour problems, often told as stories --------------------------------------
    _cue(_OTHER, 3, "工伤", "受伤", "摔(?:伤|下来|倒|断|了)", "骨折", "砸(?:伤|到|了)",
         "压(?:伤|断)", "截肢", "住院", "医药费", "医疗费", "手术", "伤残", "职业病", "尘肺",
         "中暑", "工亡", "死亡", "去世", "身亡", "断了", "伤了", "流血"),
    _cue(_OTHER, 3, "社保", "五险", "公积金", "医保", "养老保险", "失业保险", "工伤保险", "保险"),
    _cue(_OTHER, 3, "辞退", "开除", "解雇", "炒鱿鱼", "不让(?:我|我们)?(?:再)?干了", "不要我了",
         "赶(?:我)?走", "让我走人", "裁员", "劝退", "年纪大", "年龄大", "岁数大", "超龄",
         "不让(?:我)?上班"),
    _cue(_OTHER, 2, "劳动合同", "不签合同", "合同到期", "试用期", "加班", "休息日", "双休", "年假",
         "休假", "押金", "扣(?:押|了)?(?:我的)?身份证", "罚款", "调岗", "降薪", "经济补偿",
         "补偿金", "离职证明", "高温补贴", "骚扰", "打人", "被打"),
    _cue(_OTHER, 1, "赔偿", "老板不管", "不负责"),
    # --- questions about rules and procedures ----------------------------------------------
    _cue(_POLICY, 2, "法律", "法规", "规定", "条例", "政策", "仲裁", "起诉", "打官司", "法院",
         "律师", "法律援助", "流程", "程序", "时效", "期限", "黑名单", "违法", "犯法", "合法",
         "拒不支付", "刑事", "立案", "材料", "证据", "手续", "最低工资", "标准"),
    _cue(_POLICY, 1.5, "怎么办", "咋办", "怎么弄", "怎么处理", "如何", "怎样", "能不能",
         "可不可以", "可以吗", "能吗", "有用吗", "算不算", "是不是", "需要什么", "要什么", "哪些",
         "去哪", "找谁", "哪个部门", "该找", "有没有"),
    _cue(_POLICY, 1.5, "能.{0,8}吗", "可以.{0,8}吗", "有什么", "什么(?:法律|规定|政策|办法)",
         "怎么(?:规定|处罚|处理|算)"),
    _cue(_POLICY, 1, "没签合同", "没有合同", "没合同"),
    # --- conversation management -----------------------------------------------------------
    _cue("cancel", 3, "取消", "撤销", "撤回", "不(?:想|要|用)?(?:再)?投诉了", "不(?:想|要)?举报了",
         "不告了", "算了", "不弄了", "不办了", "不处理了", "别处理了", "不用处理",
         "不需要(?:处理|投诉)了", "删(?:除|掉)(?:我的)?(?:信息|投诉|记录)", "退出"),
    _cue(_HUMAN, 3, "人工", "真人", "客服", "工作人员", "转人工"),
    _cue(_HUMAN, 2, "找个人", "有人(?:能|可以)?(?:跟|和)我(?:说|聊|谈)", "打(?:个)?电话给我",
         "给我(?:打|回)(?:个)?电话", "机器人", "你是(?:机器|ai|人工智能)", "找领导", "听不懂",
         "说不清楚", "跟人说"),
    _cue("thank", 3, "谢谢", "感谢", "多谢", "谢了", "辛苦(?:了|你们|您)", "多亏", "幸亏有",
         "点赞", "好人", "帮大忙", "帮了大忙", "锦旗", "太好了"),
    _cue("thank", 2, *_PAID),
    _cue("goodbye", 2, "再见", "拜拜", "回头见", "下次再聊", "先这样吧"),
    _cue("greet", 0.5, "你好", "您好", "在吗", "哈喽", "hello"),
    # --- not our business ------------------------------------------------------------------
    _cue("out_of_scope", 2, "天气", "笑话", "唱(?:歌|首)", "讲个", "彩票", "股票", "基金", "贷款",
         "借钱", "信用卡", "相亲", "对象", "女朋友", "男朋友", "游戏", "电影", "吃饭", "吃什么",
         "几点了", "星座", "算命", "你叫什么", "你是谁", "你几岁", "房价", "买房", "租房", "机票",
         "火车票", "车票", "找工作", "招工", "招聘", "有没有活", "工作机会", "介绍(?:个)?工作",
         "彩礼", "减肥"),
)  # fmt: skip


#: What may surround slot values in a pure answer ("我叫张三", "电话是138...", "大概十万").
_SLOT_FILLER = re.compile(
    r"我们|我的|我叫|我是|名字|姓名|电话|手机|号码|联系方式|是|叫|有|一共|总共|共|大概|大约|约|"
    r"左右|差不多|的|了|在|我|公司|老板|包工头|工地|地址|人数|金额|时间|工种|做|干|呢|吧|啊|哦|嗯|"
    r"[\s,.;:!?，。；：！？、/()-]"
)
_PARTICLES = re.compile(r"[\s,.;:!?，。；：！？、~～…啊呀吧呢哦哈啦嘛么]+")
_CJK = re.compile(r"[\u4e00-\u9fff]")
#: A message this long without a single cue is most likely part of a worker's story.
_STORY_LENGTH = 12


def _short_reply(text: str) -> str | None:
    """Intent of a message that is just one stock phrase, if it is one."""
    core = _PARTICLES.sub("", text)
    for intent, pattern in SHORT_REPLIES:
        if core and pattern.fullmatch(core):
            return intent
    return None


def _slot_only_score(text: str) -> float:
    """How strongly ``text`` looks like nothing but slot values."""
    if is_person_name(text):
        return 3.0
    entities = extract_entities(text, date.today())
    if not entities:
        return 0.0
    rest = list(text)
    for entity in entities:
        if entity.start is not None and entity.end is not None:
            rest[entity.start : entity.end] = [" "] * (entity.end - entity.start)
    residual = _SLOT_FILLER.sub("", "".join(rest))
    if len(residual) <= 1:
        return 3.0
    return 1.0 if len(residual) <= 4 else 0.0


def _scores(text: str) -> dict[str, float]:
    """Sum of cue weights per intent (each cue counted at most once)."""
    scores = dict.fromkeys(PRIORITY, 0.0)
    for cue in CUES:
        if cue.pattern.search(text):
            scores[cue.intent] += cue.weight
    scores["provide_info"] += _slot_only_score(text)
    return scores


def _confidence(best: float, runner_up: float) -> float:
    """Map a winning score and the margin over the runner-up to (0, 1)."""
    strength = 1 - math.exp(-best / 2)
    margin = 1 - 0.5 * max(runner_up, 0.0) / best
    return round(min(0.97, max(0.05, strength * margin)), 3)


def ranking(text: str) -> list[tuple[str, float]]:
    """All intents with their raw scores, best first (ties in ``PRIORITY`` order)."""
    scores = _scores(prepare_text(text))
    return sorted(scores.items(), key=lambda kv: (-kv[1], PRIORITY.index(kv[0])))


def classify(text: str) -> tuple[str, float]:
    """Classify one message into (intent, confidence) with keyword rules.

    Confidence is 0.95 for a stock phrase, grows with the winning score and shrinks with the
    runner-up's, and is 0.3 or less when no rule fired. The recall guard then takes the same
    second look as after Rasa (thanks for money back, a complaint already filed, chat that
    owes nobody, labour-law questions): on the real sample of issue 13 that lifted the
    degraded mode's accuracy from 0.59 to 0.68 on its measure half, recall unchanged.
    """
    prepared = prepare_text(text).strip()
    if not prepared:
        return "out_of_scope", 0.1
    stock = _short_reply(prepared)
    if stock is not None:
        return stock, 0.95
    ranked = sorted(_scores(prepared).items(), key=lambda kv: (-kv[1], PRIORITY.index(kv[0])))
    (intent, best), (_, runner_up) = ranked[0], ranked[1]
    if best > 0:
        return recall_first(intent, _confidence(best, runner_up), prepared)
    if len(_CJK.findall(prepared)) >= _STORY_LENGTH:
        return "report_arrears", 0.3  # a story with no cue: offered by one tap, never lost
    return recall_first("out_of_scope", 0.3, prepared)
