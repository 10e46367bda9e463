"""Text normalisation for analysis.

Analysis always runs on a *normalised* copy: Traditional converted to Simplified (OpenCC t2s),
full-width ASCII folded to half-width, whitespace collapsed. The original text is kept for display.

Web boilerplate ("小編為大家推薦了一些", "下一頁更多精彩", "更多精彩內容請關注…") is removed clause by clause
by :func:`remove_boilerplate`. Forms of address such as "尊敬的領導" are content, not boilerplate: they
stay. Boilerplate removal is opt-in in :func:`normalize_for_analysis` so that callers relying on the
normalised text covering the whole input keep working.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WS = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _tw2sp():
    import opencc

    return opencc.OpenCC("tw2sp")


def to_simplified(text: str) -> str:
    """Traditional → Simplified with OpenCC t2s; the length is preserved for CJK characters."""
    if not text:
        return ""
    return _t2s().convert(text)


def to_simplified_phrases(text: str) -> str:
    """Traditional (Taiwan usage) → Simplified with mainland phrases (OpenCC tw2sp).

    Unlike :func:`to_simplified` this also maps vocabulary (軟體→软件, 計程車→出租车, 程式→程序), so a
    message written with Taiwan vocabulary meets the same words a mainland-trained model knows. The
    length can change, so it is for models, not for anything that maps offsets back.
    """
    if not text:
        return ""
    return _tw2sp().convert(text)


_HALF_WIDTH = {0x3000: " ", **{code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}}


_FULL_WIDTH_RUN = re.compile("[\uff01-\uff5e\u3000]+")


def _fold_run(match: re.Match) -> str:
    return match.group(0).translate(_HALF_WIDTH)


# The full-width characters Chinese text is full of (，is one character in 12 of govmsg's messages):
# str.replace folds each of them in one pass, where the run-by-run callback below costs a Python call each.
_COMMON_FULL_WIDTH = [(ch, _HALF_WIDTH[ord(ch)]) for ch in "，（）？！：；"]


def fold_width(text: str) -> str:
    """Full-width ASCII and the ideographic space become half-width; CJK punctuation is kept."""
    for full, half in _COMMON_FULL_WIDTH:
        if full in text:
            text = text.replace(full, half)
    # Translating only the remaining full-width runs is twice as fast as translating every character.
    return _FULL_WIDTH_RUN.sub(_fold_run, text)


def collapse_whitespace(text: str) -> str:
    return _WS.sub(" ", text).strip()


# What may follow a boilerplate phrase in the same clause: punctuation, brackets, quotes, "~", but
# no further words (仅供参考）目前 … is content after the bracket).
_TAIL = r"[\s)）」』”\"'~～!！.。…>》»]*"
# Boilerplate clauses, written to match Simplified and Traditional forms alike. Each pattern must match
# a whole clause (the text between two clause delimiters), so a real message that merely mentions
# "推荐" or "更多" keeps its content.
_BOILERPLATE_CLAUSES = [
    r"(为此|為此)?小[编編].{0,16}(推荐|推薦|整理|分享|收集|带来|帶來|准备|準備).{0,16}",
    r"(欢迎|歡迎)(大家|各位|您)?(参阅|參閱|阅读|閱讀|参考|參考|借鉴|借鑒|收藏)" + _TAIL,
    r"(仅供|僅供)(大家)?(参考|參考|学习|學習)" + _TAIL,
    r"(希望|但愿|但願)(本文|以上内容|以上內容|这些|這些)?(对|對)(大家|您|你)有(所)?(帮助|幫助|启发|啟發)"
    + _TAIL,
    r"(下一[页頁]|上一[页頁]|点击|點擊|点此|點此)(.{0,4})(更多)?(精彩|查看|阅读|閱讀|全文)(内容|內容)?"
    + _TAIL,
    r"更多(精彩|相关|相關)(内容|內容|文章|资讯|資訊)?.{0,20}(关注|關注|访问|訪問|点击|點擊|请看|請看|尽在|盡在).{0,20}",
    r"(本文)?(来源|來源|转载|轉載)(于|於|自)?[::].{0,30}",
    r"(责任编辑|責任編輯|编辑|編輯)[::].{0,12}",
    r"(扫码|掃碼|扫描二维码|掃描二維碼|长按识别|長按識別)(二维码|二維碼)?(关注|關注|阅读|閱讀|领取|領取|获取|獲取)"
    r"(.{0,12})",
    r"(版权|版權)(归|歸)?(原作者|原作|作者)?(所有).{0,20}",
    r"(相关推荐|相關推薦|推荐阅读|推薦閱讀|延伸阅读|延伸閱讀)[::]?",
]
# Cheap test first: most texts contain no boilerplate anywhere, and need no clause-by-clause pass.
_BOILERPLATE_HINT = re.compile(
    r"小[编編]|[欢歡]迎|[仅僅]供|[对對](?:大家|您|你)有所?[帮幫启啟]|[页頁]|[点點][击擊此]|更多|[来來]源|[转轉][载載]|"
    r"[编編][辑輯][::]|[扫掃]|[长長]按|版[权權]|推[荐薦]"
)
_BOILERPLATE = re.compile(r"^\s*(?:" + "|".join(_BOILERPLATE_CLAUSES) + r")\s*[“”\"'」』]*\s*$")
# A clause ends at CJK or ASCII sentence punctuation or a line break; the delimiter stays with it.
_CLAUSE = re.compile(r"[^,，。!！?？;；\n]*(?:[,，。!！?？;；\n]+|$)")
_TRAILING_QUOTES = re.compile(r"[“”\"]+\s*$")


def remove_boilerplate(text: str) -> str:
    """Drop web boilerplate clauses, keeping everything else exactly as written.

    Works on the original text (Traditional or Simplified, any width), so its result is still fit
    for display. A clause is removed only when it consists of boilerplate from start to end.
    """
    if not text or not _BOILERPLATE_HINT.search(text):
        return text or ""
    kept: list[str] = []
    for match in _CLAUSE.finditer(text):
        clause = match.group(0)
        if not clause:
            continue
        body = clause.rstrip(",，。!！?？;；\n")
        if body.strip() and _BOILERPLATE.match(fold_width(body)):
            # Keep the line breaks the clause ended with, so paragraphs do not run together.
            kept.append("\n" * clause[len(body) :].count("\n"))
            continue
        kept.append(clause)
    out = "".join(kept)
    # A boilerplate clause dropped from the end can leave an orphan comma before it.
    return re.sub(r"[,，]\s*$", "", out.rstrip()) if out.strip() != text.strip() else out


def normalize_for_analysis(text: str, *, drop_boilerplate: bool = False) -> str:
    """The canonical analysis form: NFC, half-width, Simplified, single spaces, lower-case Latin.

    With ``drop_boilerplate`` web boilerplate is removed first (see :func:`remove_boilerplate`).
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    if drop_boilerplate:
        text = remove_boilerplate(text)
    text = fold_width(text)
    text = to_simplified(text)
    return collapse_whitespace(text).lower()
