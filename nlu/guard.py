"""A recall guard after the intent classifier: a missed complaint is the worst error.

Classifiers are often confidently wrong on complaints told as stories (rasa.md, "What real
workers' messages look like"): "钱一直没结, 包工头说要等上面的钱" reads like a status question,
and "欠我工资1万8, 包工头叫马卫东" like a bare answer. A message that says wages are owed
becomes ``report_arrears`` unless what the predicted intent means is also there:

- a status question refers to an earlier complaint or an office ("上次", "12345", "调解");
- a question about the rules asks something, and not about the worker's own wages ("欠薪
  多久就不能告了" stays a question; "老板欠我工资,怎么办" is a complaint);
- thanks are for money recovered, or at least come without a plea for help;
- a request for a human asks for a person; a slot answer is short ("欠三万").

Thanks after wages came back are full of wage words and never become complaints.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from nlu.normalise import to_simplified
from nlu.normalise.quantities import PAY_REFUSED

#: The message says wages are owed ("欠", "没发", "拖欠", "一分没拿到", "被黑了", Cantonese
#: "冇粮出"), or tells the signs of it that real letters give instead of a keyword: the boss
#: vanished, the money is begged for, the work was for nothing. The worker's own debts
#: ("欠别人的信用卡") do not count.
ARREARS = re.compile(
    r"(?<!不)欠(?!别人|人家|银行|信用卡|房租)|拖欠|托欠|没给|没发|不给|不发|没结|没有结|不结|未付|未发"
    r"|扣着|讨薪|白干|白做|一个子儿|拖了|拖着|一拖再拖|只[给发结付]了|提不出|差(?!不多|点儿?)(?:我|俺|了)?.{0,4}[万千百块元]|(?<!一分钱)一分(?!钱一分|钱的活|耕耘|钟)|没着落|没见着|没拿到|拿不到|要不到"
    r"|要不回|没要回|要不着|不兑现|赖账|不认(?:账|人)|跑路|卷款|不接电话|打不通|拉黑|躲着|尾款|没到手|没算|被黑"
    r"|黑了|坑了|(?<![赚挣])(?<![赚挣].天)(?<![赚挣]..天)工钱|血汗钱|辛苦钱|讨钱|讨要|讨工|(?<![需不])要钱|要账|讨债|要债|追讨|失踪|联系不上|找不[到着](?:人|他|老板)|(?:人|他|老板)(?:影)?都?找不[到着]"
    r"|不见了|人间蒸发|(?<!白)(?<!跟人)跑了|走投无路|粮(?!食|油|票)"
    # told without those words: "该结的钱一直没有给", "每月只给八百块生活费", "完工以后再给",
    # "今天推明天", "才拿了20多万", Cantonese "唔见咗", "追唔番"
    r"|没有(?:给|发|付|支付|结)|不(?:支付|付钱|结算)|拒(?:付|不支付|绝支付)|未(?:支付|结算|到账|发放)"
    r"|克扣|扣(?:薪|工资|工钱|人工|钱)|只(?:给|发|付|拿|领)(?:了|过)?.{0,8}生活费"
    r"|(?:以后|之后|完|再)再?(?:给|发|结)(?:钱|工资)?(?:[。,!?，！？ ]|$)"
    r"|推(?:明天|后天|到)|才(?:拿|给|发|付)了"
    r"|没(?:拿|要)回|就给过(?:一|两)|不按.{0,10}(?:给|结算|付|发)|要不来|讨不来"
    # pay put off from week to week: "一直说下星期", "老板说下个月就有"
    r"|(?:一直|总是?|老是|不断|又)(?:说|讲|推)(?:到|等)?下(?:个)?(?:星期|礼拜|周|月)"
    r"|(?:说|讲|答应|保证)(?:等到?)?下(?:个)?(?:星期|礼拜|周|月)(?:就|会|再)?(?:有|给|发|结|付)"
    # a year for nothing, an IOU for pay, "wait a bit more", no word at all, a rate cut:
    # "这一年算是白忙活了", "拿回家的就是一张白条", "他就说再等等", "到现在一个说法都没有",
    # "这钱要到啥时候", "干完就说只能给两百"
    r"|白忙活|白忙了|白条|(?:说|叫|让)(?:我们?|俺们?|大家)?再等等|(?:一个|个)说法都没有|没(?:个|有)说法"
    r"|(?:这|那)笔?钱(?:要|得)?等?到(?:啥|什么|哪)(?:时候|年)|只(?:能|肯|愿意?)(?:给|发|付|结)"
    r"|追不回|唔见咗|追唔[番返]|攞唔[番返]|要唔[番返]|走佬|找谁要|去哪要|向谁要|要回(?:这个|我们?的)"
    # despair about the money and the family, which the issue counts as a complaint
    r"|没饭吃|揭不开锅|怎么活|活不下去|过不了年|回不了家|没钱过年|没钱回家|路费都没"
    r"|奶粉(?:钱)?都?快?(?:见底|没了|买不起|都没有)"
    # pay kept back too long or in doubt: Cantonese "唔想拖咁耐", "薪水会不会汇进来"
    r"|拖(?:咁|这么|那么|得太?)(?:耐|久)|(?:薪水|工资|人工|粮)(?:会不会|能不能)(?:汇|发|到|打|出)"
    # refused or never arrived, told without 欠 or 不给: "他就是不肯给", "领不到应得的工资",
    # "老板总说没钱发工资", "工资一直没有到账", "活干完了,钱却没了影", "我们的工资怎么办?"
    rf"|{PAY_REFUSED}|领不到|没了影|打了?水漂|(?:工资|工钱|血汗钱|辛苦钱)(?:该)?怎么办"
    r"|(?:工资|工钱|血汗钱|辛苦钱)(?:该)?(?:找)?谁(?:来)?(?:发|给|付|出|结|要)"
)
#: Paid in full, and not merely promised so ("以后会一分不少结算给我").
IN_FULL = r"(?<![会将])一分不少"
#: Money that came back: thanks, not a new complaint ("没拿到", "没要回来" are no recovery).
RECOVERED = re.compile(
    r"(?<![没未不只能想])(?<!没有)(?<!没能)(?:讨回|要回来|要了回来|追回|拿回来|拿回家|解决了|结清|付清"
    r"|到位|拿到了|拿到手|拿到(?:工资|工钱|钱)了|领到|收到了|发了|发下来|到账|给了|结了|打过来"
    rf"|到手了|有了着落|有着落了|{IN_FULL}|拿回了|要回了|讨回了|要回属于|圆满解决|得到解决|(?:帮|替|为)(?:我们?|俺们?|大家|工人们?|农民工)?(?:要|讨|追)回|拿到(?:了)?(?:自己的|我们的)?(?:血汗钱|辛苦钱))"
    # surprise at getting it: "想不到能这么快拿到", "没想到还能要回来"
    r"|(?:想不到|没想到|没有想到)(?:还|真)?(?:能|会)?[^,，。!！?？]{0,6}?(?:拿|要|讨|领|追|收)(?:到|回)"
    # relief that says it without the money: "这下终于能安心回家过年了"
    r"|终于(?:可以|能)?(?:放心|安心|踏实)"
)
#: A recovery still pleaded for ("希望政府帮我们讨回血汗钱", "恳请早日结清"): no money came back.
#: A recovery told as done ("帮我们讨回了", "在你们帮助下讨回了") is not here.
WISHED = re.compile(
    r"(?:希望|(?<![失观张看眺展盼希渴])望|恳请|请求?|求求?|盼望?|能否|能不能|给予|尽快|早日|帮助|帮忙)"
    r"[^。!?！？;；]{0,12}?(?:讨回|要回|追回|拿回|拿到|领到|结清|付清|解决|到位|到账)(?![了过])"
)
#: Gratitude or relief, which thanks after a recovery carry ("终于", "多亏", "没想到这么快").
GRATITUDE = re.compile(
    rf"谢|感激|多亏|终于|没想到|想不到|太好了|锦旗|温暖|恩人|好政府|亚克西|踏实|{IN_FULL}"
    r"|秉公执法|清正廉明|为民|实事|雪中送炭|父母官|好干部|点赞|真好|好人"
)
#: Thanks said in so many words ("表达我的谢意", "感恩"), which need no recovery to be thanks
#: when nothing is said owed and nothing is asked.
THANKS_SAID = re.compile(r"谢|感激|感恩")
#: Something still asked of the reader: thanks that come with it are politeness around a plea.
PLEA = re.compile(
    r"请|求|麻烦|拜托|怎么办|咋办|能不能|可不可以|帮帮|希望|盼"
    r"|帮(?:我|俺|咱)们?(?:要|讨|追|问|看|查|反映|解决)"
)
#: Part of the money is still owed, or none came yet: the worker still has a complaint.
STILL_OWED = re.compile(
    r"还欠|还差|还剩|还有.{0,8}没(?!想到)|剩下的?.{0,6}没|只(?:拿|给|发|结)了|一部分|至今|迟迟|还未|仍未"
    # "还没" of pay, not of the day: "还没有放假", "还没下班" owe nothing
    r"|还没(?!有?(?:放假|下班|开工|开业|过年|回家|到家|吃饭|睡|找到))"
    r"|希望|承诺|不支付|不给|没给|没发"
)
#: It refers to a complaint already made, or to an office or a court that could have one.
#: Efforts with the boss, the site or the project office ("找过老板", "去项目部问了") are not
#: here: a worker who went through them has not complained to anyone who keeps a case.
PRIOR_COMPLAINT = re.compile(
    r"投诉[了过后的到]|投诉以后|投诉之后|反映[了过的]|举报[了过]|登记|提交过|报上去|报的|报过|报了"
    r"|填过|上次|上回|办结|办得|办了|怎么样了|进展|进度|有结果|结果[呢出]|回复|答复|回电话|受理"
    r"|立案|编号|平台|没人管|信访|12345|12333|劳动局|人社|监察|仲裁|法院|起诉|判决|判了|执行"
    r"|街道|社区|转给|转到|推给|调解|约谈|工单|回访|裁决|限期|责令|部门|政府|热线"
    r"|你们(?:给|找|去|联系|打)"
)
#: It asks something ("我要投诉" is no question; "需要准备什么证据" is one).
QUESTION = re.compile(
    r"[?？]|吗|么|呢|怎么|咋|什么|啥|哪|谁|多久|多长|多少|几[天年个月次]|能不能|可不可以|能否"
    r"|是不是|是否|有没有|要不要|会不会|算不算|还是|如何|怎样"
    r"|定系|系咪|点计|点样|点算|点解|点办|几多|几时|边个|边度|有冇|可唔可以|得唔得|合唔合法|犯法"
)
#: The worker's own wages ("欠我", "我们的工钱"): a question about them is a complaint.
OWN_WAGES = re.compile(
    r"欠(?:了)?(?:我|俺|咱)|(?:我|俺|咱)(?:们)?(?:班组|班|家|几个)?的?(?:工钱|工资|钱|血汗钱|辛苦钱)"
    # months told unpaid: "已经三个月没发工资了", "3月已无出粮", "4月份亦没有发3月工资"
    r"|(?:个月|月份?)[^。!?？,，]{0,4}(?:没|未|冇|无|不)有?(?:发|给|出粮|结|支付)"
)
#: A plea for help: thanks that come with one are politeness around a complaint.
ASKS_HELP = re.compile(r"帮|请|求|麻烦|拜托|投诉|反映|怎么办|咋办|能不能|可不可以|管一下|管管")
#: A request for a person, which a request_human must contain.
ASKS_PERSON = re.compile(
    r"人工|真人|客服|工作人员|领导|办事员|专管员|电话给我|给我(?:打|回)(?:个)?电话|回电话"
    r"|电话联系|找个人|找人"
)

#: A complaint already taken to an office or a court ("法院判了", "找了好几个部门",
#: "打了12345"), and...
FILED = re.compile(
    r"起诉|判决|判了|胜诉|判赢|打赢|官司赢|强制执行|立案|仲裁|投诉过|举报[了过]|反映[了过给到]|信访|上访|12345|12333"
    r"|协调会|劳审处|劳资审裁处|热线|欠薪线索"
    # a board or a mailbox written to before; a letter to the mayor's mailbox is not itself one
    r"|(?:留言板|市长信箱|书记信箱)[^,。!?]{0,8}(?:反映|留言|投诉|写信|发帖)[了过]"
    # an official's promise or reply: "乡里领导叫大家回去等,说年后解决", "回复中称已全部结清"
    r"|(?:政府|镇|县|市|区|乡|街道)[里上]?的?领导(?:让|叫|说|答应|承诺)|(?:回应|答复|回复)中?称"
    r"|(?:多次|几次|反复|屡次|一再)(?:投诉|反映|举报|上访)"
    # an office that mediated: "经街道干部协调", "劳动保障所协调过"
    r"|经.{0,10}协调|(?:劳动保障|劳保|劳动)(?:所|站)"
    r"|(?:通过|经过|(?:向|到|去|找|和|与)(?:了|过|到))(?:当地的?|县|市|区|镇|乡)?.{0,6}(?:劳动(?:保障)?局|劳动部门|人社局|劳动监察|监察大队|乡政府|镇政府|区政府|县政府|市政府|信访局)"
    r"|找了?(?:好几个|几个|多个|各个|有关)部门|(?:找|去)[了过].{0,6}(?:劳动局|监察|政府|街道|信访|人社)"
    r"|(?:找|求|跑)[遍了过]?.{0,6}有关部门|部门都(?:找|求|跑)遍|(?:呈送|邮寄|寄)[了给到].{0,12}(?:政府|县长|市长|书记)"
)
#: ...it brought nothing: a story that ends there is about that complaint's missing result.
NO_RESULT = re.compile(
    r"还是|仍|依然|结果|没人管|没下文|没音讯|拿不到|没拿到|要不到|没要到|没能|一分|执行|没用|没动静"
    r"|推来推去|不了了之|至今|到现在|未果|剩下|就剩|不闻不问|没信了|失败"
    r"|没有?(?:得到)?(?:任何)?(?:明确|满意|正面)?的?(?:答复|回复|回音)"
    r"|没个?(?:结果|说法|下文|消息)|[期限]过了|只(?:拿到|给了|付了)"
    # turned away: "他们管不了,叫我们自己去起诉"
    r"|解决不了|管不了|不予受理|(?:让|叫|建议)(?:我们?|俺们?)?(?:自己)?去?(?:打官司|起诉|告)"
    # sent back to the boss: "叫俺们直接去找总包", "让我们自己去找老板"
    r"|(?:让|叫)(?:我们?|俺们?)(?:直接|自己)去?(?:联系|找)"
    # won on paper, paid nothing: "判赢他也是双手一摊", "上访几年也没把钱要来"
    r"|[双两]手一摊|就是没钱|没把钱要"
)
#: A question about the rules ("是否承担责任", "劳动局管不管", "怎么算"), not about one's own case.
RULES_QUESTION = re.compile(
    r"是否|能否|能不能|可不可以|可以.{0,8}吗|合法|违法|责任|规定|法律|时效|如何|哪个部门|找哪|谁管"
    r"|管不管|怎么(?:算|处理|解决|计算|维权)|多久(?:能|可以|才能|之内|以内|内)|报警"
)
#: The writer speaks of themselves, their family or their own sums: not a general question.
OWN_CASE = re.compile(
    r"我|俺|咱|本人|自己|家里|老公|媳妇|儿子|女儿|爸|妈|\d|[一二三四五六七八九十两俩仨几]+(?:万|千|百|块|元|个月|年)"
    # work done, told without "I": "干了一冬天", "做了一整年的厨师"
    r"|(?:干|做)(?:了|完|到)|半年|一冬|一整年|一个子儿"
)
#: Workers as a class, said as "we" ("咱们农民工要工钱", "咱打工的"): not the writer's own case.
WE_AS_A_CLASS = re.compile(r"(?:我们|咱们|俺们|咱)(?:这些)?(?:农民工|打工的|打工人|工人|民工)")
#: Asking what to do ("该怎么办", "投诉的流程"): answered, with filing one tap away.
HOW_TO = re.compile(r"怎么办|咋办|咋整|怎么弄|怎么处理|找谁|找哪|去哪|上哪|流程|步骤|手续")
#: Where to turn ("找谁要钱", "上哪投诉"): asked without a story, a question about the rules.
WHERE_TO = re.compile(r"找谁|找哪|去哪|上哪|向谁|哪里(?:投诉|告|要|反映|讨)")
#: Workers in general, not the writer: "农民工被拖欠工资怎么办".
ANY_WORKER = re.compile(r"农民工|工人|员工|劳动者|打工的|务工人员|雇员")
#: Harm other than wages: injury, illness, insurance, age, dismissal.
OTHER_HARM = re.compile(
    r"受伤|伤了|摔|骨折|压[断伤了住]|砸|烫|手指|截肢|医疗费|医药费|住院|手术|工伤|赔偿|社保|保险"
    r"|年龄|岁数|年纪|退休|辞退|开除|不要我|让我走|要我走|合同"
    r"|停药|停了药|出院|核磁|磁共振|拍片|伤筋动骨|复查|评残|伤残"
    r"|残疾|[一二三四五六七八九十]级残|尘肺|粉尘|职业病|劳动能力|瘫|疼痛|烫伤|截瘫|失业|倒闭|裁员|被裁"
    r"|中介费|仲介|护照|身份证|扣押|遣返|殴打|打人|性骚扰|跌了?下来|跌伤|摔了?下来|诊所|睇医生|验伤"
    # hours and rest: "天天强迫加班,礼拜天也不歇", "不准请假"
    r"|强[迫制]加班|超时加班|逼.{0,3}加班|不[准让许给]请假|不[准让许给]休息"
    # the costs of an injury: "回诊", "止痛药"
    r"|回诊|止痛药"
    # how an injury happened and what it did: "车轮压在我右脚上", "脚趾发麻", "送急诊"
    r"|(?:压|夹|轧|碾)(?:在|到|住|着)[^,，.。;；!！?？]{0,6}(?:手|脚|腿|腰|头|身上)"
    r"|脚趾|脚拇指|麻痹|植物人|急诊|急症|救护车"
    # a pension fund unpaid, being sent home: no wages named
    r"|强积金|办理?(?:离职)?手续回家|明天(?:就)?不用(?:来)?上班"
)
#: A working day told by its length ("每天要干十二个钟头", "加班到凌晨", "早上六点上班到晚上八
#: 点"): harm of its own, unless pay for it is said owed ("天天加班到十一点,加班费一分没有").
LONG_HOURS = re.compile(
    r"(?:每天|一天|天天|日日)(?:要|都|得)?(?:工作|干活?|上班|做工?|开工|返工)(?:了|足)?"
    r"(?:十|1[0-9]|[0-9]{2})[一二三四五六七八九]?个?多?(?:小时|钟头|钟|个钟)"
    r"|加班(?:加)?到(?:凌晨|半夜|深夜|天亮|后半夜|晚上十|夜里|十[一二]点)"
    r"|[五六七]点(?:半)?.{0,6}上班.{0,8}(?:晚上|夜里|夜晚)(?:[七八九十]|1[0-2])点"
)
#: Insurance, an injury's settlement and papers held: matters of their own even where pay is
#: named ("不干活就没有工资,老板买的保险也是短期的"). Injury words alone ("伤了") are not here:
#: a complaint may tell of them in passing.
COVER_OR_PAPERS = re.compile(r"保险|社保|五险|养老金|医保|工伤|赔偿|补偿|身份证|护照|证件")
#: Papers held back ("把身份证扣着", "扣下了我的护照"): 扣 that withholds no pay.
PAPERS_HELD = re.compile(
    r"(?:身份证|护照|证件)[^,。]{0,3}扣|扣[^,。]{0,4}(?:身份证|护照|证件)"
    # a deposit taken out of pay: "还要押两个月工资", "押一个月工钱当押金"
    r"|押[了着]?[0-9一二两三四五六七八九十半]+个?月的?(?:工资|工钱|薪水)"
)
#: Labour-law topics beyond unpaid wages: sick pay, leave, dismissal, severance, pensions.
LABOUR_RULES = re.compile(
    r"工伤|病假|产假|年假|例假|遣散|代通知金|强积金|mpf|解雇|辞退|开除|炒[咗了]|社保|五险"
    r"|劳动合同|试用期|加班费|补偿金|经济补偿|双倍工资"
    r"|风球|黑雨|长期服务金|长服金|判伤|五[分份]四|4/5|疾病津贴|通知期|法定假|续约|续签|合同到期"
    r"|休息日|公众假期|劳工假|大假|补假|年休假|侍产假|陪产假",
    re.IGNORECASE,
)
#: Pay withheld, which keeps a question about labour law a complaint.
UNPAID = re.compile(
    r"欠|拖|不给|没给|没发|未发|不发|不付|没付|不愿支付|不支付|没有支付|未支付|拒付|唔出(?:粮|人工)|冇出粮|冇粮|拿不到|要不到"
)
#: Words of wages or money withheld, which keep a complaint a complaint.
WAGE_WORDS = re.compile(
    r"工资|工钱|薪|粮|血汗钱|辛苦钱|工程款|劳务费|结账|结算|欠|扣|要钱|讨钱|钱没|块钱|不给钱|没给钱"
)

#: Thanks told as "without you": "要不是你们帮忙,钱就要不回来了" thanks for money that came
#: back, though its words say the money was nearly lost.
WITHOUT_YOU = re.compile(
    r"(?:要不是|若不是|如果不是|要是没有|如果没有|若没有)(?:你们|你哋|您|政府|同志|各位|大家|.{0,8}(?:帮|幫))"
)
#: Money that would have stayed lost: "要不是你们,这钱就要不回来了".
NEARLY_LOST = re.compile(
    r"要不回|追不回|拿不回|讨不回|要唔返|追唔返|攞唔返|不知(?:何时|什么时候|哪年|要等到).{0,6}(?:拿到|要回|到手)"
)
#: Whether a practice is lawful ("这样是否合法", "合不合法", "犯法吗").
LEGALITY = re.compile(r"是否合法|合不合法|合法吗|违法吗|犯法吗|合理吗|是否违法|算不算违法")
#: How pay is computed ("人工如何计算", "月薪点计"): a rule, when nothing is said owed.
HOW_COMPUTED = re.compile(r"(?:如何|怎么|怎样|点样?)(?:计算?|算)")
#: A rule asked about anyone ("雇员如遇判头拖欠薪金…", "假如公司倒闭"): a policy question.
HYPOTHETICAL = re.compile(
    r"(?:如|如果|假如|假设|若|要是)(?:遇|有|果)?.{0,4}"
    r"(?:雇员|员工|劳动者|工人|判头|雇主|公司|老板|包工头|工头|厂里|单位)"
)
#: The writer paid for building work: "装修款都付了", "找了个油漆工…尾款我先压着".
CUSTOMER_PAID = re.compile(
    r"(?:装修款|房款|货款|首付|定金|订金)(?:都|已经|早就)?(?:付|交|给)了"
    r"|(?:找了|请了?)(?:一个|一家|个)?.{0,12}(?:装修|装饰|油漆|木工|施工队)(?:个体户|公司|师傅)?"
    r"|尾款我"
)
#: The costs of an injury or illness, which an employer may also withhold ("拖欠医疗费").
MEDICAL_BILLS = re.compile(r"医疗费|医药费|住院费|手术费|治疗费|药费|伤残|工伤|赔偿金")
#: The names of wages themselves (not "欠" alone, which medical bills share).
WAGE_NOUNS = re.compile(r"工资|工钱|薪|粮|血汗钱|辛苦钱|工程款|劳务费|人工|生活费|报酬|加班费")
#: Words a worker uses of their own labour: they keep a complaint a complaint.
WORKER_WORDS = re.compile(r"工资|工钱|血汗钱|辛苦钱|干活|打工|我们干|我干|做工|上班|人工|粮")
#: Praise for a boss who pays: "这样的老板不欠薪", "工钱领得最好", "一分不少都到手".
PAID_WELL = re.compile(
    rf"不欠薪|不拖欠|从不拖|从来不拖|(?<!不)按时发|月月按时|钱领得|{IN_FULL}|都拿到了|全拿到了"
    r"|提前到账|提前发|提前结|(?<!不)按时到账|(?:包|安排|派)了?(?:辆)?车送"
)
#: Arrears denied by the writer ("也没有被拖欠工资", "从来没拖欠过"), not by the boss ("他还说
#: 没欠过"): nobody owes anything unless other words still say so.
ARREARS_DENIED = re.compile(
    r"(?<![说称讲])(?:没有?|从没有?|从来没有?|未曾|不曾)被?(?:拖欠|克扣|欠)过?(?:工资|工钱|薪水|过)"
)

#: Talk about other people's wages or the trade in general ("有的农民工被老板拖欠工资",
#: "那些送外卖的小哥一个月也就四千", "祝工友们都能拿到工钱"): nobody is complaining.
OTHERS_WAGES = re.compile(
    r"有的(?:农民工|工人|工友|人)|有些(?:农民工|工人)|不少(?:农民工|工人|地方)|很多(?:农民工|工人)"
    r"|农民工(?:兄弟|朋友)(?!们?的)|打工人|打工的谁"
    r"|那些.{0,8}(?:小哥|工人|农民工|打工的)|祝.{0,12}(?:拿到|挣钱|多挣)"
    r"|(?:要|讨)(?:工钱|钱|薪|账)比.{0,6}难|(?:碰到|遇到)了?(?:黑心|无良)老板,?(?:有时|只能|就得|也只能)"
)
#: The writer speaks for themselves, or pleads: then it may be their own complaint.
FIRST_PERSON = re.compile(r"我|俺|咱|本人|自己|望|盼|恳请|请求|求助|帮帮|做主")
#: What a month's work pays, told as a fact of life ("一个月到手六千左右"), not as owed.
MONTHLY_PAY = re.compile(
    r"(?:一个月|每个?月|月薪|月入|到手)[^。!?]{0,12}?[0-9一二三四五六七八九十两几]+\s*[千万]"
    r"|[0-9一二三四五六七八九十两几]+千(?:块钱?)?左右"
    # by the day, the hour or the month in plain yuan: "一天两百来块", "时薪才二十五元"
    r"|(?:一天|每天|日薪|时薪|一个?小时|每个?小时|一个月|每个?月|月薪|月入)[^。!?,]{0,8}?"
    r"[0-9一二三四五六七八九十两百几]{1,8}多?(?:块|元)"
    # a trade's rate as Hong Kong and Macau workers tell it: "日薪唔过千", "人工千几日薪",
    # "月薪万五", and a day's takings: "赚了150块"
    r"|(?:日薪|月薪|时薪)[^。!?,]{0,4}?(?:唔过|过|冇|不过|不到)?[0-9一二三四五六七八九十两几]*[千万]"
    r"|[千万][0-9一二三四五六七八九几尾]*(?:日薪|月薪|一日|蚊一日)|赚了?[0-9一二三四五六七八九十两百几]{2,6}(?:块|元)"
)

#: Earning, saving and spending told as facts of life ("底薪是1750", "存款连10万都没有",
#: "工资要比老家高一些", "猪肉涨到每斤15块"): nobody owes anything.
EARNINGS_TALK = re.compile(
    r"底薪|综合收入|[月年]收入|收入(?:是|有|在|才|也就|大概|约)|(?:薪资|工资|薪水)可以(?:达到|有)"
    r"|存款|存不下|存不了|攒不下|[存攒][了点些]钱|月入过?[0-9一二三四五六七八九十两几]*[千万]"
    # saving up and pay told as low or high: "要攒够钱给娃交学费", "钱都存起来寄给家里",
    # "南边厂里工资太低"
    r"|攒够?(?:了|一些|一点|些|点)?钱|存(?:一些|一点|些)钱|存起来|存下来"
    r"|(?:工资|薪水|收入|人工|待遇)(?:很|太|比较|也|真|实在|都|蛮|挺)(?:低|少|高|不错)"
    r"|(?:工资|薪水|收入|人工)(?:要|还|都)?比.{0,10}(?:高|低|多|少)"
    r"|涨价|涨到|太贵|物价|房价|买房"
)

#: Labour-law topics beyond wages that turn a rules question into ``other_labour`` (the
#: issue's label rule: injury, insurance, dismissal and contracts win over "a question").
OTHER_TOPICS = re.compile(
    r"工伤|病假|产假|年假|风球|黑雨|代通知金|强积金|mpf|长期服务金|遣散|解雇|辞退|开除|炒[咗了]"
    r"|社保|五险|试用期|续约|续签|合同到期|判伤|五[分份]四|4/5|疾病津贴|通知期|评残|伤残"
    r"|休息日|例假|公众假期|劳工假|法定假|大假|补假|年休假|侍产假|陪产假",
    re.IGNORECASE,
)

#: A piece of a work story: who hired whom, where and when the work ran ("我们是去年八月进场
#: 的,一直干到腊月", "这个活是他从总包分包下来的"). Read as a bare answer to the form, such a
#: piece sent first to a wage-complaint account is part of a complaint, though it names no
#: money. (Read as a complaint with no money named, it stays chat: on fresh real samples,
#: keeping such stories complaints turned diaries about the day's work into complaints.)
WORK_STORY = re.compile(
    r"进场|完工|竣工|交工|干到|做到|干了|做了|介绍|跟着.{0,4}(?:出来|干|做)|分包|转包|承包|包下"
    r"|派(?:到|过去)|招(?:到|过去|进)|带(?:我们|俺们|出来)|接(?:的|了)(?:活|工程)|活是"
)
#: A bare fact for the form (a name, a phone number), not a story.
PHONE = re.compile(r"1[3-9][0-9](?:[ -]?[0-9]){8}|[0-9]{3,4}-[0-9]{7,8}")

#: A boss or a firm gone with the money ("京康公司玩失踪", "老板跑路了"): wages, though unnamed.
VANISHED = re.compile(r"失踪|玩消失|跑路|卷款|卷钱|人间蒸发|联系不上|走佬")

#: The confidence of an intent the guard chose over the classifier's: below the console's
#: review threshold (REVIEW_CONFIDENCE, 0.6), so staff see every such message.
UNSURE = 0.55
MIN_STORY = 16  # characters: shorter texts may well be bare answers ("欠三万")
LETTER_CHARS = 200  # characters: a letter this long tells its whole story
FALLBACK = "nlu_fallback"

#: For each guarded intent: when a message about unpaid wages keeps that intent.
KEEPS: dict[str, Callable[[str], bool]] = {
    "query_status": lambda text: PRIOR_COMPLAINT.search(text) is not None,
    "ask_policy": lambda text: bool(QUESTION.search(text)) and not OWN_WAGES.search(text),
    "thank": lambda text: ASKS_HELP.search(text) is None,
    "request_human": lambda text: ASKS_PERSON.search(text) is not None,
    "provide_info": lambda text: len(text) < MIN_STORY,
    # chat that owes nobody keeps its label ("看到不少地方讨薪难,没想到老板包车送我们回家")
    "out_of_scope": lambda text: owes_nobody(text),
    # harm, insurance or papers named, or no wages named ("不发安全帽"), keep the label
    # ("被开除了,工资也不给"); wages withheld with none of them are a complaint ("加班费一直
    # 没给算,少了好几千")
    "other_labour": lambda text: bool(
        not (WAGE_NOUNS.search(text) or VANISHED.search(text))
        or OTHER_HARM.search(text)
        or OTHER_TOPICS.search(text)
        or COVER_OR_PAPERS.search(text)
    ),
    FALLBACK: lambda text: False,
}
GUARDED = tuple(KEEPS)


def recall_first(intent: str, confidence: float, text: str) -> tuple[str, float]:
    """Turn a likely-missed complaint into ``report_arrears``, and thanks for money that
    came back into ``thank``; keep anything else."""
    if intent == "report_arrears":
        second = second_look(text)
        if second is not None:
            return second, min(confidence, UNSURE)
        if not ARREARS.search(text) and len(text) >= MIN_STORY:
            # a story with no sign of wages owed: diaries about pay day read like complaints,
            # so the label stands but is unsure (reviewed by staff, filed only by a tap)
            return intent, min(confidence, UNSURE)
        return intent, confidence
    if intent == "provide_info" and work_story(text):
        # "我们从正月十六一直干到八月十五": a piece of a complaint, not an answer to the form
        return "report_arrears", min(max(confidence, 0.5), UNSURE)
    if intent == "ask_policy" and OTHER_TOPICS.search(text) and not UNPAID.search(text):
        return "other_labour", confidence  # "合同到期不续签有补偿吗": a contract, not wages
    if intent in ("out_of_scope", FALLBACK) and (labour_question(text) or harm_told(text)):
        # "休息日老闆叫我返工得唔得?", "粉尘大,现在胸闷气短": labour matters, never out of scope
        return "other_labour", min(max(confidence, 0.5), UNSURE)
    if intent == "query_status" and thanks_for_recovery(text) and not QUESTION.search(text):
        # "接到部门电话,两天钱就到账了,真好": the office is thanked, not chased
        return "thank", min(confidence, UNSURE)
    keeps = KEEPS.get(intent)
    if keeps is None or not ARREARS.search(text) or money_came_back(text) or keeps(text):
        return intent, confidence
    # a complaint already before an office with no result is a status question by its label
    promoted = "query_status" if before_an_office(text) else "report_arrears"
    return promoted, min(max(confidence, 0.5), UNSURE)


def second_look(text: str) -> str | None:
    """What a message read as a complaint really is, when its words say so, else None.

    The regression leans to complaints (its prior), so these are its commonest slips on
    real messages: thanks for money recovered, a complaint already taken to an office or a
    court ("法院判了还是拿不到钱" is a status question by its label), harm other than wages
    (which wins even as a question), a general question ("包工头欠薪,总包要负责吗", "人工
    如何计算"), and talk that owes nobody anything: the writer paid a builder or praises a
    boss who pays.

    A message with no word of wages, money or a boss keeps the complaint label: real workers
    send their stories in pieces ("一个村去了十几个人,干到腊月才完工"), and by the labels a
    piece of a wage story is a complaint. (Reading such messages as chat cost 0.07 of intent
    accuracy on real stories cut into their sentences, 2026-12-04.)
    """
    if thanks_for_recovery(text) or (WITHOUT_YOU.search(text) and about_money_back(text)):
        return "thank"
    if THANKS_SAID.search(text) and not ARREARS.search(text) and not PLEA.search(text):
        return "thank"  # "只能用这几瓶水表达我的谢意": thanks, nothing owed, nothing asked
    if before_an_office(text):
        return "query_status"
    if harm_told(text) or (COVER_OR_PAPERS.search(text) and not ARREARS.search(text)):
        return "other_labour"  # insurance, an injury's pay-out, papers held: nothing said owed
    if MEDICAL_BILLS.search(text) and not WAGE_NOUNS.search(text):
        return "other_labour"  # "一直拖欠医疗费": the injury's costs, not wages
    if LABOUR_RULES.search(text) and QUESTION.search(text) and not UNPAID.search(text):
        return "other_labour"  # "工伤期间病假有没有4/5人工?": pay under labour law, not arrears
    if not OWN_CASE.search(WE_AS_A_CLASS.sub("", text)) and (
        RULES_QUESTION.search(text)
        or WHERE_TO.search(text)
        or (HOW_TO.search(text) and ANY_WORKER.search(text))
    ):
        # "包工头跑了找谁要钱?", "农民工被拖欠工资怎么办", "咱们农民工要工钱该找哪个部门": asked
        # for anyone ("老板欠薪了怎么办" is the writer's own)
        return "ask_policy"
    if LEGALITY.search(text) and not ARREARS.search(text):
        return "ask_policy"  # "发薪日遇假日顺延,是否合法?": a rule, nothing owed
    if HOW_COMPUTED.search(text) and not ARREARS.search(text):
        return "ask_policy"  # "人工如何计算?" asks a rule even about one's own pay
    if HYPOTHETICAL.search(text) and QUESTION.search(text) and not OWN_WAGES.search(text):
        return "ask_policy"  # "雇员如遇判头拖欠,要几多日内通知大判?"
    if owes_nobody(text):
        return "out_of_scope"
    return None


def before_an_office(text: str) -> bool:
    """Whether a message (in simplified characters) is about a complaint already before an
    office or a court that brought nothing. A letter that tells the whole story is a
    complaint made now, whatever offices it went to on the way."""
    return len(text) < LETTER_CHARS and _went_nowhere(text)


def complained_elsewhere(text: str) -> bool:
    """Whether a message (in either script), however long, tells of a complaint already
    taken to an office or a court that brought nothing ("打了12345,到现在还是没给")."""
    return _went_nowhere(to_simplified(text))


def _went_nowhere(text: str) -> bool:
    return bool(FILED.search(text) and NO_RESULT.search(text))


def work_story(text: str) -> bool:
    """Whether a message is a piece of a work story (who hired whom, where, how long),
    long enough to be no bare answer and without a phone number, which bare answers give."""
    return len(text) >= MIN_STORY and bool(WORK_STORY.search(text)) and not PHONE.search(text)


def labour_question(text: str) -> bool:
    """Whether a message asks about labour law beyond unpaid wages (rest days, leave,
    dismissal, injury) and withholds no pay."""
    return bool(OTHER_TOPICS.search(text) and QUESTION.search(text) and not UNPAID.search(text))


def harm_told(text: str) -> bool:
    """Whether a message tells of harm other than wages (injury, illness, a job lost, papers
    held back) and names no wages."""
    harm = OTHER_HARM.search(text) or (LONG_HOURS.search(text) and not ARREARS.search(text))
    return bool(harm and not WAGE_WORDS.search(PAPERS_HELD.sub("", text)))


def owes_nobody(text: str) -> bool:
    """Whether a message with wage words owes the writer nothing: the writer paid a
    builder, praises a boss who pays, talks about other people's wages or the trade
    ("有的农民工被拖欠工资,身无分文", "要工钱比干活难"), or tells what a job pays."""
    if CUSTOMER_PAID.search(text) and not WORKER_WORDS.search(text):
        return True  # the writer paid a builder: a consumer's quarrel
    if PAID_WELL.search(text) and not STILL_OWED.search(text):
        return True  # "这样的老板不欠薪": praise, not a complaint
    if ARREARS_DENIED.search(text) and not ARREARS.search(ARREARS_DENIED.sub("", text)):
        return True  # "一个月挣七八千,也没被拖欠过工资"
    if OTHERS_WAGES.search(text) and not FIRST_PERSON.search(text):
        return True  # commentary about workers, nobody asks for anything
    # "一个月到手大概六千五", "存款连10万都没有": what a job pays or costs, nothing owed
    return bool(
        (MONTHLY_PAY.search(text) or EARNINGS_TALK.search(text))
        and not ARREARS.search(text)
        and not STILL_OWED.search(text)
    )


def about_money_back(text: str) -> bool:
    """Whether a "without you" sentence is about money that came back or nearly did not."""
    return bool(money_came_back(text) or NEARLY_LOST.search(text))


def money_came_back(text: str) -> bool:
    """Whether a message (in simplified characters) says owed money came back, and not
    merely that the writer pleads for it to."""
    return RECOVERED.search(WISHED.sub("", text)) is not None


def thanks_for_recovery(text: str) -> bool:
    """Whether a message is glad that owed wages came back, with nothing still owed."""
    return bool(money_came_back(text) and GRATITUDE.search(text) and not STILL_OWED.search(text))


def asks_about_rules(text: str) -> bool:
    """Whether a message asks how the rules work or what to do ("怎么算赔偿", "该怎么办")."""
    simplified = to_simplified(text)
    return RULES_QUESTION.search(simplified) is not None or HOW_TO.search(simplified) is not None


#: Words of ending one's life ("我都想轻生了", "不想活了", "只能去跳楼"): staff are called at
#: once and the worker is given the crisis hotline, whatever else the message says.
CRISIS = re.compile(
    r"轻生|自杀|寻短见|寻死|不想活|活着没意思|一死了之|死了算了|不如死了|去死了?算|跳楼(?!价|甩卖|大甩卖)"
    r"|跳河|跳江|喝农药|吃安眠药|上吊|割腕|结束(?:自己的)?生命|了结自己|同归于尽|一了百了|活够了"
    # "想死的心都有了" is often a figure of speech; staff would rather hear it once too often
    r"|想死"
)


def in_crisis(text: str) -> bool:
    """Whether a message (in either script) speaks of ending the writer's life or others'."""
    return CRISIS.search(to_simplified(text)) is not None


def says_wages_owed(text: str) -> bool:
    """Whether a message (in either script) says wages are owed and does not thank for
    money recovered."""
    simplified = to_simplified(text)
    return ARREARS.search(simplified) is not None and not money_came_back(simplified)
