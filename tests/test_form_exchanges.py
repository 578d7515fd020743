"""Multi-turn complaint exchanges written the way workers answer, checked field by field.

Each case plays its messages through the pure dialogue step with the rule-based NLU (no
Rasa), then compares every stored field of the submitted complaint with what the worker
meant: a fact in the wrong field fails the case as surely as a missing one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from bot import texts
from bot.types import RequestHuman

from .test_dialogue import Chat

#: Short names in the table -> Complaint columns.
COLUMNS = {
    "site": "project_name",
    "emp": "employer",
    "con": "contractor",
    "amt": "amount_owed",
    "approx": "amount_approximate",
    "n": "headcount",
    "start": "period_start",
    "end": "period_end",
    "work": "work_type",
    "who": "contact_name",
    "phone": "contact_phone",
}
DEFAULTS: dict[str, Any] = {key: None for key in COLUMNS} | {"approx": False}


@dataclass(frozen=True)
class Case:
    """Messages, then every field the complaint must hold (unlisted fields are empty)."""

    name: str
    messages: tuple[str, ...]
    expect: dict[str, Any]
    flags: tuple[str, ...] = ()  # fields flagged for staff
    call: bool = False  # a phone call was asked for
    replies: dict[int, str] = field(default_factory=dict)  # turn -> text the reply contains


def case(name: str, *messages: str, flags: tuple[str, ...] = (), call: bool = False,
         replies: dict[int, str] | None = None, **expect: Any) -> Case:  # fmt: skip
    return Case(name, messages, expect, flags, call, replies or {})


# The exchanges are tables, one case to a few lines: kept as written.
# fmt: off
P = "13912345678"
CASES = [
    # --- the cases reported in issue 15 -------------------------------------------------
    case(
        "boss name corrected: the worker's name stays",
        "包工头老王欠我们3个人两万", "紫荆苑工地 干了三个月 木工", "张三 13912345678",
        "老板名字错了 是刘强", "1",
        site="紫荆苑", emp="刘强", con="刘强", amt=20000, n=3, work="木工", who="张三", phone=P,
        replies={3: "已改：欠钱的老板/公司 刘强"},
    ),
    case(
        "site and boss answered the wrong way round",
        "欠薪", "老李", "城南那个工地", "两万", "我一个", "三个月", "木工", "张三", P, "1",
        site=("城南那个工地", "城南"), emp="老李", con="老李", amt=20000, n=1, work="木工",
        who="张三", phone=P,
    ),
    case(
        "a question mid-form is answered, not stored",
        "老板欠我工资", "没有欠条怎么办", "紫荆苑工地 包工头老王 一万 就我一个 两个月 小工",
        "张三 13912345678", "1",
        site="紫荆苑", emp="包工头老王", con="老王", amt=10000, n=1, work="小工", who="张三",
        phone=P, replies={1: "没有欠条或合同也能投诉"},
    ),
    case(
        "no phone: explained once, then kept unknown and flagged",
        "包工头老王欠我两万 在紫荆苑工地 就我一个 三个月 木工", "张三", "没有", "没有", "1",
        site="紫荆苑", emp="包工头老王", con="老王", amt=20000, n=1, work="木工", who="张三",
        flags=("phone",), replies={2: "家人或工友的电话"},
    ),
    case(
        "amount unknown",
        "紫荆苑工地的包工头老王不给工钱", "不知道", "不知道", "就我一个", "三个月", "木工",
        "张三 13912345678", "1",
        site="紫荆苑", emp="包工头老王", con="老王", n=1, work="木工", who="张三", phone=P,
        flags=("amount",),
    ),
    case(
        "boss unknown",
        "在紫荆苑工地干活 欠我一万", "不清楚", "不清楚", "我一个", "两个月", "小工", "张三",
        P, "1",
        site="紫荆苑", amt=10000, n=1, work="小工", who="张三", phone=P, flags=("employer",),
    ),
    case(
        "asking for a moment is no site and no boss",
        "老板欠我工资", "稍等一下", "紫荆苑工地", "我去问问工友", "包工头老王", "一万",
        "就我一个", "三个月", "木工", "张三 13912345678", "1",
        site="紫荆苑", emp="包工头老王", con="老王", amt=10000, n=1, work="木工", who="张三",
        phone=P, replies={1: "不着急", 3: "不着急"},
    ),
    case(
        "a call asked for mid-form keeps the phone",
        "老板欠我工资", "我不会打字 能不能打电话给我 13722223333", "紫荆苑 包工头老王 一万五",
        "就我一个", "三个月", "木工", "张三", "1",
        site="紫荆苑", emp="包工头老王", con="老王", amt=15000, n=1, work="木工", who="张三",
        phone="13722223333", call=True,
    ),
    case(
        "per person times the headcount",
        "老板欠工钱", "俺们仨人 一人八千多", "紫荆苑工地 包工头老王 三个月 木工",
        "张三 13912345678", "1",
        site="紫荆苑", emp="包工头老王", con="老王", amt=24000, approx=True, n=3, work="木工",
        who="张三", phone=P, replies={1: "共24,000元左右（每人8,000元左右×3人）"},
    ),
    case(
        "dates with days and a duration both kept",
        "包工头老王欠我一万", "从8月1号干到10月31号 在紫荆苑工地 就我一个 木工",
        "张三 13912345678", "1",
        site="紫荆苑", emp="包工头老王", con="老王", amt=10000, n=1, start=date(2026, 8, 1),
        end=date(2026, 10, 31), work="木工", who="张三", phone=P,
    ),
    case(
        "boss and company apart, brackets kept",
        "老板王德发(德发建筑劳务公司)欠我们两个人三万", "紫荆苑工地 四个月 钢筋工",
        "张三 13912345678", "1",
        site="紫荆苑", emp="德发建筑劳务公司", con="王德发", amt=30000, n=2, work="钢筋工",
        who="张三", phone=P,
    ),
    case(
        "陈老板 is a boss",
        "欠薪", "紫荆苑工地", "陈老板", "八千", "我一个", "两个月", "小工", "张三", P, "1",
        site="紫荆苑", emp="陈老板", con="陈老板", amt=8000, n=1, work="小工", who="张三",
        phone=P,
    ),
    case(
        "王总 is a boss",
        "欠薪", "紫荆苑工地", "王总", "八千", "我一个", "两个月", "小工", "张三", P, "1",
        site="紫荆苑", emp="王总", con="王总", amt=8000, n=1, work="小工", who="张三", phone=P,
    ),
    case(
        "抹灰 is a work type",
        "包工头老王欠我一万 紫荆苑工地 就我一个 三个月", "抹灰", "张三 13912345678", "1",
        site="紫荆苑", emp="包工头老王", con="老王", amt=10000, n=1, work=("抹灰", "抹灰工"),
        who="张三",
        phone=P,
    ),
    case(
        "a greeting mid-form does not bring the menu",
        "欠薪", "喂 有人吗", "紫荆苑 包工头老王 一万 就我一个 三个月 木工", "张三 13912345678",
        "1",
        site="紫荆苑", emp="包工头老王", con="老王", amt=10000, n=1, work="木工", who="张三",
        phone=P, replies={1: "在的"},
    ),
]

# --- terse workers: one fact per message -------------------------------------------------
TERSE = [
    ("紫荆苑工地", "包工头老王", "三万五", "我们5个人", "去年10月到今年1月", "木工", "张三", P),
    ("阳光城", "老郑", "一万五", "就我自己", "三个月", "电工", "郑八", "13912345670"),
    ("新城花园", "小周", "8千", "1个", "两个月", "小工", "王五", "18912345678"),
    ("龙湖工地", "老黄", "五万", "7个", "五个月", "钢筋工", "王建国", "13805196677"),
    ("星河湾", "老冯", "1万2", "5", "3个月", "木工", "冯一", "15000001111"),
]
TERSE_EXPECT = [
    dict(site="紫荆苑", emp="包工头老王", con="老王", amt=35000, n=5, start=date(2025, 10, 1),
         end=date(2026, 1, 31), work="木工", who="张三", phone=P),
    dict(site="阳光城", emp="老郑", con="老郑", amt=15000, n=1, work="电工", who="郑八",
         phone="13912345670"),
    dict(site="新城花园", emp="小周", con="小周", amt=8000, n=1, work="小工", who="王五",
         phone="18912345678"),
    dict(site="龙湖", emp="老黄", con="老黄", amt=50000, n=7, work="钢筋工", who="王建国",
         phone="13805196677"),
    dict(site="星河湾", emp="老冯", con="老冯", amt=12000, n=5, work="木工", who="冯一",
         phone="15000001111"),
]  # fmt: skip
for i, (answers, expected) in enumerate(zip(TERSE, TERSE_EXPECT, strict=True)):
    CASES.append(case(f"terse {i}", "欠薪", *answers, "1", **expected))
    # The same facts in the reverse order: the reader, not the question, decides the field.
    mixed = (answers[1], answers[0], *answers[2:])
    CASES.append(case(f"terse swapped {i}", "工资没给", *mixed, "1", **expected))

CASES += [
    # --- cooperative workers: every item of the open question at once --------------------
    case(
        "cooperative site worker",
        "老板欠我们5个人十二万", "紫荆苑工地 包工头王大军 干了三个月 木工", "李四 13912345678",
        "1",
        site="紫荆苑", emp="包工头王大军", con="王大军", amt=120000, n=5, work="木工",
        who="李四", phone=P,
    ),
    case(
        "cooperative with commas",
        "工资被拖欠了", "在锦苑工地，包工头马强，3个人，两万六，干了半年，油漆工",
        "钱七，13911112222", "1",
        site="锦苑", emp="包工头马强", con="马强", amt=26000, n=3, work="油漆工", who="钱七",
        phone="13911112222",
    ),
    case(
        "cooperative factory worker",
        "厂里欠了两个月工资4500", "常州宏达电子有限公司，就我一个，普工", "李梅 13861234567",
        "不清楚", "1",
        emp="常州宏达电子有限公司", amt=4500, n=1, work="普工", who="李梅",
        phone="13861234567", replies={1: "工地"},
    ),
    case(
        "cooperative restaurant",
        "饭店老板欠我三个月工资一万二", "湖塘镇川味饭店 老板何建华 就我一个人 服务员",
        "周芳 15962223333", "1",
        site="湖塘镇川味饭店", emp="老板何建华", con="何建华", amt=12000, n=1, work="服务员",
        who="周芳", phone="15962223333",
    ),
    case(
        "cooperative with name and phone introduced",
        "包工头老黄欠我们7个人五万，在龙湖工地干了五个月钢筋工", "我叫王建国，电话13805196677",
        "1",
        site="龙湖", emp="包工头老黄", con="老黄", amt=50000, n=7, work="钢筋工", who="王建国",
        phone="13805196677",
    ),
    case(
        "cooperative one long story",
        "我在金鹰华府工地做木工，包工头李德明欠我们4个人三万二，从今年3月干到8月，"
        "我叫李小军 电话13776543210",
        "1",
        site="金鹰华府", emp="包工头李德明", con="李德明", amt=32000, n=4,
        start=date(2026, 3, 1), end=date(2026, 8, 31), work="木工", who="李小军",
        phone="13776543210",
    ),
    case(
        "cooperative company and boss",
        "宏发劳务有限公司欠我们3个人三万", "紫荆苑工地 老板叫刘建 四个月 瓦工",
        "张三 13912345678", "1",
        site="紫荆苑", emp="宏发劳务有限公司", con="刘建", amt=30000, n=3, work="瓦工",
        who="张三", phone=P,
    ),
    case(
        "cooperative landline",
        "包工头老钱欠我们两个人一万八，在嘉宏盛世工地", "五个月 瓦工", "钱二 0519-88776655",
        "1",
        site="嘉宏盛世", emp="包工头老钱", con="老钱", amt=18000, n=2, work="瓦工", who="钱二",
        phone="0519-88776655",
    ),
    case(
        "cooperative large group",
        "我们班组40多个人，项目部欠了一百二十万，在高铁站房项目",
        "包工头老刘 去年8月到今年1月 钢筋工",
        "刘强 13800001111", "1",
        site="高铁站房", emp="包工头老刘", con="老刘", amt=1200000, n=40,
        start=date(2025, 8, 1), end=date(2026, 1, 31), work="钢筋工", who="刘强",
        phone="13800001111",
    ),
    # --- dialect ----------------------------------------------------------------------
    case(
        "dialect 俺们",
        "俺们在锦绣花园工地干活 包工头刘老三欠俺们6个人四万多 咋办", "干了四个月瓦工活",
        "俺叫刘大山 电话15851234567", "1",
        site="锦绣花园", emp="包工头刘老三", con="刘老三", amt=40000, approx=True, n=6,
        work="瓦工", who="刘大山", phone="15851234567",
    ),
    case(
        "dialect 咱 and 晓得",
        "咱的工钱老板一直不给", "1", "不晓得是哪个公司 包工头是老孙", "一万二", "俺一个",
        "三个来月", "紫荆苑工地", "小工", "孙四 13600000000", "1",
        site="紫荆苑", emp="包工头老孙", con="老孙", amt=12000, n=1, work="小工", who="孙四",
        phone="13600000000",
    ),
    case(
        "dialect 俺 terse",
        "俺的工钱要不回来", "俺在万达广场工地", "工头老赵", "六千", "俺自个", "一个多月",
        "打杂", "赵大 13700001111", "1",
        site="万达广场", emp="工头老赵", con="老赵", amt=6000, n=1, work="打杂", who="赵大",
        phone="13700001111",
    ),
    case(
        "dialect 整 and 咋整",
        "老板跑了 欠俺们五个人三万 咋整", "在翠苑工地 包工头老马 干了俩月 木工",
        "马六 13822223333", "1",
        site="翠苑", emp="包工头老马", con="老马", amt=30000, n=5, work="木工", who="马六",
        phone="13822223333",
    ),
    # --- traditional characters -------------------------------------------------------
    case(
        "traditional story",
        "老闆拖欠我們工資兩萬八，我在翠苑工地做泥瓦工，三個人", "包工頭陳德福，去年十月到今年二月",
        "陳小明 13705191234", "1",
        site="翠苑", emp="包工头陈德福", con="陈德福", amt=28000, n=3, start=date(2025, 10, 1),
        end=date(2026, 2, 28), work="泥瓦工", who="陈小明", phone="13705191234",
    ),
    case(
        "traditional terse",
        "欠薪", "錦繡花園工地", "包工頭老張", "一萬", "就我一個", "三個月", "木工",
        "張三", P, "1",
        site="锦绣花园", emp="包工头老张", con="老张", amt=10000, n=1, work="木工", who="张三",
        phone=P,
    ),
    case(
        "traditional correction",
        "包工頭老王欠我們3個人兩萬 在紫荊苑工地", "三個月 木工", "張三 13912345678",
        "金額不對，是兩萬六", "1",
        site="紫荆苑", emp="包工头老王", con="老王", amt=26000, n=3, work="木工", who="张三",
        phone=P,
    ),
    # --- typos ------------------------------------------------------------------------
    case(
        "typos and homophones",
        "包工投跑了 托欠我公钱8千块", "在新城花园工地 包工头小周 就我一个 干了两个月小工",
        "王五 18912345678", "1",
        site="新城花园", emp="包工头小周", con="小周", amt=8000, n=1, work="小工", who="王五",
        phone="18912345678",
    ),
    case(
        "a mistyped phone is asked again",
        "包工头老王欠我两万 在紫荆苑工地 就我一个 三个月 木工", "张三 1391234567", P, "1",
        site="紫荆苑", emp="包工头老王", con="老王", amt=20000, n=1, work="木工", who="张三",
        phone=P, replies={1: "电话号码好像不对"},
    ),
    case(
        "full-width digits",
        "包工头老王欠我２万 在紫荆苑工地 就我一个 三个月 木工", "张三 １３９１２３４５６７８",
        "1",
        site="紫荆苑", emp="包工头老王", con="老王", amt=20000, n=1, work="木工", who="张三",
        phone=P,
    ),
    # --- voice-like text without punctuation ---------------------------------------------
    case(
        "voice run-on",
        "你好我是在城南新区那个安置房工地干活的我们班组十二个人老板欠了我们二十多万到现在都没给",
        "包工头叫孙建军 今年3月到9月 架子工", "赵六 13655556666", "1",
        site="城南新区那个安置房", emp="包工头孙建军", con="孙建军", amt=200000, approx=True,
        n=12, start=date(2026, 3, 1), end=date(2026, 9, 30), work="架子工", who="赵六",
        phone="13655556666",
    ),
    case(
        "voice phone read out",
        "包工头老王欠我两万在紫荆苑工地就我一个干了三个月木工",
        "我叫张三电话一三九一二三四五六七八", "1",
        site="紫荆苑", emp="包工头老王", con="老王", amt=20000, n=1, work="木工", who="张三",
        phone=P,
    ),
    case(
        "voice terse",
        "工资没有发", "紫荆苑工地那边", "包工头老王", "三万五千块钱", "我们五个人",
        "干了三个月", "做木工的", "张三", "一三九一二三四五六七八", "1",
        site="紫荆苑", emp="包工头老王", con="老王", amt=35000, n=5, work="木工", who="张三",
        phone=P,
    ),
]

CASES += [
    # --- unknown is an answer -----------------------------------------------------------
    case(
        "unknown optional facts move on",
        "包工头老王欠我们两万", "不清楚", "不记得了", "不知道", "不晓得", "张三 13912345678",
        "1",
        emp="包工头老王", con="老王", amt=20000, who="张三", phone=P,
    ),
    case(
        "a monthly wage and the months unpaid give the sum",
        "紫荆苑工地包工头老王 一个月四千 欠了八个月 木工 就我一个", "张三 13912345678", "1",
        site="紫荆苑", emp="包工头老王", con="老王", amt=32000, approx=True, n=1, work="木工",
        who="张三", phone=P, replies={0: "欠款金额 32,000元左右"},
    ),
    case(
        "a lone worker is not asked how many",
        "紫荆苑工地包工头老王欠我两万 三个月 木工", "张三 13912345678", "1",
        site="紫荆苑", emp="包工头老王", con="老王", amt=20000, n=1, work="木工", who="张三",
        phone=P,
    ),
    case(
        "unknown headcount",
        "紫荆苑工地包工头老王欠钱两万", "不清楚有几个人", "三个月", "木工", "张三 13912345678",
        "1",
        site="紫荆苑", emp="包工头老王", con="老王", amt=20000, work="木工", who="张三",
        phone=P,
    ),
    case(
        "unknown name",
        "紫荆苑工地包工头老王欠我两万 三个月 木工 就我一个", "不想说", "没有", "13912345678", "1",
        site="紫荆苑", emp="包工头老王", con="老王", amt=20000, n=1, work="木工", phone=P,
    ),
    # --- corrections at the confirmation ------------------------------------------------
    case(
        "phone corrected by words",
        "包工头老王欠我两万 在紫荆苑工地 就我一个 三个月 木工", "张三 13912345678",
        "电话错了", "13800001111", "1",
        site="紫荆苑", emp="包工头老王", con="老王", amt=20000, n=1, work="木工", who="张三",
        phone="13800001111",
    ),
    case(
        "site corrected in one message",
        "包工头老王欠我两万 在紫荆苑工地 就我一个 三个月 木工", "张三 13912345678",
        "工地不对 是阳光城", "1",
        site="阳光城", emp="包工头老王", con="老王", amt=20000, n=1, work="木工", who="张三",
        phone=P,
    ),
    case(
        "my own name corrected",
        "包工头老王欠我两万 在紫荆苑工地 就我一个 三个月 木工", "张三 13912345678",
        "我的名字写错了 是张山", "1",
        site="紫荆苑", emp="包工头老王", con="老王", amt=20000, n=1, work="木工", who="张山",
        phone=P,
    ),
    case(
        "headcount corrected by number",
        "包工头老王欠我们两万 在紫荆苑工地 3个人 三个月 木工", "张三 13912345678", "不对", "4",
        "4个人", "1",
        site="紫荆苑", emp="包工头老王", con="老王", amt=20000, n=4, work="木工", who="张三",
        phone=P,
    ),
    case(
        "money corrected with 钱",
        "包工头老王欠我两万 在紫荆苑工地 就我一个 三个月 木工", "张三 13912345678",
        "钱不对 应该是两万五", "1",
        site="紫荆苑", emp="包工头老王", con="老王", amt=25000, n=1, work="木工", who="张三",
        phone=P,
    ),
    case(
        "work type corrected",
        "包工头老王欠我两万 在紫荆苑工地 就我一个 三个月 木工", "张三 13912345678",
        "工种错了 是钢筋工", "1",
        site="紫荆苑", emp="包工头老王", con="老王", amt=20000, n=1, work="钢筋工", who="张三",
        phone=P,
    ),
    case(
        "boss corrected to a company",
        "包工头老王欠我两万 在紫荆苑工地 就我一个 三个月 木工", "张三 13912345678",
        "公司名字错了 应该是宏达建筑公司", "1",
        site="紫荆苑", emp="宏达建筑公司", amt=20000, n=1, work="木工", who="张三", phone=P,
    ),
    case(
        "a correction while filling",
        "包工头老王欠我们3个人两万", "人数不对 是4个人", "紫荆苑工地 三个月 木工",
        "张三 13912345678", "1",
        site="紫荆苑", emp="包工头老王", con="老王", amt=20000, n=4, work="木工", who="张三",
        phone=P, replies={1: "已改：被欠薪人数 4人"},
    ),
    # --- amounts per person -------------------------------------------------------------
    case(
        "per person with the headcount before",
        "我们4个人 每人欠五千", "紫荆苑工地 包工头老王 两个月 小工", "张三 13912345678", "1",
        site="紫荆苑", emp="包工头老王", con="老王", amt=20000, n=4, work="小工", who="张三",
        phone=P,
    ),
    case(
        "per person asks for the headcount",
        "老板欠我们每人六千", "紫荆苑工地 包工头老王 两个月 小工", "5个人", "张三 13912345678",
        "1",
        site="紫荆苑", emp="包工头老王", con="老王", amt=30000, n=5, work="小工", who="张三",
        phone=P, replies={1: "是每人6,000元，一共几个人"},
    ),
    case(
        "per person headcount corrected",
        "我们3个人 一人八千", "紫荆苑工地 包工头老王 两个月 小工", "张三 13912345678",
        "人数错了 是4个人", "1",
        site="紫荆苑", emp="包工头老王", con="老王", amt=32000, n=4, work="小工", who="张三",
        phone=P, replies={3: "共32,000元"},
    ),
    case(
        "a total is not multiplied",
        "我们3个人一共欠两万四", "紫荆苑工地 包工头老王 两个月 小工", "张三 13912345678", "1",
        site="紫荆苑", emp="包工头老王", con="老王", amt=24000, n=3, work="小工", who="张三",
        phone=P,
    ),
    # --- dates and durations ------------------------------------------------------------
    case(
        "month range",
        "包工头老王欠我一万 紫荆苑工地 就我一个 木工", "去年10月到今年1月", "张三 13912345678",
        "1",
        site="紫荆苑", emp="包工头老王", con="老王", amt=10000, n=1, start=date(2025, 10, 1),
        end=date(2026, 1, 31), work="木工", who="张三", phone=P,
    ),
    case(
        "a duration alone leaves the dates empty",
        "包工头老王欠我一万 紫荆苑工地 就我一个 木工", "干了三个多月", "张三 13912345678", "1",
        site="紫荆苑", emp="包工头老王", con="老王", amt=10000, n=1, work="木工", who="张三",
        phone=P,
    ),
    case(
        "a year with days",
        "包工头老王欠我一万 紫荆苑工地 就我一个 木工", "2025年3月15日到2025年6月20日",
        "张三 13912345678", "1",
        site="紫荆苑", emp="包工头老王", con="老王", amt=10000, n=1, start=date(2025, 3, 15),
        end=date(2025, 6, 20), work="木工", who="张三", phone=P,
    ),
    case(
        "dates and a duration in one answer",
        "包工头老王欠我一万 紫荆苑工地 就我一个 木工", "干了三个月 从8月1号到10月31号",
        "张三 13912345678", "1",
        site="紫荆苑", emp="包工头老王", con="老王", amt=10000, n=1, start=date(2026, 8, 1),
        end=date(2026, 10, 31), work="木工", who="张三", phone=P,
    ),
    # --- mid-form detours -----------------------------------------------------------------
    case(
        "policy question mid-form",
        "老板不发工资", "要准备什么证据吗？", "紫荆苑工地 包工头老王 两万 3个人 三个月 木工",
        "张三 13912345678", "1",
        site="紫荆苑", emp="包工头老王", con="老王", amt=20000, n=3, work="木工", who="张三",
        phone=P, replies={1: "考勤"},
    ),
    case(
        "thanks mid-form",
        "欠薪", "紫荆苑工地 包工头老王 两万 就我一个 三个月 木工", "谢谢", "张三 13912345678",
        "1",
        site="紫荆苑", emp="包工头老王", con="老王", amt=20000, n=1, work="木工", who="张三",
        phone=P, replies={2: "不客气"},
    ),
    case(
        "a person asked for mid-form, then the form goes on",
        "欠薪", "转人工", "紫荆苑工地 包工头老王 两万 就我一个 三个月 木工",
        "张三 13912345678", "1",
        site="紫荆苑", emp="包工头老王", con="老王", amt=20000, n=1, work="木工", who="张三",
        phone=P, call=False, replies={1: "我们继续登记"},
    ),
    case(
        "arbitration question mid-form",
        "包工头老王欠我两万", "仲裁要花钱吗", "紫荆苑工地 就我一个 三个月 木工",
        "张三 13912345678", "1",
        site="紫荆苑", emp="包工头老王", con="老王", amt=20000, n=1, work="木工", who="张三",
        phone=P, replies={1: "不收费"},
    ),
    case(
        "an injury question mid-form",
        "包工头老王欠我两万", "我干活摔伤了能不能算工伤？", "紫荆苑工地 就我一个 三个月 木工",
        "张三 13912345678", "1",
        site="紫荆苑", emp="包工头老王", con="老王", amt=20000, n=1, work="木工", who="张三",
        phone=P,
    ),
    # --- facts that went to another field -------------------------------------------------
    case(
        "headcount answered to the site question",
        "欠薪", "就我一个", "紫荆苑工地", "包工头老王", "两万", "三个月", "木工", "张三", P, "1",
        site="紫荆苑", emp="包工头老王", con="老王", amt=20000, n=1, work="木工", who="张三",
        phone=P,
    ),
    case(
        "work type answered to the boss question",
        "欠薪", "紫荆苑工地", "钢筋工", "包工头老王", "两万", "就我一个", "三个月", "张三", P,
        "1",
        site="紫荆苑", emp="包工头老王", con="老王", amt=20000, n=1, work="钢筋工", who="张三",
        phone=P,
    ),
    case(
        "a phone given early",
        "欠薪", "我电话13912345678", "紫荆苑工地 包工头老王 两万 就我一个 三个月 木工", "张三",
        "1",
        site="紫荆苑", emp="包工头老王", con="老王", amt=20000, n=1, work="木工", who="张三",
        phone=P,
    ),
    case(
        "a boss given to the work type question",
        "紫荆苑工地 欠我两万 就我一个 三个月", "包工头老王", "木工", "张三 13912345678", "1",
        site="紫荆苑", emp="包工头老王", con="老王", amt=20000, n=1, work="木工", who="张三",
        phone=P,
    ),
]

CASES += [
    case(
        "boss corrected with the old name said too",
        "包工头老王欠我两万 在紫荆苑工地 就我一个 三个月 木工", "张三 13912345678",
        "老板叫刘强 不是老王", "1",
        site="紫荆苑", emp="刘强", con="刘强", amt=20000, n=1, work="木工", who="张三", phone=P,
    ),
    case(
        "boss corrected by number",
        "包工头老王欠我两万 在紫荆苑工地 就我一个 三个月 木工", "张三 13912345678", "不对", "2",
        "包工头老李", "1",
        site="紫荆苑", emp="包工头老李", con="老李", amt=20000, n=1, work="木工", who="张三",
        phone=P, replies={4: "已改：欠钱的老板/公司 包工头老李"},
    ),
    case(
        "period corrected in words",
        "包工头老王欠我两万 在紫荆苑工地 就我一个 三个月 木工", "张三 13912345678",
        "时间不对 是2026年5月到8月", "1",
        site="紫荆苑", emp="包工头老王", con="老王", amt=20000, n=1, start=date(2026, 5, 1),
        end=date(2026, 8, 31), work="木工", who="张三", phone=P,
    ),
    case(
        "a natural cooperative answer",
        "老板拖欠工资",
        "是在阳光小区的工地，老板叫李明，我们一共四个人，欠了三个月的工资一共四万，我是做水电的",
        "我叫王强，电话是13612345678", "确认",
        site="阳光小区", emp="老板李明", con="李明", amt=40000, n=4, work="水电工", who="王强",
        phone="13612345678",
    ),
    case(
        "a vague site is asked again, a surname is a boss",
        "老板欠我钱", "我在工地干活", "我在紫荆苑工地干活", "他姓王", "两万", "就我", "三个月",
        "木工", "张三", P, "1",
        site="紫荆苑", emp="姓王", con="王某", amt=20000, n=1, work="木工", who="张三", phone=P,
    ),
    case(
        "a name given to the headcount question",
        "欠钱", "工地在新北区 老板是王建", "一万五", "张三", "就我", "三个月", "木工",
        "电话13912345678", "1",
        site="新北区", emp="老板王建", con="王建", amt=15000, n=1, work="木工", who="张三",
        phone=P,
    ),
    case(
        "a factory told inside the story",
        "我在电子厂上班，厂里欠了两个月工资4500", "宏达电子有限公司 就我一个 普工",
        "李梅 13861234567", "1",
        site="电子厂", emp="宏达电子有限公司", amt=4500, n=1, work="普工", who="李梅",
        phone="13861234567",
    ),
]

CASES += [
    case(
        "a short site name among the other facts",
        "老板欠钱", "阳光城 工头老郑 一万五 就我 三个月 电工", "郑八 13912345670", "1",
        site="阳光城", emp="工头老郑", con="老郑", amt=15000, n=1, work="电工", who="郑八",
        phone="13912345670",
    ),
    case(
        "terse dialect with unknown contact details",
        "工钱要不到", "老李", "城南那个工地", "八千多", "俺一个", "半年", "打杂的", "不想说",
        "没有", "没有", "1",
        site=("城南那个工地", "城南"), emp="老李", con="老李", amt=8000, approx=True, n=1,
        work="打杂", flags=("phone",),
    ),
]

CASES += [
    case(
        "traditional letter style",
        "老闆欠薪不給", "在天悅府項目 包工頭趙剛 三萬六 四個人 去年三月到八月 鋼筋工",
        "張偉 13951234567", "1",
        site="天悦府", emp="包工头赵刚", con="赵刚", amt=36000, n=4, start=date(2025, 3, 1),
        end=date(2025, 8, 31), work="钢筋工", who="张伟", phone="13951234567",
    ),
    case(
        "traditional terse numbers",
        "工資拖欠了好幾個月", "東湖大廈 老闆老唐 一萬五 兩個人 三個月 電工", "唐五 13912345678",
        "1",
        site="东湖大厦", emp="老板老唐", con="老唐", amt=15000, n=2, work="电工", who="唐五",
        phone=P,
    ),
    case(
        "typo in the role",
        "包攻头欠我工前", "在金色家园工地 包攻头老潘 三万 五个人 四个月 钢筋工",
        "潘五 13912345678", "1",
        site="金色家园", emp="包攻头老潘", con="老潘", amt=30000, n=5, work="钢筋工",
        who="潘五", phone=P,
    ),
    case(
        "voice story with the trade in passing",
        "我们在城东学校工地干活包工头老宋欠我们三个人一万五今年五月到七月做模板的",
        "宋三 13912345678", "1",
        site="城东学校", emp="包工头老宋", con="老宋", amt=15000, n=3, start=date(2026, 5, 1),
        end=date(2026, 7, 31), work=("模板", "模板工"), who="宋三", phone=P,
    ),
    case(
        "voice question with the story inside",
        "喂你好我想问一下我的工资老板一直不给我在翠湖苑工地做粉刷的一共欠我一万二",
        "包工头姓袁", "就我一个 两个月", "袁四 13912345678", "1",
        site="翠湖苑", emp="包工头姓袁", con="袁某", amt=12000, n=1, work=("粉刷", "粉刷工"),
        who="袁四", phone=P,
    ),
    case(
        "terse with mixed numerals and traditional site",
        "欠薪", "紫荊苑", "老王", "3万5", "5个", "去年十月到今年一月", "木工", "张三", P, "1",
        site="紫荆苑", emp="老王", con="老王", amt=35000, n=5, start=date(2025, 10, 1),
        end=date(2026, 1, 31), work="木工", who="张三", phone=P,
    ),
]

CASES += [
    case(
        "not knowing said as a sentence",
        "紫荆苑工地欠我三万多 具体记不清", "就我一个 三个月 木工", "老板叫啥我也不知道",
        "老板叫什么我不知道", "张三 13912345678", "1",
        site="紫荆苑", amt=30000, approx=True, n=1, work="木工", who="张三", phone=P,
        flags=("employer",), replies={2: texts.WHY_EMPLOYER},
    ),
]

CASES += [
    case(
        "company and boss in one answer, a name after a surname",
        "我是做钢筋的，在滨江新城项目，包工头欠了我们七个人的工钱总共十万零五千",
        "老板叫孙大海，是宏图劳务公司的，2025年11月到2026年6月", "我姓马 叫马文 手机15812345678",
        "对",
        site="滨江新城", emp="宏图劳务公司", con="孙大海", amt=105000, n=7,
        start=date(2025, 11, 1), end=date(2026, 6, 30), work="钢筋工", who="马文",
        phone="15812345678",
    ),
    case(
        "a restaurant named with 叫, confirmed in words",
        "您好 我想投诉 我在饭店打工 老板拖欠工资",
        "饭店叫湘味馆 老板姓何 欠我两个月工资 一共七千 就我自己 服务员", "何小红 18812345678",
        "确认提交",
        site="湘味馆", emp="老板姓何", con="何某", amt=7000, n=1, work="服务员", who="何小红",
        phone="18812345678",
    ),
    case(
        "a boss named in passing, per person pay",
        "工地干完活了 钱一直拖着不给", "西城花园 一个叫老陈的包工头 我们班组九个人 每人一万二",
        "2026年3月份到9月份 都是瓦工", "陈大勇 13012345678", "1",
        site="西城花园", emp="包工头老陈", con="老陈", amt=108000, n=9, start=date(2026, 3, 1),
        end=date(2026, 9, 30), work="瓦工", who="陈大勇", phone="13012345678",
    ),
]

CASES += [
    case(
        "a bare sum is money only",
        "老板欠钱不给 能帮我吗", "在常州", "老板是刘总 公司不知道", "3000", "1个人", "2026年10月",
        "保洁", "刘阿姨 13611112222", "没问题",
        site="常州", emp="老板刘总", con="刘总", amt=3000, n=1, start=date(2026, 10, 1),
        end=date(2026, 10, 31), work="保洁", who="刘阿姨", phone="13611112222",
        replies={3: "已记下：欠款金额 3,000元。"},
    ),
    case(
        "one worker's own sum is not per person; a wife reports",
        "我老公在工地干活 被拖欠工资了 他不会用手机",
        "他在龙城壹号工地 包工头是老胡 欠他一个人两万 干了五个月 电焊",
        "我是他老婆 王丽 13733334444", "1",
        site="龙城壹号", emp="包工头老胡", con="老胡", amt=20000, n=1, work=("电焊", "焊工"),
        who="王丽", phone="13733334444",
    ),
    case(
        "terse with a nickname and a phone read out",
        "我要举报欠薪", "城南安置小区", "姓黄的包工头", "两万三左右", "我们四个", "木匠", "黄师傅",
        "三个月", "电话是一五八一二三四五六七八", "是的",
        site="城南安置小区", emp="姓黄的包工头", con="黄某", amt=23000, approx=True, n=4,
        work="木工", who="黄师傅", phone="15812345678",
    ),
]

CASES += [
    case(
        "a bare 包工头 is asked for a name once, then kept and flagged",
        "欠薪", "金鹰华府", "包工头", "不知道名字", "大概5万", "6个", "半年", "水电",
        "刘 13800138000", "1",
        site="金鹰华府", emp="包工头", amt=50000, approx=True, n=6, work="水电工", who="刘",
        phone="13800138000", flags=("employer",), replies={2: "知道包工头姓什么"},
    ),
    case(
        "a bare 包工头, then the name",
        "欠薪", "金鹰华府", "包工头", "姓刘 叫刘大成", "大概5万", "6个", "半年", "水电",
        "老赵 13800138000", "1",
        site="金鹰华府", emp="刘大成", con="刘大成", amt=50000, approx=True, n=6, work="水电工",
        who="老赵", phone="13800138000",
    ),
]

CASES += [
    case(
        "two fields corrected in one message, then a site in words",
        "包工头老王欠我们3个人两万 在紫荆苑工地 干了三个月 木工", "张三 13912345678",
        "金额是两万五 人数是四个", "还有工地是紫荆苑二期", "确认",
        site="紫荆苑二期", emp="包工头老王", con="老王", amt=25000, n=4, work="木工",
        who="张三", phone=P, replies={2: "已改：欠款金额 25,000元；被欠薪人数 4人"},
    ),
    case(
        "corrections one after another",
        "包工头老王欠我们3个人两万 在紫荆苑工地 干了三个月 木工", "张三 13912345678",
        "人数写错了 是四个人", "电话也错了 是13800001111", "1",
        site="紫荆苑", emp="包工头老王", con="老王", amt=20000, n=4, work="木工", who="张三",
        phone="13800001111",
    ),
]

CASES += [
    case(
        "a promised pay day is not the period worked",
        "俺是四川来的 在你们这边的万科城工地干了快一年 木工 包工头姓邓 说好年底结账 "
        "现在人都找不到了 俺们班组六个人 一共差不多十五万",
        "俺叫李二娃 电话18288889999", "要得",
        site="万科城", emp="包工头姓邓", con="邓某", amt=150000, approx=True, n=6, work="木工",
        who="李二娃", phone="18288889999",
    ),
    case(
        "a factory and its company in one answer",
        "在吗", "老板欠我三个月工资", "在电子厂 宏远电子有限公司 一个月五千 就我一个 普工",
        "一万五", "周敏 13588887777", "1",
        site="电子厂", emp="宏远电子有限公司", amt=15000, n=1, work="普工", who="周敏",
        phone="13588887777",
    ),
]

# --- more everyday workers, each with a different mix ------------------------------------
EVERYDAY = [
    ("装修队老板欠我三个月工资一万八", "在丽华新村 老板姓吴 就我一个 油漆工",
     dict(site="丽华新村", emp="老板姓吴", con=("吴", "吴某"), amt=18000, n=1, work="油漆工")),
    ("包工头阿强欠我五千", "万达广场工地 就我1个 2026年10月的 杂工",
     dict(site="万达广场", emp="包工头阿强", con="阿强", amt=5000, n=1, work="杂工",
          start=date(2026, 10, 1), end=date(2026, 10, 31))),
    ("工头老谢欠我一万多块", "天宁寺旁边的工地 就我一个 两个月零十天 搬运工",
     dict(site="天宁寺旁边", emp="工头老谢", con="老谢", amt=10000, approx=True, n=1,
          work="搬运工")),
    ("老板欠我们两个人一万", "在阳光花园工地 包工头小刘 干了一个月 水电工",
     dict(site="阳光花园", emp="包工头小刘", con="小刘", amt=10000, n=2, work="水电工")),
    ("恒通建设有限公司欠我们10个人二十万", "在滨江一号项目 去年9月到今年3月 架子工",
     dict(site="滨江一号", emp="恒通建设有限公司", amt=200000, n=10,
          start=date(2025, 9, 1), end=date(2026, 3, 31), work="架子工")),
    ("包工头张德彪欠我三千五", "在丽景苑工地 就我一个 十天 小工",
     dict(site="丽景苑", emp="包工头张德彪", con="张德彪", amt=3500, n=1, work="小工")),
    ("班组长老何欠我们6个人四万八", "在东方明珠小区 干了四个月 贴砖工",
     dict(site="东方明珠小区", emp="班组长老何", con="老何", amt=48000, n=6, work="贴砖工")),
    ("我在物流园搬货 老板欠我两个月工资七千", "城北物流园 顺达物流有限公司 就我一个 装卸工",
     dict(site="城北物流园", emp="顺达物流有限公司", amt=7000, n=1, work="装卸工")),
    ("包工头老宋欠我们三个人一万五", "在城东学校工地 今年5月到7月 模板工",
     dict(site="城东学校", emp="包工头老宋", con="老宋", amt=15000, n=3,
          start=date(2026, 5, 1), end=date(2026, 7, 31), work="模板工")),
    ("老板跑路了 欠我两万二", "在华府花园工地 包工头老蒋 就我一个 三个月 焊工",
     dict(site="华府花园", emp="包工头老蒋", con="老蒋", amt=22000, n=1, work="焊工")),
    ("欠我们工钱三万", "包工头老石 天悦府项目 4个人 三个月 防水工",
     dict(site="天悦府", emp="包工头老石", con="老石", amt=30000, n=4, work="防水工")),
    ("工资拖了半年没发", "包工头老魏 锦江花园工地 八千 就我一个 木工",
     dict(site="锦江花园", emp="包工头老魏", con="老魏", amt=8000, n=1, work="木工")),
    ("老板不给钱", "湖景湾工地 包工头老叶 9000 我一个 两个月 瓦工",
     dict(site="湖景湾", emp="包工头老叶", con="老叶", amt=9000, n=1, work="瓦工")),
    ("被拖欠工资", "东湖大厦 老板老唐 1.5万 两个人 一个月 电工",
     dict(site="东湖大厦", emp="老板老唐", con="老唐", amt=15000, n=2, work="电工")),
    ("包工头欠钱不给", "在金色家园工地 包工头老潘 三万 五个人 四个月 钢筋工",
     dict(site="金色家园", emp="包工头老潘", con="老潘", amt=30000, n=5, work="钢筋工")),
    ("包工头老胡欠我七千块 干了一个月", "在南山公寓工地 就我一个 泥瓦工",
     dict(site="南山公寓", emp="包工头老胡", con="老胡", amt=7000, n=1, work="泥瓦工")),
    ("我们三个人的工资没拿到 一共一万二", "包工头老袁 翠湖苑工地 两个月 粉刷工",
     dict(site="翠湖苑", emp="包工头老袁", con="老袁", amt=12000, n=3, work="粉刷工")),
    ("宏建集团欠我们8个人十六万", "在高新区厂房项目 包工头老邓 半年 钢筋工",
     dict(site="高新区厂房", emp="宏建集团", con="老邓", amt=160000, n=8,
          work="钢筋工")),
    ("老板欠工资两万 就我一个", "在梧桐苑工地 包工头老陆 三个月 木工",
     dict(site="梧桐苑", emp="包工头老陆", con="老陆", amt=20000, n=1, work="木工")),
    ("小包工头老许欠我们四个人两万", "在春江花园工地 两个月 小工",
     dict(site="春江花园", emp="小包工头老许", con="老许", amt=20000, n=4, work="小工")),
]  # fmt: skip
NAMES = ["赵一", "钱二", "孙三", "李四", "周五", "吴六", "郑七", "王八", "冯九", "陈十"]
for i, (first, second, expected) in enumerate(EVERYDAY):
    name, phone = NAMES[i % len(NAMES)], f"139{i:08d}"
    CASES.append(
        case(f"everyday {i}", first, second, f"{name} {phone}", "1",
             who=name, phone=phone, **expected)  # fmt: skip
    )

# fmt: on


@pytest.fixture(autouse=True)
def nlu_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """The NLU reads "去年" against the conversation's day, not the machine's clock."""
    monkeypatch.setattr("nlu.client.china_today", lambda: date(2026, 11, 26))


def play(case: Case) -> Chat:
    chat = Chat()
    for turn, text in enumerate(case.messages):
        reply = chat.say(text)
        wanted = case.replies.get(turn)
        assert wanted is None or wanted in reply, (turn, text, reply)
    return chat


def test_there_are_enough_exchanges() -> None:
    assert len(CASES) >= 80
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_field_is_where_it_belongs(case: Case) -> None:
    chat = play(case)
    fields = chat.submitted.fields
    expected = DEFAULTS | case.expect
    got = {key: fields[column] for key, column in COLUMNS.items()}
    want = {
        key: Decimal(value) if key == "amt" and value is not None else value
        for key, value in expected.items()
    }
    transcript = [reply for turn in chat.turns for reply in turn.replies]
    # A tuple lists the spellings the normalisers may give ("抹灰" or "抹灰工").
    got = {k: want[k] if isinstance(want[k], tuple) and v in want[k] else v for k, v in got.items()}
    assert got == want, transcript
    assert sorted(fields["flags"]) == sorted(case.flags), transcript
    calls = [e for e in chat.effects if isinstance(e, RequestHuman) and e.reason == "call"]
    assert bool(calls) is case.call


@pytest.mark.parametrize("case", CASES[:20], ids=[c.name for c in CASES[:20]])
def test_the_confirmation_fits_one_phone_screen(case: Case) -> None:
    chat = play(case)
    summaries = [r for t in chat.turns for r in t.replies if "请核对您的投诉" in r]
    assert summaries
    last = summaries[-1]
    assert len(last[last.index("请核对您的投诉") :].splitlines()) <= 8
