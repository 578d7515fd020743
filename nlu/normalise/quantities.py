"""Durations, headcounts and phone numbers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from nlu.normalise.numbers import (
    _APPROX_PREFIX,
    _CN_LEAD,
    _NUM_SIMPLE,
    _count,
    _first_value,
    _Found,
    _parse_number,
    _strip_span,
)
from nlu.types import Duration, Headcount

# Durations

_DURATION_RE = re.compile(
    # Every part below is optional, so the first character is checked up front and the match
    # must end on a unit: the pattern never matches the empty string at each position of a
    # long run, and never starts inside a run of digits.
    rf"(?<![0-9第])(?=(?:{_APPROX_PREFIX}|整整|足足|满)?[0-9{_CN_LEAD}半大小个])"
    rf"(?P<pre>{_APPROX_PREFIX}|整整|足足|满)?"
    rf"(?:(?P<ybig>[大小])?(?P<yhalf_only>半)年|(?P<yn>{_NUM_SIMPLE})(?P<ya>多|来)?整?年"
    r"(?P<yhalf>半)?(?P<ya2>多)?)?"
    r"(?:零|又)?"
    rf"(?:(?P<mn>{_NUM_SIMPLE})(?P<ma>多|来)?个(?P<mhalf>半)?(?P<ma2>多|来)?月"
    r"|(?P<mhalf_only>半)个月|(?P<mroughly>个把)月|(?P<mn2>[两俩])月)?"
    r"(?:零|又)?"
    rf"(?:(?P<wn>{_NUM_SIMPLE})(?P<wa>多|来)?个?(?:星期|礼拜|周)"
    rf"|(?P<dn>{_NUM_SIMPLE})(?P<da>多|来)?天)?"
    r"(?P<post>左右|上下|出头|多)?"
    r"(?<=[年月期拜周天右下头多半])"
)
_DURATION_PARTS = ("yn", "yhalf_only", "mn", "mhalf_only", "mroughly", "mn2", "wn", "dn")
_EXACT_PREFIX = {"整整", "足足", "满"}


def _duration_from_match(m: re.Match[str]) -> Duration | None:
    """Duration for one ``_DURATION_RE`` match with at least one part."""
    approx = bool(m.group("post") or (m.group("pre") and m.group("pre") not in _EXACT_PREFIX))
    approx |= any(m.group(g) for g in ("ya", "ya2", "ma", "ma2", "wa", "da", "ybig", "mroughly"))
    months, days = Decimal(0), Decimal(0)
    if m.group("yhalf_only"):
        months += 4 if m.group("ybig") == "小" else 6  # 小半年: "nearly half a year"
    if m.group("yn"):
        parsed = _parse_number(m.group("yn"))
        if parsed is None or parsed[0] > 60:
            return None  # "2023年" is a date, not 2023 years
        months += parsed[0] * 12 + (6 if m.group("yhalf") else 0)
        approx |= parsed[1]
    for group, size in (("mn", 1), ("mn2", 1)):
        if m.group(group):
            parsed = _parse_number(m.group(group))
            if parsed is None or parsed[0] > 120:
                return None
            months += parsed[0] * size
            approx |= parsed[1]
    if m.group("mhalf") or m.group("mhalf_only"):
        days += 15
    if m.group("mroughly"):
        months += 1
    for group, size in (("wn", 7), ("dn", 1)):
        if m.group(group):
            parsed = _parse_number(m.group(group))
            if parsed is None or parsed[0] > 3660:
                return None
            days += parsed[0] * size
            approx |= parsed[1]
    whole_months = int(months)
    days += (months - whole_months) * 30  # "1.5个月", "1.5年"
    if whole_months == 0 and days <= 0:
        return None
    return Duration(months=whole_months, days=int(days), approximate=approx)


#: "一个礼拜后发工资", "过几天打上": a time still to come, not the time worked or owed,
#: unless a verb before it says the time was spent ("干了三个月后", "等了半个月以后").
_LATER_AFTER = re.compile(r"(?:后|以后|之后|以内|内)(?!来)")
_LATER_BEFORE = re.compile(r"(?<![去了])(?:再过|过|等|晚|推迟|宽限)$")
_SPENT_BEFORE = re.compile(r"(?:干|做|欠|拖|等|待|呆|上|过|打工|工作)了[将近快差不多大约整]{0,3}$")


def _is_later(text: str, m: re.Match[str]) -> bool:
    """Whether the duration ``m`` is a delay still to come ("一个礼拜后", "过几天")."""
    if _SPENT_BEFORE.search(text, max(0, m.start() - 6), m.start()):
        return False
    before = _LATER_BEFORE.search(text, max(0, m.start() - 2), m.start())
    return before is not None or _LATER_AFTER.match(text, m.end()) is not None


#: "六、七年": a range written with a pause mark before the duration; the lower end counts.
_PAUSE_LOW = re.compile(r"([一二两三四五六七八九]|[0-9]{1,2})、$")


def _find_durations(text: str) -> Iterator[_Found]:
    """Lengths of time ("三个多月", "一年半", "两个月零十天", "45天") in prepared ``text``;
    delays still to come ("一个礼拜后发工资", "过几天") are left out."""
    for m in _DURATION_RE.finditer(text):
        if not any(m.group(g) for g in _DURATION_PARTS) or _is_later(text, m):
            continue
        start, duration = m.start(), _duration_from_match(m)
        low = _PAUSE_LOW.search(text, max(0, start - 3), start)
        number = next((m.group(g) for g in ("yn", "mn", "wn", "dn") if m.group(g)), "")
        if low and number and m.group(0).startswith(number):
            lower = _DURATION_RE.fullmatch(low.group(1) + m.group(0)[len(number) :])
            if lower is not None and (found := _duration_from_match(lower)) is not None:
                start, duration = low.start(), Duration(found.months, found.days, True)
        if duration is not None:
            yield _Found("duration", start, m.end(), duration)


def normalise_duration(span: str) -> Duration | None:
    """Normalise a length of time to months and days.

    "三个多月" -> 3 months (approximate), "半年" -> 6, "一年半" -> 18, "两个月零十天" -> 2 months
    10 days, "45天" -> 45 days (days are not folded into months), "大半年" -> 6 (approximate),
    "两周" -> 14 days.  Month names ("三月") are dates, not durations, and give None.
    """
    return _first_value(_find_durations(_strip_span(span)), Duration)


# Headcounts

#: Trades counted as people ("3个小工"): left out of the span so the trade is found as well.
_TRADE_NOUNS = "小工|大工|木工|瓦工|电工|焊工|普工|杂工|钢筋工|架子工|油漆工|水电工"
#: Where workers come from, said between the count and the noun: "120多个贵州民工".
_ORIGINS = (
    "四川|河南|湖南|湖北|安徽|江西|贵州|云南|甘肃|陕西|山西|山东|河北|广西|广东|重庆|江苏|浙江"
    "|福建|东北|西北|外地|外省|本地|当地|老家|同村|同乡|同县"
)
_HEADCOUNT_RE = re.compile(
    rf"(?<![第每0-9])(?P<pre>{_APPROX_PREFIX}|一共|总共|共|足足|整整)?"
    # "七、八个老乡": a range written with a pause mark; the lower end counts.
    r"(?:(?P<low>[一二两三四五六七八九]|[0-9]{1,3})(?:、|-|~|到|至)(?=\S{1,4}?[个名位人]))?"
    rf"(?P<num>{_NUM_SIMPLE})(?P<a>多|来|余)?"
    r"(?:(?:\s?(?:个|名|位|号))?(?P<a2>多)?"
    rf"(?:(?:{_ORIGINS})(?:籍|的)?(?=人|工人|农民工|民工|农民|务工人员|兄弟|老乡|工友))?"
    r"(?:人(?![民数])|工人|农民工|民工|农民|务工人员|兄弟|弟兄|工友|老乡|员工|同事|伙计|师傅|姐妹|"
    rf"女工|老头|(?={_TRADE_NOUNS}))"
    # "50多名" alone: 名 counts people unless it is a word of its own ("名额", "名字").
    r"|\s?名(?![额字单义次片牌称气言校著]))"
    r"(?P<post>左右|上下)?"
)
#: "我和另外9个工友", "我跟其他三位工友": the worker plus the others.
_PLUS_ME_RE = re.compile(
    rf"(?:我|俺)(?:和|跟|与|带着)(?:另外|其他|其余|别的)?的?"
    rf"(?P<num>{_NUM_SIMPLE})(?P<a>多|来|余)?(?:个|名|位)(?=工友|老乡|兄弟|工人|同事|人|师傅)"
)
#: "一人八千多": "一人" names each worker's share, not a headcount of one.
_EACH_THEN_SUM = re.compile(
    r"[\s,:]{0,2}[都就才各只]?(?:发了?|给了?|欠了?|拿了?|分了?|差)?[我们了有]{0,2}"
    r"[0-9一二两三四五六七八九十几]"
)
_TOTAL_PREFIX = frozenset(("一共", "总共", "共", "足足", "整整"))
#: "我们俩", "我们五个": a group named by a pronoun and a number without a noun ("我们一个班组"
#: names the crew, not a count).
_PRONOUN_COUNT_RE = re.compile(
    rf"(?:我们|咱们|他们|俺们|我|咱|俺|他|她)(?P<num>俩|仨|{_NUM_SIMPLE}个(?![月星礼小半多钟把工班队组项公厂村]))"
)


#: The workers first, then their count: "工友十几个都没拿到钱", "一起干活的有六七个".
_COUNT_AFTER_RE = re.compile(
    rf"(?:(?:工友|工人|民工|老乡|兄弟|伙计|同事|干活的|一起的)们?(?:一共|总共|共)?有?"
    # who went from one village: "咱村里去了二十多个"
    r"|(?:村|乡|镇|老家)(?:里|上)?(?:一共|总共|共)?(?:去了|来了|出来了?))"
    rf"(?P<num>{_NUM_SIMPLE})(?P<a>多|来|余)?(?:个|名|位)人?(?=[都也全还就,.;!?\s]|$)"
)
#: A married couple who worked together: "我们夫妻俩", "两口子在工地干了一年".
_COUPLE_RE = re.compile(r"夫妻(?:俩|两个|二人|两人)|[两俩]口子")
#: "上百号人", "上千名工人": about a hundred, about a thousand.
_ROUND_COUNT_RE = re.compile(r"上(?P<mag>[百千])(?:号|个|名|多)?(?:人|工人|农民工|民工|工友)")
#: Form-like lists name the count with a label: "人数:3", "拖欠人数 15", "工人：6个".
_LABELLED_COUNT_RE = re.compile(
    rf"(?:人数|工人|人员)[:\s]{{0,2}}(?P<num>{_NUM_SIMPLE})(?P<a>多|来|余)?(?:个|名|位)?(?:人)?"
)


def _find_headcounts(text: str) -> Iterator[_Found]:
    """Numbers of workers ("我们五个人", "十几个工友", "工友十几个", "上百号人", "班组12人",
    "人数:3", "夫妻俩") in prepared ``text``; "我和另外9个工友" is ten, "一人" before a sum is no
    headcount."""
    for m in _PLUS_ME_RE.finditer(text):
        counted = _count(m.group("num"), 100_000)
        if counted is not None:
            approx = counted[1] or bool(m.group("a"))
            yield _Found("headcount", m.start("num"), m.end(), Headcount(counted[0] + 1, approx))
    for m in _HEADCOUNT_RE.finditer(text):
        counted = _count(m.group("low") or m.group("num"), 100_000)
        if counted is None or _is_each(text, m):
            continue
        count, vague = counted
        approx = vague or any(m.group(g) for g in ("low", "a", "a2", "post"))
        approx |= bool(m.group("pre")) and m.group("pre") not in _TOTAL_PREFIX
        yield _Found("headcount", m.start(), m.end(), Headcount(count, approx))
    for m in _PRONOUN_COUNT_RE.finditer(text):
        counted = _count(m.group("num").rstrip("个"), 100_000)
        if counted is not None:
            start = m.start("num")
            yield _Found("headcount", start, m.end(), Headcount(counted[0], counted[1]))
    for m in _COUNT_AFTER_RE.finditer(text):
        counted = _count(m.group("num"), 100_000)
        if counted is not None:
            approx = counted[1] or bool(m.group("a"))
            yield _Found("headcount", m.start("num"), m.end(), Headcount(counted[0], approx))
    for m in _COUPLE_RE.finditer(text):
        yield _Found("headcount", m.start(), m.end(), Headcount(2))
    for m in _ROUND_COUNT_RE.finditer(text):
        size = 100 if m.group("mag") == "百" else 1000
        yield _Found("headcount", m.start(), m.end(), Headcount(size, approximate=True))
    for m in _LABELLED_COUNT_RE.finditer(text):
        counted = _count(m.group("num"), 100_000)
        if counted is not None:
            approx = counted[1] or bool(m.group("a"))
            yield _Found("headcount", m.start("num"), m.end(), Headcount(counted[0], approx))


#: Wages owed to the writer alone, or to one family member: "欠我工资", "付我73元",
#: "我想要回自己的工钱", "我老公的工钱".
_OWED_TO_ONE_RE = re.compile(
    r"(?:欠|拖|扣|给|发|付|结)了?(?:我|俺)(?!们|哋|地|家|老乡|和|跟)"
    r"|(?:我|俺)(?:老公|老婆|爱人|丈夫|妻子|爸|妈|父亲|母亲|儿子|女儿)?(?:的)?(?:工资|工钱|血汗钱|辛苦钱|薪水)"
    r"|自己(?:的)?(?:工资|工钱|血汗钱|辛苦钱|薪水)|(?:我|俺)一个人|就我自己"
    r"|(?:妈妈|爸爸|母亲|父亲|老公|丈夫|老婆|妻子|爱人|儿子|女儿|朋友|哥哥|弟弟|姐姐|妹妹|他|她)的?"
    r"(?:工资|工钱|血汗钱|辛苦钱|薪水)|(?:欠|拖|扣)了?(?:他|她)的?(?:工资|工钱|血汗钱|钱)"
    r"|(?:差|少)(?:我|俺)"
)
#: The writer in a story ("我是...管理人员", "本人任职美容业两年"), and wages unpaid told
#: without "欠我" ("13个月没发工资", "3月已无出粮", "要了快7年都要不到"): the writer's own story.
_WRITER_RE = re.compile(
    r"(?:我|俺|本人|自己)(?!们|哋|地)"
    # "我爸", "俺叔": the writer names a relative, who is the worker
    r"(?!的?(?:爸|妈|爹|娘|老公|老婆|丈夫|爱人|媳妇|哥|弟|姐|妹|儿子|女儿|叔|舅|姑|姨|爷|奶|家里?人))"
)
#: Pay refused or never arrived, told without 欠 or 不给 ("他就是不肯给", "老板说没钱发",
#: "工资一直没有到账"); the recall guard reads it as wages owed too.
PAY_REFUSED = (
    r"不(?:肯|愿意?)(?:给|发|付|结)|收不到|没有?(?:收|领)到(?!任何|回复|答复|回音|消息|通知|电话|短信)"
    r"|没有?到账|没有?(?:打钱|打款)|没钱(?:发|给|付|结)"
)
_UNPAID_RE = re.compile(
    r"欠|没发|没给|未发|不发|不给|没拿到|拿不到|没领到|领不到|要不到|要不回|一分没|一分钱没"
    r"|[无冇没]出粮|冇粮出|没结|未付|没付|白做|白干|拖了|拖着|一拖再拖|没要回|没讨回|没到手"
    r"|没有(?:给|发|付|结|支付)|只(?:给|发|付)了?(?=[^,。]{0,8}生活费)|唔见咗"
    r"|跑路|跑了|赖账|尾款|讨薪|讨要|血汗钱|辛苦钱|克扣|扣着|不兑现|拉黑|不接电话|打不通|躲着|联系不上"
    r"|没着落|(?:要|讨|拿)回(?:我的)?(?:工钱|工资)"
    rf"|{PAY_REFUSED}"
)
#: A sum or months of pay owed to the writer by name ("仍拖欠我8600元工钱", "差我一万多块",
#: "欠了我三个月的工钱"): the writer's own complaint, even where "我们" elsewhere speaks of
#: the work ("我们这个活按进度给钱").
_OWED_ME_A_SUM_RE = re.compile(
    r"(?:欠|差|少)了?(?:我|俺)(?!们|哋|地)的?[0-9一二两三四五六七八九十几百千万,.，]{1,10}"
    r"(?:多|来|余)?(?:块|元|万|千|个?月的?(?:工资|工钱|薪水))"
)
#: "We" alone, which a lone writer also says of the work, the site or the family.
_WE = {"我们", "俺们", "咱们", "咱"}
#: Shorter messages may be answers to the form's questions, not stories.
_STORY_CHARS = 24
#: Someone other than the writer, or several people: "农民工被拖欠工资", "他的工钱",
#: "钢筋工和木工都没拿到".
_SOMEONE_ELSE_RE = re.compile(
    r"[他她佢]|[和跟与及、][^,，。]{0,8}都|农民工|工人|员工|劳动者|雇员|打工的|务工|民工"
    r"|朋友|亲戚|老乡|家人|老公|老婆|丈夫|妻子|爱人|儿子|女儿|父亲|母亲|爸|妈|哥|弟|姐|妹"
    r"|别人|人家|有人|某"
)
#: Any sign of a group of workers: then the count is asked, never guessed.
_GROUP_RE = re.compile(
    r"我们|俺们|咱们|咱|大家|工友|兄弟|伙计|同事|老乡|一起(?!长大|上学|读书|念书|玩)|一块(?!长大|上学|读书|玩)|班组|队里|全体|所有人|[^他她它]们"
    r"|哋|我地|佢地"  # Cantonese plurals: "欠我哋人工"
    # a foreman or manager writing for the workers: "我是包工头,手下的工人工资没给"
    r"|手下|班底|我带的|(?:我|本人)是(?:个)?(?:包工头|工头|班长|班组长|带班|项目经理|劳务老板)"
    # "我作为瓦工组的组长", "本人是该项目木工班的班长": the leader of a crew
    r"|(?:我|本人)(?:是|作为|当)[^,，。;；!！?？]{0,10}(?:组长|班长|队长)"
    r"|(?:工人|民工)(?:的|们)?(?:工资|工钱)"
    r"|[0-9一二两三四五六七八九十百几多]{1,6}(?:个|名|位)?(?:人|工人|民工|师傅)|等人"
    r"|(?:我|俺)(?:和|跟|与|带着)(?:我的?)?(?:老婆|老公|媳妇|丈夫|妻子|爱人|孩子|儿子|女儿|弟|哥|姐|妹|父亲|母亲|爸|妈|亲戚)"
)


#: A story told of one relative, who is named first: "姐夫在石料场干了大半年…老板拖了两年不给"
#: (no "们" anywhere: "他们" would be more than one).
_ONE_RELATIVE_RE = re.compile(
    r"(?!.*们)(?:我|俺)?(?:的|家)?(?:姐夫|妹夫|老公|丈夫|爱人|父亲|爸爸?|爹|母亲|妈妈?|娘|儿子|女儿"
    r"|哥哥?|弟弟?|姐姐?|妹妹?|舅舅|叔叔|表哥|表弟|堂哥|堂弟|侄子|外甥|女婿)(?![和跟与、夫])",
    re.DOTALL,
)
#: Who found the writer the job ("经老乡介绍"), who is no one owed.
_INTRODUCED_RE = re.compile(r"经过?(?:老乡|朋友|亲戚|熟人|同乡)的?介绍")
#: Words quoted from someone else ("老板讲:“钱给了你们就都跑了”"): their "你们" and "我们"
#: are no group of the writer's. A quote a message cuts off runs to its end.
_QUOTED_RE = re.compile(r"[“「『][^”」』]*(?:[”」』]|$)")


#: The writer and one relative or workmate: "我和老公在工地干了半年", "俺跟俺弟".
_PAIR_RE = re.compile(
    r"(?:我|俺)(?:和|跟|与|同|带着)(?:我|俺)?的?"
    r"(?:老婆|老公|媳妇|丈夫|妻子|爱人|儿子|女儿|弟弟?|哥哥?|姐姐?|妹妹?|父亲|母亲|爸爸?|妈妈?"
    r"|表哥|表弟|堂哥|堂弟|侄子|外甥|女婿|一个(?:工友|老乡|朋友|同事))(?![们等和跟与、])"
)


def _find_lone_worker(text: str) -> Iterator[_Found]:
    """A headcount of one in prepared ``text`` when the wages owed are the writer's alone
    ("老板欠我工资三个月不给"), or of two for the writer and one relative or workmate
    ("我和老公干了半年,老板欠我们两万"): such a worker is not asked how many were owed.
    Anything that speaks of a larger group, or a count of its own, leaves the count to be
    asked."""
    owed = _OWED_TO_ONE_RE.search(text)
    unpaid = None if owed else _UNPAID_RE.search(text)
    if unpaid:
        # The writer says "I", or a story names nobody at all: Chinese drops the pronoun
        # ("辛苦干了几个月,竟然被欠了1万多"), and a story about someone else names them. A
        # short answer inside the form ("三个月没发") is no story.
        owed = _WRITER_RE.search(text) or _ONE_RELATIVE_RE.match(text)
        others = _SOMEONE_ELSE_RE.search(_INTRODUCED_RE.sub("", text))
        if owed is None and len(text) >= _STORY_CHARS and not others:
            owed = unpaid
    if not owed or next(_find_headcounts(text), None):
        return
    # the boss's quoted "你们" and the fellow villager who found the job are no group owed
    told = _INTRODUCED_RE.sub("", _QUOTED_RE.sub("", text))
    groups = {m.group() for m in _GROUP_RE.finditer(told)}
    pair = _PAIR_RE.search(text)
    if pair and groups <= _WE | {pair.group(), "一起", "一块"}:
        # the writer and one other, and "我们" is the two of them
        yield _Found("headcount", pair.start(), pair.end(), Headcount(2))
        return
    if groups and not (groups <= _WE and _OWED_ME_A_SUM_RE.search(text)):
        return
    yield _Found("headcount", owed.start(), owed.end(), Headcount(1))


def _is_each(text: str, m: re.Match[str]) -> bool:
    """Whether the headcount match ``m`` is the "一人" of "一人八千多" (each one's share)."""
    if m.group("num") != "一" or m.group("pre") or m.group("low"):
        return False
    if m.start() > 0 and text[m.start() - 1] in "我俺他她就只":
        return False  # "我一个人": a worker alone
    return _EACH_THEN_SUM.match(text, m.end()) is not None


def normalise_headcount(span: str) -> Headcount | None:
    """Normalise a number of workers.

    "我们五个人" -> 5, "班组12人" -> 12, "将近四十个人" -> 40 (approximate), "十几个人" -> 10
    (approximate), "二三十个工人" -> 20 (approximate), "我一个人" -> 1.  A bare number is
    accepted when it is the whole span (a reply to "how many of you?").
    """
    text = _strip_span(span)
    found = _first_value(_find_headcounts(text), Headcount)
    if found is None and re.fullmatch(_NUM_SIMPLE, text):
        counted = _count(text, 100_000)
        found = Headcount(*counted) if counted else None
    return found


# Phone numbers

_MOBILE_RE = re.compile(
    r"(?<![0-9])(?:(?:\+|00)?86[ -]?)?(?P<num>1[3-9](?:[ -]?[0-9]){9})(?![0-9])"
)
_LANDLINE_RE = re.compile(
    r"(?<![0-9])(?P<code>\(?0[1-9][0-9]{1,2}\)?)[ -]?(?P<local>[1-9][0-9]{6,7})(?![0-9])"
)


def _landline(code: str, local: str) -> str | None:
    """Format a landline as "0519-88776655", using the national rule for area code lengths."""
    digits = code.strip("()") + local
    code_len = 3 if digits[:2] in {"01", "02"} else 4
    area, number = digits[:code_len], digits[code_len:]
    if not 7 <= len(number) <= 8 or number.startswith("0"):
        return None
    return f"{area}-{number}"


#: A mobile number read out digit by digit, as voice input writes it ("一三九幺二...").
_SPOKEN = "零〇一幺二两三四五六七八九"
_SPOKEN_DIGITS = str.maketrans(_SPOKEN, "0011223456789")
_SPOKEN_MOBILE_RE = re.compile(
    rf"(?<![{_SPOKEN}十百千万])[一幺][三四五六七八九](?:[ -]?[{_SPOKEN}]){{9}}"
    rf"(?![{_SPOKEN}十百千万])"
)


def _find_phones(text: str) -> Iterator[_Found]:
    """Mainland mobile and landline numbers in prepared ``text``, also spoken mobiles."""
    taken = bytearray(len(text))  # a mark per character: overlap checks stay linear
    for m in _MOBILE_RE.finditer(text):
        taken[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
        yield _Found("phone", m.start(), m.end(), re.sub("[ -]", "", m.group("num")))
    for m in _SPOKEN_MOBILE_RE.finditer(text):
        taken[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
        digits = re.sub("[ -]", "", m.group(0)).translate(_SPOKEN_DIGITS)
        yield _Found("phone", m.start(), m.end(), digits)
    for m in _LANDLINE_RE.finditer(text):
        if any(taken[m.start() : m.end()]):
            continue
        number = _landline(m.group("code"), m.group("local"))
        if number is not None:
            yield _Found("phone", m.start(), m.end(), number)


def normalise_phone(span: str) -> str | None:
    """Normalise a phone number; None unless it is a valid mainland number.

    Mobiles (1[3-9] and 9 digits; spaces, dashes, +86/0086 and full-width digits allowed)
    become 11 digits; landlines (0, a 2-3 digit area code, 7-8 digits) become "0519-88776655".
    Surrounding words ("手机:") are ignored; a longer digit string is rejected.
    """
    return _first_value(_find_phones(_strip_span(span)), str)
