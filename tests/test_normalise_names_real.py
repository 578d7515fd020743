"""Names as real workers write them: sites, employers, contractors and trades.

Every message here is our own, written after reading public complaints (letters to officials,
forum posts, quoted news): long stories, traditional characters, quoted project names, state
builders named by their bureau number, factories named by their product, bosses named by a
surname. The names are invented.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nlu.normalise import extract_entities

TODAY = date(2026, 1, 15)
NAMES = ("site", "employer", "contractor", "work_type")


def named(text: str) -> list[tuple[str, str]]:
    """The (entity, value) pairs of the name-like entities found in ``text``."""
    return [(e.name, str(e.value)) for e in extract_entities(text, TODAY) if e.name in NAMES]


# ---------------------------------------------------------------------------------------------
# Sites: estates, plazas, towers, projects, works, phases, resettlement housing, addresses
# ---------------------------------------------------------------------------------------------

SITES = [
    ("我们几个修的石门清河桥早就完工了", "石门清河桥"),
    # a break word inside a place or an estate's name cuts nothing: "和" is no "and", "向"
    # no "towards", "月" and "年" no dates
    ("我在和谐家园工地干了三个月,老板欠钱不给", "和谐家园"),
    ("我在向阳小区工地干了三个月", "向阳小区"),
    ("在月亮湾项目干活,老板欠钱", "月亮湾"),
    ("在年丰小区工地干活,包工头跑了", "年丰小区"),
    ("在嘉和苑工地做木工,欠了两万", "嘉和苑"),
    # a part of an estate after its name is no district: "南区", "二期"
    ("在桂馨园北区干活的几十个工人一分没拿到", "桂馨园北区"),
    ("我们在翠屏苑三期做了半年外墙", "翠屏苑三期"),
    ("一开始跟着包工头在呼和浩特东站广场干活", "呼和浩特东站广场"),
    ("我在金桂花园工地干了四个月", "金桂花园"),
    ("就是翠湖小区,老板拖了我们半年", "翠湖小区"),
    ("去年在新河广场做了一年木工", "新河广场"),
    ("在鸿运大厦项目做了三个月小工", "鸿运大厦"),
    ("我们在奥体中心干活,钱一直没给", "奥体中心"),
    ("长江路改建工程干完半年了还没结账", "长江路改建工程"),
    ("在东湖棚改项目干到年底", "东湖棚改"),
    ("在桃源安置房工地做防水", "桃源安置房"),
    ("春江新城二期欠我们五个人的钱", "春江新城二期"),
    ("我们在滨河大道3标段干了八个月", "滨河大道3标段"),
    ("在云栖项目(二期)做钢筋", "云栖项目(二期)"),
    ("在锦绣府项目二号楼做外墙", "锦绣府项目二号楼"),
    ("在柳林镇石桥村一个建筑工地干活,工头跑了", "柳林镇石桥村"),
    ("昨天去了青石路一家服装厂要钱", "青石路"),
    ("在吴家村旁边的工地干了两个月", "吴家村旁边"),
    ("项目名称:城北回迁房三期", "城北回迁房三期"),
    ("工程是城西净水厂二期", "城西净水厂二期"),
    ("我在高新区万福那边的工地", "高新区万福那边"),
    ("在金穗国际那个工地干了半年", "金穗国际"),
    ("由永泰置业开发的清溪湾小区欠我们钱", "清溪湾小区"),
    # where the works are located
    ("1998年那个工程位于河西县柳镇,开发商是外地的", "河西县柳镇"),
    ("项目地点在城南开发区,老板欠我们工资", "城南开发区"),
    # parks, greenways and mines are workplaces too
    ("我在城南湿地公园干绿化,老板欠钱", "城南湿地公园"),
    ("在保利花园干活,老板欠钱", "保利花园"),  # a brand at the head of an estate's name
    ("在李家沟一号坑口干了两个月,矿上不给钱", "李家沟一号坑口"),
    # several buildings of one estate
    ("我们在锦绣国际2#、5#楼做外墙,工钱一直没结", "锦绣国际2#、5#楼"),
    ("我在青枫苑4号和9号楼干水电,老板欠我两万", "青枫苑4号和9号楼"),
]


@pytest.mark.parametrize(
    ("text", "employer"),
    [
        ("我在新丰厂做了两个月,老板不发工资", "新丰厂"),  # a factory known by a short name
        ("在这个厂干了三年,工资一直拖", None),  # which factory, not its name
        ("去年在电子厂打工,老板欠我五千", None),  # a kind of factory names nobody
    ],
)
def test_a_factory_known_by_a_short_name_is_the_employer(text: str, employer: str | None) -> None:
    found = [v for n, v in named(text) if n == "employer"]
    assert found == ([employer] if employer else [])


def test_a_kind_of_project_is_no_site() -> None:
    assert not [v for n, v in named("那是县里招商引资项目,老板欠我们三个月工资") if n == "site"]


@pytest.mark.parametrize(("text", "site"), SITES)
def test_sites_in_the_forms_workers_use(text: str, site: str) -> None:
    assert ("site", site) in named(text)


def test_a_labelled_site_ends_at_its_kind() -> None:
    found = named("工地名称:城北安置小区B地块项目上做杂工,工钱没发")
    assert [p for p in found if p[0] == "site"] == [("site", "城北安置小区B地块")]


# ---------------------------------------------------------------------------------------------
# Employers: companies, branches, project departments, bureaus, factories, trade names
# ---------------------------------------------------------------------------------------------

EMPLOYERS = [
    # a trade name the work was done for, and brands workers name alone
    ("给宏达建工干了半年,一分没结", "宏达建工"),
    ("碧桂园的工地包工头跑了", "碧桂园"),
    ("给富士康干活,两个月没发", "富士康"),
    ("盛达建设工程有限公司欠我们班组十个人工资", "盛达建设工程有限公司"),
    ("我们给恒丰集团干活,年底一分没拿到", "恒丰集团"),
    ("是永信劳务公司招我们去的,现在不给钱", "永信劳务公司"),
    ("华泰建筑公司的活,干完就找不到人", "华泰建筑公司"),
    ("宏远工程公司拖了我们一年", "宏远工程公司"),
    ("欠钱的是江南建工集团有限公司苏州分公司", "江南建工集团有限公司苏州分公司"),
    ("中铁十七局的项目,包工头说上面没拨款", "中铁十七局"),
    ("中建三局一公司不给我们结账", "中建三局一公司"),
    ("听说钱早就给了十七局,可我们还没拿到", "十七局"),
    ("总包是中国建筑第六工程局有限公司", "中国建筑第六工程局有限公司"),
    ("中建欠我们的钱三年了", "中建"),
    ("我们是南江二建承建的项目上的木工", "南江二建"),
    ("在老周布厂干了一年,厂里欠我们工钱", "老周布厂"),
    ("东岭针织制衣厂三个月没发工资", "东岭针织制衣厂"),
    ("厂子叫丰收食品厂,老板跑了", "丰收食品厂"),
    ("一家叫“青禾装饰”的装修公司欠我八千", "青禾装饰"),
    ("这家名叫百味坊的家具厂拖着工资不发", "百味坊家具厂"),
    ("包工头叫刘有才,是安平劳务的", "安平劳务"),
    ("我们是华宇建设承建的项目上的瓦工", "华宇建设"),
    ("中铁二十二局集团成都工程有限公司欠款", "中铁二十二局集团成都工程有限公司"),
    # a firm named after its role in the work, a shop or a venue that owes its staff
    ("房子是恒远开发的,总包是华通建设,分包老板跑了", "华通建设"),
    ("开发商是碧桂园", "碧桂园"),
    ("在厂里做了八个月,厂名叫新利纺织", "新利纺织"),
    ("商场的保洁公司叫洁雅,三个月没给我们发钱", "洁雅"),
    ("我在康居物业当保安,两个月没发工资", "康居物业"),
    ("福满多超市欠我们两个月工钱", "福满多超市"),
    ("金色年华KTV的老板拖了我们三个月", "金色年华KTV"),
    ("在京东的仓库分拣,劳务公司说钱还没到", "京东"),
]


#: Firms named by their short name where they owe: the trade word ends the name.
SHORT_FIRMS = [
    ("前后三十多个人,金石路桥一共欠俺们四十多万", "金石路桥"),
    ("恒发建筑还我们血汗钱", "恒发建筑"),
    ("没良心的承包商永昌營造欠錢不還", "永昌营造"),
    ("现在东岭路桥和宏达劳务联手赖账", "东岭路桥"),
    ("现在东岭路桥和宏达劳务联手赖账", "宏达劳务"),
]


@pytest.mark.parametrize(("text", "employer"), SHORT_FIRMS)
def test_short_firm_names_that_owe(text: str, employer: str) -> None:
    assert ("employer", employer) in named(text)


@pytest.mark.parametrize("text", ["我们搞建筑一直很辛苦", "学建筑的至今没找到活", "做装饰和装修的"])
def test_a_trade_alone_names_no_firm(text: str) -> None:
    assert not [p for p in named(text) if p[0] == "employer"]


@pytest.mark.parametrize(("text", "employer"), EMPLOYERS)
def test_named_employers(text: str, employer: str) -> None:
    assert ("employer", employer) in named(text)


def test_a_project_department_names_the_employer_and_its_site() -> None:
    found = named("金沙湾项目部欠我们二十个人工资")
    assert ("employer", "金沙湾项目部") in found and ("site", "金沙湾") in found


def test_a_managers_project_department_names_no_site() -> None:
    found = named("包工头老说是施工经理项目部那边没拨款")
    assert ("employer", "项目部") in found and not [p for p in found if p[0] == "site"]


@pytest.mark.parametrize(
    "text",
    [
        "我们公司不发工资",
        "在一家服装厂上班,厂里欠了两个月",
        "劳务公司说钱没到",
        "江北某建设公司欠我们钱",
        "去年在工厂流水线干了四个月",
        "被劳务派遣公司派到厂里,工资两边都不管",
        "打了三局牌,老板还没来",
        "人力资源公司说钱还没到账",
        "运营公司老拖着不发钱",
        "保洁公司拖了两个月工资",  # a kind of firm, not its name
        "开发商是谁我们也不知道",
        # a crew told by who is in it, not by a name
        "老陈把活又分给了三个农民施工队",
        "找了个临时装修队,干完就散了",
        # words of the sentence before the unit: a time, "local", "these"
        "拖到现在,至今当地镇政府也没给个说法",
        "老板说这些活公司早就结给包工头了",
    ],
)
def test_generic_and_masked_employers_are_not_names(text: str) -> None:
    assert not [value for name, value in named(text) if name == "employer"]


# ---------------------------------------------------------------------------------------------
# Contractors: a boss named as a person, apart from the company
# ---------------------------------------------------------------------------------------------

CONTRACTORS = [
    ("包工头陈德福欠我们三万", "陈德福"),
    ("包工头亓长顺一直躲着不见人", "亓长顺"),  # a rarer surname
    ("包工头阚师傅跑了", "阚师傅"),
    ("陈老板说过完年就给", "陈老板"),
    ("老李欠我们十几个人的工钱", "老李"),
    ("王总一直不接电话", "王总"),
    ("就是那个胡老板,电话打不通", "胡老板"),
    ("班组长老孙把钱拿走了", "老孙"),
    ("老板姓周,欠我六千", "周某"),
    ("一个姓钟的包工头带我们干的", "钟某"),
    ("当时是杜姓工头找的我们", "杜某"),
    ("包工头姓孔,叫孔德旺", "孔德旺"),
    ("名叫吕长林的包工头答应年底结", "吕长林"),
    ("我们找蒋万发要了几次都不给", "蒋万发"),
    ("项目经理何某一直说甲方没给钱", "何某"),
    ("给老周干了半年活", "老周"),
    # the party that took on the work, named as a party: "施工方", "承包方"
    ("施工方龚德胜答应干完就结账,现在人都找不到", "龚德胜"),
    ("承包方邬长林一直拖着不给钱", "邬长林"),
    # the boss's part in the works before his role; the one sued; the one who keeps stalling
    ("俺们去找那个姓贺的工地负责人,他说上头没拨款", "贺某"),
    ("没办法只好去法院起诉房德江。", "房德江"),
    ("快一年了,房德江一直拖着不给", "房德江"),
    ("活干完了,钱没结,工地和郝文强都玩失踪", "郝文强"),
    ("刚开工那阵,郝文强先后给了我们两千块钱生活费", "郝文强"),
    ("听说上头欠了聂长贵的工程款,所以他一直拖着我们", "聂长贵"),
]


@pytest.mark.parametrize(("text", "contractor"), CONTRACTORS)
def test_named_bosses_are_contractors(text: str, contractor: str) -> None:
    found = named(text)
    assert ("contractor", contractor) in found
    assert not [value for name, value in found if name == "employer" and contractor in value]


def test_a_boss_and_his_company_in_brackets_are_two_entities() -> None:
    found = named("老板王德发(德发建筑劳务公司)欠我们工钱")
    assert ("contractor", "王德发") in found
    assert ("employer", "德发建筑劳务公司") in found


def test_a_company_with_a_bracketed_city_keeps_its_brackets() -> None:
    assert ("employer", "鑫达建设(常州)有限公司") in named("工资一直是鑫达建设(常州)有限公司发的")


@pytest.mark.parametrize(
    "text",
    [
        "我们去向老板要钱",
        "今天去要钱老板又说下个月",
        "约好的调解老板没来",
        "不知道老板全名能投诉吗",
        "只有一张老板写的条子",
        "余总额还差两万",
        "工程总承包单位是哪家",
        "老板是温州人,开服装厂的",  # where he is from, not his name
    ],
)
def test_words_that_only_look_like_a_boss_name_nobody(text: str) -> None:
    assert not [value for name, value in named(text) if name == "contractor"]


# ---------------------------------------------------------------------------------------------
# Quotes and traditional characters
# ---------------------------------------------------------------------------------------------

QUOTED = [
    ("在「云顶华庭」项目干了一年", ("site", "云顶华庭")),
    ("我们在“鹿鸣湾”打工,老板跑了", ("site", "鹿鸣湾")),
    ("“九里香堤”的房地产项目欠我们钱", ("site", "九里香堤")),
    ("他们是给「恒越地产」干的", ("employer", "恒越地产")),
]


@pytest.mark.parametrize(("text", "pair"), QUOTED)
def test_quoted_names(text: str, pair: tuple[str, str]) -> None:
    assert pair in named(text)


@pytest.mark.parametrize(
    ("text", "word"), [("他说要“再等等”", "再等等"), ("“空头支票”又来了", "空头支票")]
)
def test_quoted_phrases_that_name_nothing(text: str, word: str) -> None:
    assert all(word not in value for _, value in named(text))


TRADITIONAL = [
    ("我們在錦華園工地幹了三個月", ("site", "锦华园")),
    ("包工頭劉德勝欠我們兩萬", ("contractor", "刘德胜")),
    ("中鐵十八局的項目還沒結錢", ("employer", "中铁十八局")),
    ("興隆建築工程有限公司拖欠工資", ("employer", "兴隆建筑工程有限公司")),
    ("陳老闆電話也不接", ("contractor", "陈老板")),
]


@pytest.mark.parametrize(("text", "pair"), TRADITIONAL)
def test_traditional_characters(text: str, pair: tuple[str, str]) -> None:
    assert pair in named(text)


def test_offsets_point_into_the_traditional_message() -> None:
    text = "包工頭劉德勝欠我們兩萬"
    boss = next(e for e in extract_entities(text, TODAY) if e.name == "contractor")
    assert boss.text == "包工頭劉德勝" and text[boss.start : boss.end] == boss.text  # type: ignore[misc]


# ---------------------------------------------------------------------------------------------
# Stories: the facts of a long message
# ---------------------------------------------------------------------------------------------


def test_a_long_story_gives_site_employer_and_contractor() -> None:
    story = (
        "领导好,我们是四川来的十二个木工,去年三月经老乡介绍到城西云锦花园二期干活,"
        "总包是中铁二十局,我们跟的包工头叫邓国平,说好年底结账,现在过完年了一分没给,"
        "打他电话也不接,项目部说钱早就给他了。"
    )
    found = named(story)
    assert ("site", "城西云锦花园二期") in found
    assert ("employer", "中铁二十局") in found
    assert ("contractor", "邓国平") in found
    assert ("work_type", "木工") in found


# ---------------------------------------------------------------------------------------------
# Trades
# ---------------------------------------------------------------------------------------------

TRADES = [
    ("我是做抹灰的", "抹灰工"),
    ("抹灰工,干了两个月", "抹灰工"),
    ("刮腻子的", "腻子工"),
    ("主要是刮大白", "腻子工"),
    ("木工", "木工"),
    ("干的钢筋活", "钢筋工"),
    ("架子工", "架子工"),
    ("负责水电安装", "水电工"),
    ("做油漆的", "油漆工"),
    ("瓦工", "瓦工"),
    ("泥工,贴了半年砖", "泥瓦工"),
    ("在工地做防水", "防水工"),
    ("保洁", "保洁"),
    ("小工", "小工"),
    ("杂工", "杂工"),
    ("砌墙的", "砌筑工"),
]


@pytest.mark.parametrize(("text", "trade"), TRADES)
def test_trades(text: str, trade: str) -> None:
    assert ("work_type", trade) in named(text)


@pytest.mark.parametrize(
    "text",
    [
        "被钢筋划破了手",
        "从架子上摔下来",
        "水电费是自己交的",
        "屋里一股油漆味",
        "这个工程的钱都给了",
    ],
)
def test_materials_and_bills_are_not_trades(text: str) -> None:
    assert not [value for name, value in named(text) if name == "work_type"]


@pytest.mark.parametrize(
    "text",
    [
        "这个工程的钱都给了",
        "主体工程早就完工了",
        "工程款还差十万",
        "街道边上一个拆迁安置小区",
        "他把全部工程交给了别人去干",
        "我们包的是客房主体和粉刷工程",
    ],
)
def test_a_scope_of_work_is_no_site(text: str) -> None:
    assert not [value for name, value in named(text) if name == "site"]


# ---------------------------------------------------------------------------------------------
# Property: names never keep a lone bracket
# ---------------------------------------------------------------------------------------------

_ALPHABET = "()（）「」“”老板王德发陈包工头公司有限建筑劳务花园工地项目部中铁十七局厂在的欠我们,"


@settings(max_examples=300, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(st.text(alphabet=_ALPHABET, max_size=40))
def test_name_values_keep_brackets_balanced(text: str) -> None:
    for name, value in named(text):
        depth = 0
        for char in value:
            depth += {"(": 1, ")": -1}.get(char, 0)
            assert depth >= 0, (name, value)
        assert depth == 0, (name, value)


# ---------------------------------------------------------------------------------------------
# Issue 13: government units that hire, bureaus named by their city, anonymised bosses
# ---------------------------------------------------------------------------------------------

GOVERNMENT_EMPLOYERS = [
    ("我们四百多人给青山乡政府干了半年围墙,乡政府除了生活费啥也没发", "青山乡政府"),
    ("给白沙镇镇政府修的外墙,尾款一直没给", "白沙镇镇政府"),
    ("从五月起就没从东关环卫站领过一分钱", "东关环卫站"),
    ("我在城南环卫处扫街,拖了三个月工资", "城南环卫处"),
    ("西安局承诺完工就付钱,到现在一分没给", "西安局"),
]


@pytest.mark.parametrize(("text", "employer"), GOVERNMENT_EMPLOYERS)
def test_government_units_that_hire_are_employers(text: str, employer: str) -> None:
    assert ("employer", employer) in named(text)


@pytest.mark.parametrize(
    "text",
    [
        "我们去乡政府反映，乡政府叫先回去等消息",  # a bare 乡政府 names nobody
        "去了劳动局,劳动局没给答复",  # an office complained to is no employer
        "打电话到信访局,信访局说转办了",
        # "为了" is "so as to", not "is named"
        "建设单位为了早点完工,天天催着我们加班",
    ],
)
def test_offices_complained_to_are_not_employers(text: str) -> None:
    assert not [pair for pair in named(text) if pair[0] == "employer"]


@pytest.mark.parametrize(
    ("text", "contractor"),
    [
        ("来之前跟孙某谈好了半个月结一次", "孙某"),
        ("每个月底公司韩老板来结账,这两个月没来", "韩老板"),
        ("工地的陈老板说下个月一起给", "陈老板"),
        ("到了约好的日子去领钱,吴经理说公司账上暂时没钱", "吴经理"),
        ("张厂长说等货款回来再发", "张厂长"),
    ],
)
def test_anonymised_and_titled_bosses(text: str, contractor: str) -> None:
    assert ("contractor", contractor) in named(text)


def test_a_short_place_name_after_dao_is_a_site() -> None:
    assert ("site", "城南金沙湾") in named("我和三个工友到城南金沙湾做防水,还差两万")


def test_some_words_after_a_surname_are_not_anonymised_bosses() -> None:
    # "某" after a surname character is a person only when it is not "某些/某天"-like.
    assert not [p for p in named("王某些时候会来看看") if p[0] == "contractor"]


@pytest.mark.parametrize(
    ("text", "pair"),
    [
        ("老杨让我们干了一冬天,说开春给", ("contractor", "老杨")),
        ("老杨答应年底结清,现在人找不到", ("contractor", "老杨")),
        ("在G320国道文山路段修路,工资没发", ("site", "G320国道文山路段")),
        ("沪昆高速湘潭段的活干完了,钱没给", ("site", "沪昆高速湘潭段")),
        ("在中铁十局承建的青龙路段施工", ("site", "青龙路段")),
    ],
)
def test_elder_bosses_and_road_sections(text: str, pair: tuple[str, str]) -> None:
    assert pair in named(text)


@pytest.mark.parametrize("text", ["老杨说今天下雨", "过马路段的时候摔了一跤"])
def test_a_word_about_an_elder_or_a_road_names_nothing(text: str) -> None:
    assert not [p for p in named(text) if p[0] in ("contractor", "site")]


# ---------------------------------------------------------------------------------------------
# Round 2 of issue 13: given names with 家, workplaces known only by their kind and place,
# a company's own factory, and sentence words before "公司" that name no firm
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "boss"),
    [
        ("活干完了去找周家旺要工钱,他一直躲着", "周家旺"),
        ("法院判决王家兴支付我们的工资,他到现在也没给", "王家兴"),
        ("判决下来了,可我们找不到孙家宝", "孙家宝"),
        ("赵家顺欠我们六个人八万块", "赵家顺"),
    ],
)
def test_a_boss_with_jia_in_his_given_name_who_owes(text: str, boss: str) -> None:
    assert ("contractor", boss) in named(text)


@pytest.mark.parametrize(
    "text",
    ["过年去王家要了一次钱", "跟刘家讨要了好几回", "去刘家村讨要工钱", "找李家人要钱没人理"],
)
def test_a_family_or_a_village_named_jia_is_no_boss(text: str) -> None:
    assert not [p for p in named(text) if p[0] == "contractor"]


@pytest.mark.parametrize(
    ("text", "site"),
    [
        ("今年3月来城东区一家面馆打工,说好月底结,到现在没给", "城东区面馆"),
        ("我在石岭村委会旁一鞋厂做了两个月,老板跑了", "石岭村委会旁鞋厂"),
        ("前年到县城一家超市上班,最后两个月的钱没发", "县城超市"),
        ("在佛山一间灯饰厂做包装,老板欠我三个月", "佛山灯饰厂"),
        ("我喺荃灣一間茶餐廳做咗半年,老闆遲出糧", "荃湾茶餐厅"),
    ],
)
def test_a_workplace_known_only_by_its_place_and_kind(text: str, site: str) -> None:
    found = named(text)
    assert ("site", site) in found
    # The village committee only says where the workplace is: it hired nobody.
    assert not [p for p in found if p[0] == "employer"]


@pytest.mark.parametrize(
    "text", ["我想开一家饭店", "去年在一家饭店当服务员", "在区一家店做", "在朋友一家饭店帮工"]
)
def test_a_bare_kind_of_workplace_is_no_site(text: str) -> None:
    assert not [p for p in named(text) if p[0] == "site"]


def test_a_companys_own_factory_is_the_site() -> None:
    found = named("我们在华安集团预制梁厂干了三个月,工资一直拖着")
    assert ("employer", "华安集团") in found
    assert ("site", "预制梁厂") in found


@pytest.mark.parametrize(
    "text",
    [
        "工伤之后公司每个月只给我一半人工",
        "我从前年入职现职公司,想问辞职要提前几天",
        "做满五年被解雇,系咪代表公司要俾长期服务金?",
        "合约到期后老板找了另一间公司跟我续约",
        "要补几多代通知金公司先计清楚",
        "请问这间公司拖糧可以点做",
        "实在不行我们就去起诉公司",
    ],
)
def test_sentence_words_before_gongsi_name_no_company(text: str) -> None:
    assert not [p for p in named(text) if p[0] == "employer"]


def test_a_named_firm_after_a_time_word_is_still_found() -> None:
    assert ("employer", "鼎盛劳务有限公司") in named("过完年之后鼎盛劳务有限公司就不接电话了")


def test_a_word_that_led_to_a_place_is_no_part_of_its_name() -> None:
    assert not [p for p in named("工人走了导致宾馆的活停了") if p[0] == "site"]


@pytest.mark.parametrize(
    ("text", "boss"),
    [
        ("去年秋天,郑德林将挡墙的活包给我们五个人干,干完就没影了", "郑德林"),
        ("韩志刚把外墙涂料转包给我,说好月底结账", "韩志刚"),
        ("苗建新当场许诺完工就结清,现在电话都不接", "苗建新"),
        ("开工前,夏文涛口头答应每月发一次钱", "夏文涛"),
    ],
)
def test_the_one_who_handed_over_the_work_or_promised_the_pay(text: str, boss: str) -> None:
    assert ("contractor", boss) in named(text)


@pytest.mark.parametrize(
    ("text", "boss"),
    [
        ("前年秋天我们九个人跟一个叫蒋福林的签了合同,修完水渠一分没给", "蒋福林"),
        ("有个叫欧阳东的带我们去新疆摘棉花,说好摘完结账", "欧阳东"),
    ],
)
def test_a_person_introduced_by_name_in_a_wage_story_is_the_boss(text: str, boss: str) -> None:
    assert ("contractor", boss) in named(text)


def test_a_firm_introduced_by_a_persons_name_is_no_boss() -> None:
    found = named("我在一个叫王建华的装修公司干了半年")
    assert not [p for p in found if p[0] == "contractor"]


@pytest.mark.parametrize(
    "text", ["后来陆续答应给一点生活费", "王小明答应我们去要钱", "工友们都答应了明天一起去"]
)
def test_a_promise_without_a_boss_names_nobody(text: str) -> None:
    assert not [p for p in named(text) if p[0] == "contractor"]


def test_a_developer_at_the_head_of_a_project_name_is_the_employer() -> None:
    found = named("成都市新都区三木路锦城置业新建公寓项目(二期)拖欠我们涂料工钱八万")
    assert ("employer", "锦城置业") in found
    assert ("site", "新建公寓项目(二期)") in found


def test_a_developer_with_only_a_kind_of_works_after_it_has_no_site() -> None:
    found = named("在宏远房地产开发项目干了三个月没拿到钱")
    assert ("employer", "宏远房地产") in found
    assert not [p for p in found if p[0] == "site"]


def test_an_adverb_after_a_surname_word_is_no_given_name() -> None:
    # "厂方曾承诺": 方 is a surname character, but 曾 ("once") belongs to the verb.
    assert not [p for p in named("厂方曾承诺月底发工资,到现在一分没给") if p[0] == "contractor"]


def test_and_still_joins_two_names() -> None:
    assert ("site", "紫荆苑") in named("我和老王在紫荆苑工地干活,老王欠我们钱")
    assert ("employer", "和信建筑劳务有限公司") in named("和信建筑劳务有限公司欠我们工资")


@pytest.mark.parametrize(
    ("text", "employer"),
    [
        ("老板叫张富贵,是富贵建筑劳务队的", "富贵建筑劳务队"),
        ("宏远装修队欠我们三万", "宏远装修队"),
    ],
)
def test_a_named_crew_is_the_employer(text: str, employer: str) -> None:
    assert ("employer", employer) in named(text)


@pytest.mark.parametrize("text", ["我们施工队十几个人都没拿到钱", "给一个装修队干活,老板不给钱"])
def test_a_crew_without_a_name_names_nobody(text: str) -> None:
    assert not [kind for kind, _ in named(text) if kind == "employer"]


@pytest.mark.parametrize("text", ["项目经理说下个月一起结", "总经理出差了,副经理说再等等"])
def test_a_title_without_a_surname_names_nobody(text: str) -> None:
    assert not [pair for pair in named(text) if pair[0] == "contractor"]
