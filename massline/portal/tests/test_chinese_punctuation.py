"""Chinese pages use Chinese punctuation: no translation puts an ASCII , : ; ( ) ? ! next to Chinese text.
(Fix with ``.venv/bin/python tools/po_punctuation.py``, then compilemessages.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

CJK = "\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
ASCII_NEXT_TO_CHINESE = re.compile(rf"(?<=[{CJK}])[,:;()?!]|[,:;()?!](?=[{CJK}])")
#: Literal marks that are right as they are: a keyboard key (?) and the string a signature covers.
ALLOWED = ("，? 顯示", "，? 显示", "編號:xid", "编号:xid")


def msgstrs(po: Path) -> list[str]:
    """Every translation in ``po`` (obsolete entries and the header aside), plural forms included."""
    found, field, text = [], None, {}
    for line in [*po.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("#~"):
            continue
        if line.startswith(("msgid ", "msgid_plural ", "msgstr", "msgctxt ")):
            field, _sep, rest = line.partition(" ")
            text[field] = rest.strip()[1:-1]
        elif line.startswith('"') and field:
            text[field] += line.strip()[1:-1]
        elif not line.strip() and text:
            if text.get("msgid"):
                found += [v for k, v in text.items() if k.startswith("msgstr") and v]
            text, field = {}, None
    return found


@pytest.mark.parametrize("language", ["zh_Hant", "zh_Hans"])
def test_no_ascii_punctuation_next_to_chinese(language):
    po = settings.LOCALE_PATHS[0] / language / "LC_MESSAGES" / "django.po"
    strings = msgstrs(po)
    assert len(strings) > 500  # the parser read the catalogue
    wrong = []
    for s in strings:
        checked = s
        for allowed in ALLOWED:
            checked = checked.replace(allowed, "")
        if ASCII_NEXT_TO_CHINESE.search(checked):
            wrong.append(s)
    assert not wrong, f"{len(wrong)} translations with ASCII punctuation next to Chinese, e.g. {wrong[:3]}"


def test_compiled_catalogue_serves_the_fixed_punctuation():
    """The .mo files were compiled after the fix: Chinese text comes out with the full-width marks."""
    from django.utils import translation

    english = (
        "This limit protects the service from automated abuse. If you are sending a real request, nothing "
        "is lost: try again later, or call the hotline."
    )
    with translation.override("zh-hant"):
        assert "的訴求，不會有任何損失：請稍後再試，或" in translation.gettext(english)
    with translation.override("zh-hans"):
        assert "的诉求，不会有任何损失：请稍后再试，或" in translation.gettext(english)


@pytest.mark.parametrize(("language", "separator"), [("zh-hant", "、"), ("zh-hans", "、"), ("en", ", ")])
def test_role_labels_are_joined_with_the_languages_list_separator(client, staff, language, separator):
    from django.contrib.auth.models import Group

    user = staff["supervisor"]
    user.groups.add(Group.objects.get(name="dispatcher"))
    client.force_login(user)
    page = client.get("/staff/", HTTP_ACCEPT_LANGUAGE=language, follow=True).content.decode()
    badge = page.split('class="role-badge">')[1].split("</strong>")[0]
    assert separator in badge and (separator == ", " or "," not in badge), badge
