"""Intake removes characters that change how text looks without being seen: bidi overrides (which can
make "gnp.exe" read as "exe.png"), zero-width spaces and joiners, and byte-order marks."""

from __future__ import annotations

import pytest

from massline.core.text.invisible import strip_invisible

RLO, ZWSP, ZWJ, BOM = "\u202e", "\u200b", "\u200d", "\ufeff"


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        (f"路灯{RLO}坏了", "路灯坏了"),
        (f"138{ZWSP}1234{ZWSP}5678", "13812345678"),
        (f"{BOM}小区\u2066门口\u2069", "小区门口"),
        ("left\u200eright\u200f\u202a\u202b\u202c\u202d", "leftright"),
        (f"a{ZWJ}b\u200cc", "abc"),
        ("👨\u200d👩\u200d👧 一家人", "👨\u200d👩\u200d👧 一家人"),  # a family emoji stays one picture
        ("🏳\ufe0f\u200d🌈", "🏳\ufe0f\u200d🌈"),
        (f"路灯{ZWJ}👍", "路灯👍"),  # a joiner after a letter joins nothing
    ],
)
def test_invisible_characters_are_removed_but_emoji_sequences_kept(typed, kept):
    assert strip_invisible(typed) == kept


def test_submitted_text_is_stored_and_shown_without_them(client, make_request):
    req = make_request(
        text=f"小区{RLO}门口的路灯坏了{ZWSP}两个月",
        title=f"{BOM}路灯",
        address=f"观岭街道{RLO}",
        contact_name=f"李{ZWSP}四",
    )
    req.refresh_from_db()
    assert (req.text, req.title, req.address, req.contact_name) == (
        "小区门口的路灯坏了两个月",
        "路灯",
        "观岭街道",
        "李四",
    )
    page = client.post(
        "/submit/", {"kind": "complaint", "title": f"井盖{RLO}丢失", "text": f"人行道{ZWSP}井盖丢失{RLO}了"}
    )
    assert page.status_code == 302
    from massline.workflow.models import Request

    latest = Request.objects.order_by("-id").first()
    assert (latest.title, latest.text) == ("井盖丢失", "人行道井盖丢失了")
