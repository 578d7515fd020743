"""Passive replies: rendered once as plaintext XML, then sealed when the request was encrypted."""

from __future__ import annotations

from wechatpy.replies import TextReply

#: Content WeChat accepts as "no passive reply"; never encrypted, even in safe mode.
SUCCESS = "success"


def cdata_safe(text: str) -> str:
    """Neutralise ``]]>`` so user text cannot close wechatpy's unescaped CDATA section."""
    return text.replace("]]>", "]]]]><![CDATA[>")


def render_text(text: str, *, account: str, openid: str) -> str:
    """A text reply from ``account`` (gh_...) to ``openid``."""
    return TextReply(source=account, target=openid, content=cdata_safe(text)).render()
