"""Workers' personal data: encryption at rest, key rotation and retention.

``init_app`` binds the keys of ``DATA_KEY`` to the app's engine (the encrypted column types
in ``models.crypto`` read them there) and adds ``flask data`` and ``flask retention``.
See docs/data-protection.md.
"""

from __future__ import annotations

from flask import Flask

from models.crypto import Keyring, bind_keyring, parse_keys


def init_app(app: Flask) -> None:
    """Bind the data keys to the database engine and register the commands.

    Must run after ``models.db.init_app``; ``load_config`` has already validated the keys.
    """
    from privacy.cli import data_cli, retention_cli

    keyring = Keyring(parse_keys(app.config["DATA_KEY"]))
    bind_keyring(app.extensions["db"].engine, keyring)
    app.extensions["data_keyring"] = keyring
    app.cli.add_command(data_cli)
    app.cli.add_command(retention_cli)
