"""encrypt personal data at rest; mark anonymised complaints

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27

Existing values are encrypted in place with the first key of ``DATA_KEY`` (``create_app``
binds the keys to the engine before ``flask db upgrade`` runs); downgrading decrypts them.
It reads and rewrites rows, so it cannot be rendered as SQL (``--sql``).
"""

import json
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from alembic import op

import models.base
from models.crypto import Keyring, keyring_for

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

#: The encrypted text columns as of this revision (later revisions keep their own lists).
TEXT_COLUMNS = {
    "complaint": ("contact_name", "contact_phone", "id_number", "description"),
    "message": ("content",),
    "case_note": ("text",),
    "status_change": ("note",),
    "audit_entry": ("detail",),
}
#: JSON columns keep their type: the token of the document is stored as a JSON string.
JSON_COLUMNS = {
    "complaint": ("flags",),
    "message": ("payload",),
    "conversation_state": ("state",),
}
#: Complaint columns too short for a token (about 100 characters for a phone number).
WIDENED = {"contact_name": 100, "contact_phone": 40, "id_number": 40}
BATCH = 500


def upgrade() -> None:
    keyring = _keyring()
    _alter_complaint(_widen)
    for table, column in _text_columns():
        _rewrite(table, column, sa.Text(), keyring.encrypt)
    for table, column in _json_columns():
        _rewrite(table, column, sa.JSON(), lambda doc: _seal(keyring, doc))


def downgrade() -> None:
    keyring = _keyring()
    for table, column in _text_columns():
        _rewrite(table, column, sa.Text(), keyring.decrypt)
    for table, column in _json_columns():
        _rewrite(table, column, sa.JSON(), lambda token: json.loads(keyring.decrypt(token)))
    _alter_complaint(_narrow)


def _keyring() -> Keyring:
    if op.get_context().as_sql:
        raise RuntimeError("0006 encrypts existing rows: run it on a database, not with --sql")
    return keyring_for(op.get_bind().dialect)


def _alter_complaint(change: Callable[[], None]) -> None:
    if op.get_bind().dialect.name != "sqlite":
        change()
        return
    # SQLite changes a column type by rebuilding the table, and dropping the old copy fails
    # while other tables' foreign keys point at it. SQLite's own procedure for this: switch
    # the checks off (a no-op inside a transaction, hence the block), rebuild, check again.
    with op.get_context().autocommit_block():
        op.execute("PRAGMA foreign_keys=OFF")
        try:
            change()
        finally:
            op.execute("PRAGMA foreign_keys=ON")
        if op.get_bind().execute(sa.text("PRAGMA foreign_key_check")).first() is not None:
            raise RuntimeError("foreign key check failed after rebuilding the complaint table")


def _widen() -> None:
    with op.batch_alter_table("complaint", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("anonymised_at", models.base.UTCDateTime(timezone=True), nullable=True)
        )
        for name, length in WIDENED.items():
            batch_op.alter_column(name, existing_type=sa.String(length=length), type_=sa.Text())


def _narrow() -> None:
    with op.batch_alter_table("complaint", schema=None) as batch_op:
        for name, length in WIDENED.items():
            batch_op.alter_column(name, existing_type=sa.Text(), type_=sa.String(length=length))
        batch_op.drop_column("anonymised_at")


def _text_columns() -> list[tuple[str, str]]:
    return [(table, column) for table, columns in TEXT_COLUMNS.items() for column in columns]


def _json_columns() -> list[tuple[str, str]]:
    return [(table, column) for table, columns in JSON_COLUMNS.items() for column in columns]


def _seal(keyring: Keyring, document: Any) -> str:
    return keyring.encrypt(json.dumps(document, ensure_ascii=False))


def _rewrite(name: str, column: str, type_: Any, transform: Callable[[Any], Any]) -> None:
    """Replace every non-NULL value of one column, in batches by id."""
    connection = op.get_bind()
    table = sa.table(name, sa.column("id", sa.Integer()), sa.column(column, type_))
    last = 0
    while True:
        rows = connection.execute(
            sa.select(table.c.id, table.c[column])
            .where(table.c.id > last, table.c[column].is_not(None))
            .order_by(table.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        connection.execute(
            table.update().where(table.c.id == sa.bindparam("row_id")),
            [{"row_id": row_id, column: transform(value)} for row_id, value in rows],
        )
        last = rows[-1][0]
