"""Segmentation through t2s, with tokens in the original script and a user dictionary."""

from massline.core.text.segment import Segmenter, analysis_view, tokenize, tokenize_with_offsets


def test_traditional_text_gives_traditional_tokens_cut_like_simplified():
    simplified = tokenize("我在A市A5区魅力之城小区，请住建局处理噪音扰民")
    traditional = tokenize("我在A市A5區魅力之城小區，請住建局處理噪音擾民")
    assert len(simplified) == len(traditional)
    assert "小區" in traditional and "擾民" in traditional and "小区" in simplified


def test_offsets_point_into_the_original_text():
    text = "Ａ市　A5區的路燈壞了！"
    for token in tokenize_with_offsets(text):
        assert text[token.start : token.end] == token.text


def test_place_codes_and_units_stay_whole():
    tokens = tokenize("K10縣和A市A5区的人社局、住建局")
    for word in ("K10縣", "A市", "A5区", "人社局", "住建局"):
        assert word in tokens


def test_user_words_are_kept_whole_in_either_script():
    segmenter = Segmenter()
    assert "魅力之城小區" not in segmenter.tokenize("A5區魅力之城小區油煙擾民")
    segmenter.add_words(["魅力之城小区"])
    assert "魅力之城小區" in segmenter.tokenize("A5區魅力之城小區油煙擾民")
    assert "魅力之城小区" in segmenter.tokenize("A5区魅力之城小区油烟扰民")


def test_punctuation_is_dropped_unless_asked_for():
    assert tokenize("路灯坏了！！") == ["路灯", "坏", "了"]
    assert "！" in "".join(tokenize("路灯坏了！！", keep_punct=True))


def test_length_changing_conversions_fall_back_to_one_character_at_a_time():
    text = "乾隆年間著名的臺灣𠮷野家"
    assert len(analysis_view(text)) == len(text)
    assert "".join(tokenize(text, keep_punct=True)) == text
