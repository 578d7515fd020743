"""Names: employers, sites, people and work types."""

from __future__ import annotations

import re
from collections.abc import Iterator

from nlu.normalise.numbers import _Found, _strip_span

# Names: employers, sites, people, work types

_NAME_CHARS = r"[\u4e00-\u9fffA-Za-z0-9#·()]"
#: Words that end the text before a name: the name starts after the last one found.
_NAME_BREAKS = (
    "我们", "他们", "你们", "咱们", "这个", "那个", "一个", "这家", "那家", "一家", "就是", "叫做",
    "名叫", "去年", "今年", "前年", "现在", "以前", "之前", "后来", "当时", "一直", "已经", "月份",
    "在", "的", "是", "到", "去", "了", "给", "从", "叫", "被", "欠", "跟", "找", "帮", "替", "为",
    "干", "做", "于", "由", "该", "这", "那", "我", "他", "她", "个", "过", "对", "向", "把", "说",
    "年", "月", "和", "与",
)  # fmt: skip
_GENERIC_NAMES = frozenset(
    (
        "这个", "那个", "一个", "建筑", "建设", "施工", "装修", "装饰", "劳务", "工程", "政府",
        "我们", "他们", "你们", "大", "小", "新", "老", "本", "该", "总", "分", "子", "外包",
        "包工", "别人", "人家", "那边", "这边", "市里", "县里", "镇上", "村里", "物业", "保安",
        "家政", "快递", "外卖", "工地", "项目",
    )
)  # fmt: skip
_COMPANY_RE = re.compile(
    rf"(?P<name>{_NAME_CHARS}{{2,30}}?)"
    r"(?P<suffix>有限责任公司|股份有限公司|集团有限公司|有限公司|集团公司|公司|集团)"
)
_INDUSTRY_WORDS = re.compile(
    "(?:建设|建筑|劳务|工程|建工|装饰|装修|置业|房地产|地产|物业|实业|科技|贸易|物流|人力资源|"
    "发展|制造|电子|服装|机械|安装|市政|路桥|园林|绿化|保安服务|家政|餐饮|投资|开发|集团)+$"
)
_SITE_RE = re.compile(
    rf"(?P<name>{_NAME_CHARS}{{2,24}}?)(?P<suffix>工地|项目(?!部|经理|款|上的钱))"
)
# "天宁寺旁边的工地": the landmark with its locative is the best name the worker has.
_NEAR_SITE_RE = re.compile(
    rf"(?P<name>{_NAME_CHARS}{{2,16}}?(?:旁边|附近|那边|对面|边上))的?(?:工地|项目(?!部))"
)
# Workplaces outside construction keep their kind in the name ("川味饭店", "宏达电子厂").
_WORKPLACE_RE = re.compile(
    rf"(?P<name>{_NAME_CHARS}{{2,16}}?(?:饭店|餐馆|餐厅|酒店|宾馆|工厂|厂|超市|商场|物流园|仓库))"
    r"(?![长房子家里区])"
)
_PLACE_RE = re.compile(
    rf"在(?P<name>{_NAME_CHARS}{{2,12}}?(?:小区|花园|苑|园|广场|大厦|家园|公寓|大楼|新城|商城))"
)
# Form-like lists label the site: "项目：锦江花园；", "工地名称:阳光城" (text is half-width).
_LABELLED_SITE_RE = re.compile(
    rf"(?:项目|工地|工程)(?:名称|名字|名)?\s?:\s?(?P<name>{_NAME_CHARS}{{2,24}})"
)
_PROJECT_DEPT_RE = re.compile(rf"(?P<name>{_NAME_CHARS}{{0,24}}?)项目部")

_SURNAMES = (
    "欧阳|司马|诸葛|上官|东方|皇甫|令狐|"
    "[王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万"
    "钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包"
    "宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳"
    "时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇"
    "栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝]"
)
#: Characters that never belong to a given name: verbs and particles that follow names.
_NOT_GIVEN = (
    "欠不拖说跑还没给的了把让叫带一就都也又在和跟是要已现到从他她我你们啥那这电手打人家老板总工头"
)
_GIVEN = f"[^\\s0-9A-Za-z,.;:!?，。；：！？、()（）{_NOT_GIVEN}]"
_PERSON = f"(?:{_SURNAMES}){_GIVEN}{{1,2}}"
#: Words that start with a surname character but are not names ("马上", "安排").
_NOT_NAMES = (
    "马上", "安排", "高兴", "方便", "周末", "于是", "连续", "连着", "常常", "时间", "任何",
    "全部", "全都", "许多", "金额", "明天", "明年", "平时", "万一", "文件", "应该", "成功",
    "简单", "关系", "包括", "从来", "向来", "齐了", "单位", "工资", "管理", "司机", "师傅",
    "路上", "项目", "公司", "华为", "吉利", "车子", "宁愿",
)  # fmt: skip
_ROLE = "包工头|工头|老板娘|老板|班组长|带班的|带班|承包人|承包商|小包工头|老总|经理"
_SURNAME = f"(?:{_SURNAMES})"
# "刘老三", "王老五": a surname with a family rank is a common way to name a boss.
_BOSS_NAME = (
    f"(?:[老小]{_SURNAME}|阿[\u4e00-\u9fff]|{_SURNAME}老[大二三四五六七八九幺]"
    f"|{_SURNAME}(?:总|老板|经理|工|某某|某)"
    f"|{_PERSON})"
)
_CONTRACTOR_RE = re.compile(
    rf"(?P<role4>{_ROLE})姓{_SURNAME}[，,\s]*(?:叫|名叫)(?P<who4>{_PERSON})"
    rf"|(?P<role>{_ROLE})(?:叫|是|名叫|就是)?(?P<who>{_BOSS_NAME})"
    rf"|姓(?P<surname>{_SURNAME})的(?P<role2>{_ROLE})"
    rf"|(?P<role3>{_ROLE})姓(?P<surname3>{_SURNAME})"
)
_PERSON_RE = re.compile(
    rf"(?:我叫|我的名字叫|我的名字是|我名字叫|名字叫|我名叫|本人|我是|姓名[:\s]?)(?P<who>{_PERSON})"
    r"(?=$|[\s,.;:!?，。；：！？、]|电话|手机|今年|来自|老家|家住|身份证|我|在|是|从)"
)
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
}  # fmt: skip
_WORK_TYPE_RE = re.compile(
    "|".join(sorted(map(re.escape, _WORK_TYPES), key=len, reverse=True))
    + "(?!程|厂|资|地|具|钱|作)"
)


def _trim_name(text: str, start: int, end: int) -> tuple[int, str] | None:
    """Cut a greedy name candidate ``text[start:end]`` after its last break word.

    Regex candidates start at the earliest possible character ("我在紫荆苑"); the name proper
    begins after the last pronoun, preposition or particle ("紫荆苑").
    """
    raw = text[start:end]
    cut = 0
    for word in _NAME_BREAKS:
        at = raw.rfind(word)
        if at >= 0:
            cut = max(cut, at + len(word))
    name = raw[cut:].strip("()")
    if len(name) < 2 or name in _GENERIC_NAMES:
        return None
    return start + cut, name


def _find_companies(text: str) -> Iterator[_Found]:
    """Employers written as a company name ("江苏华远建设工程有限公司", "华星公司")."""
    for m in _COMPANY_RE.finditer(text):
        trimmed = _trim_name(text, m.start("name"), m.end("name"))
        if trimmed is None:
            continue
        start, name = trimmed
        core = _INDUSTRY_WORDS.sub("", name)
        if len(core) < 2 or core in _GENERIC_NAMES:
            continue  # "劳务公司", "我们公司": no usable name
        yield _Found("employer", start, m.end(), name + m.group("suffix"))


def _find_project_departments(text: str) -> Iterator[_Found]:
    """Employers written as a project department ("万科城项目部", bare "项目部")."""
    for m in _PROJECT_DEPT_RE.finditer(text):
        trimmed = _trim_name(text, m.start("name"), m.end("name"))
        start, name = trimmed if trimmed else (m.start("name") + len(m.group("name")), "")
        yield _Found("employer", start, m.end(), name + "项目部")


def _find_contractors(text: str) -> Iterator[_Found]:
    """Employers written as a boss or contractor with a name ("包工头老王", "老板张三")."""
    matches = list(_CONTRACTOR_RE.finditer(text))
    named = any(m.group("who") or m.group("who4") for m in matches)
    for m in matches:
        if m.group("who4"):
            yield _Found("employer", m.start(), m.end(), m.group("role4") + m.group("who4"))
            continue
        if m.group("surname") or m.group("surname3"):
            if named:
                continue  # "包工头姓李，叫李德明": the full name says more than "包工头李某"
            role = m.group("role2") or m.group("role3")
            surname = m.group("surname") or m.group("surname3")
            yield _Found("employer", m.start(), m.end(), f"{role}{surname}某")  # "包工头李某"
            continue
        who = m.group("who")
        if who.startswith(_NOT_NAMES):
            continue
        role = m.group("role").removesuffix("的")
        yield _Found("employer", m.start(), m.end(), role + who)


def _find_sites(text: str) -> Iterator[_Found]:
    """Work sites: "紫荆苑工地" -> 紫荆苑, "万达广场项目" -> 万达广场, "在阳光花园" -> 阳光花园."""
    for m in _SITE_RE.finditer(text):
        trimmed = _trim_name(text, m.start("name"), m.end("name"))
        if trimmed is not None:
            yield _Found("site", trimmed[0], m.end(), trimmed[1])
    for pattern in (_LABELLED_SITE_RE, _NEAR_SITE_RE, _PLACE_RE, _WORKPLACE_RE):
        for m in pattern.finditer(text):
            trimmed = _trim_name(text, m.start("name"), m.end("name"))
            if trimmed is not None:
                yield _Found("site", trimmed[0], m.end(), trimmed[1])


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


def _find_work_types(text: str) -> Iterator[_Found]:
    """Trades from a lexicon, longest first ("水电工" before "电工"), canonicalised."""
    for m in _WORK_TYPE_RE.finditer(text):
        yield _Found("work_type", m.start(), m.end(), _WORK_TYPES[m.group(0)])
