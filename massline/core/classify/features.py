"""Fast text features for the classifier: character n-grams and jieba words, TF-IDF weighted.

scikit-learn's ``TfidfVectorizer(analyzer="char")`` spends its time in a Python loop over every
n-gram, which caps prediction at about 2,500 messages a second for messages of 400 characters. Here
character n-grams are computed with numpy for a whole batch at once: each n-gram of up to three
characters is packed exactly (21 bits per code point) into one 64-bit key, and keys are looked up in
a vocabulary through a vectorised hash table. The packing is exact, so the result is the same
matrix the sklearn vectorizer would give with ``analyzer="char"``. Words (from jieba) are keyed by a
64-bit polynomial hash of their characters computed the same way, all at once.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.preprocessing import normalize

_BITS = 21  # every Unicode code point fits in 21 bits


def _codepoints(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """All code points of ``texts`` concatenated, and the document index of each one."""
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    joined = "".join(texts).replace("\x00", " ")
    cps = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    docs = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
    return cps, docs


def char_ngram_keys(texts: Sequence[str], ngram_range: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """(keys, doc index) of every character n-gram, in document order; none crosses two documents."""
    low, high = ngram_range
    if not 1 <= low <= high <= 3:
        raise ValueError("char n-grams are packed into 64 bits: ngram_range must lie within (1, 3)")
    cps, docs = _codepoints(texts)
    size = len(cps)
    # One column per n, one row per starting position: raveling row-major keeps document order.
    keys = np.zeros((size, high - low + 1), dtype=np.uint64)
    valid = np.zeros((size, high - low + 1), dtype=bool)
    for col, n in enumerate(range(low, high + 1)):
        if size < n:
            continue
        key = cps[: size - n + 1].copy()
        for k in range(1, n):
            key = (key << np.uint64(_BITS)) | cps[k : size - n + 1 + k]
        keys[: size - n + 1, col] = key
        valid[: size - n + 1, col] = docs[: size - n + 1] == docs[n - 1 :]
    mask = valid.ravel()
    return keys.ravel()[mask], np.repeat(docs, high - low + 1)[mask]


_HASH_BASE = 0x100000001B3  # odd, so it has an inverse modulo 2**64
_HASH_INVERSE = pow(_HASH_BASE, -1, 1 << 64)


def token_keys(docs_tokens: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
    """(keys, doc index) of every token: a 64-bit polynomial hash of its code points, in numpy.

    Tokens are joined with NUL separators and hashed all at once from prefix sums, so the only Python
    work per document is one ``join``. Two different words share a key with probability 2**-64.
    """
    joined = "".join("\x00".join(tokens) + "\x00" for tokens in docs_tokens)
    cps = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    n = len(cps)
    if n == 0:
        return np.zeros(0, np.uint64), np.zeros(0, np.int64)
    powers = np.full(n, _HASH_BASE, dtype=np.uint64)
    powers[0] = 1
    powers = np.cumprod(powers, dtype=np.uint64)
    inverse = np.full(n, _HASH_INVERSE, dtype=np.uint64)
    inverse[0] = 1
    inverse = np.cumprod(inverse, dtype=np.uint64)
    prefix = np.concatenate(([np.uint64(0)], np.cumsum((cps + np.uint64(1)) * powers, dtype=np.uint64)))
    ends = np.flatnonzero(cps == 0)
    starts = np.concatenate(([0], ends[:-1] + 1))
    keys = (prefix[ends] - prefix[starts]) * inverse[starts]
    per_doc = np.fromiter((max(len(t), 1) for t in docs_tokens), dtype=np.int64, count=len(docs_tokens))
    docs = np.repeat(np.arange(len(docs_tokens), dtype=np.int64), per_doc)
    keep = ends > starts  # an empty document leaves one empty token
    keys = keys[keep]
    keys[keys == 0] = 1  # 0 marks an empty slot in KeyIndex
    return keys, docs[keep]


_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


class KeyIndex:
    """An open-addressing hash table from 64-bit keys to their rank in a sorted vocabulary.

    A vectorised linear-probing lookup touches one or two slots per key, where ``searchsorted`` over a
    vocabulary of 250,000 n-grams makes eighteen cache-missing steps: several times faster for the
    million n-grams of a batch. Key 0 marks an empty slot (no n-gram or token key is 0).
    """

    def __init__(self, keys: np.ndarray):
        bits = max(10, int(np.ceil(np.log2(max(len(keys), 1) * 3))))
        self._shift = np.uint64(64 - bits)
        self._mask = (1 << bits) - 1
        self._keys = np.zeros(1 << bits, dtype=np.uint64)
        self._vals = np.full(1 << bits, -1, dtype=np.int64)
        pending = np.arange(len(keys))
        pos = self._slot(keys)
        while len(pending):
            free = self._keys[pos] == 0
            # Among the keys that want the same free slot, the first one takes it.
            slots, first = np.unique(pos[free], return_index=True)
            winners = pending[free][first]
            self._keys[slots] = keys[winners]
            self._vals[slots] = winners
            placed = np.zeros(len(pending), bool)
            placed[np.flatnonzero(free)[first]] = True
            pending, pos = pending[~placed], (pos[~placed] + 1) & self._mask

    def _slot(self, keys: np.ndarray) -> np.ndarray:
        return ((keys * _GOLDEN) >> self._shift).astype(np.int64)

    def lookup(self, keys: np.ndarray) -> np.ndarray:
        """The vocabulary rank of each key, or -1 when the key is not in the vocabulary."""
        result = np.full(len(keys), -1, dtype=np.int64)
        active = np.arange(len(keys))
        pos = self._slot(keys)
        while len(active):
            stored = self._keys[pos]
            hit = stored == keys[active]
            result[active[hit]] = self._vals[pos[hit]]
            more = ~hit & (stored != 0)
            active, pos = active[more], (pos[more] + 1) & self._mask
        return result


class _KeyTfidf(TransformerMixin, BaseEstimator):
    """TF-IDF over integer keys (n-grams or tokens) with a vocabulary of keys seen in min_df texts."""

    def _keys(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError

    def _index(self) -> KeyIndex:
        # Built on first use and never pickled: it is derived from vocabulary_ in well under a second.
        index = self.__dict__.get("_key_index")
        if index is None:
            index = self.__dict__["_key_index"] = KeyIndex(self.vocabulary_)
        return index

    def __getstate__(self):
        state = super().__getstate__()
        state.pop("_key_index", None)
        return state

    def _counts(self, keys: np.ndarray, docs: np.ndarray, n_docs: int) -> sp.csr_matrix:
        idx = self._index().lookup(keys)
        found = idx >= 0
        docs, idx = docs[found], idx[found]
        # ``docs`` is in document order, so the CSR row pointers come straight from a bincount.
        indptr = np.concatenate(([0], np.cumsum(np.bincount(docs, minlength=n_docs))))
        data = np.ones(len(idx), dtype=np.float64)
        counts = sp.csr_matrix((data, idx, indptr), shape=(n_docs, len(self.vocabulary_)))
        # Two linear-time transposes leave every row's indices sorted, three times faster than the
        # per-row sort sum_duplicates would otherwise do; then it only adds up neighbours.
        counts = counts.tocsc().tocsr()
        counts.sum_duplicates()
        return counts

    def fit(self, texts: Sequence[str], y=None):
        self.fit_transform(texts)
        return self

    def fit_transform(self, texts: Sequence[str], y=None):
        keys, docs = self._keys(texts)
        uniq, inverse = np.unique(keys, return_inverse=True)
        presence = sp.csr_matrix((np.ones(len(keys)), (docs, inverse)), shape=(len(texts), len(uniq)))
        presence.sum_duplicates()
        df = np.diff(presence.tocsc().indptr)
        self.vocabulary_ = uniq[df >= self.min_df]
        self.__dict__.pop("_key_index", None)
        counts = self._counts(keys, docs, len(texts))
        self.tfidf_ = TfidfTransformer(sublinear_tf=self.sublinear_tf).fit(counts)
        return self.tfidf_.transform(counts)

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        keys, docs = self._keys(texts)
        return self.tfidf_.transform(self._counts(keys, docs, len(texts)))


class CharNgramTfidf(_KeyTfidf):
    """TF-IDF over character n-grams (n ≤ 3) of already-normalised texts."""

    def __init__(self, ngram_range: tuple[int, int] = (1, 3), min_df: int = 2, sublinear_tf: bool = True):
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.sublinear_tf = sublinear_tf

    def _keys(self, texts):
        return char_ngram_keys(texts, self.ngram_range)


class WordTfidf(_KeyTfidf):
    """TF-IDF over jieba words of already-normalised texts (segmented with the model segmenter).

    Punctuation tokens are kept: filtering them in Python costs more than they weigh after IDF.
    """

    def __init__(self, min_df: int = 1, sublinear_tf: bool = True, hmm: bool = False):
        self.min_df = min_df
        self.sublinear_tf = sublinear_tf
        self.hmm = hmm

    def _keys(self, texts):
        from massline.core.text.segment import model_segmenter

        cut, hmm = model_segmenter().raw_cut, getattr(self, "hmm", False)
        return token_keys([cut(t, hmm) for t in texts])


class TextFeatures(TransformerMixin, BaseEstimator):
    """Character n-gram TF-IDF beside word TF-IDF, each block weighted, rows L2-normalised."""

    def __init__(
        self, char_ngram_range=(1, 2), char_min_df=2, word_min_df=1, word_weight=0.7, word_hmm=False
    ):
        self.char_ngram_range = char_ngram_range
        self.char_min_df = char_min_df
        self.word_min_df = word_min_df
        self.word_weight = word_weight
        self.word_hmm = word_hmm

    def _blocks(self):
        return [self.chars_] + ([self.words_] if self.word_weight > 0 else [])

    def _combine(self, mats) -> sp.csr_matrix:
        if len(mats) > 1:
            mats = [mats[0], mats[1] * self.word_weight]
        return normalize(sp.hstack(mats, format="csr"))

    def fit_transform(self, texts: Sequence[str], y=None):
        self.chars_ = CharNgramTfidf(self.char_ngram_range, self.char_min_df)
        self.words_ = WordTfidf(self.word_min_df, hmm=self.word_hmm)
        return self._combine([block.fit_transform(texts) for block in self._blocks()])

    def fit(self, texts: Sequence[str], y=None):
        self.fit_transform(texts)
        return self

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        return self._combine([block.transform(texts) for block in self._blocks()])

    @property
    def n_features_(self) -> int:
        return sum(len(b.vocabulary_) for b in self._blocks())
