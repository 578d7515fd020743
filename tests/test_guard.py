"""The recall guard after the intent classifier (table of cases, no server)."""

from __future__ import annotations

import pytest

from nlu.guard import in_crisis, recall_first, says_wages_owed
from nlu.normalise import to_simplified


@pytest.mark.parametrize(
    ("intent", "text", "expected"),
    [
        # Complaints told as stories that Rasa takes for something else become complaints.
        ("query_status", "钱一直没结清楚 现在还差十一万多 包工头说要等上面的钱", "report_arrears"),
        ("provide_info", "欠我工资1万8千5百元,包工头叫马卫东,电话打不通", "report_arrears"),
        ("nlu_fallback", "年后开工到现在没发过一次工资", "report_arrears"),
        ("out_of_scope", "干了俩月白干 老板把厂子转了 新老板不认账", "report_arrears"),
        # Real status questions refer to an earlier complaint or an office: kept.
        ("query_status", "上次反映那个工地欠钱的事情怎么样了", "query_status"),
        ("query_status", "我在平台提交过 显示已办结 但钱没拿到", "query_status"),
        (
            "query_status",
            "打了12345说转给街道,街道又让我去找劳动监察,欠的钱还是没给",
            "query_status",
        ),
        # Questions stay questions; short answers stay answers; thanks stay thanks.
        ("ask_policy", "欠薪投诉需要准备什么证据", "ask_policy"),
        ("ask_policy", "分包老板欠钱 总包有没有责任先垫付", "ask_policy"),
        ("provide_info", "欠了5个月", "provide_info"),
        ("provide_info", "一共是46000,有欠条", "provide_info"),
        ("thank", "谢谢你们 拖欠的工资终于讨回来了", "thank"),
        ("query_status", "工资已经发了 谢谢 投诉可以撤了吗", "query_status"),
        # Polite words around a complaint are not thanks; a request for a human asks for one.
        ("thank", "工资拖欠了三个月 你们能不能帮帮我 谢谢了", "report_arrears"),
        ("thank", "老板今天把欠的钱都结了 谢谢政府", "thank"),
        ("thank", "拖了半年的工钱没拿到手 麻烦你们了 谢谢", "report_arrears"),
        ("request_human", "说回来就给 回来了又不接电话 钱一分没有", "report_arrears"),
        ("request_human", "老板欠钱不给 我想找工作人员当面说", "request_human"),
        # A question about the worker's own wages is a complaint; one about the rules is not.
        ("ask_policy", "我们班组的工钱让包工头给黑了 这事谁管", "report_arrears"),
        ("ask_policy", "老板欠我工资三个月了怎么办", "report_arrears"),
        ("ask_policy", "恶意欠薪的老板会不会被抓", "ask_policy"),
        ("ask_policy", "欠薪多长时间就不能告了", "ask_policy"),
        # Waiting on the boss is a complaint, waiting on an office a status question.
        ("query_status", "说好月底结 结果拖到现在还没给 一分没见着", "report_arrears"),
        ("query_status", "从去年投诉到今年,一分钱没见到", "query_status"),
        ("query_status", "你们给老板打电话了吗,他到现在还没给", "query_status"),
        ("query_status", "调解的时候老板答应月底给钱,到现在还没给", "query_status"),
        # A form-like list of the complaint's facts is a complaint, not a bare answer.
        ("provide_info", "工地:城西物流园 欠款:4万2 人数:6 老板姓孙", "report_arrears"),
        # The worker's own debts are not wages owed.
        ("out_of_scope", "欠别人的信用卡还不上了怎么办", "out_of_scope"),
        # Real letters say it without a keyword: the boss vanished, the money is begged for.
        ("out_of_scope", "过完年回来厂门锁了,老板联系不上,三个月的钱就这样没了", "report_arrears"),
        ("nlu_fallback", "冇粮出已经两个月", "report_arrears"),
        ("query_status", "找过老板好几回,他老说下个月,我们的血汗钱到底啥时候给", "report_arrears"),
        ("query_status", "没要回来的钱还有两万多,工头躲着不见人", "report_arrears"),
        # a piece of a work story sent first is a piece of a complaint, not a bare answer
        ("provide_info", "我们是去年八月进场的,一直干到腊月二十才完工", "report_arrears"),
        ("provide_info", "这个活是老周从总包那里分包下来的,后来又转包给了别人", "report_arrears"),
        ("provide_info", "王德彪 他是包工头 我们都叫他老王", "provide_info"),
        ("provide_info", "我们班组长叫何军 干了五年 电话15161234567", "provide_info"),
        # a piece of a wage story is a complaint with no word of wages or of a boss in it:
        # real workers send their stories in pieces
        ("report_arrears", "家里没钱交暖气费,屋里冷得跟冰窖一样", "report_arrears"),
        ("report_arrears", "我们一个村去了十几个人,从开春干到腊月才完工", "report_arrears"),
        ("report_arrears", "打了二十几遍电话,一直不接,后来干脆关机了", "report_arrears"),
        ("report_arrears", "孩子开学的学费到现在还没有着落", "report_arrears"),
        ("report_arrears", "没钱回家过年,包工头还说等等", "report_arrears"),
        # a rule asked of any boss ("如果老板…") is a question, though the writer says "we"
        ("report_arrears", "要是包工头拖着不发工资,我们该去哪里投诉?", "ask_policy"),
        ("report_arrears", "如果老板再不给钱,我们就去劳动局", "report_arrears"),
        # pay not on time is no praise for a boss who pays on time
        ("report_arrears", "厂里从来不按时发工资,这个月又拖了", "report_arrears"),
        # pay put off week after week, money that cannot be got: no keyword, still owed
        ("query_status", "问了好几回,工头老是说下个礼拜,又过了一个月", "report_arrears"),
        ("provide_info", "厂长答应下个月就发,到现在人都找不着了", "report_arrears"),
        ("out_of_scope", "钱再要不来,年都没法过了", "report_arrears"),
        ("out_of_scope", "在窑厂烧了一年砖,最后揣回家一张白条", "report_arrears"),
        ("out_of_scope", "说好秋收完结账,现在人都找不着了", "report_arrears"),
        ("out_of_scope", "去要了五六趟,工头回回都说再等等", "report_arrears"),
        ("out_of_scope", "二十多号人跟着他干了一季,到今天一个说法都没有", "report_arrears"),
        ("out_of_scope", "讲好一天二百八,做完了只肯给两百", "report_arrears"),
        # An office or a court makes it a status question even without the word 投诉.
        ("query_status", "法院判了老板给钱,到现在一分没执行", "query_status"),
        # Thanks for money that came back are thanks, even when the classifier saw wage words.
        ("report_arrears", "拖了大半年的工钱终于到账了,太感谢你们了", "thank"),
        ("report_arrears", "多亏调解员帮忙,欠我们的工资领到了", "thank"),
        ("report_arrears", "监察大队的同志帮俺们拿回了辛苦钱,真心感谢", "thank"),
        ("report_arrears", "上回反映的工钱问题得到解决,谢谢领导", "thank"),
        ("report_arrears", "多亏监察大队,俺们年前拿到自己的辛苦钱", "thank"),
        ("report_arrears", "只盼年前能拿到自己的血汗钱,先谢谢了", "report_arrears"),
        # ...but not while money is still owed, or when gratitude is politeness around a plea.
        ("report_arrears", "谢谢你们帮忙,不过只拿到了一半,还欠一万二", "report_arrears"),
        ("report_arrears", "至今还没发工资,恳请帮我们讨回血汗钱,谢谢", "report_arrears"),
        # A complaint read as such gets a second look at what its words say.
        ("report_arrears", "法院都判了,老板还是一分不给", "query_status"),
        ("report_arrears", "找了好几个部门反映,到现在还是没拿到钱", "query_status"),
        ("report_arrears", "欠的工钱俺们跑遍了有关部门讨要未果", "query_status"),
        ("report_arrears", "材料寄给了县政府,欠薪的事一直没有得到任何答复", "query_status"),
        # an office that mediated, gave no clear answer, or sent the workers back to the boss
        ("report_arrears", "经街道干部协调了两回,老板还是一分没给", "query_status"),
        ("report_arrears", "俺们去过乡里的劳动保障所,人家也没有明确答复", "query_status"),
        ("report_arrears", "打了12345,那边叫我们自己去找包工头", "query_status"),
        # an injury told by how it happened, or a job ended, with no wages named
        ("report_arrears", "钢管滚下来压在我左脚上,当时就站不起来了", "other_labour"),
        ("report_arrears", "搬了一上午,后来整条胳膊都麻痹了", "other_labour"),
        ("report_arrears", "工友当场就被救护车拉走了", "other_labour"),
        ("report_arrears", "主管昨天通知我明天就不用来上班了", "other_labour"),
        ("report_arrears", "包工头拖欠农民工工资,总包单位是否承担责任", "ask_policy"),
        ("report_arrears", "劳动局管不管拖欠工资", "ask_policy"),
        ("report_arrears", "从脚手架上摔下来骨折了,医药费老板不管", "other_labour"),
        ("report_arrears", "老板欠薪快过年了怎么办", "report_arrears"),
        ("report_arrears", "被拖欠工资了,2万3,找谁", "report_arrears"),
        ("report_arrears", "摔伤了在家躺着,老板还把我三个月的工钱扣着", "report_arrears"),
        ("report_arrears", "客户投诉了,中介就扣着我的工资不给", "report_arrears"),
        # A question about pay under labour law (sick leave, notice, pensions) is not arrears...
        ("report_arrears", "放病假嗰幾日公司要唔要俾返全數人工?", "other_labour"),
        ("report_arrears", "试用期被辞退,工资按什么标准算?", "other_labour"),
        # ...unless the pay is withheld.
        ("report_arrears", "工伤休息了两个月,老板一直拖着工资不给,怎么办?", "report_arrears"),
        # A contract mentioned inside a story about pay is still about pay.
        ("report_arrears", "说好三百块钱一天,干完了他问我有合同没有,不认账", "report_arrears"),
        # Without arrears in the text nothing changes.
        ("query_status", "我的案子有进展了吗", "query_status"),
        ("other_labour", "在工地摔伤了老板不管", "other_labour"),
    ],
)
def test_recall_first(intent: str, text: str, expected: str) -> None:
    assert recall_first(intent, 0.9, text)[0] == expected


def test_a_promoted_complaint_gets_at_least_middling_confidence() -> None:
    assert recall_first("nlu_fallback", 0.3, "老板欠我工资三个月没发了")[1] >= 0.5


def test_thanks_for_a_recovery_are_not_sure_enough_to_skip_review() -> None:
    intent, confidence = recall_first("report_arrears", 0.95, "工资终于拿到手了 谢谢你们")
    assert intent == "thank" and confidence < 0.6


def test_a_complaint_the_classifier_missed_goes_to_review() -> None:
    assert recall_first("query_status", 0.95, "老板跑了 工钱一分没拿到")[1] < 0.6


# Issue 13: what a scratch sample of real messages showed the classifier calls complaints.
# Our own sentences in the shapes seen (traditional text is given simplified, as the client
# passes it to the guard).
@pytest.mark.parametrize(
    ("intent", "text", "expected"),
    [
        # Thanks told as "without you" are thanks for money that nearly stayed lost.
        ("report_arrears", "要不是你们帮忙,我这点辛苦钱怕是要不回来了", "thank"),
        ("report_arrears", "要不是你哋帮手,我啲人工应该都追唔返", "thank"),
        # ...but "without you" before a plea is still a plea.
        ("report_arrears", "要不是家里等钱用我也不来麻烦你们,老板还欠我八千", "report_arrears"),
        # The writer paid a builder: a consumer's quarrel, not wages.
        ("report_arrears", "装修款都付了,装修公司春节后就没开过门,房子才装一半", "out_of_scope"),
        ("report_arrears", "找了个木工说好干完给钱,活拖了两个月,尾款我先不给了", "out_of_scope"),
        # ...while a builder owed by a homeowner is still owed.
        ("report_arrears", "给业主装修干完了,装修款业主一直拖着不给我们工钱", "report_arrears"),
        # Praise for a boss who pays is no complaint; a comparison that ends owed is.
        ("report_arrears", "这样的老板不欠薪,人实在,明年还跟他干", "out_of_scope"),
        ("report_arrears", "别的工地都按时发,就我们这三个月没发", "report_arrears"),
        # Hospital stories without the word 工伤 are about injury.
        ("report_arrears", "住院半个月卡里没钱了,昨天停了药,包工头电话不回", "other_labour"),
        ("report_arrears", "快出院了施工队却找不着了,复查还要好几百", "other_labour"),
        # Hong Kong labour law: typhoon days, long service payment.
        ("report_arrears", "八号风球我冇返工,公司扣咗我成日人工,合唔合法?", "other_labour"),
        ("report_arrears", "做咗七年俾公司解雇,长期服务金点计?", "other_labour"),
        # How pay is computed, or a rule asked about anyone, is a policy question...
        ("report_arrears", "本人2月5日返工,26号走,请问人工如何计算?", "ask_policy"),
        ("report_arrears", "雇员如遇判头拖欠薪金,要几多日内通知总承判商?", "ask_policy"),
        # ...but asking for help with one's own unpaid wages stays a complaint.
        ("report_arrears", "能不能帮我要一下工资 就三千块 我一个人在外地", "report_arrears"),
        ("report_arrears", "咋整啊 干了一冬天 一个子儿没见", "report_arrears"),
        ("report_arrears", "付出了劳动总该有报酬吧", "report_arrears"),  # no owing word, still pay
        ("report_arrears", "我的工资怎么算的,老板只给了一半", "report_arrears"),
        # A coordination meeting whose promise lapsed is a status question.
        ("report_arrears", "开过协调会,开发商答应月底付清,期限过了只给了一小部分", "query_status"),
        # Contracts and dismissal win over "a question" (the label rule).
        ("ask_policy", "干了九年合同到期不续签,有补偿吗", "other_labour"),
        ("ask_policy", "判头拖粮,几多日内要通知大判?", "ask_policy"),
    ],
)
def test_second_look_on_real_shapes(intent: str, text: str, expected: str) -> None:
    assert recall_first(intent, 0.9, text)[0] == expected


# Issue 13, round four: more shapes from the grown sample (our own sentences, simplified).
@pytest.mark.parametrize(
    ("intent", "text", "expected"),
    [
        # Talk about other people's wages or the trade owes the writer nothing...
        ("report_arrears", "年关到了,有的农民工被老板拖着工钱,身上一分钱没有", "out_of_scope"),
        ("report_arrears", "那些送快递的小哥天天跑,一个月工资也就五千来块", "out_of_scope"),
        ("report_arrears", "祝在外打工的兄弟们今年都能拿到工钱回家", "out_of_scope"),
        ("report_arrears", "要工钱比干活还难,这是常事", "out_of_scope"),
        ("report_arrears", "电子厂流水线一个月到手大概六千五左右", "out_of_scope"),
        # ...and the classifier's "out of scope" is kept for it, not turned into a complaint.
        ("out_of_scope", "看到不少地方讨薪难,没想到老板包了辆车送我们回家", "out_of_scope"),
        ("out_of_scope", "现在工资都按时到账,过节还提前发,比以前强多了", "out_of_scope"),
        # ...while the writer's own unpaid wages, or a plea for the workers, stay complaints.
        ("report_arrears", "我们农民工兄弟干了一年,老板一分钱没给", "report_arrears"),
        ("report_arrears", "有的工友已经走了,我还在等,老板欠我四个月工资", "report_arrears"),
        ("report_arrears", "望政府帮帮农民工兄弟,工程干完半年了工资还没发", "report_arrears"),
        ("out_of_scope", "有的农民工被拖欠工资,我们工地也三个月没发了", "report_arrears"),
        # A labour-law question on rest days and holidays is never out of scope.
        ("out_of_scope", "休息日老板叫我返工,可唔可以拒绝?", "other_labour"),
        ("nlu_fallback", "劳工假撞正休息日,系咪要补假?", "other_labour"),
        ("out_of_scope", "老婆生仔公司话唔俾侍产假,点算", "other_labour"),
        # ...unless pay is withheld: then it is the worker's own wages.
        ("out_of_scope", "公众假期返工,做完成个月公司都冇出粮,点算?", "report_arrears"),
        # A hotline that came to nothing is a complaint already made.
        ("report_arrears", "打了讨薪热线,推给法院,让拿证据,到现在还是没人管", "query_status"),
    ],
)
def test_second_look_round_four(intent: str, text: str, expected: str) -> None:
    assert recall_first(intent, 0.9, text)[0] == expected


# Issue 13, round five: shapes from the fourth sample (our own sentences, simplified).
@pytest.mark.parametrize(
    ("intent", "text", "expected"),
    [
        # Arrears told without 欠: the money never came, only a living allowance, tomorrow.
        ("out_of_scope", "我开了半年挖机,该给我的钱到现在都没有给出来", "report_arrears"),
        ("nlu_fallback", "一个月只发八百块生活费,说剩下的等完工再给", "report_arrears"),
        ("out_of_scope", "找他结账,一推再推,从月初推到了月底", "report_arrears"),
        ("nlu_fallback", "老板说等验收完再给，都等了五个月了", "report_arrears"),
        # despair about the money and the family is a complaint (the issue's own words)
        ("out_of_scope", "一家老小快揭不开锅了,这个年怎么过", "report_arrears"),
        ("out_of_scope", "干了一年,现在连回家的路费都没有", "report_arrears"),
        ("nlu_fallback", "判头走佬,十几个兄弟追唔番", "report_arrears"),
        # Medical bills withheld after an injury are not wages.
        ("report_arrears", "我摔断了腿,老板一直拖欠医药费,说是分包的事", "other_labour"),
        ("report_arrears", "他从架子上摔下来,老板欠我们医疗费和三个月工资", "report_arrears"),
        # A labour bureau or a township that came to nothing is a complaint already made.
        (
            "report_arrears",
            "我们通过镇政府和县劳动局协调了几次,老板还是一分钱没给",
            "query_status",
        ),
        # ...but going there is still to come: the worker has not complained yet.
        ("report_arrears", "我要去劳动局告他,老板还是不给", "report_arrears"),
        # A rule asked without a story: a question about the rules.
        ("report_arrears", "拖欠工资多久可以报警?", "ask_policy"),
        ("report_arrears", "公司每月十号发上个月的工资,遇到节假日往后推,这样合法吗", "ask_policy"),
        # Thanks, with a worry that passed and money that nearly stayed lost.
        (
            "report_arrears",
            "之前还有些发愁,没想到钱一下子全发下来了,谢谢你们",
            "thank",
        ),
        (
            "report_arrears",
            "要不是你们出面,这笔工钱还不知什么时候才能到手",
            "thank",
        ),
    ],
)
def test_second_look_round_five(intent: str, text: str, expected: str) -> None:
    assert recall_first(intent, 0.9, text)[0] == expected


# Issue 13, round five, fresh sample: harm told as a story, praise, complaints made again and
# again (our own sentences).
@pytest.mark.parametrize(
    ("intent", "text", "expected"),
    [
        ("out_of_scope", "打了八年风钻,粉尘大,现在走几步就胸闷气短", "other_labour"),
        ("nlu_fallback", "干了十年的厂说倒闭就倒闭了,一下子失业了", "other_labour"),
        # a working day told by its length is harm of its own; unless its pay is owed
        ("out_of_scope", "在鞋厂天天上班十二个钟头,一个月才歇两天", "other_labour"),
        ("report_arrears", "包工头天天催,昨晚又加班到凌晨,今天还得六点起", "other_labour"),
        ("report_arrears", "天天加班到半夜,加班费一分没见着", "report_arrears"),
        # an injury's costs and compensation the boss refuses
        ("report_arrears", "每周回诊的车费和止痛药,老板说一概不管,补偿也不给", "other_labour"),
        # a firm gone with the money is wages owed, though no wages are named
        ("other_labour", "那个劳务公司和姓钱的老板都玩失踪了,电话一个也打不通", "report_arrears"),
        ("other_labour", "老板跑路了,我的工伤医药费没人管", "other_labour"),
        # an injured worker going round the clinics, Cantonese too
        ("out_of_scope", "手伤咗半年,每次睇医生都要排几个钟", "other_labour"),
        ("out_of_scope", "跑了三个诊所,每个都说要再拍片看看", "other_labour"),
        ("out_of_scope", "厂子倒闭了,三个月工资一分没发", "report_arrears"),
        ("report_arrears", "想辞职回家,中介把我的身份证扣着不还", "other_labour"),
        ("report_arrears", "人社局的同志跑了好几趟,替大家要回工钱,真心感谢", "thank"),
        ("report_arrears", "秉公执法,为我们农民工讨回工资", "thank"),
        # what a job pays by the day or the month, nothing owed; unless pay breaks the deal
        ("report_arrears", "在城里打零工,一天150多块钱,比在家种地强点", "out_of_scope"),
        ("report_arrears", "我在食堂帮厨,一个月2800元,管吃管住", "out_of_scope"),
        (
            "report_arrears",
            "说好一天200元,现在他不按说好的给我结算,只肯给120",
            "report_arrears",
        ),
        (
            "report_arrears",
            "公司一直拖欠工资,我们多次投诉,街道不闻不问",
            "query_status",
        ),
    ],
)
def test_second_look_on_the_fresh_sample(intent: str, text: str, expected: str) -> None:
    assert recall_first(intent, 0.9, text)[0] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # what to do, asked for anyone: a question about the rules (the issue's own example)
        ("包工头跑了找谁要钱?", "ask_policy"),
        ("农民工被拖欠工资怎么办", "ask_policy"),
        ("工地老板欠薪上哪投诉", "ask_policy"),
        # ...asked about the writer's own work, even without "I": a complaint
        ("工头溜了,我们这几个月的钱找谁要?", "report_arrears"),
        ("砌了一冬天的墙,一分没拿到,咋整", "report_arrears"),
        ("做了半年保洁,最后两个月没发,怎么办", "report_arrears"),
    ],
)
def test_what_to_do_for_anyone_is_a_question(text: str, expected: str) -> None:
    assert recall_first("report_arrears", 0.9, text)[0] == expected


def test_a_story_with_no_sign_of_wages_owed_is_an_unsure_complaint() -> None:
    diary = "今天发工资的日子,一早就去上班了,想着数钱的感觉心里就高兴"
    assert recall_first("report_arrears", 0.9, diary) == ("report_arrears", 0.55)
    told = "老板欠我们三个月工资,一直不接电话"
    assert recall_first("report_arrears", 0.9, told) == ("report_arrears", 0.9)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # months of the writer's pay told unpaid make a question about it a complaint
        ("在超市做收银,已经两个月没发工资了,公司该怎么赔我?", "report_arrears"),
        ("本人喺酒楼返工,5月份亦冇出粮,老细咁做合唔合法?", "report_arrears"),
        # the rule asked in general stays a question
        ("公司拖欠工资,员工可以要求经济补偿吗?", "ask_policy"),
        ("每个月工资最迟几号要发?", "ask_policy"),
    ],
)
def test_months_told_unpaid_make_a_question_a_complaint(text: str, expected: str) -> None:
    assert recall_first("ask_policy", 0.62, text)[0] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # what a trade pays, as Hong Kong and Macau workers tell it, and a day's takings
        ("做扎铁嘅新人日薪都唔过千,做多几年先有千几一日", "out_of_scope"),
        ("听讲而家请保安开价月薪万四,我哋呢行冇得比", "out_of_scope"),
        ("今日去码头搬货赚了180块,听日再去揾过", "out_of_scope"),
        # a rate beside wages owed is still a complaint
        ("老细三个月冇出粮,我日薪千二", "report_arrears"),
        ("老板欠我三个月工资,月薪五千", "report_arrears"),
    ],
)
def test_what_a_trade_pays_owes_nobody(text: str, expected: str) -> None:
    assert recall_first("report_arrears", 0.9, text)[0] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # arrears the writer denies: nobody owes anything
        ("在这边干了两年,一个月到手六七千,从来没被拖欠过工资", "out_of_scope"),
        ("老板实在,我们也没有被欠过工钱", "out_of_scope"),
        # denied for the past, or by the boss, while wages are owed now: a complaint
        ("公司以前从没拖欠过工资,这次三个月没发了", "report_arrears"),
        ("老板欠我四个月工资,还说没欠过", "report_arrears"),
    ],
)
def test_arrears_denied_owe_nobody(text: str, expected: str) -> None:
    assert recall_first("report_arrears", 0.96, text)[0] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # earning, saving and spending told as facts of life: nobody owes anything
        ("我在厂里做质检,底薪两千一,加班多的话到手也就四千出头", "out_of_scope"),
        ("出来打工五年了,存款还不到三万,压力好大", "out_of_scope"),
        ("广州这边的工资比老家高一点,就是菜价贵", "out_of_scope"),
        ("今年菜价涨到离谱,一斤青菜都要六块钱", "out_of_scope"),
        # the same words beside wages owed are still a complaint
        ("底薪说好三千五,干了两个月一分没给", "report_arrears"),
        ("工资不发,房租都交不起了,存款也花光了", "report_arrears"),
    ],
)
def test_earnings_and_spending_owe_nobody(text: str, expected: str) -> None:
    assert recall_first("report_arrears", 0.9, text)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "孩子的奶粉钱都快见底了,老板还在推",  # despair about the family
        "唔想再拖咁耐啦,做咗成个月",  # Cantonese: kept waiting too long
        "发薪日到了,大家都在猜薪水会不会汇进来",  # pay in doubt
    ],
)
def test_pay_kept_back_or_in_doubt_is_a_complaint(text: str) -> None:
    assert recall_first("out_of_scope", 0.7, text)[0] == "report_arrears"


@pytest.mark.parametrize(
    "text",
    ["老板精得很,一分钱一分货,你干多少给多少", "在桥头蹲了一天,一分钱的活都没揽到"],
)
def test_idioms_that_look_like_not_a_cent_paid_are_no_sign_of_arrears(text: str) -> None:
    assert recall_first("out_of_scope", 0.7, text) == ("out_of_scope", 0.7)


@pytest.mark.parametrize(
    "text",
    ["想不到能这么快拿到欠了半年的工钱,太感谢了", "没想到还能把老板欠的钱要回来,谢谢你们"],
)
def test_surprise_at_getting_owed_pay_is_thanks(text: str) -> None:
    assert recall_first("report_arrears", 0.6, text)[0] == "thank"


def test_hoping_to_get_it_is_no_recovery() -> None:
    assert (
        recall_first("report_arrears", 0.9, "想不到老板这么狠,欠的钱一直要不到")[0]
        == "report_arrears"
    )


@pytest.mark.parametrize(
    "text",
    [
        "去厂里找过好几回,人家就是不肯给",
        "在那个场子做了八年,到头来领不到该拿的工资",
        "做了两个多月,老板天天说没钱发工资",
        "说好月底结,到现在工资都没有到账",
        "房子都盖好了,我们的钱却没了影",
        "老板关了店回老家了,我们的工资怎么办?",
    ],
)
def test_pay_refused_or_never_arrived_is_a_complaint(text: str) -> None:
    assert recall_first("out_of_scope", 0.7, text)[0] == "report_arrears"


@pytest.mark.parametrize(
    ("intent", "text", "expected"),
    [
        # thanks in so many words, nothing owed and nothing asked
        ("report_arrears", "家里穷拿不出啥,送两袋自家种的花生表表谢意", "thank"),
        # the office that got the money back is thanked, not chased
        ("query_status", "打了一个电话给劳动局,三天后工钱就到账了,真好", "thank"),
        # relief told without the money: the worry is over
        ("report_arrears", "好几天联系不上包工头,怕他卷钱走了,今天终于可以放心回家了", "thank"),
        ("report_arrears", "终于可以安心了,可还差三千没给", "report_arrears"),
        # thanks around a plea, or with money still owed, stay what they are
        ("report_arrears", "谢谢你们,老板还欠我两万,麻烦帮我们要一下", "report_arrears"),
        ("query_status", "劳动局说帮我们查,谢谢了,可到现在还没消息", "query_status"),
    ],
)
def test_thanks_said_plainly_are_thanks(intent: str, text: str, expected: str) -> None:
    assert recall_first(intent, 0.7, text)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "过年走亲戚发红包,样样不需要钱吗?挣的那点全花光了",  # 需要钱 is no "要钱"
        "城里喝口水都不要钱吗?样样都贵",
        "排了一分钟的队就轮到我了,今天运气好",  # 一分钟 is no "一分没给"
        "人才市场白跑了一趟,一个合适的活都没有",  # a wasted trip, nobody ran off
        "媳妇跟人跑了,我一个人带着娃在外面打工",  # a wife left, not a boss
        "买了工具和劳保鞋,一共差不多八百块",  # 差不多 is "about", nothing is short
        "再等等吧,过两天劳务市场就有活了",  # waiting for work, not for pay
        "出门挣工钱,图的就是让娃念上书",  # wages earned, not owed
        "快过年了,算算这个月还能挣几天工钱",
        "老板说下个月放假,大家都盼着回家",  # a holiday announced, no pay put off
    ],
)
def test_words_that_only_look_like_arrears(text: str) -> None:
    assert recall_first("out_of_scope", 0.7, text) == ("out_of_scope", 0.7)


@pytest.mark.parametrize(
    "text",
    [
        "厂里还没有放假,一个月也就两千多块钱,苦得很",  # 还没 of the day, not of pay
        "在流水线上试了半天工,一个小时才挣六块钱,干到傍晚就走了",  # an hourly rate
        "闺女明年考大学,我得在外头多干两年,攒够钱给她交学费",  # saving up
        "刚进厂那会儿一个月一千五,吃住厂里管,挣的都存起来寄给爹妈",
        "听说南边那个厂工资很低,这两个月还老是裁人",  # pay told as low
    ],
)
def test_money_talk_that_owes_nothing_is_out_of_scope(text: str) -> None:
    assert recall_first("report_arrears", 0.8, text)[0] == "out_of_scope"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # insurance, an injury's settlement or papers held, with nothing said owed
        ("干一天算一天的钱,没活就没工资,老板给买的意外保险也只管三个月", "other_labour"),
        ("一进厂就把身份证收走了,还要押一个月工资,说干满半年才退", "other_labour"),
        ("厂里只肯赔偿一万块钱,我这根手指以后干不了重活了", "other_labour"),
        # the same words beside pay withheld stay a complaint
        ("老板不给买保险,三个月工资也一分没给", "report_arrears"),
        # an office that turned the workers away: a status question by its label
        ("我们几十个人找到区政府,人家说管不了,叫我们自己去起诉", "query_status"),
    ],
)
def test_cover_papers_and_offices_turned_away(text: str, expected: str) -> None:
    assert recall_first("report_arrears", 0.8, text)[0] == expected


@pytest.mark.parametrize("text", ["厂子关门了,大家的工资谁来发?", "干完活老板就翻脸不认账了"])
def test_pay_nobody_will_answer_for_is_a_complaint(text: str) -> None:
    assert recall_first("out_of_scope", 0.7, text)[0] == "report_arrears"


@pytest.mark.parametrize(
    ("intent", "text", "expected"),
    [
        # a complaint already before an office with no result, whatever Rasa read it as
        ("ask_policy", "去年十月就申请了劳动仲裁,欠的工资至今没有收到任何答复", "query_status"),
        ("report_arrears", "官司打赢了,可老板两手一摊,说就是没钱", "query_status"),
        ("report_arrears", "到信访局上访了好几回,也没把钱要来", "query_status"),
    ],
)
def test_an_office_with_no_result_is_a_status_question(
    intent: str, text: str, expected: str
) -> None:
    assert recall_first(intent, 0.7, text)[0] == expected


def test_pay_promised_in_full_is_no_recovery() -> None:
    text = "他朋友打电话说让我先接着干,工资以后会一分不少结算给我"
    assert recall_first("report_arrears", 0.7, text)[0] == "report_arrears"


def test_a_fall_at_work_is_harm_other_than_wages() -> None:
    text = "从架子上跌了下来,腿动不了,躺在医院里,雇我们的人也不露面"
    assert recall_first("report_arrears", 0.7, text)[0] == "other_labour"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # wages withheld, nothing else named: a complaint
        ("每月加班一百多个小时,加班费一直没给算,少了好几千", "report_arrears"),
        # harm, papers or no wages named keep the label
        ("被开除了,最后半个月工资也不给", "other_labour"),
        ("车间里不发口罩,粉尘大得很", "other_labour"),
        ("工地上不发安全帽,出了事谁负责", "other_labour"),
    ],
)
def test_other_labour_keeps_its_label_unless_wages_alone_are_withheld(
    text: str, expected: str
) -> None:
    assert recall_first("other_labour", 0.7, text)[0] == expected


@pytest.mark.parametrize(
    ("intent", "text", "expected"),
    [
        # 帐 is as common as 账, and traditional 帳 simplifies to it
        ("out_of_scope", "做到月底,薪水一直沒有到帳,打給老闆也不接", "report_arrears"),
        ("out_of_scope", "今年在他那干了八个月,老板一直没有打钱", "report_arrears"),
        ("report_arrears", "錢上禮拜就到帳了,謝謝你們幫忙", "thank"),
    ],
)
def test_either_way_of_writing_the_account(intent: str, text: str, expected: str) -> None:
    assert recall_first(intent, 0.7, to_simplified(text))[0] == expected


def test_a_boss_who_denies_the_debt_in_traditional_script_is_a_complaint() -> None:
    text = to_simplified("做完工程老闆就賴帳,電話也換了")
    assert recall_first("out_of_scope", 0.7, text)[0] == "report_arrears"


def test_pay_kept_back_with_the_traditional_particle_is_a_complaint() -> None:
    text = to_simplified("這幾個月的薪水都拖著,老闆人也躲著")
    assert recall_first("out_of_scope", 0.7, text)[0] == "report_arrears"


@pytest.mark.parametrize(
    "text",
    [
        "老板欠我们三个月工资不给,希望政府帮我们讨回血汗钱",
        "至今还未发放工资,工人回不了家,望有关部门帮助工人们讨回辛苦钱",
        "谢谢领导,恳请尽快帮我们要回工钱",
    ],
)
def test_a_recovery_pleaded_for_is_no_recovery(text: str) -> None:
    assert says_wages_owed(text)
    assert recall_first("thank", 0.7, text)[0] == "report_arrears"


@pytest.mark.parametrize("text", ["在你们帮助下讨回了血汗钱,谢谢", "感谢监察大队帮俺们讨回了工钱"])
def test_a_recovery_told_as_done_is_still_thanks(text: str) -> None:
    assert not says_wages_owed(text)
    assert recall_first("report_arrears", 0.7, text)[0] == "thank"


def test_forced_overtime_is_a_labour_matter() -> None:
    text = "这厂太坑了,天天强迫加班,一个礼拜七天都不让休息"
    assert recall_first("out_of_scope", 0.7, text)[0] == "other_labour"


@pytest.mark.parametrize(
    "text",
    [
        "年前乡里领导叫大家回去过年,说开春给解决,到现在也没有解决",
        "县里回复中称工资已全部发放到位,实际上还有十几个人至今没拿到钱",
    ],
)
def test_an_official_s_promise_or_reply_that_came_to_nothing_is_a_status_question(
    text: str,
) -> None:
    assert recall_first("report_arrears", 0.9, text)[0] == "query_status"


def test_a_letter_to_the_mayor_s_mailbox_is_no_earlier_complaint() -> None:
    letter = "尊敬的市长:您好!感谢您开设这个市长信箱。我们在城北安置房干了八个月,老板仍欠我们六万多"
    assert recall_first("report_arrears", 0.8, letter)[0] == "report_arrears"
    earlier = "三月份就在市长信箱反映过,老板欠的六万多到现在仍没给"
    assert recall_first("report_arrears", 0.8, earlier)[0] == "query_status"


def test_saving_up_beside_pay_withheld_is_still_a_complaint() -> None:
    text = "本想攒够钱回家盖房子,老板拖了半年工资一分没给"
    assert recall_first("report_arrears", 0.8, text)[0] == "report_arrears"


def test_a_letter_that_tells_the_whole_story_is_a_complaint_whatever_offices_it_went_to() -> None:
    letter = (
        "尊敬的领导:我们是河南来的一班钢筋工,一共十二个人,2025年3月经老乡介绍到城西安置房"
        "二期干活,包工头叫陶长贵,说好每人每天三百二,每月按进度结。干到10月底主体封顶,陶长贵"
        "只给每人打了三千块生活费,剩下的二十六万七千多一直推说开发商没拨款。我们去项目部找过"
        "七八回,也打过12345,都说在协调,到现在还是一分没见到。眼看又要过年,家里老人看病、"
        "孩子上学都等着这笔钱,恳请领导帮我们把血汗钱要回来!"
    )
    assert len(letter) >= 200
    assert recall_first("report_arrears", 0.8, letter)[0] == "report_arrears"
    assert recall_first("query_status", 0.6, letter)[0] == "query_status"  # its own label stays
    short = "打过12345,说在协调,到现在还是一分没见到"
    assert recall_first("report_arrears", 0.8, short)[0] == "query_status"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("咱们农民工讨工钱,到底该找哪个部门?", "ask_policy"),  # workers as a class
        ("我们农民工在这干了一年,老板不给钱,到底该找哪个部门?", "report_arrears"),  # a story
    ],
)
def test_we_workers_as_a_class_ask_a_general_question(text: str, expected: str) -> None:
    assert recall_first("report_arrears", 0.8, text)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "老板拖了一年不给钱,我都想轻生了",
        "要不回工钱,真不想活了",
        "再不给钱我们就去跳楼",
        "實在沒辦法,想喝農藥一死了之",  # traditional script
        "钱要不回来,我真想一了百了",
        "干了三年一分没拿到,我活够了",
    ],
)
def test_words_of_ending_one_s_life_are_a_crisis(text: str) -> None:
    assert in_crisis(text)


@pytest.mark.parametrize(
    "text",
    [
        "商场跳楼价甩卖,买了两双鞋",  # a fire sale
        "日子过不下去了,老板还欠我两万",  # despair, a complaint, no words of dying
        "医生让我按时吃药",
    ],
)
def test_hardship_and_idioms_are_no_crisis(text: str) -> None:
    assert not in_crisis(text)
