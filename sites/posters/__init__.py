"""Posters of sites: one pipeline (:mod:`sites.posters.pipeline`) for the CLI and the console."""

from __future__ import annotations

from flask import Flask
from sqlalchemy.orm import Session

from cases.deadlines import china_day
from models import utcnow
from sites.posters.fonts import find_font
from sites.posters.pipeline import PosterMaker, choose_source
from wechat.client import get_client

__all__ = ["PosterMaker", "poster_maker"]


def poster_maker(app: Flask, session: Session, choice: bool | None = None) -> PosterMaker:
    """The maker every caller uses: the app's QR rule and font, and today's date in China.

    ``choice`` is ``--wechat``/``--link``; the console passes None, so its download carries
    the same code as ``flask sites poster`` in the same environment.
    """
    font = find_font(app.config["POSTER_FONT"])  # before WeChat: no code for a poster not made
    source = choose_source(app.config, choice, lambda: get_client(app))
    return PosterMaker(session, source, font, china_day(utcnow()))
