"""Sums of money: the amount owed and wage rates, which are never the amount owed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from nlu.normalise.numbers import (
    _APPROX_PREFIX,
    _CN_BODY,
    _MAG,
    _NUM,
    _first_value,
    _Found,
    _parse_number,
    _strip_span,
)
from nlu.types import Amount

# Amounts

_AMOUNT_RE = re.compile(
    rf"(?<![0-9.第])(?P<pre>{_APPROX_PREFIX})?"
    r"(?:(?P<cur>[¥￥$]|RMB|rmb|人民币)\s?)?"
    rf"(?P<num>{_NUM})"
    rf"(?:\s?(?:-|~|到|至|、|或)\s?(?P<num2>{_NUM}))?"
    r"(?P<post>多|来|余|左右|上下|出头)?"
    r"(?:\s?(?P<unit>块钱|块|元钱|元(?!旦)|圆|RMB|rmb|人民币))?"
    r"(?P<post2>多|左右|上下|出头)?"
)
#: After a bare number these words make it a count, a time or a size, not money.
_NOT_MONEY_NEXT = re.compile(
    r"[0-9个人名位号天日月年周岁次米平方斤吨层栋楼户套台辆张条点分倍%期届]"
)
#: Words right before a bare number that make it money ("欠我4500", "工资一共8000").
_MONEY_CUE = re.compile(
    r"(?:欠|赊账|赊|工资|工钱|欠款|欠薪|薪水|薪资|工费|人工费|钱|金额|数额|还差|差|剩下|剩|少给|少了|结了|结|"
    r"尾款|余款|工程款|劳务费|"
    r"一共|总共|合计|共计|共|月薪|日薪|工价|给了|发了|只给|只发|"
    # A plea for part of the money: "能不能先给5000", "再给3000也行", "还我2000".
    r"先给|再给|先发|再发|先结|再结|还我|先还|"
    r"每人|每个人|一人|人均|每天|一天|每月|一个月)"
    r"[我们你他她了的是有还为约才就只:\s]{0,4}$"
)
#: Words right after a bare number that make it an unpaid sum ("赊账5000多未付").
_UNPAID_AFTER = re.compile(
    r"\s?(?:块钱?)?,?(?:到现在|至今|现在|一直)?都?(?:还?没给|还?没发|还?没结|未付|未结|未发|没到账|没拿到)"
)
_HOTLINES = frozenset({"110", "119", "120", "12315", "12320", "12333", "12345", "12348", "12351"})
#: A wage rate is not the sum owed: "每天300", "日工资三百五", "月薪6000", "一天三百二" and
#: "350一天". "一天"/"一个月" before a number is a rate unless a verb makes it the time
#: worked ("干了一个月5000没给"); "两个月工资4500" is two months' pay (owed).
#: Piece rates by area ("一平方米4块钱", "26块一个平方") are rates too.
_PER_AREA = r"(?:一|每)个?平(?:方米?|米)|每方|一方(?!面)"
#: Piece and hourly rates: "0.8元一公斤", "每小时22元", "一件两毛".
_PER_PIECE = r"(?:一|每)(?:公斤|斤|件|吨|车|亩|箱|小时|个小时|钟头)|时薪|/小时"
_RATE_BEFORE = re.compile(
    r"(?:每天|每日|每个月|每月|日薪|日工资|日工|月薪|(?<!个)月工资|工价|一天|一个月|"
    rf"{_PER_AREA}|{_PER_PIECE})"
    r"(?:的?(?:工钱|工资|工价))?"
    # "一天的工钱只有八十", "每月甚至赚不到两千": what the work paid, said with an adverb
    r"(?:(?:只有|只|才|就|也就|甚至)(?:拿到?|挣|赚)?(?:不到)?|(?:可以?|能)(?:拿到?|挣|赚)?)?"
    r"[的是给有按算:\s]{0,2}$"
)
_RATE_AFTER = re.compile(
    rf"\s?(?:一天|每天|一日|/天|一个月|每个月|每月|/月|{_PER_AREA}|/平(?:方米?|米)?|/㎡|{_PER_PIECE})"
)
#: A verb before "一天"/"一个月" makes it the time worked.
_LASTED_RE = re.compile(r"(?:干|做|欠|拖|待|呆|上)了?$")


def _amount_from_match(m: re.Match[str]) -> Amount | None:
    """Amount for one ``_AMOUNT_RE`` match, ignoring whether it is money at all."""
    first, second = m.group("num"), m.group("num2")
    approx = bool(m.group("pre") or m.group("post") or m.group("post2") or second)
    if second:
        # "5-6千": the magnitude of the upper bound applies to the lower one.
        magnitude = re.search(f"{_MAG}$", second)
        if magnitude and not re.search(f"{_MAG}", first):
            first += magnitude.group(0)
    parsed = _parse_number(first)
    if parsed is None:
        return None
    value, vague = parsed
    if value <= 0 or value >= Decimal(10) ** 10:
        return None
    return Amount(yuan=value, approximate=approx or vague)


def _has_money_marker(m: re.Match[str]) -> bool:
    """True when the match itself says it is money: currency or a magnitude word."""
    if m.group("cur") or m.group("unit"):
        return True
    return bool(re.search(f"{_MAG}|[百千万亿]", m.group("num") + (m.group("num2") or "")))


#: Sums written without a leading digit: "万多元", "万把块钱", "千把块", "百十来万".
_LOOSE_AMOUNT_RE = re.compile(
    rf"(?<![0-9{_CN_BODY}])(?:(?P<mag>[万千])[多把](?:块钱|块|元钱|元)|(?:百十来?|百把)万)"
)
#: Before a sum, these say it is each worker's share: "一人八千多", "每人发了四千多".
_PER_PERSON_BEFORE = re.compile(
    r"(?<![我俺他她就])(?:每人|每个人|每位|一人|一个人|人均|平均每人|平均一个人|每个工人)"
    r"[都就才各只是有的还:\s]{0,3}(?:发了?|给了?|欠了?|拿了?|分了?|差|算)?[我们了有:\s]{0,2}$"
)
#: What is still owed ("还欠7万多") beats earlier sums in the same message ("原来欠15万").
_REMAINING_BEFORE = re.compile(
    r"(?:还欠|还差|尚欠|仍欠|还剩|剩下|剩余|余下|还有)[了我们他她的工资钱款共约:\s]{0,4}$"
)
#: The wages inside a larger sum owed: "共欠工程款430多万元,其中工资260多万元".
_WAGES_PART_BEFORE = re.compile(
    r"其中(?:农民工|民工|工人)?(?:工资|工钱|人工费?|劳务费)(?:款|部分)?[是有为约共计:\s]{0,3}$"
)
#: Money already received is not the sum owed when the message names another sum.
_PAID_BEFORE = re.compile(
    r"(?:给了|给过|给我|发了|发过|拿了|拿到|收到|支了|支过|付了|已付|已发|已给|结了|借了)"
    r"[我们了他她的有工资钱共约:\s]{0,3}$"
)

#: A total agreed or earned ("说好的3万", "大家的加起来该有70多万"), from which a part paid
#: ("只给了1万", "才拿了20多万") is taken away to give what is still owed.
_TOTAL_BEFORE = re.compile(
    r"(?:一共|总共|共计|合计|总计|加在一起|加起来|说好的?|讲好的?|谈好的?|应该是|应该有|该拿|应得|应发"
    r"|本该|本来是|总价|总额)[了我们的是有约为共计拿:\s]{0,4}$"
)
_PART_PAID_BEFORE = re.compile(
    r"(?:才|只|仅)(?:拿|给|发|付|结|领|支)(?:了|到|过)?(?:我们?|俺们?|他们?)?[了的共约:\s]{0,2}$"
)

#: A living allowance is money handed out, not the sum owed: "每月只能领到1500元的生活费".
_ALLOWANCE_AFTER = re.compile(r"(?:块钱?|元)?的?生活费")


def _find_amounts(text: str, whole: bool = False) -> Iterator[_Found]:
    """Money amounts in prepared ``text``, wage rates left out (``_find_wage_rates``).

    A number is money when it carries a currency word or a magnitude ("三千", "2万"), or when a
    money cue precedes it ("欠我4500").  ``whole`` also accepts a bare number that is the
    entire text (a reply to "how much?").  A sum said per person is marked ``per_person``.
    Sums before the wages inside a larger sum ("其中工资260多万元") are dropped. When a
    message names what is still owed ("还欠7万多"), earlier sums are dropped; a total less
    the part of it paid ("总共该拿3万,只给了1万") is the sum owed; sums already paid ("给我1万
    元") are dropped when another sum remains, and a living allowance ("八百块的生活费") always.
    """
    found = [
        (m.start(), m.end(), amount) for m, amount, rate in _find_money(text, whole) if rate is None
    ]
    loose = list(_loose_amounts(text))
    if loose:  # "百十来万": the whole word wins over the "十来万" inside it
        covered = bytearray(len(text))
        for start, end, _ in loose:
            covered[start:end] = b"\x01" * (end - start)
        found = [f for f in found if not any(covered[f[0] : f[1]])] + loose
        found.sort(key=lambda f: f[0])
    for start, end, amount in _owed_first(text, found):
        if _PER_PERSON_BEFORE.search(text, max(0, start - 10), start):
            amount = Amount(amount.yuan, amount.approximate, per_person=True)
        yield _Found("amount", start, end, amount)


def _loose_amounts(text: str) -> Iterator[tuple[int, int, Amount]]:
    """Sums without a leading digit: "万多元" -> 10000, "百十来万" -> 1,000,000."""
    for m in _LOOSE_AMOUNT_RE.finditer(text):
        size = {"万": 10_000, "千": 1000}.get(m.group("mag") or "", 1_000_000)
        yield m.start(), m.end(), Amount(Decimal(size), approximate=True)


def _owed_first(text: str, found: list[tuple[int, int, Amount]]) -> list[tuple[int, int, Amount]]:
    """The sums of a message with the one still owed first: see ``_find_amounts``."""
    wages = [f for f in found if _cued(_WAGES_PART_BEFORE, text, f[0])]
    if wages:  # the project's sum before it is no wage
        found = [f for f in found if f[0] >= wages[0][0]]
    remaining = [f for f in found if _cued(_REMAINING_BEFORE, text, f[0])]
    if remaining:
        return [f for f in found if f[0] >= remaining[0][0]]
    rest = _total_less_paid(text, found)
    if rest is not None:
        return [rest]
    # A living allowance is never the sum owed, even alone: the form asks instead.
    owed = [f for f in found if not _ALLOWANCE_AFTER.match(text, f[1])]
    return [f for f in owed if not _cued(_PAID_BEFORE, text, f[0])] or owed


def _cued(pattern: re.Pattern[str], text: str, start: int) -> bool:
    """Whether ``pattern`` ends right before ``start`` (within 8 characters)."""
    return pattern.search(text, max(0, start - 8), start) is not None


def _total_less_paid(
    text: str, found: list[tuple[int, int, Amount]]
) -> tuple[int, int, Amount] | None:
    """A total less the part of it paid after ("总共该拿3万,只给了1万" -> 20000), at the
    total's place, or None when the message tells no such pair."""
    total = next((f for f in found if _cued(_TOTAL_BEFORE, text, f[0])), None)
    if total is None:
        return None
    part = next(
        (f for f in found if f[0] > total[0] and _cued(_PART_PAID_BEFORE, text, f[0])), None
    )
    if part is None or part[2].yuan >= total[2].yuan:
        return None
    owed = Amount(total[2].yuan - part[2].yuan, total[2].approximate or part[2].approximate)
    return total[0], total[1], owed


def _find_wage_rates(text: str) -> Iterator[_Found]:
    """Wage rates in prepared ``text``, their unit included in the span, so that the unit is
    not read as a duration as well ("一天三百二" is no 1-day period)."""
    for _m, amount, rate in _find_money(text):
        if rate is not None:
            yield _Found("wage_rate", rate[0], rate[1], amount)


def _find_money(
    text: str, whole: bool = False
) -> Iterator[tuple[re.Match[str], Amount, tuple[int, int] | None]]:
    """Every sum of money: its match, its value and, for a wage rate, the rate's span."""
    for m in _AMOUNT_RE.finditer(text):
        if not m.group("num"):
            continue
        marked = _has_money_marker(m)
        if not m.group("unit") and _NOT_MONEY_NEXT.match(text, m.end()):
            continue
        if not marked:
            bare = m.group("num")
            if not bare[0].isdigit() and not re.search("[十拾]", bare):
                continue  # lone Chinese digits ("一直", "三天两头") are words, not sums
            cued = (
                _MONEY_CUE.search(text, max(0, m.start() - 8), m.start()) is not None
                or _RATE_AFTER.match(text, m.end()) is not None  # "350一天"
                or _RATE_BEFORE.search(text, max(0, m.start() - 8), m.start()) is not None
                or _UNPAID_AFTER.match(text, m.end()) is not None  # "5000多未付"
            )
            if bare in _HOTLINES or not (cued or (whole and m.group(0) == text)):
                continue
        amount = _amount_from_match(m)
        if amount is not None:
            yield m, amount, _rate_span(text, m)


def _rate_span(text: str, m: re.Match[str]) -> tuple[int, int] | None:
    """Where the wage rate around the sum ``m`` starts and ends, or None if it is no rate."""
    before = _RATE_BEFORE.search(text, max(0, m.start() - 8), m.start())
    if before is not None and before.group().startswith(("一天", "一个月")):
        lasted = _LASTED_RE.search(text, max(0, before.start() - 2), before.start())
        before = None if lasted else before
    after = _RATE_AFTER.match(text, m.end())
    if before is None and after is None:
        return None
    if (
        before is not None
        and before.group().startswith("一个月")
        and _UNPAID_AFTER.match(text, m.end())
    ):
        return None  # "最后一个月工资4760还没结": that month's pay is owed, not a rate
    return (before.start() if before else m.start(), after.end() if after else m.end())


def normalise_amount(span: str) -> Amount | None:
    """Normalise a money span to yuan as an exact ``Decimal``.

    "三万五" -> 35000, "1.2万" -> 12000, "¥3,500" -> 3500, "3万5" -> 35000, "一万多块" -> 10000
    (approximate), "五六千" -> 5000 (approximate).  A bare number ("4500") is accepted when it
    is the whole span; numbers that are counts or times ("5个人", "12月") give None.
    """
    text = _strip_span(span)
    return _first_value(_find_amounts(text, whole=True), Amount)
