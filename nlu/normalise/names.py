"""Names: employers, contractors, sites, people and work types.

Workers name the same things in many ways: "中铁十七局", "鑫达建设(常州)有限公司", "老周布厂",
"「云顶华庭」项目", "长江路改建工程", "石桥村一个建筑工地", "包工头陈德福", "陈老板".
An organisation is an ``employer``; a person who hired or paid the worker (包工头, 老板, 班组长
with a name or surname) is a ``contractor``. Values keep brackets balanced.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from nlu.normalise.numbers import _Found, _strip_span

_CJK = "\u4e00-\u9fff"
_NAME_CHARS = rf"[{_CJK}A-Za-z0-9#·()]"
#: Words that end the text before a name: the name starts after the last one found.
_NAME_BREAKS = (
    "我们", "他们", "你们", "咱们", "这个", "那个", "一个", "这家", "那家", "一家", "就是", "叫做",
    "名叫", "去年", "今年", "前年", "现在", "以前", "之前", "后来", "当时", "一直", "已经", "月份",
    "在", "的", "是", "到", "去", "了", "给", "从", "叫", "被", "欠", "跟", "找", "帮", "替", "为",
    "干", "做", "于", "由", "该", "这", "那", "我", "他", "她", "个", "过", "对", "向", "把", "说",
    "年", "月", "和", "与",
    # Verbs and roles that precede a project or a company in stories ("参与X建设", "位于X").
    "修建", "承建", "承包", "参与", "参加", "进入", "负责", "位于", "地处", "来到", "进场", "打工",
    "名下", "老板", "包工头", "工头", "施工方", "总包方", "分包方", "建筑商", "承建商", "开发商",
    "业主方", "甲方", "不满", "目前", "整个", "反映", "投诉", "讨要", "起诉", "状告", "举报",
    "维持", "管理", "清理", "打扫", "看守", "着", "将", "知道", "虽然", "但是", "可是", "因为",
    "所以", "如果", "前往", "离职后", "辞职后", "让", "开始", "工人", "哪", "系", "贵区", "贵县",
    "贵市", "贵镇", "我市", "我区", "我县", "本市", "本区", "本县", "导致", "由于", "造成",
    "之后", "以后", "期间", "其间", "入职", "现职", "这间", "那间", "一间", "至今", "当地",
    "这些", "那些", "如今", "承包商", "分包商", "对接",
)  # fmt: skip
_GENERIC_NAMES = frozenset(
    (
        "这个", "那个", "一个", "建筑", "建设", "施工", "装修", "装饰", "劳务", "工程", "政府",
        "我们", "他们", "你们", "大", "小", "新", "老", "本", "该", "总", "分", "子", "外包",
        "包工", "别人", "人家", "那边", "这边", "市里", "县里", "镇上", "村里", "物业", "保安",
        "家政", "快递", "外卖", "工地", "项目", "房地产", "开发", "在建", "重点", "一宗", "宿舍",
        "政府工程", "重点工程", "附近", "旁边", "对面", "商业", "住宅", "在建工程", "商品房",
        "厂房", "楼房", "房子", "高楼", "大楼", "别墅", "酒店", "商场", "饭店", "总包", "分包",
        "承包", "派遣", "劳务派遣", "施工队", "运营", "管理", "服务", "人力", "人力资源", "中介",
    )
)  # fmt: skip


def _balanced(raw: str) -> tuple[int, str]:
    """The bracket-balanced tail of ``raw`` and its offset.

    A name never keeps a lone bracket: "老板王德发(德发建筑劳务" keeps the part inside the
    open bracket ("德发建筑劳务"), "苏州)华远" the part after the stray close.
    """
    start, opened = 0, []
    for i, char in enumerate(raw):
        if char == "(":
            opened.append(i)
        elif char == ")":
            if opened:
                opened.pop()
            else:
                start = i + 1
    if opened:
        start = max(start, opened[-1] + 1)
    name = raw[start:]
    while name.endswith("(") or name.endswith(")") and name.count("(") < name.count(")"):
        name = name[:-1]
    lead = len(name) - len(name.lstrip(")"))
    return start + lead, name[lead:]


#: A site named after a company starts after it ("…建筑工程有限公司云栖项目" -> 云栖); a
#: company name keeps them ("中铁二十二局集团成都工程有限公司").
_SITE_BREAKS = (*_NAME_BREAKS, "有限公司", "公司", "集团")


#: Words of place and estate names that hold a break word ("和", "向", "月", "年", "为",
#: "给", "在"): "呼和浩特", "和谐家园", "祥和小区", "向阳小区", "月亮湾", "日月星城",
#: "年丰小区", "金色年华", "为民路", "给水厂". Inside them the break word cuts nothing.
_IN_NAMES = re.compile(
    "[呼祥嘉永协颐太中人泰宏融隆怡汇万天大龙荣鑫富安瑞康亿金华恒同共]和"
    "|和[谐平田顺美悦府苑园城盛泰信润家兴昌光风煦]"
    "|向阳|向日葵|月亮|[日明新岁金银]月|年丰|年华|[丰万百千]年|为民|给水|在水一方"
)
#: Several buildings of one estate at the end of a name: "4号和9号楼", "2#、5#楼".
_BUILDING_LIST_END = re.compile(r"(?:[0-9]{1,3}[#号]?[、,和及])+[0-9]{1,3}[#号]楼$")


def _trim_name(
    text: str, start: int, end: int, breaks: tuple[str, ...] = _SITE_BREAKS
) -> tuple[int, str] | None:
    """Cut a greedy name candidate ``text[start:end]`` after its last break word.

    Regex candidates start at the earliest possible character ("我在紫荆苑"); the name proper
    begins after the last pronoun, preposition, particle or role ("紫荆苑").
    """
    raw = text[start:end]
    listed = _BUILDING_LIST_END.search(raw)  # its "和" or "、" joins buildings, not names
    head = raw[: listed.start()] if listed else raw
    head = _IN_NAMES.sub(lambda m: "\0" * len(m.group()), head)
    cut = 0
    for word in breaks:
        at = head.rfind(word)
        if at >= 0:
            cut = max(cut, at + len(word))
    offset, name = _balanced(raw[cut:])
    if len(name) < 2 or name in _GENERIC_NAMES:
        return None
    return start + cut + offset, name


# Employers: companies, engineering bureaus, factories

_COMPANY_RE = re.compile(
    rf"(?P<name>{_NAME_CHARS}{{2,30}}?)"
    r"(?P<suffix>(?:有限责任公司|股份有限公司|集团有限公司|有限公司|集团公司|公司|"
    # "中铁二十二局集团成都工程有限公司" is one company, not a group and another firm.
    rf"集团(?:(?:(?!的)[{_CJK}]){{2,10}}?(?:有限公司|公司))?)"
    rf"(?:[{_CJK}]{{2,8}}?分公司|[一二三四五六七八九十0-9]分公司)?)"
)
_INDUSTRY_WORDS = re.compile(
    "(?:建设|建筑|劳务|工程|建工|装饰|装修|置业|房地产|地产|物业|实业|科技|贸易|物流|人力资源|"
    "发展|制造|电子|服装|服饰|机械|安装|市政|路桥|园林|景观|绿化|保安服务|保安|家政|保洁|清洁|餐饮|投资|开发|"
    "集团|家具|家俱|家居|纺织|制衣|针织|食品|设计|工艺|制品|物业管理)+$"
)
_NUM = "[一二三四五六七八九十0-9]"
# "中铁十七局", "中建三局", "中国建筑第七工程局", "中交四航局", "十七冶", "中铁18局项目部".
_BUREAU_RE = re.compile(
    "(?:(?:中国)?(?:中铁建|中电建|中铁|中建|中交|中冶|中水|中核|中化|建筑|电建|交建|水电|铁建)"
    rf"第?{_NUM}{{1,3}}(?:工程)?局|中交{_NUM}航局|中交{_NUM}公局|(?:十{_NUM}?|{_NUM}{{2}})(?:局|冶)"
    rf"|中铁(?:大桥|隧道|电气化|建工)局|[{_CJK}]{{2,4}}?铁路局|[{_CJK}]{{2,4}}?第{_NUM}{{1,3}}工程局)"
    rf"(?:集团)?(?:有限公司)?(?:第?{_NUM}{{1,2}}(?:工程)?公司|[{_CJK}]{{2,4}}?分公司)?"
    # The big state builders are often named by their short name alone ("中建欠我们的钱").
    "|(?:中国建筑|中国中铁|中国铁建|中国交建|中国电建|中铁建|中电建|中城建|中建|中铁|中交|中冶|葛洲坝)"
    "(?=欠|拖欠|不给|没给|不发|没发|的项目|项目|的工地|工地)"
)
# Factories carry their product before 厂 ("老周布厂", "丰泰织造厂"); a bare "服装厂" names
# nobody. Clinics and similar workplaces are employers too.
_PRODUCTS = (
    "服装加工|服装|制衣|成衣|针织|纺织|织造|毛织|印染|电子|家具|玩具|鞋|皮革|塑料|五金|机械|食品|"
    "水泥|砖|印刷|包装|模具|化工|制药|木材|板材|钢|钢铁|铝材|布|纸|工艺品|灯饰|陶瓷|加工|预制梁|"
    "家俱|塑胶|玩具"
)
_FACTORY_RE = re.compile(
    rf"(?P<name>{_NAME_CHARS}{{2,20}}?(?:{_PRODUCTS})(?:厂|工厂))(?![长房子家里区址商])"
    rf"|(?P<clinic>{_NAME_CHARS}{{2,16}}?(?:口腔诊所|诊所|门诊部|门诊))"
    # a factory known by a short name alone, where the worker was: "在新丰厂上班"
    rf"|(?<=[在到去进])(?P<short>[{_CJK}]{{2}}厂)(?=[上做干打当的里拖欠,，。 ]|老板|$)"
)
#: Two characters before 厂 that say which factory, not its name ("这个厂", "一家厂").
_NOT_A_FACTORY_NAME = re.compile(
    "(?:这个|那个|一个|一家|这家|那家|我们|他们|你们|工厂|附近|村里|镇上|城里|老家|本地|当地|私人"
    "|小型|大型|黑心|知名|同一|另一|别的|其他|上个|下个|原来|以前|现在|别人|朋友|亲戚|老乡|福利)$"
)
_STREET_PREFIX = re.compile(rf"^.*[市区县].*(?:路|街|巷|号|村|镇)(?!桥)(?=[{_CJK}]{{2}})")
_ADDRESS_PREFIX = re.compile(
    "^.*(?:村|镇|乡|路|街|巷|号|工业园|园区)(?:委会)?(?:旁边|附近|对面|旁)?的?(?:一家|一个|一间|一)?"
    rf"(?=[{_CJK}]{{2}})"
)
_FACTORY_GENERIC = re.compile(rf"^(?:知名|黑心|一家|这家|那家|{_PRODUCTS})*[老新大小总分]?工?$")
# "一个叫“青禾装饰”的装饰公司", "这家名叫百味坊的家具厂": the name, then its kind.
_NAMED_AS_RE = re.compile(
    r"(?:名叫|叫做|名为|叫)[“\"「]?(?P<name>[^\s,.;:!?，。；：！？“”「」\"]{2,12}?)[”\"」]?的"
    rf"(?P<kind>[{_CJK}]{{0,6}}?(?:公司|厂|企业|俱乐部|集团|诊所|店|饭店|酒店|餐厅|餐馆|超市|商场|"
    "楼盘|项目|小区|工地|工程))"
)
#: Kinds named after a place: the name is a site ("名为春江印象的商业楼盘"), as restaurants are.
_SITE_KINDS = re.compile("(?:饭店|酒店|餐厅|餐馆|超市|商场|楼盘|项目|小区|工地|工程)$")
# Firms named by their trade alone ("由永安物业管理", "德发劳务欠我们钱"), and named crews.
_TRADE_NAME_RE = re.compile(
    rf"(?P<name>{_NAME_CHARS}{{2,10}}?(?:物业|置业|地产|劳务|建工|路桥|装饰|家政|保安|建设|建筑|"
    "皮业|鞋业|实业|商贸|工贸|服饰|纺织|织造|制衣|电子|科技|营造))"
    "(?=管理|欠|拖欠|不给|没给|不发|没发|老板|的老板|负责人|经理|承建|开发|承包|总包|分包|"
    "干了|做了|打工|上班|当|的(?:$|[,.;!?\\s])"
    # the firm that owes, by its short name: "某某路桥总共欠俺们", "某某建筑还钱",
    # "某某路桥和某某劳务一起赖账"
    "|还我|一共欠|总共欠|一直|至今|迟迟|也不|联手|不认|玩失踪|跑路|和[^,.;!?\\s]{2,8}(?:劳务|路桥|建筑|建设|营造))"
    # a shop or a venue that owes its staff: "永辉超市欠我们工钱", "金色年华KTV的老板拖了两个月"
    rf"|(?P<shop>{_NAME_CHARS}{{2,10}}?(?:超市|商场|酒店|饭店|餐厅|宾馆|网吧|KTV|ktv|快递))"
    "(?=欠|拖欠|不给|没给|不发|没发|的?老板)"
    # "南江二建承建的项目", "皖一建": a place and a number name a state builder.
    rf"|(?P<numbered>{_NAME_CHARS}{{1,6}}?{_NUM}建)(?=承建|项目|欠|拖欠|工地|的|也|说|不|没|$|[,.;!?\\s])"
    # a crew named after its boss or a brand: "富贵建筑劳务队", "宏远装修队", "李家工程队"
    rf"|(?P<team>{_NAME_CHARS}{{2,10}}?(?:劳务|工程|施工|装修|装饰|建筑|安装)队)"
)


# Government units that hire: "巴拉格歹乡政府", "沙土镇镇政府", "眉县环卫站", and a bureau
# named by its city alone when it is the one that owes ("北京局承诺完工就付钱"). A bare
# "乡政府" names nobody, and offices workers complain to (劳动局, 信访局) are no employers.
_GOV_UNIT_RE = re.compile(
    rf"(?P<name>{_NAME_CHARS}{{2,12}}?"
    r"(?:(?<![乡镇])(?:乡|镇)(?:人民)?政府|镇镇政府|街道办事处|街道办|村委会|居委会"
    r"|环卫站|环卫处|环卫所|环卫局|环卫段|园林局|水利局|公路局|公路段|养护段|市政处|城管局))"
)
_OWING_AFTER = re.compile(
    r"^.{0,16}?(?:欠|拖欠|不给|没给|不发|没发|没有?支付|并未支付|未支付|承诺|拖着|只给|除了给"
    r"|工资|工钱|尾款|工程款|发包|承包|领取)"
)
_OWING_BEFORE = re.compile(r"(?:给|替|帮|从|跟|在|是|由|承包|发包的?)$")
_CITY_BUREAU_RE = re.compile(
    rf"(?<![{_CJK}])(?P<name>[{_CJK}]{{2}}局)(?=承诺|没有?支付|欠|拖欠|不给|没给|不发|没发|有关领导)"
)
_OFFICE_WORDS = re.compile(
    "劳动|人社|社保|公安|信访|税务|住建|城建|市场|环保|交通|财政|监察|司法|教育|卫生|民政|法院"
)


_LANDMARK_AFTER = re.compile("旁|附近|对面|边上|隔壁|后面|前面|门口")


def _find_government_units(text: str) -> Iterator[_Found]:
    """Government units that hired or owe the worker, not those complained to."""
    for m in _GOV_UNIT_RE.finditer(text):
        trimmed = _trim_name(text, m.start("name"), m.end("name"), _NAME_BREAKS)
        if trimmed is None:
            continue
        start, name = trimmed
        core = re.sub("(?:乡|镇)?(?:人民)?政府$|街道办事处$|街道办$|村委会$|居委会$", "", name)
        if len(core) < 2 or _OFFICE_WORDS.search(name) or _LANDMARK_AFTER.match(text, m.end()):
            continue  # "在村委会旁一家厂做": the unit only says where the workplace is
        if _OWING_AFTER.match(text[m.end() :]) or _OWING_BEFORE.search(text[:start]):
            yield _Found("employer", start, m.end(), name)
    for m in _CITY_BUREAU_RE.finditer(text):
        if not _OFFICE_WORDS.search(m.group("name")):
            yield _Found("employer", m.start("name"), m.end("name"), m.group("name"))


#: Words of a sentence, not of a firm's name, left before "公司" ("係咪代表公司要俾", "要补
#: 几多代通知金公司"): Cantonese particles, question words, what a firm is said to owe.
_NOT_A_COMPANY = re.compile("[唔咪嘅俾啲咗喺]|几多|多少|如何|是否|代表|通知金")


def _find_companies(text: str) -> Iterator[_Found]:
    """Employers: companies, engineering bureaus, named factories and workplaces."""
    for m in _COMPANY_RE.finditer(text):
        trimmed = _trim_name(text, m.start("name"), m.end("name"), _NAME_BREAKS)
        if trimmed is None:
            continue
        start, name = trimmed
        if street := _STREET_PREFIX.match(name):  # "某市…长江路华海建筑": the street is no name
            start, name = start + street.end(), name[street.end() :]
        core = _INDUSTRY_WORDS.sub("", name)
        if len(core) < 2 or core in _GENERIC_NAMES or "某" in core or _NOT_A_COMPANY.search(core):
            continue  # "劳务公司", "我们公司", "江西某建设公司": no usable name
        yield _Found("employer", start, m.end(), name + m.group("suffix"))
    yield from _find_bureaus(text)
    yield from _find_known_firms(text)
    yield from _find_government_units(text)
    yield from _find_named_as(text)
    yield from _find_factories(text)


#: The largest developers and employers, whom workers name by the brand alone ("碧桂园的工地",
#: "给富士康干活").
_KNOWN_FIRM_RE = re.compile(
    "(?:碧桂园|万科|恒大|融创|保利|中海|绿地|华润|龙湖|世茂|旭辉|富力|雅居乐|金地|招商蛇口|华夏幸福"
    "|中梁|泰禾|蓝光|荣盛|佳兆业|新城控股|中南建设|富士康|立讯|比亚迪"
    "|顺丰|京东|美团|饿了么|中通|圆通|申通|韵达|德邦|海底捞|永辉|沃尔玛)"
    # "碧桂园的工地", "给万科干": the firm; "龙湖工地", "保利花园": a site named after it
    "(?=的|集团|欠|拖|不给|没给|不发|没发|干|做|打工|上班)"
)


#: Who a crew is made of, which names no crew: "农民施工队", "临时装修队".
_CREW_KINDS = ("农民", "民工", "工人", "私人", "个人", "本地", "外地", "当地", "临时", "小型")


def _find_known_firms(text: str) -> Iterator[_Found]:
    """Employers named by a well-known brand alone."""
    for m in _KNOWN_FIRM_RE.finditer(text):
        yield _Found("employer", m.start(), m.end(), m.group(0))


def _find_bureaus(text: str) -> Iterator[_Found]:
    """State builders named by their bureau number ("中铁十七局", "中建三局一公司")."""
    for m in _BUREAU_RE.finditer(text):
        yield _Found("employer", m.start(), m.end(), m.group(0))


#: A firm named after its role in the work: "总包是中天建设", "开发商是碧桂园", "厂名叫恒丰纺织".
_ROLE_NAMED_RE = re.compile(
    r"(?:开发商|总包|总承包|承包商|承建商|承建单位|分包商|施工单位|建设单位|用工单位|劳务公司|保洁公司"
    r"|物业公司|保安公司|装修公司|厂名|公司名|公司名字)(?:是|叫|为(?!了|何|什么|啥)|名叫|叫做)[“\"「]?"
    rf"(?P<name>[{_CJK}A-Za-z0-9]{{2,16}}?)(?=[”\"」,，。;；!！?？\s]|的|$)"
)


def _find_named_as(text: str) -> Iterator[_Found]:
    """A workplace introduced by name ("一个叫“青禾装饰”的装饰公司" -> 青禾装饰), or by its
    role in the work ("总包是中天建设" -> 中天建设)."""
    for m in _ROLE_NAMED_RE.finditer(text):
        name = m.group("name")
        if name not in _GENERIC_NAMES and not name.startswith(("一家", "一个", "个体", "谁", "哪")):
            yield _Found("employer", m.start("name"), m.end("name"), name)
    for m in _NAMED_AS_RE.finditer(text):
        name, kind = m.group("name"), m.group("kind")
        if name in _GENERIC_NAMES or not re.fullmatch(rf"[{_CJK}A-Za-z0-9·]+", name):
            continue
        if _SITE_KINDS.search(kind):
            yield _Found("site", m.start("name"), m.end("name"), name)
            continue
        plain = _INDUSTRY_WORDS.search(name) or re.search("(?:公司|店|企业|俱乐部)$", kind)
        yield _Found("employer", m.start("name"), m.end("name"), name if plain else name + kind)
    for m in _TRADE_NAME_RE.finditer(text):
        group = next(g for g in ("name", "numbered", "team", "shop") if m.group(g))
        trimmed = _trim_name(text, m.start(group), m.end(group), _NAME_BREAKS)
        core = _INDUSTRY_WORDS.sub("", trimmed[1].removesuffix("队")) if trimmed else ""
        if trimmed and len(core) >= 2 and not core.startswith(_CREW_KINDS):
            yield _Found("employer", trimmed[0], m.end(group), trimmed[1])


def _find_factories(text: str) -> Iterator[_Found]:
    """Factories and clinics with a name of their own ("东岭针织制衣厂")."""
    for m in _FACTORY_RE.finditer(text):
        group = next(g for g in ("name", "clinic", "short") if m.group(g))
        if group == "short" and _NOT_A_FACTORY_NAME.match(m.group(group)[:2]):
            continue
        trimmed = _trim_name(text, m.start(group), m.end(group), _NAME_BREAKS)
        if trimmed is None:
            continue
        start, name = trimmed
        prefix = _ADDRESS_PREFIX.match(name)  # "石桥村丰泰织造厂": the village is no name
        if prefix:
            start, name = start + prefix.end(), name[prefix.end() :]
        core = re.sub("(?:口腔诊所|诊所|门诊部|门诊|厂)$", "", name)
        if len(core) < 2 or _FACTORY_GENERIC.match(core):
            continue
        yield _Found("employer", start, m.end(group), name)


_ROLE_END = re.compile("(?:经理|负责人|老板|包工头|工头|领导)$")
_PROJECT_DEPT_RE = re.compile(rf"(?P<name>{_NAME_CHARS}{{0,24}}?)项目部")


def _find_project_departments(text: str) -> Iterator[_Found]:
    """Project departments: "万科城项目部" is the employer 万科城项目部 at the site 万科城."""
    for m in _PROJECT_DEPT_RE.finditer(text):
        trimmed = _trim_name(text, m.start("name"), m.end("name"))
        if trimmed is None or _ROLE_END.search(trimmed[1]):  # "施工经理项目部": no site named
            yield _Found("employer", m.end("name"), m.end(), "项目部")
            continue
        start, name = trimmed
        yield _Found("site", start, m.end("name"), name)
        yield _Found("employer", m.end("name"), m.end(), name + "项目部")


# Contractors: the person boss

_SURNAMES = (
    "欧阳|司马|诸葛|上官|东方|皇甫|令狐|"
    "[王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万"
    "钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包"
    "宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳"
    "时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇"
    "栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
    "亓阚封揭荆丰楚闻钮郜郗冀鄢邸隆滑逯蔺訾弓宦鞠勾昝郇储阙邰仝茹燕羊扈晋]"
)
#: Characters that never belong to a given name: verbs and particles that follow names.
_NOT_GIVEN = (
    "欠不拖说跑还没给的了把让叫带一就都也又在和跟是要已现到从他她我你们啥那这电手打人家老板总工头"
    "因将于向被等承答曾"
)
_GIVEN = f"[^\\s0-9A-Za-z,.;:!?，。；：！？、()（）“”「」\"'{_NOT_GIVEN}]"
_PERSON = f"(?:{_SURNAMES})(?:{_GIVEN}{{1,2}}|[Xx*][{_CJK}])"
#: "刘家帮", "王家兴": 家 inside a given name. Read only where the sentence says this person owes
#: or hides, because "王家" alone is a family and "刘家村" a village.
_PERSON_JIA = f"(?:{_SURNAMES})家(?![村庄屯湾寨沟坝营镇乡里要讨结还欠说])(?:{_GIVEN})"
_DEBTOR = f"(?:{_PERSON}|{_PERSON_JIA})"
#: Words that start with a surname character but are not names ("马上", "安排").
_NOT_NAMES = (
    "马上", "安排", "高兴", "方便", "周末", "于是", "连续", "连着", "常常", "时间", "任何",
    "全部", "全都", "许多", "金额", "明天", "明年", "平时", "万一", "文件", "应该", "成功",
    "简单", "关系", "包括", "从来", "向来", "齐了", "单位", "工资", "管理", "司机", "师傅",
    "路上", "项目", "公司", "华为", "吉利", "车子", "宁愿", "时候", "全额", "常年", "平常",
    "安全", "石头", "方面", "成本", "江湖", "易拉", "解决", "曾经", "一直", "余额", "老师",
    "全名", "付款", "付钱", "付清", "付给", "付了", "莫得", "莫有", "应付", "于是", "明明",
    "陆续",
)  # fmt: skip
_ROLE = (
    "小包工头|包工头|工头|老板娘|分包老板|老板|班组长|带班的|带班|承包人|承包商|分包商|老总|"
    "总经理|项目经理|项目负责人|负责人|经理|董事长|法人代表|法定代表人|法人|厂长|施工队长|队长|工长|"
    "承包者|施工方|承包方|分包方|劳务方"
)
_SURNAME = f"(?:{_SURNAMES})"
# "刘老三", "王老五": a surname with a family rank is a common way to name a boss.
_BOSS_NAME = (
    f"(?:[老小]{_SURNAME}|阿[{_CJK}]|{_SURNAME}老[大二三四五六七八九幺]"
    f"|{_SURNAME}(?:总|老板|经理|工|某某|某)"
    f"|{_PERSON})"
)
_Q = '[“"「]?'
#: What may stand right before a bare "陈老板": not part of a word ("要钱老板", "调解老板").
_BEFORE_BARE = (
    f"(?:(?<![{_CJK}])|(?<=[是找给跟问个那这和叫被让对向把求等见到告骂催位督请诉系知喊司的厂队])|^)"
)
_CONTRACTOR_RE = re.compile(
    rf"(?P<role4>{_ROLE})姓{_SURNAME}[，,\s]*(?:叫|名叫)(?P<who4>{_PERSON})"
    rf"|(?:名叫|叫做|叫)(?P<who5>{_PERSON})的{_Q}(?:{_ROLE})"
    rf"|(?P<role>{_ROLE})[”\"」]?(?:叫|是|名叫|就是)?(?P<who>(?![和向连把]){_BOSS_NAME})"
    rf"|姓(?P<surname>{_SURNAME})的{_Q}(?:施工|工程|项目|工地|劳务)?(?:{_ROLE})"
    rf"|(?:{_ROLE})姓(?P<surname3>{_SURNAME})"
    rf"|(?P<surname6>{_SURNAME})姓(?:的)?(?:{_ROLE})"
    rf"|{_BEFORE_BARE}(?P<who7>{_SURNAME}(?:先生|师傅|老板|总)|{_PERSON})是(?:个|一个|一名|名)?小?"
    f"(?:{_ROLE})"
)
#: Surnames that are also prepositions or adverbs: "向老板要钱" names nobody.
_FUNCTION_SURNAMES = "向和于连管时全常明应成安单平易尚尤万余但包"
# "陈老板", "王总", "吴经理", "老李欠我们…", "给老张干活": a boss named without a role word first.
_BARE_BOSS_RE = re.compile(
    rf"{_BEFORE_BARE}(?P<title>(?![{_FUNCTION_SURNAMES}]){_SURNAME}"
    "(?:老板(?!娘)|经理|厂长|总(?!额|数|计|共|体|部|公司|包|价|量|结|裁|之|是|算|归|的|工|承|监|站|队|务)))"
    rf"|(?:给|跟着?|帮)(?P<elder>老{_SURNAME})(?=干|做|打工)"
    # "老杨让我们干了一冬天", "老杨答应年底结清": the one who set the work and the promise.
    rf"|(?P<elder2>老{_SURNAME})(?=欠|拖欠|拖着|不给|没给|不发|没发|跑|卷|让我们|叫我们|带我们|带着我们"
    "|答应|承诺|说好|一直拖|总是拖|老是拖)"
    # Whoever the wages are asked of, or who "owes me", is the boss: "向蒋万发要", "邓国平还我".
    rf"|(?:向|找|跟|问|催)(?P<debtor>{_DEBTOR})(?=要|讨|结)"
    rf"|{_BEFORE_BARE}(?P<debtor2>{_DEBTOR})(?=还我|欠我|欠了我|拖欠我|欠俺|欠咱"
    "|(?:一直|总是|老是|迟迟)?拖着不给|一直不给|迟迟不给"
    # the one who vanished, or who paid a little: "某某玩失踪", "某某陆续给了我们生活费"
    "|(?:都|也)?(?:玩失踪|失踪了|跑路|卷款)"
    "|(?:陆续|先后|只)?给了?(?:我们|俺们)(?:[0-9一二两三四五六七八九十几百千]|生活费))"
    # the subcontractor owed for the works, who owes the workers: "拖欠了某某某的工程款"
    rf"|(?:拖欠|欠)了?(?P<debtor6>{_PERSON})的工程款"
    # The one who handed the work over or promised the pay: "陈国栋将抹灰活包给我们",
    # "陈国栋当场许诺完工结清".
    rf"|{_BEFORE_BARE}(?P<giver>{_PERSON})(?=(?:将|把)[^,.;!?\s]{{1,12}}?(?:交由|交给|包给|转包给|分包给)"
    "(?:我|俺)|(?:当场|当面|口头|亲口|一再|多次)?(?:许诺|承诺|答应)(?!过?我们?(?:去|来|要)))"
    # A person introduced by name in a story of wages is the one who hired or owes:
    # "跟一个叫蒋福林的签了协议", "有个叫欧阳东的带我们去干活"; "叫蒋福林的公司" is a firm.
    rf"|(?:一个|一位|有个|有一个)叫(?P<called>{_PERSON})的(?![{_CJK}]{{0,4}}(?:公司|厂|店|集团))"
    # Reports anonymise the boss ("跟宋某谈好了", "宋某突然带着工人走了").
    rf"|{_BEFORE_BARE}(?P<anon>(?![{_FUNCTION_SURNAMES}]){_SURNAME}某(?!某)(?![些种天地个处人件次样]))"
    # "法院判决刘家帮支付…", "找不到刘家帮": the one ordered to pay, the one who hides.
    rf"|(?:判决|判令|判|责令|裁决){_Q}(?P<debtor3>{_DEBTOR})(?=支付|付|还|给付|偿还|赔)"
    # the one sued: "只能起诉朱某某", "把李德明告上法庭"
    rf"|(?:起诉|状告|告了)(?P<debtor5>{_DEBTOR})(?=$|[,.;!?\s，。；！？、]|了|要|讨|支付|还钱)"
    rf"|(?:找不到|找不着|联系不上|见不到)(?P<debtor4>{_DEBTOR})(?=$|[,.;!?\s]|了)"
)


def _find_contractors(text: str) -> Iterator[_Found]:
    """Contractors: a boss with a name ("包工头老王" -> 老王, "老板姓王" -> 王某, "陈老板")."""
    matches = list(_CONTRACTOR_RE.finditer(text))
    named = any(m.group("who") or m.group("who4") or m.group("who5") for m in matches)
    for m in matches:
        surname = m.group("surname") or m.group("surname3") or m.group("surname6")
        if surname:
            if not named:  # "包工头姓李，叫李德明": the full name says more than "李某"
                yield _Found("contractor", m.start(), m.end(), f"{surname}某")
            continue
        who = m.group("who") or m.group("who4") or m.group("who5") or m.group("who7")
        if who.startswith(_NOT_NAMES) or text.startswith("人", m.end()):
            continue  # "老板是温州人": where he is from, not his name
        yield _Found("contractor", m.start(), m.end(), who)
    for m in _BARE_BOSS_RE.finditer(text):
        group = next(
            g
            for g in (
                "title",
                "elder",
                "elder2",
                "debtor",
                "debtor2",
                "giver",
                "anon",
                "debtor3",
                "debtor4",
                "debtor5",
                "debtor6",
                "called",
            )  # fmt: skip
            if m.group(g)
        )
        if not m.group(group).startswith(_NOT_NAMES):
            yield _Found("contractor", m.start(group), m.end(group), m.group(group))


# Sites

_SITE_RE = re.compile(
    rf"(?P<name>{_NAME_CHARS}{{2,24}}?)(?P<suffix>工地|项目(?!部|经理|款|上的钱|负责人|方|组))"
    rf"(?P<phase>\({_NUM}{{1,2}}期\)|{_NUM}{{1,2}}期|{_NUM}{{1,2}}标段?|{_NUM}{{1,3}}号楼|[0-9]{{1,3}}#楼)?"
)
#: Scope of work, not a place: "主体工程", "外墙保温工程" name no site.
_SCOPE_WORDS = re.compile(
    "(?:土建|主体|抹灰|油漆|装修|装饰|外墙|内墙|保温|防水|水电|钢筋|木工|模板|绿化|挡墙|精装修|"
    "精装|二次结构|市政|劳务|安装|消防|幕墙|门窗|涂料|墙绘|混凝土|砌筑|管道|电力|弱电|强电|景观|"
    "园林|道路|基础|地基|土方|拆除|拆迁|维修|改造|改建|扩建|新建|建设|建筑|施工|这项|该项|此项|一项|"
    "部分|剩余|后续|附属|配套|零星|室内|室外|光伏|政府|重点|整个|全部|所有|国家|当地|本地|民生|形象|面子|主要|"
    "住宅楼|宿舍楼|办公楼|厂房|大楼|楼房|房屋|修复|修缮|兴建|新厂|老厂|一批|一些|这些|那些|"
    "粉刷|找平|砌筑|砌砖|贴砖|刷漆|客房|别墅|"
    "安置|回迁|商品|老旧|高档|城中村|招商引资|招商|引资|扶贫|县里|市里|区里|镇里|镇上|乡里|村里|"
    "这|那|个|项|批|些)+"
)
_WORKS_RE = re.compile(
    rf"(?P<name>{_NAME_CHARS}{{2,30}}?)工程"
    "(?!款|师|队|部|量|结|完|竣|验|项目|有限|公司|局|处|质量|进度|资料|合同|老板|承包|分包|转包|"
    "建设有限|管理|技术|车|机械|经理|协议|一|开始|结束|全部|都|也|还|就|已)"
)
_PLACE_SUFFIX = (
    "小区|花园|家园|广场|大厦|大楼|公寓|新城|商城|新村|综合楼|办公楼|宿舍楼|教学楼|住宅楼|还建房|"
    "安置房|安置区|回迁房|公租房|廉租房|棚改|产业园|工业园|工业区|物流园|科技园|度假村|水库|收费站|"
    "大桥|号桥|河桥|江桥|溪桥|隧道|体育馆|景区|景点|楼盘|商业街|号楼|#楼|合同段|标段|小镇|公园|绿道|"
    # several buildings of one estate: "锦绣国际2#、5#楼", "青枫苑4号和9号楼"
    "(?:[0-9]{1,3}[#号]?[、,和及])+[0-9]{1,3}[#号]楼|"
    "煤矿|矿区|矿井|坑口|"
    "快速路|路段|(?:高速|国道|省道)[\u4e00-\u9fff]{2,4}段"
)
_PLACE_RE = re.compile(
    rf"(?P<name>{_NAME_CHARS}{{2,20}}?(?:{_PLACE_SUFFIX})(?:{_NUM}{{1,2}}期)?)(?!口|路|街|站|里)"
    # a part of an estate may follow its name: "嘉苑南区", "华庭二期"
    rf"|[在到去](?P<short>{_NAME_CHARS}{{2,12}}?(?:苑|园|府|湾|庭|城|居|中心)"
    rf"(?:[东南西北中]区|{_NUM}{{1,2}}期)?)(?=工地|干|做|打工|上班|施工)"
)
# "石桥村一个建筑工地", "青石路一家服装厂": the address is the best name the worker has.
_ADDRESS_SITE_RE = re.compile(
    rf"(?P<name>{_NAME_CHARS}{{2,20}}?(?:路|街|大道|村|镇|乡|巷|号|工业园|园区|开发区|社区)"
    "(?:附近|旁边)?)(?:的|一家|一个|这家|那家|一处)?(?:建筑|装修|服装|服装加工|家具|电子)?"
    "(?:工地|工厂|加工厂|厂)"
)
# "工程位于红旗镇", "项目地点在城南开发区": where the works are is the site.
_LOCATED_SITE_RE = re.compile(
    rf"(?:工程|工地|项目|厂子?|工厂)(?:位于|坐落在|地点在|地址在|地点是|地址是|就在)"
    rf"(?P<name>[{_CJK}]{{2,14}}(?:镇|乡|村|区|县|路|街|大道|工业区|开发区|园区|新区))"
    r"(?=$|[\s,.;:!?，。；：！？、]|的|附近|旁边|一带)"
)
# "天宁寺旁边的工地": the landmark with its locative is the best name the worker has.
_NEAR_SITE_RE = re.compile(
    rf"(?P<name>{_NAME_CHARS}{{2,16}}?)(?P<loc>旁边|附近|那边|对面|边上|那个|这个)的?"
    "(?:工地|项目(?!部))"
)
# Workplaces outside construction keep their kind in the name ("川味饭店").
_WORKPLACE_RE = re.compile(
    rf"(?P<name>{_NAME_CHARS}{{2,16}}?(?:饭店|餐馆|餐厅|酒店|宾馆|超市|商场|物流园|仓库"
    "|饭馆|面馆|饺子馆|火锅店|烧烤店|小吃店|快餐店))"
    r"(?![长房子家里区])"
)
# A workplace named only by its kind, after where it is: "来城东区一家面馆打工", "在石岭村委会旁
# 一鞋厂做". Workers often know no other name; the place and the kind are what staff can use.
_KIND_OF_WORKPLACE = (
    f"(?:{_PRODUCTS}|手袋|箱包|皮具|鞋业|假发|眼镜|电池|灯具)(?:加工)?(?:厂|工厂)|加工厂|饭店|饭馆|餐馆|餐厅|"
    "饺子馆|面馆|火锅店|烧烤店|小吃店|快餐店|茶餐厅|酒店|宾馆|超市|洗车店|理发店|美容院|养殖场|砖厂|采石场"
)
_KIND_SITE_RE = re.compile(
    rf"[在来到去进喺](?:(?P<place>[{_CJK}]{{0,14}}?(?:市区|城区|县城|区|县|市|镇|乡|村|村委会|路|街|"
    "工业园|开发区)(?:旁边|附近|旁|边上|对面)?)的?(?:一家|一个|一间|一座|一处|一)"
    # A city named alone needs "一家/一间" after it: "在中山一间灯饰厂做".
    rf"|(?P<city>[{_CJK}]{{2,3}}?)(?:一家|一间))"
    f"(?P<kind>{_KIND_OF_WORKPLACE})(?=打工|做|干|上班|工作|务工|帮工|当)"
)
#: Words before "一家" that are no place: "在朋友一家饭店", "在那边一家厂".
_NOT_A_PLACE = re.compile("朋友|亲戚|老乡|别人|人家|同学|熟人|他们|那|这|哪|附近|旁边")
# A factory of a company ("城建集团预制梁厂"): the company is the employer, the factory the site.
_COMPANY_WORKS_RE = re.compile(
    rf"(?:(?<=公司)|(?<=集团))(?P<name>[{_CJK}]{{0,6}}?(?:{_PRODUCTS})(?:厂|工厂|车间|基地))"
)
# Form-like lists label the site: "项目：锦江花园；", "工地名称:阳光城" (text is half-width).
_LABELLED_SITE_RE = re.compile(
    rf"(?:项目|工地|工程)(?:名称|名字|名)?(?:\s?:\s?|是|叫)(?P<name>{_NAME_CHARS}{{2,24}}?)"
    # the label's value ends at its kind or its punctuation: "工地名称:某某A项目上从事…"
    r"(?=项目|工地|工程|[\s,.;:!?，。；：！？、()]|$)"
)
#: Quoted names: «“鹿鸣湾”», «「云顶华庭」», «‘金桂苑’».
_QUOTED_RE = re.compile(
    r"[“\"「『‘'](?P<name>[^\s,.;:!?，。；：！？“”「」『』‘’\"']{2,30})[”\"」』’']"
)
_QUOTED_SITE_AFTER = re.compile(
    "^(?:的)?(?:房地产|开发|在建|建设|改造|安置|景区|旅游|住宅)?(?:项目|工地|工程|小区|楼盘|景区|地块)"
)
_QUOTED_WORK_AFTER = re.compile("^(?:打工|干活|干|做|施工|工作|上班|务工)")
_QUOTED_EMPLOYER_AFTER = re.compile(rf"^(?:的)?[{_CJK}]{{0,4}}(?:公司|厂|集团)")
_PLACE_END = re.compile(rf"(?:{_PLACE_SUFFIX}|苑|园|府|湾|庭|城|居|郡|里|工程|项目|工地)$")
_KIND_END = re.compile(
    f"(?:{_PLACE_SUFFIX}|饭店|餐馆|餐厅|酒店|宾馆|超市|商场|物流园|仓库"
    "|饭馆|面馆|饺子馆|火锅店|烧烤店|小吃店|快餐店)$"
)
#: (a part of an estate, "嘉苑南区", is no district)
_ADMIN_ONLY = re.compile(
    rf"^[{_CJK}]{{0,12}}?(?:省|市|县|(?<![小园社景校厂发业])(?<![苑园府湾庭城居][东南西北中])区)$"
)


def _find_quoted(text: str) -> Iterator[_Found]:
    """Quoted names, classed by what they end with and what follows them."""
    for m in _QUOTED_RE.finditer(text):
        _, name = _balanced(m.group("name"))
        after, before = text[m.end() : m.end() + 8], text[max(0, m.start() - 6) : m.start()]
        if len(name) < 2 or name in _GENERIC_NAMES:
            continue
        if _QUOTED_EMPLOYER_AFTER.match(after) or (
            _INDUSTRY_WORDS.search(name) and not _PLACE_END.search(name)
        ):
            yield _Found("employer", m.start("name"), m.end("name"), name)
        elif (
            _QUOTED_SITE_AFTER.match(after)
            or _PLACE_END.search(name)
            or ("在" in before and _QUOTED_WORK_AFTER.match(after))
        ):
            yield _Found("site", m.start("name"), m.end("name"), name)


def _site(text: str, start: int, end: int) -> _Found | None:
    """A site candidate trimmed to its name, or None when what is left names no place."""
    trimmed = _trim_name(text, start, end)
    if trimmed is None:
        return None
    begin, name = trimmed
    name = re.sub("(?:一个|一家|一处|一|的)?(?:建筑|装修|施工|在建)$", "", name)
    core = _KIND_END.sub("", name)
    if len(name) < 2 or name.startswith("某") or _ADMIN_ONLY.match(name):
        return None
    if re.search("[么呢吗吧啊呀]", name):
        return None  # a particle: a piece of a sentence, not a name
    if not _SCOPE_WORDS.sub("", core):
        return None  # "拆迁安置小区", "老旧小区": a kind of estate, not its name
    if core != name and (len(core) < 2 or core in _GENERIC_NAMES):
        return None  # "宿舍广场", "一家饭店": a kind of place, not a name
    return _Found("site", begin, begin + len(name), name)


#: A developer named by its trade at the head of a project's name ("锦城置业新建公寓").
_FIRM_IN_SITE = re.compile(
    rf"^(?P<firm>[{_CJK}]{{2,16}}?(?:置业|房地产|地产|实业|投资))(?=[{_CJK}]{{2}})"
)


def _split_firm(site: _Found, firm: re.Match[str]) -> tuple[_Found, _Found | None]:
    """A developer at the head of a site's name ("…三木路锦城置业新建公寓") as the employer,
    and the rest as the site, or None when the rest is only a kind of works ("开发")."""
    name = firm.group("firm")
    street = _STREET_PREFIX.match(name)  # "某市…三木路": the street is no part of the firm
    offset = street.end() if street else 0
    employer = _Found("employer", site.start + offset, site.start + firm.end(), name[offset:])
    rest = str(site.value)[firm.end() :]
    if len(_SCOPE_WORDS.sub("", rest)) < 2 or rest in _GENERIC_NAMES:
        return employer, None
    return employer, _Found("site", site.start + firm.end(), site.end, rest)


def _find_sites(text: str) -> Iterator[_Found]:
    """Work sites: "紫荆苑工地" -> 紫荆苑, "万达广场项目" -> 万达广场, "在阳光花园" -> 阳光花园."""
    yield from _find_quoted(text)
    for pattern in (_LABELLED_SITE_RE, _ADDRESS_SITE_RE, _LOCATED_SITE_RE):
        for m in pattern.finditer(text):
            if found := _site(text, m.start("name"), m.end("name")):
                yield found
    for m in _SITE_RE.finditer(text):
        phase = m.group("phase") or ""
        if m.group("suffix") == "项目" and (phase.startswith("(") or phase.endswith("楼")):
            phase = "项目" + phase  # "御府项目二号楼" reads better than "御府二号楼"
        if found := _site(text, m.start("name"), m.end("name")):
            if firm := _FIRM_IN_SITE.match(str(found.value)):
                employer, found = _split_firm(found, firm)
                yield employer
                if found is None:
                    continue
            yield _Found("site", found.start, m.end(), f"{found.value}{phase}")
    for m in _KIND_SITE_RE.finditer(text):
        group = "place" if m.group("place") is not None else "city"
        place = m.group(group)
        if len(place) < 2 or (group == "city" and _NOT_A_PLACE.search(place)):
            continue  # "在区一家店", "在朋友一家饭店": no place worth keeping
        yield _Found("site", m.start(group), m.end("kind"), place + m.group("kind"))
    for m in _COMPANY_WORKS_RE.finditer(text):
        yield _Found("site", m.start("name"), m.end("name"), m.group("name"))
    yield from _find_works(text)
    for m in _NEAR_SITE_RE.finditer(text):
        if found := _site(text, m.start("name"), m.end("name")):
            loc = "" if m.group("loc") in ("那个", "这个") else m.group("loc")  # "万达那边"
            yield _Found("site", found.start, m.end("loc"), f"{found.value}{loc}")
    for pattern in (_PLACE_RE, _WORKPLACE_RE):
        for m in pattern.finditer(text):
            group = "short" if m.groupdict().get("short") else "name"
            if found := _site(text, m.start(group), m.end(group)):
                yield found


def _find_works(text: str) -> Iterator[_Found]:
    """Named works ("长江路改建工程"), not a scope of work ("主体工程")."""
    for m in _WORKS_RE.finditer(text):
        trimmed = _trim_name(text, m.start("name"), m.end("name"))
        if trimmed is None:
            continue
        start, name = trimmed
        if len(_SCOPE_WORDS.sub("", name)) < 2 or _ADMIN_ONLY.match(name):
            continue
        yield _Found("site", start, m.end(), name + "工程")


# People and work types

_PERSON_RE = re.compile(
    rf"(?:我叫|我的名字叫|我的名字是|我名字叫|名字叫|我名叫|本人|我是|姓名[:\s]?)(?P<who>{_PERSON})"
    r"(?=$|[\s,.;:!?，。；：！？、]|电话|手机|今年|来自|老家|家住|身份证|我|在|是|从)"
)


def is_person_name(text: str) -> bool:
    """True when the whole of ``text`` looks like a Chinese personal name ("张三", "欧阳明")."""
    name = _strip_span(text)
    return bool(re.fullmatch(_PERSON, name)) and not name.startswith(_NOT_NAMES)


def _find_people(text: str) -> Iterator[_Found]:
    """The worker's own name, only when introduced ("我叫张三", "我是李四")."""
    for m in _PERSON_RE.finditer(text):
        who = m.group("who")
        if not who.startswith(_NOT_NAMES):
            yield _Found("person_name", m.start("who"), m.end("who"), who)


_WORK_TYPES = {
    "塔吊司机": "塔吊司机", "挖机司机": "挖机司机", "铲车司机": "铲车司机", "吊车司机": "吊车司机",
    "叉车司机": "叉车司机", "水电工": "水电工", "钢筋工": "钢筋工", "泥瓦工": "泥瓦工",
    "泥水工": "泥瓦工", "泥水匠": "泥瓦工", "架子工": "架子工", "油漆工": "油漆工",
    "砌筑工": "砌筑工", "抹灰工": "抹灰工", "装修工": "装修工", "模板工": "模板工",
    "混凝土工": "混凝土工", "防水工": "防水工", "电焊工": "焊工", "搬运工": "搬运工",
    "装卸工": "装卸工", "清洁工": "保洁", "洗碗工": "洗碗工", "操作工": "操作工",
    "服务员": "服务员", "快递员": "快递员", "外卖员": "外卖员", "木工": "木工", "木匠": "木工",
    "瓦工": "瓦工", "小工": "小工", "杂工": "杂工", "电工": "电工", "焊工": "焊工",
    "钳工": "钳工", "保洁": "保洁", "保安": "保安", "厨师": "厨师", "帮厨": "帮厨",
    "普工": "普工", "司机": "司机", "保姆": "保姆", "月嫂": "月嫂", "门卫": "门卫", "骑手": "骑手",
    "挖掘机司机": "挖机司机", "塔吊指挥": "塔吊指挥", "信号工": "信号工", "钢筋工人": "钢筋工",
    "焊接工": "焊工", "水泥工": "水泥工", "粉刷工": "粉刷工", "贴砖工": "贴砖工",
    "瓷砖工": "贴砖工", "安装工": "安装工", "管道工": "管道工", "漆工": "油漆工",
    # Trades named by the work itself, as workers say them ("我是做抹灰的", "刮大白").
    "抹灰": "抹灰工", "腻子工": "腻子工", "腻子": "腻子工", "刮腻子": "腻子工", "刮大白": "腻子工",
    "批灰": "腻子工", "钢筋": "钢筋工", "绑钢筋": "钢筋工", "扎钢筋": "钢筋工", "水电": "水电工",
    "油漆": "油漆工", "刷漆": "油漆工", "油工": "油漆工", "泥工": "泥瓦工", "防水": "防水工",
    "架子": "架子工", "砌墙": "砌筑工", "砌砖": "砌筑工", "砼工": "混凝土工", "支模": "模板工",
    "板模": "模板工", "贴瓷砖": "贴砖工", "贴砖": "贴砖工", "大工": "大工", "保温工": "保温工",
    "外墙保温": "保温工", "涂料工": "涂料工", "二次结构": "二次结构工", "二次构造工": "二次结构工",
    "搬砖": "小工", "开铲车": "铲车司机", "开挖机": "挖机司机", "开塔吊": "塔吊司机",
    "材料员": "材料员",
}  # fmt: skip
#: Words after a bare trade that show it is not a trade ("水电费", "钢筋水泥", "油漆味").
_NOT_TRADE_AFTER = (
    "(?!程|厂|资|地|具|钱|作|费|站|局|表|水泥|混凝土|笼|价|款|材料|味|桶|店|层|卷材|粉|管)"
)
_WORK_TYPE_RE = re.compile(
    "(?:"
    + "|".join(sorted(map(re.escape, _WORK_TYPES), key=len, reverse=True))
    + ")"
    + _NOT_TRADE_AFTER
)
#: Bare materials name a trade only as work: "做防水", "钢筋活", not "被钢筋划破了手".
_TRADE_NOUNS = frozenset(
    ("抹灰", "腻子", "钢筋", "水电", "油漆", "防水", "架子", "外墙保温", "板模")
)
_TRADE_BEFORE = re.compile(r"(?:^|[做干搞是当会学和、,.;:\s]|负责|从事|主要|包了|专门)$")
_TRADE_AFTER = re.compile(r"^(?:$|[的活班组工、,.;:!?\s和]|师傅|安装|施工)")


def _find_work_types(text: str) -> Iterator[_Found]:
    """Trades from a lexicon, longest first ("水电工" before "电工"), canonicalised."""
    for m in _WORK_TYPE_RE.finditer(text):
        word = m.group(0)
        if word in _TRADE_NOUNS and not (
            _TRADE_BEFORE.search(text[max(0, m.start() - 2) : m.start()])
            or _TRADE_AFTER.match(text[m.end() : m.end() + 2])
        ):
            continue
        yield _Found("work_type", m.start(), m.end(), _WORK_TYPES[word])
