"""The site registry: validation, ``sites add/import/list``, and the look-ups the bot uses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select, text

from app import create_app
from models import Site
from models.db import get_session
from sites import find_active_site, site_facts
from sites.registry import FIELD_NAMES, clean_site_values, missing_facts

from .conftest import base_config
from .site_data import FULL_SITE, add_site, csv_text


def site_by_code(app: Flask, code: str) -> Site | None:
    with app.app_context():
        return get_session().scalars(select(Site).where(Site.code == code)).one_or_none()


# --- validation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "stored"),
    [("zl-01", "ZL-01"), (" A_1 ", "A_1"), ("x" * 32, "X" * 32), ("2026", "2026")],
)
def test_codes_are_trimmed_and_upper_cased(code: str, stored: str) -> None:
    data, errors = clean_site_values({"code": code, "name": "项目"})
    assert errors == [] and data is not None and data.code == stored


@pytest.mark.parametrize("code", ["", "-A", "a b", "工地1", "x" * 33, "a/b", "qrscene_a.b"])
def test_bad_codes_are_refused(code: str) -> None:
    data, errors = clean_site_values({"code": code, "name": "项目"})
    assert data is None and "工地编号" in errors[0]


@pytest.mark.parametrize(
    ("phone", "ok"),
    [
        ("13912345678", True),
        ("0519-8568 1234", True),
        ("+86 139 1234 5678", True),
        ("12333", True),
        ("0519-85681234转802", True),
        ("1234", False),
        ("call me", False),
        ("139123456781391234567813912345678139123456", False),
    ],
)
def test_phone_numbers_are_checked(phone: str, ok: bool) -> None:
    _, errors = clean_site_values({"code": "A", "labour_manager_phone": phone})
    assert (errors == []) is ok


def test_whitespace_is_collapsed_and_lengths_capped() -> None:
    data, _ = clean_site_values({"code": "A", "name": "  新城\n花园\u3000项目 "})
    assert data is not None and data.facts["name"] == "新城 花园 项目"
    _, errors = clean_site_values({"code": "A", "name": "长" * 201})
    assert errors == ["项目名称过长（最多 200 字）"]


def test_missing_facts_name_every_empty_board_field() -> None:
    site = Site(**{**FULL_SITE, "builder": "", "legal_aid": "  "})
    assert missing_facts(site) == ["建设单位", "法律援助渠道"]
    assert missing_facts(Site(**FULL_SITE)) == []


# --- sites add / list ---------------------------------------------------------------------


def add_args(values: dict[str, str]) -> list[str]:
    args = ["sites", "add"]
    for name, value in values.items():
        args += [f"--{name.replace('_', '-')}", value]
    return args


def test_add_takes_every_field_as_an_option(app: Flask, runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=add_args(FULL_SITE))
    assert result.exit_code == 0, result.output
    assert "已登记工地 ZL-2026-001" in result.output and "注意" not in result.output
    listed = json.loads(runner.invoke(args=["sites", "list", "--json"]).output)
    assert len(listed) == 1
    assert {name: listed[0][name] for name in FIELD_NAMES} == FULL_SITE
    assert listed[0]["active"] is True and listed[0]["missing"] == []


def test_add_warns_about_missing_facts(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["sites", "add", "--code", "b1", "--name", "二号工地"])
    assert result.exit_code == 0
    assert "工地 B1 尚缺告示牌必填信息" in result.output and "劳资专管员电话" in result.output


def test_add_refuses_an_existing_code_unless_updating(app: Flask, runner: FlaskCliRunner) -> None:
    runner.invoke(args=add_args(FULL_SITE))
    again = runner.invoke(args=["sites", "add", "--code", "zl-2026-001", "--name", "别的"])
    assert again.exit_code == 1 and "已存在" in again.output
    update = ["sites", "add", "--code", "ZL-2026-001", "--pay-day", "每月10日", "--update"]
    assert runner.invoke(args=update).exit_code == 0
    site = site_by_code(app, "ZL-2026-001")
    assert site is not None
    assert (site.name, site.pay_day, site.facts_version) == (FULL_SITE["name"], "每月10日", 2)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--code", "new"], "--name"),
        (["--code", "bad code", "--name", "x"], "工地编号"),
        (["--code", "A", "--name", "x", "--inspection-phone", "n/a"], "劳动保障监察投诉电话"),
    ],
)
def test_add_refuses_bad_input(runner: FlaskCliRunner, args: list[str], message: str) -> None:
    result = runner.invoke(args=["sites", "add", *args])
    assert result.exit_code != 0 and message in result.output


def test_deactivate_and_activate(app: Flask, runner: FlaskCliRunner) -> None:
    add_site(app)
    assert runner.invoke(args=["sites", "deactivate", "zl-2026-001"]).exit_code == 0
    assert json.loads(runner.invoke(args=["sites", "list", "--json"]).output)[0]["active"] is False
    assert runner.invoke(args=["sites", "activate", "ZL-2026-001"]).exit_code == 0
    assert runner.invoke(args=["sites", "deactivate", "nope"]).exit_code == 1


# --- sites import ---------------------------------------------------------------------------


def write_csv(tmp_path: Path, text: str, *, bom: bool = False, encoding: str = "utf-8") -> Path:
    path = tmp_path / "sites.csv"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding))
    return path


@pytest.mark.parametrize("bom", [False, True])
def test_import_reads_utf8_with_or_without_bom(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path, bom: bool
) -> None:
    second = {**FULL_SITE, "code": "ZL-2026-002", "name": "二号地块"}
    path = write_csv(tmp_path, csv_text([FULL_SITE, second]), bom=bom)
    result = runner.invoke(args=["sites", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "新增 2 个" in result.output
    site = site_by_code(app, "ZL-2026-001")
    assert site is not None and site_facts(site) == FULL_SITE


def test_reimport_updates_and_bumps_the_poster_version(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    runner.invoke(args=["sites", "import", str(write_csv(tmp_path, csv_text([FULL_SITE])))])
    same = runner.invoke(args=["sites", "import", str(write_csv(tmp_path, csv_text([FULL_SITE])))])
    assert "未变 1 个" in same.output
    changed = {**FULL_SITE, "pay_day": "每月20日", "labour_manager": "李四"}
    result = runner.invoke(args=["sites", "import", str(write_csv(tmp_path, csv_text([changed])))])
    assert "更新 1 个" in result.output
    site = site_by_code(app, "ZL-2026-001")
    assert site is not None
    assert (site.pay_day, site.labour_manager, site.facts_version) == ("每月20日", "李四", 2)


def test_bad_rows_are_reported_by_line_and_good_rows_kept(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    header = ",".join(FULL_SITE)
    good = ",".join(f'"{v}"' for v in FULL_SITE.values())
    lines = [
        header,  # 1
        good,  # 2
        "",  # 3: blank lines are skipped but still counted
        'BAD CODE,"项目"',  # 4
        'B2,"多行的',  # 5: a quoted cell over two lines
        '名称",,,,,,,,,phone?',  # 6
        "B3,",  # 7: no name
        "B4,四号,,,,,,,,,,,,,,,,extra",  # 8: more cells than headers
        "B5,五号",  # 9: fine, facts still missing
    ]
    path = write_csv(tmp_path, "\r\n".join(lines) + "\r\n")
    result = runner.invoke(args=["sites", "import", str(path)])
    assert result.exit_code == 1
    assert "新增 2 个" in result.output
    reported = [
        line.strip() for line in result.output.splitlines() if line.strip().startswith("第")
    ]
    assert [r.split("：")[0] for r in reported] == ["第 4 行", "第 5 行", "第 7 行", "第 8 行"]
    assert "工地编号" in reported[0] and "劳资专管员电话" in reported[1]
    assert "项目名称不能为空" in reported[2] and "多于表头" in reported[3]
    with app.app_context():
        codes = get_session().scalars(select(Site.code).order_by(Site.code)).all()
    assert codes == ["B5", "ZL-2026-001"]


def test_import_refuses_unknown_columns_before_reading_rows(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    path = write_csv(tmp_path, "code,name,phone\nA,甲,123\n")
    result = runner.invoke(args=["sites", "import", str(path)])
    assert result.exit_code == 1 and "未知的列：phone" in result.output
    assert site_by_code(app, "A") is None


def test_import_explains_a_non_utf8_file(runner: FlaskCliRunner, tmp_path: Path) -> None:
    path = write_csv(tmp_path, "code,name\nA,钟楼区项目\n", encoding="gbk")
    result = runner.invoke(args=["sites", "import", str(path)])
    assert result.exit_code == 1 and "UTF-8" in result.output and "CSV UTF-8" in result.output


def test_import_accepts_an_active_column_and_empty_spreadsheet_columns(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    path = write_csv(tmp_path, "code,name,active,,\nA,甲,否,,\nB,乙,1,,\n")
    assert runner.invoke(args=["sites", "import", str(path)]).exit_code == 0
    a, b = site_by_code(app, "A"), site_by_code(app, "B")
    assert a is not None and b is not None and (a.active, b.active) == (False, True)


# --- look-ups for the bot -----------------------------------------------------------------


def test_find_active_site_ignores_case_and_inactive_sites(app: Flask) -> None:
    add_site(app)
    add_site(app, code="OLD", active=False)
    with app.app_context():
        session = get_session()
        site = find_active_site(session, " zl-2026-001 ")
        assert site is not None and site.name == FULL_SITE["name"]
        assert find_active_site(session, "OLD") is None
        assert find_active_site(session, "NOPE") is None


def test_site_facts_lists_every_field_in_order() -> None:
    facts = site_facts(Site(**FULL_SITE))
    assert list(facts) == list(FIELD_NAMES) and facts == FULL_SITE


# --- migration 0002 ---------------------------------------------------------------------------


def test_migration_0002_keeps_existing_sites_and_downgrades(tmp_path: Path) -> None:
    app = create_app(base_config(f"sqlite:///{tmp_path / 'm.sqlite'}"))
    engine = app.extensions["db"].engine
    created = "2026-01-02 03:04:05.000000"
    columns = ", ".join(FIELD_NAMES)
    try:
        with app.app_context():
            upgrade(revision="0001")
            with engine.begin() as connection:
                connection.execute(
                    text(
                        f"INSERT INTO site ({columns}, active, created_at) VALUES "
                        f"({', '.join(':' + n for n in FIELD_NAMES)}, 1, :created)"
                    ),
                    {**FULL_SITE, "created": created},
                )
            upgrade(revision="0002")
            site = get_session().scalars(select(Site)).one()
            assert (site.facts_version, site.updated_at, site.qr_created_at) == (
                1,
                site.created_at,
                None,
            )
            get_session().close()
            downgrade(revision="0001")
            with engine.connect() as connection:
                names = {c["name"] for c in inspect(connection).get_columns("site")}
                assert "facts_version" not in names
                assert "scan" not in inspect(connection).get_table_names()
    finally:
        engine.dispose()
