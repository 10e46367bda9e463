"""Content in the reader's script: a Simplified request reads in Traditional on the Traditional interface
(and the other way round), unit names included, with the original one click away."""

from __future__ import annotations

import pytest

from massline.core.text.script import for_reader

pytestmark = pytest.mark.django_db

SIMPLIFIED = "小区路灯坏了两个月,晚上很黑,请尽快维修。"
TRADITIONAL = "小區路燈壞了兩個月,晚上很黑,請儘快維修。"


def _page(client, language, url):
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    return client.get(url).content.decode()


def test_a_simplified_request_and_its_reply_read_in_traditional_on_the_traditional_interface(client, replied):
    req = replied(text=SIMPLIFIED, reply="已安排维修,三天内完成。")
    page = _page(client, "zh-hant", f"/requests/{req.reference}/")
    assert TRADITIONAL in page and SIMPLIFIED not in page
    assert "已安排維修,三天內完成。" in page
    assert for_reader(req.unit.name, "zh-hant") in page


def test_the_original_characters_are_one_click_away(client, replied):
    req = replied(text=SIMPLIFIED)
    page = _page(client, "zh-hant", f"/requests/{req.reference}/")
    assert f'href="/requests/{req.reference}/?script=original"' in page and "顯示原文" in page
    original = client.get(f"/requests/{req.reference}/?script=original").content.decode()
    assert SIMPLIFIED in original and TRADITIONAL not in original
    assert f'href="/requests/{req.reference}/"' in original and "以繁體顯示" in original


def test_a_traditional_request_reads_in_simplified_and_english_readers_get_it_as_written(client, replied):
    req = replied(text=TRADITIONAL)
    assert "小区路灯坏了两个月" in _page(client, "zh-hans", f"/requests/{req.reference}/")
    english = _page(client, "en", f"/requests/{req.reference}/")
    assert TRADITIONAL in english and "Show the original characters" not in english


def test_traditional_uses_the_standard_character_forms():
    # s2tw, not s2t: Traditional readers write 審核 and 才, not the archaic 審覈 and 纔.
    assert for_reader("低保审核时才给盖章", "zh-hant") == "低保審核時才給蓋章"


def test_conversion_keeps_the_words(client, replied):
    # s2t keeps 社区 as 社區; s2twp would turn it into 社群, changing what the person said.
    req = replied(text="社区门口的井盖丢了,晚上很危险。")
    page = _page(client, "zh-hant", f"/requests/{req.reference}/")
    assert "社區門口的井蓋丟了" in page and "社群" not in page


def test_the_list_converts_unit_and_category_names(client, replied):
    req = replied(text=SIMPLIFIED)
    page = _page(client, "zh-hant", "/requests/")
    assert for_reader(req.category.name, "zh-hant") in page
