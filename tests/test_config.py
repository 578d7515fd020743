"""Configuration is read in create_app, from the environment or a test mapping."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from app import create_app
from config import DEFAULTS, FIXED, SETTINGS, ConfigError, Setting, flag, load_config

ROOT = Path(__file__).resolve().parents[1]
#: Values the environment may give that pass validation (the rest are read by their type).
VALID_ENV = {
    "ANXIN_ENV": "Production",
    "DATABASE_URL": "sqlite:////tmp/from-env.sqlite",
    "WECHAT_ENCODING_AES_KEY": "e" * 43,
    "WECHAT_PREVIOUS_ENCODING_AES_KEY": "p" * 43,
    "DATA_KEY": "cHJvZHVjdGlvbi10ZXN0LWtleS1wcm9kdWN0aW9uLTE=",
}
#: Production's secrets, given beside ANXIN_ENV=production so that it starts.
SECRETS = {
    "SECRET_KEY": "s" * 32,
    "WECHAT_TOKEN": "t",
    "WECHAT_APPID": "wx1234",
    "WECHAT_SECRET": "sec",
    "WECHAT_ENCODING_AES_KEY": "k" * 43,
    "DATA_KEY": VALID_ENV["DATA_KEY"],
}
SAMPLE_BY_KIND: dict[Any, str] = {str: "from-env", int: "7", float: "0.25", flag: "yes"}
#: Flask's own settings the code reads or writes, not knobs of ours.
FLASK_SETTINGS = {"TESTING", "REMEMBER_COOKIE_SECURE"}
PACKAGES = ("bot", "cases", "console", "jobs", "models", "nlu", "ops", "privacy", "sites")
PACKAGES += ("webhooks", "wechat")
_READ = re.compile(r"config(?:\.get\(|\[|\.setdefault\()\s*\"([A-Z][A-Z0-9_]{2,})\"")


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


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_every_knob_can_be_set_from_the_environment(tmp_path: Path, setting: Setting) -> None:
    raw = VALID_ENV.get(setting.name, SAMPLE_BY_KIND[setting.kind])
    secrets = SECRETS if setting.name == "ANXIN_ENV" else None
    config = load_config(str(tmp_path), secrets, environ={setting.env: raw})
    expected = setting.kind(raw)
    if setting.name == "ANXIN_ENV":
        expected = raw.lower()
    assert config[setting.name] == expected != setting.default


def test_poster_settings_reach_the_app_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POSTER_FONT", "/srv/fonts/board.ttf")
    monkeypatch.setenv("WECHAT_PERMANENT_QR_LIMIT", "500")
    monkeypatch.setenv("WECHAT_ACCOUNT_NAME", "钟楼欠薪维权")
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/p.sqlite"})
    assert app.config["POSTER_FONT"] == "/srv/fonts/board.ttf"
    assert app.config["WECHAT_PERMANENT_QR_LIMIT"] == 500
    assert app.config["WECHAT_ACCOUNT_NAME"] == "钟楼欠薪维权"


@pytest.mark.parametrize("raw", ["maybe", "2"])
def test_a_yes_no_setting_refuses_other_words(tmp_path: Path, raw: str) -> None:
    with pytest.raises(ConfigError, match="SESSION_COOKIE_SECURE"):
        load_config(str(tmp_path), environ={"SESSION_COOKIE_SECURE": raw})


def test_each_setting_the_code_reads_is_in_the_one_table() -> None:
    """No package keeps a knob (or a default for it) of its own."""
    read: dict[str, set[str]] = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            for name in _READ.findall(path.read_text(encoding="utf-8")):
                read.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    known = set(DEFAULTS) | set(FIXED) | FLASK_SETTINGS
    assert {name: where for name, where in read.items() if name not in known} == {}
    assert "POSTER_FONT" in read and "RETENTION_DAYS" in read  # the scan finds real reads


def test_no_package_sets_defaults_of_its_own() -> None:
    found = [
        str(path.relative_to(ROOT))
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "config.setdefault(" in path.read_text(encoding="utf-8")
    ]
    assert found == []
