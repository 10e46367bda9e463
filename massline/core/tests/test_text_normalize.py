"""Normalisation: Traditional/Simplified, widths, whitespace and web boilerplate."""

from massline.core.text.normalize import normalize_for_analysis, remove_boilerplate, to_simplified_phrases
from massline.shared_data import PROJECT_ROOT


def test_traditional_and_full_width_meet_the_simplified_form():
    assert normalize_for_analysis("Ａ市　A5區  魅力之城小區") == normalize_for_analysis(
        "A市 A5区 魅力之城小区"
    )


def test_taiwan_vocabulary_maps_to_mainland_words_for_models():
    assert to_simplified_phrases("計程車司機的軟體") == "出租车司机的软件"


def test_web_boilerplate_is_removed_and_the_message_kept():
    text = "群眾路線是傳家寶,有什麼體會呢?為此小編為大家推薦了一些,歡迎大家參閱。\n\n正文第一段。\n\n下一頁更多精彩“”"
    cleaned = remove_boilerplate(text)
    assert "小編" not in cleaned and "參閱" not in cleaned and "下一頁" not in cleaned
    assert cleaned.startswith("群眾路線是傳家寶,有什麼體會呢?")
    assert "正文第一段。" in cleaned


def test_forms_of_address_and_real_requests_are_not_boilerplate():
    for text in [
        "尊敬的领导：您好！小区门口噪音扰民，请处理。谢谢",
        "请问小编推荐的这家公司靠谱吗，我买的东西没到货",
        "我想点击查看更多信息但网站打不开，请解决",
        "地铁扫码闸机不开，扫码进站出站时都要进入app，很不方便",
        "以上意见（仅供参考）目前小区仍未整改",
    ]:
        assert remove_boilerplate(text) == text


def test_the_seed_essay_loses_only_its_boilerplate():
    essay = PROJECT_ROOT.parent / "shared" / "context" / "seed-mass-line-essay.txt"
    if not essay.exists():
        import pytest

        pytest.skip(f"needs {essay}")
    text = essay.read_text(encoding="utf-8")
    cleaned = remove_boilerplate(text)
    assert "小編為大家推薦" not in cleaned and "下一頁更多精彩" not in cleaned
    assert len(cleaned) > 0.98 * len(text)
    assert "從群眾中來、到群眾中去" in cleaned


def test_common_promotional_tails_go():
    for tail in [
        "扫码关注公众号获取更多",
        "欢迎大家参阅！",
        "希望对大家有帮助~",
        "点击查看全文>>",
        "相关推荐：",
    ]:
        assert remove_boilerplate("路灯坏了。" + tail) == "路灯坏了。"


def test_normalize_can_drop_boilerplate_on_request():
    text = "路灯坏了,请修理。更多精彩内容请关注本站"
    assert "关注" in normalize_for_analysis(text)
    assert normalize_for_analysis(text, drop_boilerplate=True) == "路灯坏了,请修理。"
