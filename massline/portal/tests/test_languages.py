"""Traditional Chinese by default; the switcher and the browser's language choose Simplified or English."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_traditional_chinese_is_the_default(client, city):
    page = client.get("/").content.decode()
    assert '<html lang="zh-Hant">' in page and "我要反映" in page and "市民熱線" in page


def test_the_browser_language_is_honoured(client, city):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()
    assert '<html lang="en">' in page and "Submit a request" in page


@pytest.mark.parametrize(
    ("language", "lang_attr", "expected"),
    [
        ("en", "en", "Send the request"),
        ("zh-hans", "zh-Hans", "提交诉求"),
        ("zh-hant", "zh-Hant", "提交訴求"),
    ],
)
def test_the_switcher_changes_the_language_of_every_page(client, city, language, lang_attr, expected):
    response = client.post("/i18n/setlang/", {"language": language, "next": "/submit/"})
    assert response.status_code == 302 and response["Location"] == "/submit/"
    page = client.get("/submit/").content.decode()
    assert f'<html lang="{lang_attr}">' in page and expected in page


def test_state_names_and_numbers_follow_the_language(client, replied):
    req = replied()
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "已答复" in client.get(f"/requests/{req.reference}/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(f"/requests/{req.reference}/").content.decode()
    assert "Replied" in page and "March 2, 2026" in page
