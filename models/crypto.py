"""Encryption at rest: column types that store workers' personal data as Fernet tokens.

The keys are never read here. The app binds a :class:`Keyring` to its engine
(``privacy.init_app``), so that the models stay importable without Flask, and two apps in one
process (tests, a key rotation) may hold different keys. A column of these types cannot be
compared in SQL: every encryption of a value differs, so such a query would silently match
nothing; the comparator refuses it instead (a bare ``order_by(column)`` it cannot see:
that sorts by ciphertext).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any
from weakref import WeakKeyDictionary

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import JSON, Engine, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.operators import OperatorType
from sqlalchemy.types import TypeDecorator


class DataKeyError(RuntimeError):
    """No data key is bound to the database, or none of the keys opens a stored value."""


def parse_keys(setting: str) -> list[bytes]:
    """The Fernet keys in a comma-separated ``DATA_KEY``; ValueError names a bad entry."""
    keys = [part.strip().encode("ascii", errors="replace") for part in setting.split(",")]
    keys = [key for key in keys if key]
    if not keys:
        raise ValueError("no key given")
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except ValueError:
            raise ValueError(f"entry {position} is not a Fernet key") from None
    return keys


class Keyring:
    """The data keys: the first encrypts, every one decrypts (old and new during a rotation)."""

    def __init__(self, keys: Sequence[bytes]) -> None:
        if not keys:
            raise ValueError("a keyring needs at least one key")
        self._current = Fernet(keys[0])
        self._all = MultiFernet([Fernet(key) for key in keys])

    def encrypt(self, text: str) -> str:
        """A token of ``text`` under the first key."""
        return self._current.encrypt(text.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        """The text of a token made with any of the keys."""
        try:
            return self._all.decrypt(token.encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeEncodeError):
            # Never the token itself in the message: it lands in logs and tracebacks.
            raise DataKeyError(
                "a stored value cannot be decrypted with any key in DATA_KEY "
                "(wrong key, or a key removed before `flask data rotate-key` ran)"
            ) from None

    def is_current(self, token: str) -> bool:
        """True when the first key opens ``token`` (a rotation can leave it as it is)."""
        try:
            self._current.decrypt(token.encode("ascii"))
        except (InvalidToken, UnicodeEncodeError):
            return False
        return True

    def reencrypt(self, token: str) -> str:
        """``token``'s text encrypted again under the first key."""
        return self.encrypt(self.decrypt(token))


_KEYRINGS: WeakKeyDictionary[Dialect, Keyring] = WeakKeyDictionary()


def bind_keyring(engine: Engine, keyring: Keyring) -> None:
    """Use ``keyring`` for every encrypted column read or written through ``engine``."""
    # The dialect is the one object every connection of this engine hands to the types.
    _KEYRINGS[engine.dialect] = keyring


def keyring_for(dialect: Dialect) -> Keyring:
    """The keyring bound to the engine of ``dialect``."""
    keyring = _KEYRINGS.get(dialect)
    if keyring is None:
        raise DataKeyError("no data key bound to this database (privacy.init_app not called?)")
    return keyring


class _NoSqlComparison(TypeDecorator.Comparator[Any]):
    """Allows only NULL tests: anything else on ciphertext would be silently wrong."""

    def operate(self, op: OperatorType, *other: Any, **kwargs: Any) -> ColumnElement[Any]:
        """Refuse comparisons except ``IS [NOT] NULL``."""
        _check(op, other)
        return super().operate(op, *other, **kwargs)

    def reverse_operate(self, op: OperatorType, other: Any, **kwargs: Any) -> ColumnElement[Any]:
        """Refuse comparisons except ``IS [NOT] NULL``."""
        _check(op, (other,))
        return super().reverse_operate(op, other, **kwargs)


def _check(op: OperatorType, other: tuple[Any, ...]) -> None:
    if op in (operators.is_, operators.is_not):
        return
    if op in (operators.eq, operators.ne) and other == (None,):
        return
    raise TypeError(
        f"an encrypted column cannot be used in SQL ({getattr(op, '__name__', op)}); "
        "filter in Python after loading"
    )


class EncryptedText(TypeDecorator[str]):
    """Text stored as a Fernet token (TEXT on every database)."""

    impl = Text
    cache_ok = True
    comparator_factory = _NoSqlComparison

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        """Encrypt on the way in."""
        return None if value is None else keyring_for(dialect).encrypt(str(value))

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        """Decrypt on the way out."""
        return None if value is None else keyring_for(dialect).decrypt(value)


class EncryptedJSON(TypeDecorator[dict[str, Any]]):
    """A JSON document stored as one Fernet token.

    The column stays JSON, holding the token as a JSON string: encrypting existing JSON
    columns then changes no schema (no table rewrite on SQLite, no ALTER on PostgreSQL).
    """

    impl = JSON
    cache_ok = True
    comparator_factory = _NoSqlComparison

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        """Serialise, then encrypt."""
        if value is None:
            return None
        return keyring_for(dialect).encrypt(json.dumps(value, ensure_ascii=False))

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        """Decrypt, then parse."""
        if value is None:
            return None
        if not isinstance(value, str):
            raise DataKeyError("a JSON column holds a plain document where a token belongs")
        return json.loads(keyring_for(dialect).decrypt(value))


#: The encrypted column types, for the migration and the key rotation.
ENCRYPTED_TYPES = (EncryptedText, EncryptedJSON)
