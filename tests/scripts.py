"""Chat scripts shared by the dialogue tests and the service tests."""

#: A terse worker who answers one fact per message, then confirms.
TERSE = [
    "欠薪",
    "紫荆苑工地",
    "包工头老王",
    "三万五",
    "我们5个人",
    "去年10月到今年1月",
    "木工",
    "张三",
    "13912345678",
    "1",
]

#: The same complaint with a phone and a (valid) ID number: what must never be stored or
#: logged in plain text.
PHONE = "13912345678"
ID_NUMBER = "11010519491231002X"
WITH_ID = [
    "老板欠我们工资一直不给",
    "紫荆苑工地",
    "包工头老王",
    "三万五",
    "我们5个人",
    "去年10月到今年1月",
    "木工",
    "张三",
    f"{PHONE} 身份证{ID_NUMBER}",
    "1",
]
