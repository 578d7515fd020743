"""The console's forms; every one carries Flask-WTF's CSRF token."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from console.actions import ACTIONS
from console.words import INTENT_NAMES
from nlu.types import INTENTS


class LoginForm(FlaskForm):
    """Username and password."""

    username = StringField("用户名", validators=[DataRequired(), Length(max=80)])
    password = PasswordField("密码", validators=[DataRequired(), Length(max=200)])


class ActionForm(FlaskForm):
    """One status action; the fields an action needs are checked by the action itself."""

    action = SelectField("操作", choices=[SelectChoice(k, a.label) for k, a in ACTIONS.items()])
    assignee = SelectField("办案人员", choices=[], validate_choice=False, validators=[Optional()])
    unit = StringField("转交单位", validators=[Optional(), Length(max=200)])
    amount = StringField("追回金额（元）", validators=[Optional(), Length(max=20)])
    reason = StringField("不予受理理由", validators=[Optional(), Length(max=500)])
    when = StringField("调解时间、地点", validators=[Optional(), Length(max=60)])
    note = TextAreaField("备注", validators=[Optional(), Length(max=2000)])


class TextForm(FlaskForm):
    """A note, or a reply to the worker."""

    text = TextAreaField("内容", validators=[DataRequired(), Length(max=600)])


class ButtonForm(FlaskForm):
    """A bare button (take over, release, reveal, log out): only the CSRF token."""

    field = HiddenField()


class ReviewForm(FlaskForm):
    """The right intent of one message."""

    message_id = HiddenField(validators=[DataRequired()])
    intent = SelectField(
        "正确意图", choices=[SelectChoice(i, INTENT_NAMES.get(i, i)) for i in INTENTS]
    )
