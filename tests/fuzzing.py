"""Hypothesis settings and text strategies shared by the ``test_fuzz_*`` modules.

The example counts are modest so that the whole fuzz set runs in well under a minute;
``HYPOTHESIS_PROFILE=deep`` runs ten times as many (a nightly job, or after a change to a
parser). The example database stays off: a failure is reproduced from the printed example
and kept as an explicit ``@example``.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

#: Per test: how many examples in the normal and in the deep run.
EXAMPLES = {"default": 1, "deep": 10}[os.environ.get("HYPOTHESIS_PROFILE", "default")]


def fuzz(examples: int, *, database: bool = False) -> settings:
    """Settings for one fuzz test: ``examples`` (times the profile's factor), no deadline
    when the database is involved (its timing is the machine's, not the code's)."""
    return settings(
        max_examples=examples * EXAMPLES,
        deadline=None if database else 2000,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


#: Characters of workers' messages: numerals, units, money and time words, traditional
#: and full-width forms, separators, and the ASCII a phone keyboard offers.
_NUMERALS = "零〇一二两俩三仨四五六七八九十拾百佰千仟万萬亿几多来余半整"
_WORDS = (
    "个人名位年月日号天周星期礼拜块元钱圆¥￥RMB到至从去今前上下春节后以来开始现在左右出头"
    "工地项目部公司有限老板包工头王张李我们叫是姓腊正的了欠工资电话手机身份证号"
)
_DIGITS = "0123456789０１２３４５６７８９"
_MARKS = " .,，。、:：;-—~+()（）wWkK\t\n\u3000"
MESSAGE_ALPHABET = _NUMERALS + _WORDS + _DIGITS + _MARKS

#: Short texts made of those characters, anything at all, and digit runs shaped like numbers.
messages = st.one_of(
    st.text(alphabet=MESSAGE_ALPHABET, max_size=40),
    st.text(max_size=60),
    st.from_regex(r"(\+86|0086|86)?[ -]?1[0-9][0-9 -]{8,14}", fullmatch=True),
    st.from_regex(r"\(?0[0-9]{2,3}\)?[ -]?[0-9]{6,9}", fullmatch=True),
    st.builds(
        lambda a, b, c: a + b + c,
        st.text(alphabet=_NUMERALS + _DIGITS + ".,", min_size=1, max_size=8),
        st.sampled_from(["", "万", "千", "w", "k", "块", "元", "个人", "个月", "年", "月", "天"]),
        st.text(alphabet=_NUMERALS + "多来左右到至-", max_size=4),
    ),
)
