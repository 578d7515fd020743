"""One queue for every channel, as a hotline operator uses it in headless Chromium: a phone
case registered by hand, a national-platform export uploaded with a duplicate of a WeChat
case, and the employer page (一企一策). The intake result and the employer page are kept as
``instance/e2e/intake.png`` and ``instance/e2e/employer*.png`` for people to look at.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from devtools.fake_wechat import serve_in_thread
from tests.console_fixtures import PASSWORD, add_complaint, add_staff
from tests.e2e.test_console_browser import ARTEFACTS, CHROMIUM, open_page

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which(CHROMIUM) is None, reason="needs Debian's chromium"),
]

EXPORT = (
    "线索编号,反映时间,反映人姓名,联系电话,被反映单位,项目名称,欠薪金额（元）,欠薪人数\n"
    "GZ-2026-0107,2026-11-28 10:00,张三,13812345678,老板王德发(德发建筑劳务公司),紫荆苑,35000,5\n"
    "GZ-2026-0108,2026-11-28 11:00,李四,13911112222,德发建筑劳务有限公司,紫荆苑,三万多,3\n"
)


@pytest.fixture
def page(app: Flask) -> Iterator[Any]:
    """A browser page on the app served over HTTP, with a WeChat case and an operator."""
    add_complaint(app, "261201-0001", employer="德发建筑劳务公司", contact_phone="13812345678")
    add_staff(app, "li", "hotline")
    with serve_in_thread(app) as url, open_page(url) as tab:
        tab.goto("/console/login")
        tab.get_by_label("用户名").fill("li")
        tab.get_by_label("密码").fill(PASSWORD)
        tab.get_by_role("button", name="登录").click()
        tab.wait_for_url("**/console/")
        yield tab


def test_operator_registers_a_phone_case(page: Any) -> None:
    from playwright.sync_api import expect

    page.get_by_role("link", name="登记案件").click()
    expect(page.get_by_role("heading", name="登记案件")).to_be_visible()
    page.get_by_label("来源渠道").select_option("12345")
    page.get_by_label("欠钱的老板/公司").fill("远大幕墙工程有限公司")
    page.get_by_label("欠款金额").fill("很多")
    page.get_by_label("被欠薪人数").fill("十几个人")
    page.get_by_label("欠薪时间").fill("今年9月到11月")
    page.get_by_label("工人姓名").fill("王五")
    page.get_by_label("联系电话").fill("137 0000 1111")
    page.get_by_role("button", name="登记").click()
    expect(page.get_by_text("无法识别“很多”")).to_be_visible()  # read as the bot reads it
    expect(page.get_by_text("请先告知工人")).to_be_visible()
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "intake-form.png"), full_page=True)
    page.get_by_label("欠款金额").fill("两万八")
    page.get_by_label("已告知工人").check()
    page.get_by_role("button", name="登记").click()

    heading = page.get_by_role("heading", name="已登记，案件编号")
    expect(heading).to_be_visible()
    case_no = heading.inner_text().split()[-1]
    expect(page.locator("#sms")).to_contain_text(
        f"【安薪】您反映的欠薪问题已登记，案件编号{case_no}"
    )
    page.screenshot(path=str(ARTEFACTS / "intake.png"), full_page=True)

    page.get_by_role("link", name="打开案件").click()
    expect(page.get_by_role("heading", name=f"案件 {case_no}")).to_be_visible()
    expect(page.get_by_text("12345热线", exact=True)).to_be_visible()
    expect(page.get_by_text("28000")).to_be_visible()


def test_an_export_with_a_duplicate_is_linked_to_the_wechat_case(page: Any, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    export = tmp_path / "national.csv"
    export.write_text(EXPORT, encoding="utf-8-sig")
    page.goto("/console/complaints/import")
    page.get_by_label("来源渠道").select_option("national")
    page.get_by_label("文件").set_input_files(str(export))
    page.get_by_role("button", name="导入").click()
    expect(page.locator("#created")).to_have_text("1")
    expect(page.locator("#linked")).to_have_text("1")  # 张三's second report of 261201-0001

    page.goto("/console/complaints/261201-0001")
    expect(
        page.get_by_text("全国根治欠薪线索反映平台 GZ-2026-0107（重复反映，已关联）")
    ).to_be_visible()
    page.get_by_role("link", name="案件", exact=True).click()
    expect(page.locator("table.cases tbody tr")).to_have_count(2)  # not filed twice


def test_employer_page_gathers_every_channel_and_merges_a_name(
    app: Flask, page: Any, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    add_complaint(app, "261202-0001", employer="德发劳务队", contact_phone="13600000000")
    export = tmp_path / "national.csv"
    export.write_text(EXPORT, encoding="utf-8-sig")
    result = app.test_cli_runner().invoke(
        args=["complaints", "import", str(export), "--channel", "national"]
    )
    assert result.exit_code == 0, result.output

    page.get_by_role("link", name="用人单位").click()
    rows = page.locator("table.employers tbody tr")
    expect(rows).to_have_count(2)  # three spellings of 德发, and 德发劳务队
    rows.first.get_by_role("link").click()
    expect(page.locator("#employer-cases")).to_have_text("2")
    expect(page.get_by_text("微信、全国根治欠薪线索反映平台")).to_be_visible()
    expect(page.get_by_text("重复被投诉")).to_be_visible()

    page.get_by_label("把这个名称并入本单位").select_option(label="德发劳务队")
    page.get_by_role("button", name="合并").click()
    expect(page.get_by_text("已将“德发劳务队”并入，1件案件归到本单位")).to_be_visible()
    expect(page.locator("#employer-cases")).to_have_text("3")
    page.get_by_label("依据").fill("2026年失信名单第3号")
    page.get_by_role("button", name="列入黑名单").click()
    expect(page.locator("h1 .tag.urgent")).to_have_text("黑名单")

    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "employer.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.screenshot(path=str(ARTEFACTS / "employer-phone.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
