"""Table tests for the rule-based fallback intent classifier (nlu.rules)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nlu.rules import PRIORITY, classify, ranking
from nlu.types import INTENTS

CASES = [
    # report_arrears: the intent that must not be missed, including story fragments
    ("老板欠我们5个人十二万，干了三个月一分没拿到", "report_arrears"),
    ("我在紫荆苑工地干了三个月,老板欠我们5个人十二万", "report_arrears"),
    ("包工头跑了，电话一直打不通", "report_arrears"),
    ("电话一直打不通", "report_arrears"),
    ("工资拖了半年了还不给", "report_arrears"),
    ("老闆拖欠我們三個月工資", "report_arrears"),
    ("我想投诉我们老板", "report_arrears"),
    ("干完活老板说下个月给，结果到现在也没给", "report_arrears"),
    ("去年在工地干的钱到现在还没结", "report_arrears"),
    ("我们班组十几个人的工钱还没发", "report_arrears"),
    ("老板只给了一半，还差两万多", "report_arrears"),
    ("你好，我要反映欠薪问题", "report_arrears"),
    ("年底了包工头把我们拉黑了", "report_arrears"),
    ("谢谢，但是老板还欠我两万没给", "report_arrears"),
    ("活干完了老板人找不到了", "report_arrears"),
    ("辛辛苦苦干了一年，到头来白干", "report_arrears"),
    ("老板拖欠工资怎么办", "report_arrears"),
    ("还没拿到钱，谢谢", "report_arrears"),
    ("老板欠我三万块，麻烦帮我看看，谢谢", "report_arrears"),
    ("项目部说钱给了包工头，包工头说没收到，我们的钱谁给", "report_arrears"),
    ("我们在城南那个楼盘干了大半年，老板每次都说再等等", "report_arrears"),
    # query_status: asking about, or telling the story of, a complaint already made
    ("打了12345说转给街道,街道又让我去找劳动监察", "query_status"),
    ("我上周投诉的怎么样了", "query_status"),
    ("我的投诉有结果了吗", "query_status"),
    ("提交了半个月了还没人联系我", "query_status"),
    ("劳动监察大队说不归他们管，让我去找住建局", "query_status"),
    ("什么时候能处理好", "query_status"),
    ("我之前反映的欠薪问题，现在进展怎么样", "query_status"),
    ("老板欠我工资，我打了12345，转给街道，街道到现在也没人管", "query_status"),
    ("查一下我的投诉", "query_status"),
    # cancel
    ("我不想投诉了", "cancel"),
    ("取消", "cancel"),
    ("算了，老板已经把钱给我了，不用处理了", "cancel"),
    ("撤回我的投诉", "cancel"),
    # request_human
    ("转人工", "request_human"),
    ("我要跟工作人员说", "request_human"),
    ("你是机器人吧，听不懂，找个真人", "request_human"),
    ("能不能让人给我打个电话", "request_human"),
    # thank: wage words, but the wages have arrived
    ("谢谢你们，工资终于讨回来了", "thank"),
    ("多亏你们帮忙，拖欠的工资都拿到了", "thank"),
    ("钱已经到账了，太感谢了", "thank"),
    ("谢谢", "thank"),
    ("好的谢谢", "thank"),
    ("謝謝你們", "thank"),
    # short replies
    ("你好", "greet"),
    ("在吗？", "greet"),
    ("是的", "affirm"),
    ("对", "affirm"),
    ("好的", "affirm"),
    ("嗯嗯", "affirm"),
    ("不是", "deny"),
    ("没有", "deny"),
    ("再见", "goodbye"),
    ("拜拜", "goodbye"),
    # provide_info: nothing but slot values
    ("13812345678", "provide_info"),
    ("12万", "provide_info"),
    ("我叫张三", "provide_info"),
    ("张三", "provide_info"),
    ("紫荆苑工地", "provide_info"),
    ("5个人", "provide_info"),
    ("电话是0519-88776655", "provide_info"),
    ("去年10月到今年1月", "provide_info"),
    ("木工", "provide_info"),
    ("江苏华远建设工程有限公司", "provide_info"),
    # ask_policy
    ("没签合同能要回工资吗", "ask_policy"),
    ("拖欠农民工工资有什么法律规定", "ask_policy"),
    ("投诉需要什么材料", "ask_policy"),
    ("劳动仲裁要多久", "ask_policy"),
    # other_labour: injuries, social insurance, dismissal, often told as stories
    ("从脚手架上摔下来腿断了，老板一直不管", "other_labour"),
    ("年纪大了就不让干了", "other_labour"),
    ("公司不给交社保", "other_labour"),
    ("被公司辞退了，没有任何补偿", "other_labour"),
    ("干活的时候手被机器压伤了", "other_labour"),
    # out_of_scope
    ("今天天气怎么样", "out_of_scope"),
    ("给我讲个笑话", "out_of_scope"),
    ("哪里有招工的", "out_of_scope"),
    ("abc", "out_of_scope"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_classify(text: str, expected: str) -> None:
    intent, confidence = classify(text)
    assert intent == expected
    assert 0 < confidence < 1


def test_stock_phrase_is_confident() -> None:
    assert classify("好的") == ("affirm", 0.95)


def test_no_cue_long_story_is_a_low_confidence_complaint() -> None:
    intent, confidence = classify("我们那边一起来的人都是一个村的，大家都在等")
    assert intent == "report_arrears"
    assert confidence <= 0.3


def test_empty_message() -> None:
    assert classify("   ")[0] == "out_of_scope"


def test_priority_covers_every_intent() -> None:
    assert sorted(PRIORITY) == sorted(INTENTS)


def test_ranking_is_sorted() -> None:
    scores = [score for _, score in ranking("老板欠我两万")]
    assert scores == sorted(scores, reverse=True)


@settings(max_examples=300, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(st.text())
def test_classify_never_raises(text: str) -> None:
    intent, confidence = classify(text)
    assert intent in INTENTS
    assert 0 <= confidence <= 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The recall guard's second look also runs in the degraded mode...
        ("要不是你们帮忙,我这点辛苦钱怕是要不回来了", "thank"),
        ("那些送快递的小哥天天跑,一个月工资也就五千来块", "out_of_scope"),
        # ...and a plain complaint stays a complaint.
        ("老板欠我三个月工资不给", "report_arrears"),
    ],
)
def test_rules_take_the_guards_second_look(text: str, expected: str) -> None:
    assert classify(text)[0] == expected
