"""The statistics chart, its period menu and the monthly report's month menu start where the data starts;
unit and category names in them are shown in the reader's script."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from massline.workflow import actions as wf

from .conftest import SH

pytestmark = pytest.mark.django_db

JANUARY = datetime(2026, 1, 12, 10, 0, tzinfo=SH)


def chart_months(page: str) -> list[str]:
    """The months of the 'Requests per month' data table, in order."""
    table = page.split('id="h-months"')[1].split("</table>")[0]
    return re.findall(r"<tr><td>(\d{4}-\d{2})</td>", table)


def menu(page: str, select_id: str) -> list[str]:
    block = page.split(f'id="{select_id}"')[1].split("</select>")[0]
    return re.findall(r'<option value="(\d{4}-\d{2})"', block)


def test_one_month_of_data_gives_one_month_not_a_year_of_empty_ones(client, replied):
    replied()  # March 2026
    page = client.get("/statistics/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert chart_months(page) == ["2026-03"]
    assert menu(page, "rank-month") == ["2026-03"]
    assert "2025-" not in page.split('id="h-months"')[1].split('id="h-cats"')[0]


def test_the_chart_and_the_menus_run_from_the_first_month_with_data(client, replied, make_request, actors):
    replied()  # March 2026
    early = make_request(at=JANUARY)
    wf.do_reject(early, actors["dispatcher"], note="重複", at=JANUARY + timedelta(hours=1))  # not listed
    make_request(at=JANUARY + timedelta(days=3))  # listed: January is the first month with public data
    page = client.get("/statistics/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert chart_months(page) == ["2026-01", "2026-02", "2026-03"]  # February empty, but inside the span
    assert menu(page, "rank-month") == ["2026-03", "2026-02", "2026-01"]

    report = client.get("/report/2026-03/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert menu(report, "report-month") == ["2026-03", "2026-02", "2026-01"]
    assert 'href="/report/2026-02/"' in report and "2025-12" not in report


def test_the_report_month_menu_goes_to_the_chosen_month(client, replied):
    replied()
    assert client.get("/report/?month=2026-02")["Location"] == "/report/2026-02/"
    assert client.get("/report/?month=nonsense")["Location"] == "/report/2026-03/"
    assert client.get("/report/")["Location"] == "/report/2026-03/"


@pytest.mark.parametrize(
    ("language", "shown", "not_shown"),
    [
        ("zh-hant", ["市住房和城鄉建設局", "城鄉建設"], ["城乡建设"]),
        ("zh-hans", ["市住房和城乡建设局", "城乡建设"], ["城鄉建設"]),
    ],
)
def test_unit_and_category_names_are_in_the_readers_script(
    client, replied, settings, language, shown, not_shown
):
    settings.MASSLINE_RANKING_MIN_DISPATCHED = 1
    replied()
    for url in ("/statistics/", "/report/2026-03/"):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        body = page.split('id="main"')[1]
        for name in shown:
            assert name in body, (url, name)
        for name in not_shown:
            assert name not in body, (url, name)
        ranked = body.split("<tbody>")[-1] if url == "/statistics/" else body
        assert shown[0] in ranked


def test_the_original_characters_are_one_click_away(client, replied, settings):
    settings.MASSLINE_RANKING_MIN_DISPATCHED = 1
    replied()
    page = client.get("/statistics/?script=original", HTTP_ACCEPT_LANGUAGE="zh-hant").content.decode()
    assert "市住房和城乡建设局" in page and "城乡建设" in page
