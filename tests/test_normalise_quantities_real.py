"""Amounts, headcounts, durations and dates as real workers write them (issues 13 and 15).

The forms come from reading public complaints (letters to officials, forum posts, quoted
workers); every sentence here is our own, written to reproduce a form seen there.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from nlu.normalise import extract_entities
from nlu.types import Amount, DateRange, Duration, Headcount, YearMonth

TODAY = date(2026, 12, 1)


def first(text: str, name: str) -> object:
    """The value of the first entity called ``name`` (what the form takes), or None."""
    return next((e.value for e in extract_entities(text, TODAY) if e.name == name), None)


def yuan(value: str, approximate: bool = False, per_person: bool = False) -> Amount:
    return Amount(Decimal(value), approximate, per_person)


AMOUNTS = [
    # the wages inside the project's sum are the sum owed to workers
    ("共欠施工方工程款610多万元,其中农民工工资270多万元,材料款340万元", yuan("2700000", True)),
    ("老板一共差我们工程款48万,其中人工费31万", yuan("310000")),
    # A vague marker between digits and their magnitude.
    ("老板到现在还有80多万没结给大家", yuan("800000", True)),
    ("工地上几百号人，一共470多万元的工钱要不到", yuan("4700000", True)),
    ("光我们班组就被拖了30余万", yuan("300000", True)),
    ("欠我6多k", yuan("6000", True)),
    # No leading digit.
    ("辛辛苦苦大半年，包工头差我万多元", yuan("10000", True)),
    ("干一段时间也就挣个万把块钱", yuan("10000", True)),
    ("这个老板欠我们百十来万", yuan("1000000", True)),
    ("就差千把块", yuan("1000", True)),
    # Digits, then 几, then the magnitude: "10几万" is said as "十几万".
    ("判头走佬，欠落10幾萬", yuan("100000", True)),
    ("一共还差20几万块没结", yuan("200000", True)),
    ("尾数10几k一直拖着", yuan("10000", True)),
    # A word that begins with a digit is no part of the sum before it.
    ("老板欠我3万一直不给", yuan("30000")),
    ("还差5千一次都没结过", yuan("5000")),
    ("欠3万5", yuan("35000")),
    ("三万五一直没给", yuan("35000")),
    # What is left of a sum, named before a bare number; a month's pay still unpaid.
    ("搞装修的老板欠我尾款 6300 拖了三个月", yuan("6300")),
    ("包工头欠我余款8800", yuan("8800")),
    ("辞职前最后一个月工资3980到现在还没发", yuan("3980")),
    ("包工头欠我五千一直拖着", yuan("5000")),
    ("十几万一年多了还没结", yuan("100000", True)),
    ("欠了三万两个月了", yuan("30000")),
    ("一万二一分都没见到", yuan("12000")),
    # Typed and written forms seen in letters, simplified and traditional.
    ("共计人民币:35.6万元整", yuan("356000")),
    ("總共欠我們兩萬三千多塊錢", yuan("23000", True)),
    ("还欠我1.2w", yuan("12000")),
    ("拖欠2.3万余元至今未付", yuan("23000", True)),
    ("工资一共十余万", yuan("100000", True)),
    # What is still owed beats an earlier or a paid sum.
    ("本来欠我们12万，年前给了一点，现在还欠5万多", yuan("50000", True)),
    ("法院判了以后只给我两千，还差一万八没给", yuan("18000")),
    ("老板先给了3000块生活费，工资9000一直没结", yuan("9000")),
    ("半年里每月只领到800元的生活费,一共欠我们十几个人二十多万", yuan("200000", True)),
    # A total less the part of it paid is what is still owed.
    ("算下来总共该拿3万,老板只给了1万", yuan("20000")),
    ("大伙的工钱加起来应该有60多万,结账时才拿了15万", yuan("450000", True)),
    ("说好的八千,到走的时候只发了五千", yuan("3000")),
    # a part paid of a sum owed is no total: the sum owed stands
    ("老板一共欠我3万,上个月只给了1万", yuan("30000")),
    # A sum said per person is each worker's share.
    ("俺们仨人 一人八千多", yuan("8000", True, per_person=True)),
    ("每个人还有四千多没拿到", yuan("4000", True, per_person=True)),
    ("人均六千五", yuan("6500", per_person=True)),
    ("平均每人欠了七千", yuan("7000", per_person=True)),
    # "我一个人" is a worker alone: the sum is his total.
    ("我一个人八千块", yuan("8000")),
    # A bare sum is money when it is said to be unpaid or on credit.
    ("去年帮他装了两个门面，3500多到现在未付", yuan("3500", True)),
    ("老板赊账6200", yuan("6200")),
]

#: A living allowance handed out is never the sum owed, even when it is the only sum.
ALLOWANCES = ["开工那阵老板先后发过我们一千二的生活费", "干到年底,工头就给了俺两千块生活费"]


@pytest.mark.parametrize("text", ALLOWANCES)
def test_a_living_allowance_alone_is_no_sum_owed(text: str) -> None:
    assert first(text, "amount") is None


@pytest.mark.parametrize(("text", "expected"), AMOUNTS)
def test_the_amount_owed(text: str, expected: Amount) -> None:
    assert first(text, "amount") == expected


RATES_NOT_OWED = [
    "刮腻子一平方米5块钱，他到现在一分没给",
    "贴砖28块一个平方，说好完工结",
    "每天300，干了两个月",
    "一天两百多元的点工",
    "做小工每天能拿到一百五六十元",
    # the rate said with an adverb: "only", "not even"
    "一天的工钱才120块,还要自己管饭",
    "每个月甚至赚不到两千五",
]


@pytest.mark.parametrize("text", RATES_NOT_OWED)
def test_a_rate_is_never_the_amount_owed(text: str) -> None:
    assert first(text, "amount") is None
    assert first(text, "wage_rate") is not None


HEADCOUNTS = [
    ("俺们仨人 一人八千多", Headcount(3)),
    ("我们俩在这干了三个月", Headcount(2)),
    ("他要给 25 个兄弟凑工资", Headcount(25)),
    ("我带着六、七个老乡去的", Headcount(6, True)),
    ("一共28个民工，三十多万工钱", Headcount(28)),
    ("拖欠我们40多名工资", Headcount(40, True)),
    ("我和另外5个工友一起干的", Headcount(6)),
    ("老板欠我跟其他两位师傅的钱", Headcount(3)),
    ("我们十几个农民在村里的工地干活", Headcount(10, True)),
    ("班组里有3个小工", Headcount(3)),
    ("工地上一百多号人都没拿到钱", Headcount(100, True)),
    ("我们班组12人", Headcount(12)),
    ("我一个人八千块", Headcount(1)),
    # the workers first, then their count; a round hundred
    ("工友十几个都没拿到钱", Headcount(10, True)),
    ("跟我一起干活的有六七个,钱都没结", Headcount(6, True)),
    ("整个工地上百号人都没领到工资", Headcount(100, True)),
    # where the workers come from, between the count and the noun
    ("我们这120多个贵州民工在城南干了一年", Headcount(120, True)),
    ("工地上有五个四川人,都没拿到钱", Headcount(5)),
    # a married couple; who went from one village
    ("俺两口子在砖厂干了一冬天,厂长一分没给", Headcount(2)),
    ("我们夫妻俩在饭店帮工半年,老板拖着不结", Headcount(2)),
    ("咱村里去了三十多个,到现在一个子儿没见着", Headcount(30, True)),
    ("老家出来了八个,都跟着他干", Headcount(8)),
]


@pytest.mark.parametrize(("text", "expected"), HEADCOUNTS)
def test_the_headcount(text: str, expected: Headcount) -> None:
    assert first(text, "headcount") == expected


#: The writer's own story told without "欠我" is one worker; any sign of a group is not.
LONE_STORIES = [
    ("我在一家物流公司开叉车，已经四个月没发工资了", Headcount(1)),
    ("本人在酒楼做咗两年，上个月开始冇出粮", Headcount(1)),
    ("我是项目上的技术员，项目从去年五月起一分钱没给过", Headcount(1)),
    ("两万多的工钱拖了三年，我去要了不知道多少趟", Headcount(1)),
    ("包工头差我九千多", Headcount(1)),
    # pay that never arrived is pay unpaid
    ("干完活走人,那半个月的工资一直没有到账,我去厂里问了三次", Headcount(1)),
    ("我每到月底去找公司要工资,总说货款还没到帐,一拖就是半年", Headcount(1)),
    # a sum owed to the writer by name: "我们" speaks of the work, not of a group owed
    ("公司到现在还欠我8600元工钱,我们这种按进度结的活就是这样", Headcount(1)),
    # months of pay owed to the writer by name, though an official's "我们" is quoted
    ("我原来上班的保安公司欠了我三个月的工资,劳动大队说让我们先回去等", Headcount(1)),
    # the fellow villager who found the job is no one owed; a plea for one's pay is pay owed
    ("前年经老乡介绍到一家砖厂打工,干到年底,砖厂一直没给结账", Headcount(1)),
    ("经老乡介绍去的工地,老乡和我都没拿到钱", None),
    ("借的钱还不上,娃的学费还没着落,我只想要回工钱回家", Headcount(1)),
    # a story told of one relative, named first
    ("姐夫在县城给人开挖机,干了半年,老板拖欠工资一年多", Headcount(1)),
    ("俺娘在饭店洗碗洗了四个月,工钱一直没结", Headcount(1)),
    ("姐夫和他弟在工地干了半年,包工头一分钱没给", None),
    ("我爸和我叔在砖厂干了半年,厂长一分钱没给", None),  # two relatives: the count is asked
    ("姐夫他们在工地干了半年,包工头一分钱没给", None),
    # the boss's "你们", quoted, is no group of the writer's; a quote cut off runs to the end
    ("我在他厂里搬了一个月货,一直不给开工资,老板说:“给了钱你们就都跑了”", Headcount(1)),
    ("我去仓库干了四十天,钱一直没结,主管讲“你们先回去等通知", Headcount(1)),
    ("老板说“再等等”,我们只好回家了,工钱一直没发", None),
    ("老板欠我五千块,工友们也都没拿到", None),
    ("老板欠我们五千块", None),
    ("我跟工友在厂里干了半年，一直没发工资", None),
    # friends since childhood are no group owed; working together is
    ("介绍我去的是从小一起长大的伙伴,我在他那干了半年,钱一直没结", Headcount(1)),
    ("我在他那一起干了半年,钱一直没结", None),
    ("我们的工资从八月就没发", None),
    ("老细走佬,欠我哋三个月人工", None),  # Cantonese "我哋" is "we"
    # a foreman or manager writes for the workers
    ("我是包工头,手下的人干了半年,开发商一分没给", None),
    ("我是项目经理,农民工工资拖了三个月没发", None),
    ("我作为钢筋班的班长,找老板要工钱,他硬是不给", None),
    ("我是三号楼木工组的组长,老板欠钱不给,说没钱", None),
    ("工地上的钢筋工都没拿到钱", None),
    ("我想问一下月薪怎么算", None),
]


@pytest.mark.parametrize(("text", "expected"), LONE_STORIES)
def test_a_lone_writer_s_story_counts_one(text: str, expected: Headcount | None) -> None:
    assert first(text, "headcount") == expected


#: The writer and one relative or workmate are two; one more group word leaves it asked.
PAIRS = [
    ("我和老公在食品厂干了半年,老板欠我们一万六", Headcount(2)),
    ("俺跟俺弟在砖厂搬了三个月砖,工钱一分没见着", Headcount(2)),
    ("我带着我儿子在工地上干小工,包工头到现在还没结", Headcount(2)),
    ("我和老公还有老乡们一起干的,老板一直拖着不给", None),
    ("我跟工友在厂里干了半年，一直没发工资", None),
]


@pytest.mark.parametrize(("text", "expected"), PAIRS)
def test_the_writer_and_one_other_count_two(text: str, expected: Headcount | None) -> None:
    assert first(text, "headcount") == expected


def test_we_and_one_crew_is_no_headcount_of_one() -> None:
    assert first("我们一个班组二十几个人,干完活老板就不见了", "headcount") == Headcount(20, True)


def test_each_is_no_headcount_of_one() -> None:
    counts = [e.value for e in extract_entities("我们五个人，一人欠了六千", TODAY)]
    assert Headcount(5) in counts and Headcount(1) not in counts


def test_a_trade_counted_as_people_is_still_a_trade() -> None:
    names = [(e.name, e.value) for e in extract_entities("工地上有3个小工", TODAY)]
    assert ("headcount", Headcount(3)) in names and ("work_type", "小工") in names


DURATIONS = [
    ("已经过去一个多月了，老板还不给钱", Duration(1, 0, True)),
    ("在这个厂干了8个多月", Duration(8, 0, True)),
    ("累死累活大半年", Duration(6, 0, True)),
    ("讨了两年多，一分没见到", Duration(24, 0, True)),
    # A delay still to come and an ordinal day are no durations; the time worked is.
    ("项目部说一个礼拜后发，我们干了三个月", Duration(3)),
    ("说好回来第二天就结，到现在拖了半年", Duration(6)),
    ("老板说过几天打钱，都拖了快两个月了", Duration(2, 0, True)),
    ("干了三个月后老板跑了", Duration(3)),
    ("我在搅拌站起早贪黑干满了一整年", Duration(12)),
    ("这笔钱拖了三、四年", Duration(36, 0, True)),
]


@pytest.mark.parametrize(("text", "expected"), DURATIONS)
def test_the_duration(text: str, expected: Duration) -> None:
    assert first(text, "duration") == expected


def test_explicit_dates_keep_their_days_beside_a_duration() -> None:
    entities = extract_entities("从8月1号干到10月31号，三个月的工钱", TODAY)
    values = {e.name: e.value for e in entities}
    assert values["date"] == DateRange(YearMonth(2026, 8, 1), YearMonth(2026, 10, 31))
    assert values["duration"] == Duration(3)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025年3月5号到6月", "2025-03-05"),
        ("今年二月十五日开始干的", "2026-02-15"),
        ("2024.7.12到现在", "2024-07-12"),
    ],
)
def test_a_written_start_day_is_kept(text: str, expected: str) -> None:
    period = first(text, "date")
    assert isinstance(period, DateRange) and period.start is not None
    start = period.start
    assert f"{start.year}-{start.month:02d}-{start.day:02d}" == expected


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("我们9月和10月的工资都没有发", 9, 10),
        ("厂里只发了3、4月份的", 3, 4),
    ],
)
def test_months_listed_together_are_one_period(text: str, start: int, end: int) -> None:
    assert first(text, "date") == DateRange(YearMonth(2026, start), YearMonth(2026, end))


def test_a_day_the_month_does_not_have_is_dropped() -> None:
    period = first("2025年2月30号到3月", "date")
    assert isinstance(period, DateRange) and period.start == YearMonth(2025, 2)


TRADITIONAL = [
    ("老闆還欠我們七萬多塊錢", "amount", yuan("70000", True)),
    ("我們四個人都沒拿到", "headcount", Headcount(4)),
    ("已經等了快三個月了", "duration", Duration(3, 0, True)),
    ("每個人發了四千多塊", "amount", yuan("4000", True, per_person=True)),
]


@pytest.mark.parametrize(("text", "name", "expected"), TRADITIONAL)
def test_traditional_characters(text: str, name: str, expected: object) -> None:
    assert first(text, name) == expected


@pytest.mark.parametrize(
    ("text", "yuan"),
    [
        ("哥,能不能先给5000,家里等着交学费", 5000),
        ("剩下的再给3000也行,我们要回家", 3000),
        ("求求你先还我1500吧", 1500),
    ],
)
def test_a_plea_for_part_of_the_money_names_a_sum(text: str, yuan: int) -> None:
    amounts = [e.value for e in extract_entities(text, TODAY) if e.name == "amount"]
    assert [a.yuan for a in amounts if isinstance(a, Amount)] == [yuan]


@pytest.mark.parametrize("text", ["先给3天时间", "再给2个人结了", "先给100号打个电话"])
def test_a_plea_for_time_or_people_is_no_sum(text: str) -> None:
    assert not [e for e in extract_entities(text, TODAY) if e.name == "amount"]
