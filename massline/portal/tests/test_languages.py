"""Traditional Chinese by default; the switcher and the browser's language choose Simplified or English."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_traditional_chinese_is_the_default(client, db):
    page = client.get("/").content.decode()
    assert '<html lang="zh-Hant">' in page and "我要反映" in page and "市民熱線" in page


def test_the_browser_language_is_honoured(client, db):
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
def test_the_switcher_changes_the_language_of_every_page(client, db, language, lang_attr, expected):
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


def _untranslated(po_path) -> list[str]:
    """msgids of a .po file whose msgstr is empty (obsolete and header entries aside)."""
    missing, msgid, field, text = [], None, None, {}
    for line in [*po_path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("#~"):
            continue
        if line.startswith(("msgid ", "msgid_plural ", "msgstr ", "msgstr[0] ")):
            field, _sep, rest = line.partition(" ")
            text[field] = rest.strip()[1:-1]
        elif line.startswith('"') and field:
            text[field] += line.strip()[1:-1]
        elif not line.strip() and text:
            msgid = text.get("msgid", "")
            if msgid and not (text.get("msgstr") or text.get("msgstr[0]")):
                missing.append(msgid)
            text, field = {}, None
    return missing


@pytest.mark.parametrize("language", ["zh_Hant", "zh_Hans"])
def test_every_extracted_string_is_translated(language):
    from django.conf import settings

    po = settings.LOCALE_PATHS[0] / language / "LC_MESSAGES" / "django.po"
    missing = _untranslated(po)
    assert not missing, f"{len(missing)} untranslated in {po}, e.g. {missing[:5]}"
