"""Encryption at rest: ciphertext in the rows, plain values through the ORM, key rotation,
the DATA_KEY setting, the migration of existing rows, and search and export by phone."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import downgrade, upgrade
from sqlalchemy import Engine, inspect, select, text

from app import create_app
from config import DEFAULTS, ConfigError, load_config
from models import Base, Complaint, ConversationState, Message
from models.crypto import DataKeyError, Keyring, parse_keys
from models.db import get_session
from webhooks.simulator import WeChatSimulator

from .conftest import base_config
from .console_fixtures import add_complaint, add_staff, login
from .scripts import ID_NUMBER, PHONE, WITH_ID

DEV_KEY = DEFAULTS["DATA_KEY"]
NEW_KEY = Fernet.generate_key().decode()


def file_complaint(client: FlaskClient, sim: WeChatSimulator) -> str:
    """Play the whole complaint through the webhook; return the last reply."""
    reply = ""
    for line in WITH_ID:
        push = sim.push(sim.text(line))
        response = client.post("/wechat", query_string=push.args, data=push.body)
        assert response.status_code == 200
        reply = sim.read_reply(response.data) or ""
    assert "提交成功" in reply
    return reply


def raw_dump(engine: Engine) -> dict[str, str]:
    """Every table's rows as the database holds them (plain SQL, no column types); tables
    a downgrade removed are left out."""
    with engine.connect() as connection:
        existing = set(inspect(connection).get_table_names())
        return {
            table.name: repr(connection.execute(text(f"SELECT * FROM {table.name}")).all())
            for table in Base.metadata.sorted_tables
            if table.name in existing
        }


@pytest.fixture
def other_app(app: Flask) -> Iterator[list[Flask]]:
    """Extra apps on ``app``'s database (other keys); their engines are closed after."""
    made: list[Flask] = []
    yield made
    for extra in made:
        extra.extensions["db"].engine.dispose()


def app_with_key(app: Flask, made: list[Flask], data_key: str) -> Flask:
    """Another app on the same database, holding ``data_key``."""
    extra = create_app({**base_config(app.config["DATABASE_URL"]), "DATA_KEY": data_key})
    made.append(extra)
    return extra


def stored_complaint(app: Flask) -> Complaint:
    with app.app_context():
        return get_session().scalars(select(Complaint)).one()


# --- in the rows, and through the ORM -------------------------------------------------------


def test_phone_and_id_are_ciphertext_in_every_row_and_plain_through_the_orm(
    app: Flask, client: FlaskClient, simulator: WeChatSimulator
) -> None:
    file_complaint(client, simulator)
    dump = raw_dump(app.extensions["db"].engine)
    assert "紫荆苑" in dump["complaint"]  # the dump does show plain columns
    for table, rows in dump.items():
        assert PHONE not in rows, table
        assert ID_NUMBER not in rows, table
        assert "老板欠我们工资" not in rows, table  # the description and the transcript
    assert "gAAAAA" in dump["complaint"] and "gAAAAA" in dump["message"]
    complaint = stored_complaint(app)
    assert (complaint.contact_phone, complaint.id_number) == (PHONE, ID_NUMBER)
    assert (complaint.contact_name, complaint.description) == ("张三", "老板欠我们工资一直不给")
    with app.app_context():
        session = get_session()
        texts = [m.content for m in session.scalars(select(Message).order_by(Message.id))]
        assert f"{PHONE} 身份证{ID_NUMBER}" in texts
        assert isinstance(session.scalars(select(ConversationState)).one().state, dict)


def test_encrypted_columns_refuse_sql_comparisons() -> None:
    with pytest.raises(TypeError, match="encrypted column"):
        select(Complaint).where(Complaint.contact_phone == PHONE)
    with pytest.raises(TypeError, match="encrypted column"):
        select(Message).where(Message.content.like("%139%"))
    with pytest.raises(TypeError, match="encrypted column"):
        select(Complaint).order_by(Complaint.contact_name.desc())
    # NULL tests are fine: NULL is stored as NULL.
    select(Message).where(Message.content.is_not(None), Complaint.contact_phone == None)  # noqa: E711


# --- rotation -------------------------------------------------------------------------------


def test_rotation_reencrypts_under_the_new_key_and_is_idempotent(
    app: Flask, client: FlaskClient, simulator: WeChatSimulator, other_app: list[Flask]
) -> None:
    file_complaint(client, simulator)
    before = raw_dump(app.extensions["db"].engine)["complaint"]
    rotating = app_with_key(app, other_app, f"{NEW_KEY},{DEV_KEY}")
    dry = rotating.test_cli_runner().invoke(args=["data", "rotate-key", "--dry-run"])
    assert "complaint.contact_phone: 需重新加密 1，已是当前密钥 0" in dry.output
    assert raw_dump(app.extensions["db"].engine)["complaint"] == before
    first = rotating.test_cli_runner().invoke(args=["data", "rotate-key"])
    assert first.exit_code == 0, first.output
    assert "complaint.contact_phone: 重新加密 1，已是当前密钥 0" in first.output
    assert "合计：重新加密 0" not in first.output
    again = rotating.test_cli_runner().invoke(args=["data", "rotate-key"])
    assert "合计：重新加密 0，" in again.output
    assert raw_dump(app.extensions["db"].engine)["complaint"] != before

    new_only = app_with_key(app, other_app, NEW_KEY)
    assert stored_complaint(new_only).contact_phone == PHONE
    # The old key alone opens nothing any more.
    with pytest.raises(DataKeyError, match="DATA_KEY"):
        stored_complaint(app)


def test_rotation_without_the_old_key_stops_with_a_clear_message(
    app: Flask, client: FlaskClient, simulator: WeChatSimulator, other_app: list[Flask]
) -> None:
    file_complaint(client, simulator)
    wrong = app_with_key(app, other_app, NEW_KEY)
    result = wrong.test_cli_runner().invoke(args=["data", "rotate-key"])
    assert result.exit_code != 0
    assert "无法解密" in result.output and "id " in result.output
    assert stored_complaint(app).contact_phone == PHONE  # nothing was lost


# --- the DATA_KEY setting -------------------------------------------------------------------


PRODUCTION = {
    "ANXIN_ENV": "production",
    "SECRET_KEY": "s" * 32,
    "WECHAT_TOKEN": "t",
    "WECHAT_APPID": "wx1234",
    "WECHAT_SECRET": "sec",
    "WECHAT_ENCODING_AES_KEY": "k" * 43,
}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({**PRODUCTION}, "DATA_KEY: must be set in production"),
        ({**PRODUCTION, "DATA_KEY": f"{NEW_KEY},{DEV_KEY}"}, "development key"),
        ({"DATA_KEY": "not-a-key"}, "DATA_KEY: entry 1 is not a Fernet key"),
        ({"DATA_KEY": f"{NEW_KEY},short"}, "entry 2 is not a Fernet key"),
        ({"DATA_KEY": " , "}, "DATA_KEY: no key given"),
    ],
)
def test_unusable_data_keys_are_refused_at_start_up(
    tmp_path: Path, overrides: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        load_config(str(tmp_path), overrides, environ={})


def test_production_accepts_its_own_keys(tmp_path: Path) -> None:
    config = load_config(
        str(tmp_path), {**PRODUCTION, "DATA_KEY": f" {NEW_KEY} , {Fernet.generate_key().decode()}"}
    )
    assert len(parse_keys(config["DATA_KEY"])) == 2


def test_keyring_encrypts_with_the_first_key_and_opens_with_any() -> None:
    old, new = Keyring([DEV_KEY.encode()]), Keyring([NEW_KEY.encode(), DEV_KEY.encode()])
    token = old.encrypt("张三 13912345678")
    assert new.decrypt(token) == "张三 13912345678" and not new.is_current(token)
    assert new.is_current(new.reencrypt(token))
    with pytest.raises(DataKeyError) as caught:
        Keyring([NEW_KEY.encode()]).decrypt(token)
    assert token not in str(caught.value)


# --- the migration of existing rows ---------------------------------------------------------


def test_migration_encrypts_existing_rows_and_downgrade_restores_them(app: Flask) -> None:
    engine = app.extensions["db"].engine
    with app.app_context():
        try:
            downgrade(revision="0005")
            with engine.begin() as connection:
                _insert_plain_rows(connection)
            upgrade()
            raw = raw_dump(engine)
            assert PHONE not in raw["complaint"] and PHONE not in raw["message"]
            assert PHONE not in raw["conversation_state"] and "139" not in raw["complaint"]
            complaint = get_session().scalars(select(Complaint)).one()
            assert (complaint.contact_phone, complaint.flags) == (PHONE, {"amount": "139块"})
            message = get_session().scalars(select(Message)).one()
            assert (message.content, message.payload) == (f"电话{PHONE}", {"label": "紫荆苑"})
            get_session().close()
            downgrade(revision="0005")
            assert PHONE in raw_dump(engine)["complaint"]
        finally:
            upgrade()


def _insert_plain_rows(connection: object) -> None:
    day = "'2026-01-01 00:00:00'"
    for statement in (
        f"INSERT INTO worker (id, openid, subscribed, first_seen_at) VALUES (1, 'o1', true, {day})",
        "INSERT INTO message (id, worker_id, direction, msg_type, content, status, payload, "
        f"created_at) VALUES (1, 1, 'in', 'text', '电话{PHONE}', 'handled', "
        f'\'{{"label": "紫荆苑"}}\', {day})',
        "INSERT INTO complaint (id, case_no, worker_id, status, contact_phone, is_construction, "
        "amount_approximate, is_group, flags, created_at, updated_at) VALUES (1, 'C1', 1, "
        f"'submitted', '{PHONE}', true, false, false, '{{\"amount\": \"139块\"}}', {day}, {day})",
        "INSERT INTO conversation_state (id, worker_id, state, updated_at) VALUES (1, 1, "
        f'\'{{"phone": "{PHONE}"}}\', {day})',
    ):
        connection.execute(text(statement))  # type: ignore[attr-defined]


# --- search and export still find a phone ---------------------------------------------------


@pytest.mark.parametrize("query", ["13900001111", "139 0000 1111", "139-0000-1111", "1111", "李四"])
def test_queue_search_finds_encrypted_fields(app: Flask, client: FlaskClient, query: str) -> None:
    add_complaint(app, "AX1", contact_phone="13812345678", contact_name="张三")
    add_complaint(app, "AX2", contact_phone="13900001111", contact_name="李四")
    add_staff(app, "li", "hotline")
    login(client, "li")
    page = client.get("/console/complaints", query_string={"q": query}).get_data(as_text=True)
    assert ">AX2</a>" in page and ">AX1</a>" not in page


def test_export_filtered_by_phone_has_the_plain_phone(app: Flask, client: FlaskClient) -> None:
    add_complaint(app, "AX1", contact_phone="13812345678")
    add_complaint(app, "AX2", contact_phone="13900001111", id_number=ID_NUMBER)
    add_staff(app, "li", "hotline")
    login(client, "li")
    response = client.get("/console/complaints", query_string={"q": "13900001111", "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert len(rows) == 2
    assert rows[1][rows[0].index("联系电话")] == "13900001111"
    assert rows[1][rows[0].index("身份证号")] == ID_NUMBER
    # The audit entry of the export keeps the searched phone, encrypted.
    assert "13900001111" not in raw_dump(app.extensions["db"].engine)["audit_entry"]
