"""Reading a worker's words for what kind of fact they are, whatever question was asked.

The NLU's entities are the first source. These pure helpers add what the form needs on
top of them: which slot a short loose answer belongs to ("老李" is a boss, "城南那个工地" a
site, "抹灰" a work type), a boss and a company told together, an amount per person, dates
with their days, and the words for "I don't know" or a question.
"""

from __future__ import annotations

import re

from nlu.normalise import to_simplified

_SURNAME = (
    "[王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万"
    "钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包"
    "宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳]"
)
SURNAME = _SURNAME
#: Roles of a boss, with the homophone typos of voice input and pinyin keyboards.
ROLE = (
    r"包工头|小包工头|包攻头|包公头|包功头|包工投|包工|工头|老板娘|老板|老版|班组长|带班的?"
    r"|承包人|承包商|老总|经理|项目经理"
)
#: A person's full name ("王德发"): a boss only when said next to a company or a role.
PERSON = re.compile(rf"^{_SURNAME}[\u4e00-\u9fff]{{1,2}}$")
#: A boss named the way workers name one: "老李", "陈老板", "王总", "刘老三", "包工头王德发".
BOSS = re.compile(
    rf"^(?:(?:{ROLE})(?:叫|是|姓)?)?\s*(?:[老小]{_SURNAME}|阿[\u4e00-\u9fff]"
    rf"|{_SURNAME}(?:总|老板娘?|经理|工头|包工头|老[大二三四五六七八九幺]))$"
    rf"|^(?:{ROLE})(?:叫|是|姓)?\s*[\u4e00-\u9fff]{{1,4}}$"
    rf"|^{_SURNAME}[\u4e00-\u9fff]{{0,2}}(?:{ROLE})$"
)
#: A company or a state builder's bureau; a 建设局 is where workers complain, not who owes.
COMPANY = re.compile(
    r"[\u4e00-\u9fffA-Za-z0-9]{2,30}?(?:有限责任公司|有限公司|股份公司|公司|集团|项目部|劳务队"
    r"|施工队|工程队|工程局|[一二三四五六七八九十\d]+局)"
)
SITE = re.compile(
    r"工地|项目(?!部|经理)|工程(?!队|局)|小区|花园|苑|家园|广场|大厦|大楼|公寓|城(?!管|里)|站房"
    r"|安置房|厂房|学校|医院|附近|旁边|那边|对面|路|街|村|镇|县|区"
)
WORK_TYPE = re.compile(
    r"^(?:[\u4e00-\u9fff]{1,4}工|[\u4e00-\u9fff]{1,2}匠|抹灰|打杂|砌墙|砌砖|贴砖|扎钢筋|绑钢筋"
    r"|开挖机|开塔吊|开吊车|开铲车|搬砖|粉刷|刷漆|刮腻子|打胶|焊接|水电|装修|保洁|保安|厨师"
    r"|服务员|司机|普工|杂工|小工|钢筋|木工|瓦工|电焊|模板|架子|防水|铺地板|吊顶|做饭|做工)"
    r"(?:活|活儿)?$"
)
#: Verbs and money words: a piece of a sentence holding them is a clause, not a name.
CLAUSE = re.compile(r"欠|给|没|不|要|拖|钱|工资|工钱|干了|干活|干完|活了|说|跑|我|你|他")
#: Words a name never holds, in a piece of a longer story ("被亲戚喊去那个工地", "因为老家
#: 在某某镇", "工头怎么好意思"): adverbs, pointers, the passive, the writer's home and questions.
STORY_CLAUSE = re.compile(
    r"[0-9就都也还又才再该被把让呢吗么]|这|那|由于|因为|老家|家乡|怎|什么|最后|以后|以前"
)
#: A piece that is a site's name: it ends with the kind of place ("西城花园", "阳光城").
NAMED_SITE = re.compile(
    r"[\u4e00-\u9fff]{2,}(?:工地|项目|工程|小区|花园|苑|园|家园|广场|大厦|大楼|公寓|城|站房"
    r"|安置房|厂房|学校|医院|区|镇|村|厂|饭店|餐馆|酒店|超市|商场|仓库|物流园)$"
)
#: Words that confirm or agree: never a site, a boss or a trade ("确认提交").
AFFIRM = re.compile(
    r"^(?:确认|提交|确认提交|对|对的|是|是的|没错|好|好的|可以|行|嗯+|恩|1|ok)$", re.IGNORECASE
)
#: "I don't know", "there is none": an answer, not a failure to answer.
UNKNOWN = re.compile(
    r"^(?:我|俺|也|还|真|实在|确实|就是)*(?:不知道|不清楚|不晓得|不记得|记不清|记不得|忘了|忘记了"
    r"|搞不清|说不清|不太清楚|不太知道|没有|没|无|不详|不懂|不确定|不想说|不方便|保密|不告诉你)"
    r"(?:[了啊呀哦呢的诶]|名字|电话|手机|号码|公司|名称)*$"
)
#: "不清楚有几个人": not knowing, then a few words about what (no number, no name).
UNKNOWN_ABOUT = re.compile(
    r"^(?:我|俺|也|还|真|实在|确实)*(?:不知道|不清楚|不晓得|不记得|记不清|记不得|搞不清|说不清)"
    r"(?P<about>[^\d一二两三四五六七八九十百千万]{1,6})$"
)
UNKNOWN_INSIDE = re.compile(
    r"(?:我|俺)?(?:也|真|实在)?(?:不知道|不清楚|不晓得|不记得|记不清|记不得|搞不清|说不清)"
)
#: A site told inside a story with no spaces: "我是在城南新区那个安置房工地干活的".
SITE_IN_STORY = re.compile(
    r"在(?P<name>[\u4e00-\u9fff]{2,14}?)(?:工地|项目(?!部))"
    r"|在(?P<place>[\u4e00-\u9fff]{1,12}?(?:厂|饭店|餐馆|酒店|超市|商场|物流园|仓库))"
    r"(?:上班|干活|打工|做事|工作)"
    r"|(?:饭店|餐馆|餐厅|酒店|厂|超市|工地|项目)(?:叫|名叫|名字叫)(?P<called>[\u4e00-\u9fff]{2,12}?)"
    r"(?=$|[\s，,。])"
)
#: A boss named inside a story: "一个叫老陈的包工头".
BOSS_IN_STORY = re.compile(
    rf"叫(?P<who>[老小]{_SURNAME}|{_SURNAME}[\u4e00-\u9fff]{{1,2}}?)的(?P<role>{ROLE})"
)
#: Asking for a moment, or thinking aloud: no answer yet ("稍等一下", "我问问工友", "那个嘛").
STALL = re.compile(
    r"^(?:稍等|稍等会儿?|等一下|等等|等会儿?|等下|一会儿(?:再说|告诉你|发给你)?"
    r"|(?:让)?(?:我|俺)(?:先|再|去)?(?:想想|问问|查查|看看|找找|翻翻|问一下|查一下|找一下|想一下)"
    r"(?:工友|老乡|家里|看)?|那个嘛?|这个嘛?|额+|呃+)"
    r"(?:一下|哈|啊|哦|吧|嘛|[,，。.…~～!！])*$"
)
QUESTION = re.compile(
    r"[?？]|吗|么|呢$|怎么|咋|什么|啥|哪|能不能|可不可以|是不是|有没有|要不要|会不会|多久|如何"
)
#: Asking for a call or a person in the middle of the form.
ASKS_CALL = re.compile(
    r"打电话给我|给我打(?:个)?电话|打给我|电话联系我|回(?:个)?电话|不会打字|打字不方便|人工|真人"
    r"|工作人员|客服"
)
PER_PERSON = re.compile(
    r"(?:每人|每个人|一人|一个人|人均|每位|每个|一个|一人各|各)(?:各|都|是|有|欠)?$"
)
#: Words that name no one in particular: a later named boss or company replaces them.
GENERIC_BOSS = re.compile(
    rf"^(?:{ROLE}|项目部|公司|开发商|厂里|厂|单位|甲方|总包|上面|老板他们|他们)$"
)
#: A trade told inside a story: "我在翠湖苑工地做粉刷的", "干模板活的".
WORK_IN_STORY = re.compile(r"(?:做|干|搞|是)(?P<work>[\u4e00-\u9fff]{1,4}?)(?:活儿?)?的")
_BRACKETS = {"(": ")", "（": "）", "“": "”", "‘": "’", "《": "》", "【": "】", "[": "]"}
_PUNCT = " ，,。.！!、；;：:~～"


def plain(text: str) -> str:
    """Simplified Chinese without the punctuation and particles around an answer."""
    text = to_simplified(text).strip(_PUNCT)
    return re.sub(r"^(?:就是|是|叫|嗯|哦|额|呃)\s*|[吧啊呀哦的了]+$", "", text).strip(_PUNCT)


def is_unknown(text: str) -> bool:
    """Whether an answer says the worker does not know, or has none."""
    words = plain(text)
    numbers = re.search(r"[\d一二两三四五六七八九十百千万]", words)
    if UNKNOWN_INSIDE.search(words) and len(words) <= 16 and not numbers:
        # "老板叫啥我也不知道": nothing but the not-knowing once the question words go.
        rest = UNKNOWN_INSIDE.sub(" ", re.sub(r"什么|啥|谁|哪个|哪里|哪|多少|几个", "", words))
        pieces = [p.rstrip("叫是姓的") for p in re.split(r"[\s，,。、]+", rest) if p]
        return not any(kind_of(piece, strict=True) or PERSON.match(piece) for piece in pieces)
    if QUESTION.search(words.removesuffix("吗")) and not UNKNOWN_ABOUT.match(words):
        return False
    about = UNKNOWN_ABOUT.match(words)
    return bool(UNKNOWN.match(words)) or bool(about and kind_of(about.group("about")) is None)


def is_stall(text: str) -> bool:
    """Whether a message only asks for a moment ("稍等一下", "我去问问工友")."""
    return bool(STALL.match(to_simplified(text).strip(_PUNCT)))


def is_question(text: str) -> bool:
    """Whether a message asks something."""
    return bool(QUESTION.search(to_simplified(text)))


def asks_for_call(text: str) -> bool:
    """Whether a message asks for a phone call or a person."""
    return bool(ASKS_CALL.search(to_simplified(text)))


def is_generic_boss(text: str) -> bool:
    """Whether an employer value names no one ("项目部", "老板")."""
    return bool(GENERIC_BOSS.match(plain(text)))


def kind_of(text: str, strict: bool = False) -> str | None:
    """Which loose slot a short answer belongs to: site, employer, work_type, or None.

    ``strict``: a piece of a longer message, where "老板欠我们" is a clause, not a boss.
    """
    words = plain(text)
    if strict:
        words = re.sub(r"^(?:在|就在|是在)", "", words)  # "在电子厂": the place
    if not words or len(words) > (12 if strict else 40):
        return None
    if strict and (CLAUSE.search(words) or STORY_CLAUSE.search(words)):
        return None
    if COMPANY.search(words) or BOSS.match(words):
        return "employer"
    if not strict and re.search(ROLE, words) and not SITE.search(words):
        return "employer"
    if (NAMED_SITE if strict else SITE).search(words):
        return "site"
    if WORK_TYPE.match(words):
        return "work_type"
    return None


def site_in_story(text: str) -> str | None:
    """The site or workplace a story names ("我在紫荆苑工地干活", "饭店叫湘味馆")."""
    match = SITE_IN_STORY.search(plain(text))
    if match is None:
        return None
    return match.group("name") or match.group("place") or match.group("called")


def boss_in_story(text: str) -> tuple[str, str] | None:
    """The boss a story names in passing: ("包工头老陈", "老陈")."""
    match = BOSS_IN_STORY.search(to_simplified(text))
    return (match.group("role") + match.group("who"), match.group("who")) if match else None


def work_in_story(text: str) -> str | None:
    """The trade a story names in passing ("做粉刷的" -> "粉刷"), if it is a known one."""
    for match in WORK_IN_STORY.finditer(to_simplified(text)):  # plain() drops the 的
        if WORK_TYPE.match(match.group("work")):
            return match.group("work")
    return None


def split_employer(text: str) -> tuple[str | None, str | None]:
    """A company and a named person told together: ("德发建筑劳务公司", "王德发").

    Either may be None. Brackets are balanced first, so "老板王德发(德发建筑劳务公司" keeps
    its company whole.
    """
    words = balance(to_simplified(text).strip(_PUNCT))
    company = COMPANY.search(words)
    rest = words
    company_name = None
    if company:
        company_name = company.group(0)
        rest = (words[: company.start()] + " " + words[company.end() :]).strip()
    rest = re.sub(r"[()（）“”《》【】\[\]\s，,、]+", " ", rest).strip()
    person = None
    parts = [re.sub(r"^(?:叫|名叫|是|就是)", "", part) for part in rest.split()]
    full_names = [part for part in parts if PERSON.match(part) and len(parts) > 1]
    for part in full_names or parts:  # "姓刘 叫刘大成": the full name beats the surname
        if BOSS.match(part) or PERSON.match(part) or re.search(ROLE, part):
            person = part
            break
    if company_name is None and person is None:
        return None, None
    return company_name, person


def tidy_boss(text: str) -> str:
    """ "老板叫李明" -> "老板李明": the boss as staff read it, brackets balanced."""
    words = balance(to_simplified(text).strip(_PUNCT))
    return re.sub(rf"({ROLE})(?:叫|是|名叫|就是|姓\S{{1}}叫)(?=\S)", r"\1", words)


def person_of(boss: str) -> str:
    """The name in "包工头王德发" or "老板叫刘强"; a bare "老板" stays as written."""
    name = re.sub(rf"^(?:{ROLE})(?:叫|是|姓)?", "", boss).strip()
    return name if len(name) >= 2 else boss


def balance(text: str) -> str:
    """Close an opened bracket or quote and drop a closing one that was never opened."""
    out: list[str] = []
    expected: list[str] = []
    for char in text:
        if char in _BRACKETS:
            expected.append(_BRACKETS[char])
        elif char in _BRACKETS.values():
            if not expected or expected[-1] != char:
                continue
            expected.pop()
        out.append(char)
    return "".join(out) + "".join(reversed(expected))


def is_per_person(text: str, start: int | None, span: str) -> bool:
    """Whether the amount at ``start`` (or first ``span``) is said per person ("一人八千多")."""
    return per_person_word(text, start, span) is not None


def per_person_word(text: str, start: int | None, span: str) -> str | None:
    """The word before an amount that makes it per person ("每人", "一人"), if any."""
    simplified = to_simplified(text)
    at = start if start is not None else simplified.find(to_simplified(span))
    if at < 0:
        return None
    match = PER_PERSON.search(simplified[max(0, at - 4) : at].rstrip(" ，,"))
    return re.sub(r"(?:各|都|是|有|欠)$", "", match.group(0)) if match else None


_NUMBER = r"\d{1,2}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九]"
_MONTH_DAY = re.compile(rf"({_NUMBER})月份?({_NUMBER})[号日]")


def month_days(text: str) -> list[tuple[int, int]]:
    """The (month, day) pairs written in a date span ("8月1号到10月31号" -> [(8, 1), (10, 31)])."""
    pairs = []
    for match in _MONTH_DAY.finditer(to_simplified(text)):
        month, day = _day_number(match.group(1)), _day_number(match.group(2))
        if 1 <= month <= 12 and 1 <= day <= 31:
            pairs.append((month, day))
    return pairs


def _day_number(token: str) -> int:
    if token.isdecimal():
        return int(token)
    digits = "一二三四五六七八九"
    if "十" not in token:
        return digits.index(token) + 1
    tens, _, ones = token.partition("十")
    return (digits.index(tens) + 1 if tens else 1) * 10 + (digits.index(ones) + 1 if ones else 0)
