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
