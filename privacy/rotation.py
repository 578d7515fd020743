"""Key rotation: every encrypted value re-encrypted under the first key of ``DATA_KEY``.

Values the first key already opens are left alone, so running it again changes nothing;
a crash half-way is finished by running it again, as long as the old key is still listed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import Column, Integer, MetaData, Table, column, select, table
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import TableClause, bindparam

from models.crypto import ENCRYPTED_TYPES, DataKeyError, Keyring

BATCH = 500


@dataclass(frozen=True)
class ColumnRotation:
    """What a rotation did to one encrypted column."""

    name: str  # table.column
    rotated: int  # re-encrypted under the first key
    current: int  # already under the first key


def encrypted_columns(metadata: MetaData) -> list[tuple[Table, Column[object]]]:
    """Every column of an encrypted type, in table dependency order."""
    return [
        (tbl, col)
        for tbl in metadata.sorted_tables
        for col in tbl.columns
        if isinstance(col.type, ENCRYPTED_TYPES)
    ]


def rotate_column(
    session: Session, tbl: Table, col: Column[object], keyring: Keyring, *, write: bool = True
) -> ColumnRotation:
    """Re-encrypt one column's values that the first key does not open (caller commits);
    with ``write`` false, only count them.

    Raises :class:`DataKeyError` naming the row when no key opens a value.
    """
    # The raw token is read and written through the column's storage type (TEXT or
    # JSON), bypassing the encrypting type.
    storage = col.type.impl  # type: ignore[attr-defined]
    raw = table(tbl.name, column("id", Integer()), column(col.name, storage))
    rotated = current = 0
    for rows in _batches(session, raw, col.name):
        updates = []
        for row_id, token in rows:
            if keyring.is_current(token):
                current += 1
                continue
            try:
                updates.append({"row_id": row_id, col.name: keyring.reencrypt(token)})
            except DataKeyError as exc:
                raise DataKeyError(f"{tbl.name}.{col.name} id {row_id}: {exc}") from None
        if updates and write:
            session.execute(raw.update().where(raw.c.id == bindparam("row_id")), updates)
        rotated += len(updates)
    return ColumnRotation(f"{tbl.name}.{col.name}", rotated, current)


def _batches(session: Session, raw: TableClause, name: str) -> Iterator[list[tuple[int, str]]]:
    last = 0
    while True:
        rows = session.execute(
            select(raw.c.id, raw.c[name])
            .where(raw.c.id > last, raw.c[name].is_not(None))
            .order_by(raw.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        yield [(row_id, token) for row_id, token in rows]
        last = rows[-1][0]
