"""Word segmentation with rjieba, through Traditional→Simplified, giving tokens in the original script.

jieba's dictionary is Simplified, so text is segmented in its Simplified, half-width form and every
token is cut back out of the *original* string by offset: a Traditional message yields Traditional
tokens. OpenCC t2s maps characters one to one almost always; when a conversion changes the length,
the text is converted character by character instead, keeping any character whose conversion is not a
single character as it is.

A user dictionary holds place and unit names (``data/user_dict.txt``; extend it with
:func:`add_words`). Masked place names of the govmsg data ("A市", "A5区", "K10县") are also joined by a
pattern rule, because jieba splits a Latin letter from the following character.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from massline.core.text.normalize import fold_width, to_simplified

DEFAULT_DICT = Path(__file__).with_name("data") / "user_dict.txt"

# A masked or lettered administrative place: a letter, up to two digits, then 市/区/县 (any script).
_PLACE_CODE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]\d{0,2}[市区县縣區州镇鎮乡鄉]")


@dataclass(frozen=True)
class Token:
    """A token as it appears in the original text, with its character offsets there."""

    text: str
    start: int
    end: int


_PUNCT_OR_SPACE = re.compile(r"^[\W_]+$")


def _is_punct_or_space(token: str) -> bool:
    # \W is everything but letters, digits and underscore, in any script: punctuation, symbols, spaces.
    return _PUNCT_OR_SPACE.match(token) is not None


@lru_cache(maxsize=4096)
def _simplify_char(ch: str) -> str:
    converted = to_simplified(ch)
    return converted if len(converted) == 1 else ch


def analysis_view(text: str) -> str:
    """The half-width Simplified form of ``text`` with exactly the same length."""
    folded = fold_width(text)
    simplified = to_simplified(folded)
    if len(simplified) == len(folded):
        return simplified
    return "".join(_simplify_char(ch) for ch in folded)


class Segmenter:
    """A jieba instance with its own user dictionary.

    ``Segmenter()`` loads the default place and unit dictionary; ``Segmenter(default_dict=False)``
    starts from jieba's dictionary only.
    """

    def __init__(self, words: Iterable[str] = (), *, default_dict: bool = True):
        import rjieba

        self._jieba = rjieba.Jieba()
        self._lock = threading.Lock()
        self.user_words: set[str] = set()
        if default_dict:
            self.add_words(load_word_file(DEFAULT_DICT))
        self.add_words(words)

    def add_words(self, words: Iterable[str]) -> None:
        """Add words (Simplified or Traditional) that must never be split."""
        with self._lock:
            for word in words:
                word = analysis_view(word.strip())
                if not word or word in self.user_words:
                    continue
                self.user_words.add(word)
                # suggest_freq gives the frequency that makes jieba keep the word whole.
                self._jieba.add_word(word, max(self._jieba.suggest_freq(word), 10), None)

    def tokenize_with_offsets(self, text: str, *, keep_punct: bool = False) -> list[Token]:
        """Tokens with their offsets in ``text``; punctuation and spaces are dropped unless asked."""
        if not text:
            return []
        view = analysis_view(text)
        spans = [(start, end) for _, start, end in self._jieba.tokenize(view)]
        spans = _merge_place_codes(view, spans)
        tokens = [Token(text[s:e], s, e) for s, e in spans]
        if keep_punct:
            return tokens
        return [t for t in tokens if not _is_punct_or_space(t.text)]

    def tokenize(self, text: str, *, keep_punct: bool = False) -> list[str]:
        """The tokens of ``text`` in its original characters."""
        return [t.text for t in self.tokenize_with_offsets(text, keep_punct=keep_punct)]

    def cut_for_search(self, text: str) -> list[str]:
        """jieba's search-engine cut of analysis-form text: long words and the words inside them."""
        return self._jieba.cut_for_search(text)

    def raw_cut(self, text: str, hmm: bool = True) -> list[str]:
        """Fastest path for models: jieba's own cut of analysis-form text, punctuation included.

        ``hmm=False`` skips jieba's HMM guessing of words missing from the dictionary (faster).
        """
        return self._jieba.cut(text, hmm)

    def cut_normalized(self, text: str) -> list[str]:
        """Fast path for models: segment text that is already in analysis form; no offsets, no merge."""
        return [tok for tok in self._jieba.cut(text) if not _PUNCT_OR_SPACE.match(tok)]


def _merge_place_codes(view: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join tokens that together form one place code, when the code's edges fall on token edges."""
    matches = [m.span() for m in _PLACE_CODE.finditer(view)]
    if not matches:
        return spans
    starts = {s: i for i, (s, _) in enumerate(spans)}
    ends = {e: i for i, (_, e) in enumerate(spans)}
    merged: list[tuple[int, int]] = []
    i = 0
    for m_start, m_end in matches:
        first, last = starts.get(m_start), ends.get(m_end)
        if first is None or last is None or first < i or last == first:
            continue
        merged.extend(spans[i:first])
        merged.append((m_start, m_end))
        i = last + 1
    merged.extend(spans[i:])
    return merged


def load_word_file(path: str | Path) -> list[str]:
    """Words from a dictionary file: one per line (jieba's "word freq tag" lines work too)."""
    words = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            words.append(line.split()[0])
    return words


_default: Segmenter | None = None
_default_lock = threading.Lock()


def default_segmenter() -> Segmenter:
    global _default
    with _default_lock:
        if _default is None:
            _default = Segmenter()
        return _default


_model: Segmenter | None = None


def model_segmenter() -> Segmenter:
    """A segmenter with the shipped dictionary only, never extended at run time.

    Trained models segment with this one, so words added later with :func:`add_words` (for place
    extraction, say) cannot change the features a saved model was trained on.
    """
    global _model
    with _default_lock:
        if _model is None:
            _model = Segmenter()
        return _model


def add_words(words: Iterable[str]) -> None:
    """Add place or unit names to the shared default segmenter."""
    default_segmenter().add_words(words)


def tokenize(text: str, *, keep_punct: bool = False) -> list[str]:
    """Segment ``text`` with the default segmenter; tokens are in the original characters."""
    return default_segmenter().tokenize(text, keep_punct=keep_punct)


def tokenize_with_offsets(text: str, *, keep_punct: bool = False) -> list[Token]:
    return default_segmenter().tokenize_with_offsets(text, keep_punct=keep_punct)
