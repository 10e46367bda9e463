"""The fast feature code gives the same TF-IDF matrix as scikit-learn's vectorisers."""

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from massline.core.classify.features import CharNgramTfidf, KeyIndex, WordTfidf, token_keys
from massline.core.text.segment import model_segmenter

TEXTS = [
    "a市a5区魅力之城小区油烟噪音扰民,请尽快处理",
    "小区门口道路破损严重,车辆无法通行",
    "学校乱收费,家长反映强烈,请教育局调查",
    "养老保险断缴如何补缴?请人社局答复",
    "噪音扰民,夜间施工不停,请环保局处理",
    "",
    "𠮷野家 emoji 😀 and english words too",
]


def _rows_sorted(matrix):
    # Column order differs (sorted strings vs sorted keys); each row's multiset of values must not.
    return [np.sort(row.data) for row in matrix.tocsr()]


def test_char_ngrams_match_sklearn():
    ours = CharNgramTfidf((1, 2), min_df=1).fit(TEXTS[:5]).transform(TEXTS)
    sk = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True, lowercase=False)
    theirs = sk.fit(TEXTS[:5]).transform(TEXTS)
    assert ours.shape == theirs.shape
    for a, b in zip(_rows_sorted(ours), _rows_sorted(theirs), strict=True):
        assert np.allclose(a, b)


def test_words_match_sklearn_on_the_same_segmentation():
    cut = model_segmenter().raw_cut
    ours = WordTfidf().fit(TEXTS[:5]).transform(TEXTS)
    sk = TfidfVectorizer(analyzer=lambda s: cut(s, False), sublinear_tf=True, lowercase=False)
    theirs = sk.fit(TEXTS[:5]).transform(TEXTS)
    assert ours.shape == theirs.shape
    for a, b in zip(_rows_sorted(ours), _rows_sorted(theirs), strict=True):
        assert np.allclose(a, b)


def test_token_keys_tell_words_apart_and_repeat_for_the_same_word():
    keys, docs = token_keys([["小区", "小", "区"], [], ["小区", "区小"]])
    assert list(docs) == [0, 0, 0, 2, 2]
    assert keys[0] == keys[3]
    assert len(set(keys.tolist())) == 4


def test_key_index_finds_every_key_and_nothing_else():
    rng = np.random.default_rng(0)
    vocab = np.unique(rng.integers(1, 2**63, 5000, dtype=np.uint64))
    index = KeyIndex(vocab)
    assert list(index.lookup(vocab)) == list(range(len(vocab)))
    others = rng.integers(1, 2**63, 1000, dtype=np.uint64)
    others = others[~np.isin(others, vocab)]
    assert (index.lookup(others) == -1).all()
