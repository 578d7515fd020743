"""Table tests for nlu.normalise, plus property tests that nothing raises on any text."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nlu.normalise import (
    extract_entities,
    is_person_name,
    normalise_amount,
    normalise_date_range,
    normalise_duration,
    normalise_headcount,
    normalise_phone,
    prepare_text,
    to_simplified,
)
from nlu.types import Amount, DateRange, Duration, Headcount, YearMonth

TODAY = date(2024, 5, 10)


def ym(year: int, month: int) -> YearMonth:
    return YearMonth(year, month)


def money(yuan: str, approximate: bool = False) -> Amount:
    return Amount(Decimal(yuan), approximate)


# ---------------------------------------------------------------------------------------------
# Amounts
# ---------------------------------------------------------------------------------------------

AMOUNT_CASES = [
    ("三万五", money("35000")),
    ("1.2万", money("12000")),
    ("两千八百块", money("2800")),
    ("一万多块", money("10000", True)),
    ("3万5", money("35000")),
    ("十二万", money("120000")),
    ("12万元", money("120000")),
    ("8千", money("8000")),
    ("4500元", money("4500")),
    ("五六千", money("5000", True)),
    ("二十来万", money("200000", True)),
    ("1万2", money("12000")),
    ("¥3,500", money("3500")),
    ("三百五十元", money("350")),
    ("九万九千九", money("99900")),
    ("4500", money("4500")),
    ("１２０００元", money("12000")),  # full-width digits
    ("十二萬", money("120000")),  # traditional
    ("兩千八百塊錢", money("2800")),
    ("2w", money("20000")),
    ("3k", money("3000")),
    ("1.15万", money("11500")),
    ("3500.50元", money("3500.5")),
    ("三千多块钱", money("3000", True)),
    ("大概两万左右", money("20000", True)),
    ("将近五十万", money("500000", True)),
    ("十几万", money("100000", True)),
    ("几万块", money("20000", True)),
    ("一千几百块", money("1000", True)),
    ("5-6千", money("5000", True)),
    ("5000到6000元", money("5000", True)),
    ("两三万", money("20000", True)),
    ("一万零五百元", money("10500")),
    ("1万2千", money("12000")),
    ("3万五千", money("35000")),
    ("人民币8000元", money("8000")),
    ("欠我4500", money("4500")),
    ("一共欠了八千多", money("8000", True)),
    # Mixed forms of typing and voice input.
    ("四千5百块", money("4500")),
    ("3万零8百", money("30800")),
    ("3万零800块", money("30800")),
    ("共计 3.5 万元", money("35000")),
    ("18000 元", money("18000")),
    ("金额:52600", money("52600")),
    ("欠款金额：18000", money("18000")),
    ("5个人", None),
    ("12月", None),
    ("三个月", None),
    ("13812345678", None),
    ("千万别", None),
    ("0元", None),
    ("没钱", None),
    ("", None),
]


@pytest.mark.parametrize(("span", "expected"), AMOUNT_CASES)
def test_normalise_amount(span: str, expected: Amount | None) -> None:
    assert normalise_amount(span) == expected


def test_amount_is_exact_decimal() -> None:
    amount = normalise_amount("1.2万")
    assert amount is not None
    assert isinstance(amount.yuan, Decimal)
    assert str(amount.yuan) == "12000"


# ---------------------------------------------------------------------------------------------
# Durations
# ---------------------------------------------------------------------------------------------

DURATION_CASES = [
    ("三个多月", Duration(3, 0, True)),
    ("半年", Duration(6)),
    ("两个月零十天", Duration(2, 10)),
    ("一年半", Duration(18)),
    ("一年多", Duration(12, 0, True)),
    ("45天", Duration(0, 45)),
    ("大半年", Duration(6, 0, True)),
    ("三个月", Duration(3)),
    ("3个月", Duration(3)),
    ("两年", Duration(24)),
    ("一个半月", Duration(1, 15)),
    ("半个月", Duration(0, 15)),
    ("两周", Duration(0, 14)),
    ("十几天", Duration(0, 10, True)),
    ("二十来天", Duration(0, 20, True)),
    ("个把月", Duration(1, 0, True)),
    ("将近一年", Duration(12, 0, True)),
    ("整整三个月", Duration(3)),
    ("一年零三个月", Duration(15)),
    ("三四个月", Duration(3, 0, True)),
    ("三個多月", Duration(3, 0, True)),
    ("干了两个月", Duration(2)),
    ("三月", None),  # a month name, not a length
    ("2023年", None),
    ("今天", None),
    ("", None),
]


@pytest.mark.parametrize(("span", "expected"), DURATION_CASES)
def test_normalise_duration(span: str, expected: Duration | None) -> None:
    assert normalise_duration(span) == expected


# ---------------------------------------------------------------------------------------------
# Headcounts
# ---------------------------------------------------------------------------------------------

HEADCOUNT_CASES = [
    ("我们五个人", Headcount(5)),
    ("班组12人", Headcount(12)),
    ("将近四十个人", Headcount(40, True)),
    ("十几个人", Headcount(10, True)),
    ("二三十个工人", Headcount(20, True)),
    ("我一个人", Headcount(1)),
    ("三十多号人", Headcount(30, True)),
    ("我们俩", Headcount(2)),
    ("十来个工友", Headcount(10, True)),
    ("一共8名工人", Headcount(8)),
    ("一百多个农民工", Headcount(100, True)),
    ("12", Headcount(12)),
    ("我们五个", Headcount(5)),
    ("五個人", Headcount(5)),
    # Form-like lists label the count.
    ("人数:3", Headcount(3)),
    ("拖欠人数：15人", Headcount(15)),
    ("工人:6个", Headcount(6)),
    ("人数 二十多", Headcount(20, True)),
    ("5人民币", None),
    ("三个月", None),
    ("很多人", None),
]


@pytest.mark.parametrize(("span", "expected"), HEADCOUNT_CASES)
def test_normalise_headcount(span: str, expected: Headcount | None) -> None:
    assert normalise_headcount(span) == expected


# ---------------------------------------------------------------------------------------------
# Phones
# ---------------------------------------------------------------------------------------------

PHONE_CASES = [
    ("13812345678", "13812345678"),
    ("138 1234 5678", "13812345678"),
    ("138-1234-5678", "13812345678"),
    ("+86 13812345678", "13812345678"),
    ("+8613812345678", "13812345678"),
    ("008613812345678", "13812345678"),
    ("１３８１２３４５６７８", "13812345678"),
    ("手机：19912345678", "19912345678"),
    ("0519-88776655", "0519-88776655"),
    ("010 12345678", "010-12345678"),
    ("01012345678", "010-12345678"),
    ("051988776655", "0519-88776655"),
    ("(0519)88776655", "0519-88776655"),
    ("021-6123456", "021-6123456"),
    # Voice input writes the digits as characters, 1 often as 幺.
    ("一三八六一二三四五六七", "13861234567"),
    ("幺三九 零六一二 三四五六", "13906123456"),
    ("一二三四五六七八九十一", None),
    ("12812345678", None),  # 12x is not a mobile prefix
    ("1381234567", None),  # ten digits
    ("138123456789", None),  # twelve digits
    ("12345", None),
    ("0519-0877665", None),  # local numbers do not start with 0
    ("400-123-4567", None),
    ("", None),
]


@pytest.mark.parametrize(("span", "expected"), PHONE_CASES)
def test_normalise_phone(span: str, expected: str | None) -> None:
    assert normalise_phone(span) == expected


# ---------------------------------------------------------------------------------------------
# Date ranges (today is 2024-05-10 unless a case says otherwise)
# ---------------------------------------------------------------------------------------------

DATE_CASES = [
    ("去年10月到今年1月", TODAY, DateRange(ym(2023, 10), ym(2024, 1))),
    ("2023年3月至2023年8月", TODAY, DateRange(ym(2023, 3), ym(2023, 8))),
    ("今年三月份到现在", TODAY, DateRange(ym(2024, 3), ym(2024, 5))),
    ("从上个月", TODAY, DateRange(ym(2024, 4), None)),
    ("3月到6月", TODAY, DateRange(ym(2023, 3), ym(2023, 6))),  # June 2024 has not come yet
    ("3月到5月", TODAY, DateRange(ym(2024, 3), ym(2024, 5))),
    ("3到6月", TODAY, DateRange(ym(2023, 3), ym(2023, 6))),
    ("10月到1月", TODAY, DateRange(ym(2023, 10), ym(2024, 1))),
    ("去年10月到1月", TODAY, DateRange(ym(2023, 10), ym(2024, 1))),
    ("春节后到现在", TODAY, DateRange(ym(2024, 2), ym(2024, 5))),
    ("春节后", TODAY, DateRange(ym(2024, 2), None)),
    ("12月", TODAY, DateRange(ym(2023, 12), ym(2023, 12))),
    ("4月份", TODAY, DateRange(ym(2024, 4), ym(2024, 4))),
    ("去年", TODAY, DateRange(ym(2023, 1), ym(2023, 12))),
    ("今年", TODAY, DateRange(ym(2024, 1), ym(2024, 5))),
    ("去年下半年", TODAY, DateRange(ym(2023, 7), ym(2023, 12))),
    ("下半年", TODAY, DateRange(ym(2023, 7), ym(2023, 12))),
    ("去年年底", TODAY, DateRange(ym(2023, 12), ym(2023, 12))),
    ("去年10月以来", TODAY, DateRange(ym(2023, 10), ym(2024, 5))),
    ("去年10月至今", TODAY, DateRange(ym(2023, 10), ym(2024, 5))),
    ("从去年10月开始", TODAY, DateRange(ym(2023, 10), None)),
    ("三个月前", TODAY, DateRange(ym(2024, 2), ym(2024, 2))),
    ("2023.3-2023.8", TODAY, DateRange(ym(2023, 3), ym(2023, 8))),
    (
        "2023年3月15日到2023年4月20日",
        TODAY,
        DateRange(YearMonth(2023, 3, 15), YearMonth(2023, 4, 20)),
    ),
    ("23年3月到5月", TODAY, DateRange(ym(2023, 3), ym(2023, 5))),
    ("二零二三年五月", TODAY, DateRange(ym(2023, 5), ym(2023, 5))),
    ("去年腊月到现在", TODAY, DateRange(ym(2024, 1), ym(2024, 5))),
    ("11月到现在", date(2024, 2, 1), DateRange(ym(2023, 11), ym(2024, 2))),
    ("上个月", date(2024, 1, 15), DateRange(ym(2023, 12), ym(2023, 12))),
    ("去年10月到今年1月", date(2025, 3, 1), DateRange(ym(2024, 10), ym(2025, 1))),
    ("三个月", TODAY, None),
    ("现在", TODAY, None),
    ("1989年", TODAY, None),  # implausibly old
    ("2023年底", TODAY, DateRange(ym(2023, 12), ym(2023, 12))),
    ("23年底", TODAY, DateRange(ym(2023, 12), ym(2023, 12))),
    ("2023年初到现在", TODAY, DateRange(ym(2023, 1), ym(2024, 5))),
    ("2000", TODAY, None),  # a bare number is money ("欠我2000块"), not a year
    ("", TODAY, None),
]


@pytest.mark.parametrize(("span", "today", "expected"), DATE_CASES)
def test_normalise_date_range(span: str, today: date, expected: DateRange | None) -> None:
    assert normalise_date_range(span, today) == expected


# ---------------------------------------------------------------------------------------------
# Text preparation
# ---------------------------------------------------------------------------------------------

SIMPLIFIED_CASES = [
    ("老闆欠我們工資", "老板欠我们工资"),
    ("三個多月", "三个多月"),
    ("包工頭電話打不通", "包工头电话打不通"),
    ("already simplified 工资", "already simplified 工资"),
    ("", ""),
    # the particle 著 is 着; 著 meaning "notable" or "write" stays
    ("老闆一直躲著,工錢沒著落", "老板一直躲着,工钱没着落"),
    ("一間著名的公司,顯著,著作", "一间著名的公司,显著,著作"),
    # 帳 (OpenCC's 帐) is 账 where it means an account; a tent or a net keeps 帐
    ("工錢一直沒到帳,老闆賴帳", "工钱一直没到账,老板赖账"),
    ("工地上搭的帳篷,蚊帳", "工地上搭的帐篷,蚊帐"),
]


@pytest.mark.parametrize(("text", "expected"), SIMPLIFIED_CASES)
def test_to_simplified(text: str, expected: str) -> None:
    assert to_simplified(text) == expected


def test_prepare_text_keeps_length() -> None:
    text = "老闆欠我們１２萬，電話：１３８１２３４５６７８"
    prepared = prepare_text(text)
    assert len(prepared) == len(text)
    assert prepared == "老板欠我们12万,电话:13812345678"


@pytest.mark.parametrize(
    ("text", "expected"), [("张三", True), ("欧阳明", True), ("马上", False), ("工资", False)]
)
def test_is_person_name(text: str, expected: bool) -> None:
    assert is_person_name(text) is expected


# ---------------------------------------------------------------------------------------------
# Whole-message extraction
# ---------------------------------------------------------------------------------------------

ENTITY_CASES = [
    (
        "我在紫荆苑工地干了三个月,老板欠我们5个人十二万",
        [
            ("site", "紫荆苑"),
            ("duration", Duration(3)),
            ("headcount", Headcount(5)),
            ("amount", money("120000")),
        ],
    ),
    (
        "我叫张三，电话13812345678，包工头老王欠我两万",
        [
            ("person_name", "张三"),
            ("phone", "13812345678"),
            ("contractor", "老王"),
            ("headcount", Headcount(1)),  # "欠我": the writer alone
            ("amount", money("20000")),
        ],
    ),
    (
        "江苏华远建设工程有限公司拖欠我们班组12人工资共计三十五万元",
        [
            ("employer", "江苏华远建设工程有限公司"),
            ("headcount", Headcount(12)),
            ("amount", money("350000")),
        ],
    ),
    (
        "老闆欠我們五個人十二萬塊錢，工資拖了三個多月",
        [
            ("headcount", Headcount(5)),
            ("amount", money("120000")),
            ("duration", Duration(3, 0, True)),
        ],
    ),
    (
        "我是李四，在万科城项目做木工，从去年10月到今年1月没发工资",
        [
            ("headcount", Headcount(1)),  # the writer's own story, no sign of a group
            ("person_name", "李四"),
            ("site", "万科城"),
            ("work_type", "木工"),
            ("date", DateRange(ym(2023, 10), ym(2024, 1))),
        ],
    ),
    ("打了12345说转给街道,街道又让我去找劳动监察", []),
    ("欠我4500", [("headcount", Headcount(1)), ("amount", money("4500"))]),
    ("月薪5000，三个月没发", [("wage_rate", money("5000")), ("duration", Duration(3))]),
    ("12月的工资还没发", [("date", DateRange(ym(2023, 12), ym(2023, 12)))]),
    (
        "电话0519-88776655或者13912345678",
        [("phone", "0519-88776655"), ("phone", "13912345678")],
    ),
    ("一个姓李的包工头带我们干活，干完就跑了", [("contractor", "李某")]),
    ("老板叫王建国，一直不接电话", [("contractor", "王建国")]),
    ("万科城项目部拖欠工资", [("site", "万科城"), ("employer", "万科城项目部")]),
    ("我们公司不发工资", []),
    ("华星公司欠我们钱", [("employer", "华星公司")]),
    (
        "我在阳光花园干了半年装修，老板马上说给钱一直没给",
        [("headcount", Headcount(1)), ("site", "阳光花园"), ("duration", Duration(6))],
    ),
    (
        "每天300块，干了45天，一分没拿到",
        [("wage_rate", money("300")), ("duration", Duration(0, 45))],
    ),
    ("工资的事打了12345，一直没人管", []),
    ("工地上的塔吊司机和水电工都没拿到钱", [("work_type", "塔吊司机"), ("work_type", "水电工")]),
    ("我是河南周口人，在工地做小工", [("work_type", "小工")]),
    (
        "千万别让老板跑了，他欠我们十几个人一百多万",
        [("headcount", Headcount(10, True)), ("amount", money("1000000", True))],
    ),
    (
        "每人3000，一共五个人",
        [("amount", Amount(Decimal(3000), per_person=True)), ("headcount", Headcount(5))],
    ),
    ("我今年52岁", []),
    (
        "老板姓王，欠我八千",
        [("contractor", "王某"), ("headcount", Headcount(1)), ("amount", money("8000"))],
    ),
    ("第3个人", []),
    ("这个项目的钱都给了", []),
    ("包工头刘老三欠俺们6个人", [("contractor", "刘老三"), ("headcount", Headcount(6))]),
    ("包工头姓李，叫李德明", [("contractor", "李德明")]),
    ("包工头阿强 就我1个", [("contractor", "阿强"), ("headcount", Headcount(1))]),
    ("就他一个，木工", [("headcount", Headcount(1)), ("work_type", "木工")]),
    ("湖塘镇川味饭店 服务员", [("site", "湖塘镇川味饭店"), ("work_type", "服务员")]),
    ("天宁寺旁边的工地", [("site", "天宁寺旁边")]),
    ("他一个月挣五千", [("duration", Duration(1)), ("amount", money("5000"))]),
    (
        "金额:52600 人数:4",
        [("amount", money("52600")), ("headcount", Headcount(4))],
    ),
    (
        "拖欠人数：15人；拖欠金额：约32万元",
        [("headcount", Headcount(15)), ("amount", money("320000", True))],
    ),
    ("手机号是一三八六一二三四五六七", [("phone", "13861234567")]),
    ("我是贴砖工，他开挖掘机的", [("work_type", "贴砖工")]),
    ("挖掘机司机和管道工", [("work_type", "挖机司机"), ("work_type", "管道工")]),
    ("老板欠我2000块钱", [("headcount", Headcount(1)), ("amount", money("2000"))]),
    # a lone worker is counted; any sign of a group leaves the count to be asked
    ("我想要回自己的工钱", [("headcount", Headcount(1))]),
    ("老板一直拖着我老公的工资", [("headcount", Headcount(1))]),
    (
        "我妈在食堂干了半年,老板一直扣着她的工资",
        [("duration", Duration(6)), ("headcount", Headcount(1))],
    ),
    ("老板欠我和老乡的工资", []),
    # the writer and one relative: "我们" is the two of them
    (
        "我和老婆在厂里干了半年,老板欠我们工资",
        [("headcount", Headcount(2)), ("duration", Duration(6))],
    ),
    ("我和他没签合同,他欠我三个月工资", [("headcount", Headcount(1)), ("duration", Duration(3))]),
    ("包工头欠我工资，工友们也都没拿到", []),
    ("老板欠我们工资", []),
    ("我叫张三", [("person_name", "张三")]),
    (
        "2019年欠的2000元",
        [("date", DateRange(ym(2019, 1), ym(2019, 12))), ("amount", money("2000"))],
    ),
    ("项目：锦江花园；老板姓王", [("site", "锦江花园"), ("contractor", "王某")]),
    ("工程名称:城南安置房二期", [("site", "城南安置房二期")]),
    # A wage rate's unit is not the length of the work, unless a verb says so.
    ("一天三百二，干了二十天", [("wage_rate", money("320")), ("duration", Duration(0, 20))]),
    ("干了一个月5000没给", [("duration", Duration(1)), ("amount", money("5000"))]),
    # A wage rate is not the sum owed.
    (
        "一天三百，干了二十天，一共六千没给",
        [("wage_rate", money("300")), ("duration", Duration(0, 20)), ("amount", money("6000"))],
    ),
    ("月薪6000，欠了三个月", [("wage_rate", money("6000")), ("duration", Duration(3))]),
    ("每个月5000,三个月没发", [("wage_rate", money("5000")), ("duration", Duration(3))]),
    ("每天8点上班", []),
    # piece and hourly rates are rates, never the sum owed
    ("摘棉花的工钱是0.6元一公斤", [("wage_rate", money("0.6"))]),
    (
        "说好每小时20元,干了两个月,欠4800",
        [("wage_rate", money("20")), ("duration", Duration(2)), ("amount", money("4800"))],
    ),
    ("欠了一个月工资3000", [("duration", Duration(1)), ("amount", money("3000"))]),
    ("每人欠3000", [("amount", Amount(Decimal(3000), per_person=True))]),
    ("300块一天", [("wage_rate", money("300"))]),
    ("我干了5天，350一天", [("duration", Duration(0, 5)), ("wage_rate", money("350"))]),
]


@pytest.mark.parametrize(("text", "expected"), ENTITY_CASES)
def test_extract_entities(text: str, expected: list[tuple[str, object]]) -> None:
    found = extract_entities(text, TODAY)
    assert [(e.name, e.value) for e in found] == expected


def test_entity_offsets_point_into_the_original_text() -> None:
    text = "老闆欠我們五個人十二萬塊錢"
    for entity in extract_entities(text, TODAY):
        assert entity.start is not None and entity.end is not None
        assert text[entity.start : entity.end] == entity.text
    assert [e.text for e in extract_entities(text, TODAY)] == ["五個人", "十二萬塊錢"]


# ---------------------------------------------------------------------------------------------
# Properties: never raise, offsets always valid
# ---------------------------------------------------------------------------------------------

_NUMERALS = "零〇一二两三四五六七八九十百千万亿几多来余半个月年天周人元块钱0123456789.,-~、wk¥"
_WORDS = "到至从去今上下春节后前现在以来开始工地项目部公司老板包工头王张我们叫是姓腊正的了 "
_TEXT = st.one_of(st.text(), st.text(alphabet=_NUMERALS + _WORDS, max_size=40))
_SETTINGS = settings(
    max_examples=300, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)


@_SETTINGS
@given(_TEXT, st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)))
def test_normalisers_never_raise(text: str, today: date) -> None:
    normalise_amount(text)
    normalise_duration(text)
    normalise_headcount(text)
    normalise_phone(text)
    normalise_date_range(text, today)
    assert len(to_simplified(text)) == len(text)


@_SETTINGS
@given(_TEXT, st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)))
def test_extract_entities_never_raises_and_spans_are_disjoint(text: str, today: date) -> None:
    entities = extract_entities(text, today)
    last_end = 0
    for entity in entities:
        assert entity.start is not None and entity.end is not None
        assert last_end <= entity.start < entity.end <= len(text)
        assert text[entity.start : entity.end] == entity.text
        last_end = entity.end


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a story that names nobody is the writer's own: Chinese drops the "I"
        ("在城西那个小区干了大半年装修,到现在一分钱工钱都没有给,电话也不接", [1]),
        ("辛辛苦苦干到年底,老板只给了两千块生活费就说没钱了,年都过不好", [1]),
        ("我在物流园开叉车,公司说资金紧张,三个月了工资还没有发", [1]),
        # other signs of pay owed, told by the writer: the boss ran, the balance withheld
        ("我给他干了大半年的活,结果这个老板跑路了,电话也打不通", [1]),
        ("我帮人装修房子,说好完工就结账,结果一直赖账,人也躲着", [1]),
        # a story about someone else or a group, and a short answer inside the form: asked
        ("农民工在工地干了一年,年底老板一分钱都没有给,人还跑了,找不到", []),
        ("工地上的钢筋工和木工都干了一年,年底老板一分钱都没有给,人跑了", []),
        ("干了两个月,一分钱没给", []),
    ],
)
def test_the_writer_of_a_story_without_a_pronoun_is_one_worker(
    text: str, expected: list[int]
) -> None:
    found = extract_entities(text, TODAY)
    assert [e.value.count for e in found if e.name == "headcount"] == expected
