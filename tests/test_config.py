"""Configuration is read in create_app, from the environment or a test mapping."""

from __future__ import annotations

import pytest

from app import create_app
from config import ConfigError, load_config


def test_defaults_use_sqlite_in_the_instance_folder(tmp_path) -> None:  # type: ignore[no-untyped-def]
    config = load_config(str(tmp_path), environ={})
    assert config["DATABASE_URL"] == f"sqlite:///{tmp_path}/anxin.sqlite"
    assert config["RASA_URL"] == "http://127.0.0.1:5005" and config["REDIS_URL"] is None


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("postgres://u@h:5432/db", "postgresql+psycopg://u@h:5432/db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:////tmp/x.sqlite", "sqlite:////tmp/x.sqlite"),
    ],
)
def test_database_url_forms(tmp_path, given: str, used: str) -> None:  # type: ignore[no-untyped-def]
    assert load_config(str(tmp_path), environ={"DATABASE_URL": given})["DATABASE_URL"] == used


def test_environment_is_read_and_converted(tmp_path) -> None:  # type: ignore[no-untyped-def]
    config = load_config(
        str(tmp_path),
        environ={
            "WECHAT_TOKEN": "tok",
            "RASA_TIMEOUT": "0.5",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
        },
    )
    assert config["WECHAT_TOKEN"] == "tok" and config["RASA_TIMEOUT"] == 0.5
    assert config["REDIS_URL"] == "redis://127.0.0.1:6379/0"


def test_test_mapping_wins_over_environment(tmp_path) -> None:  # type: ignore[no-untyped-def]
    config = load_config(
        str(tmp_path), {"WECHAT_TOKEN": "from-test"}, environ={"WECHAT_TOKEN": "env"}
    )
    assert config["WECHAT_TOKEN"] == "from-test"


def test_unreadable_number_is_a_clear_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ConfigError, match="RASA_TIMEOUT"):
        load_config(str(tmp_path), environ={"RASA_TIMEOUT": "soon"})


def test_production_without_secrets_fails_at_start_up_naming_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ANXIN_ENV", "production")
    monkeypatch.setenv("WECHAT_TOKEN", "real-token")
    with pytest.raises(ConfigError) as caught:
        create_app()
    message = str(caught.value)
    for key in ("SECRET_KEY", "WECHAT_APPID", "WECHAT_SECRET", "WECHAT_ENCODING_AES_KEY"):
        assert key in message
    assert "WECHAT_TOKEN" not in message


def test_production_with_every_secret_starts(tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = create_app(
        {
            "ANXIN_ENV": "production",
            "SECRET_KEY": "s" * 32,
            "WECHAT_TOKEN": "t",
            "WECHAT_APPID": "wx1234",
            "WECHAT_SECRET": "sec",
            "WECHAT_ENCODING_AES_KEY": "k" * 43,
            "DATA_KEY": "cHJvZHVjdGlvbi10ZXN0LWtleS1wcm9kdWN0aW9uLTE=",
            "DATABASE_URL": f"sqlite:///{tmp_path}/p.sqlite",
        }
    )
    assert app.config["ANXIN_ENV"] == "production"


def test_aes_key_of_the_wrong_length_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ConfigError, match="WECHAT_PREVIOUS_ENCODING_AES_KEY"):
        load_config(str(tmp_path), {"WECHAT_PREVIOUS_ENCODING_AES_KEY": "short"}, environ={})
