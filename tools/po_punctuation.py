"""Chinese punctuation in the Chinese catalogues: ASCII , : ; ? ! ( ) next to Chinese text become ，：；？！（）.

Run from the project root:  .venv/bin/python tools/po_punctuation.py [--check]
                            cd massline && ../.venv/bin/django-admin compilemessages

Only msgstrs of massline/locale/zh_Hant and zh_Hans change. Left alone: %(name)s / %s / {name}
placeholders, URLs, HTML tags, template tags, and the few literal uses listed in KEEP (a keyboard key, a
signature format). A mark is converted when a Chinese character (or Chinese punctuation) is next to it, or,
for , : ; ? !, when it follows a placeholder in Chinese text ("訴求 %(reference)s:"). Parentheses go in
pairs: both or neither. Every replacement is one character for one, so the .po lines keep their layout.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[1] / "massline" / "locale"
CATALOGUES = [LOCALE / lang / "LC_MESSAGES" / "django.po" for lang in ("zh_Hant", "zh_Hans")]

CJK = "\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
_CJK = re.compile(f"[{CJK}]")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
#: Spans never touched: placeholders, URLs, HTML and template tags, escapes.
_PROTECTED = re.compile(
    r"%\([a-z_0-9]+\)[sdfr]|%[sdf]|\{\{.*?\}\}|\{%.*?%\}|\{[a-z_0-9]*\}|https?://\S+|<[^>]+>|\\[nt\"\\]"
)
#: Literal ASCII marks that must stay, with the text around them.
KEEP = ("，? 顯示", "，? 显示", "編號:xid", "编号:xid")  # the "?" key; the signed string
FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}


def _protected_mask(text: str) -> list[bool]:
    mask = [False] * len(text)
    for m in _PROTECTED.finditer(text):
        for i in range(m.start(), m.end()):
            mask[i] = True
    for keep in KEEP:
        for m in re.finditer(re.escape(keep), text):
            for i in range(m.start(), m.end()):
                if text[i] in FULL:
                    mask[i] = True
    return mask


def _placeholder_ends(text: str) -> set[int]:
    """Indexes just after a placeholder."""
    return {m.end() for m in re.finditer(r"%\([a-z_0-9]+\)[sdfr]|%[sdf]|\{[a-z_0-9]*\}", text)}


def fix_text(text: str) -> str:
    """``text`` with its ASCII punctuation next to Chinese made full-width (same length)."""
    if not _HAN.search(text):
        return text
    mask = _protected_mask(text)
    after_placeholder = _placeholder_ends(text)
    chars = list(text)

    def chinese_at(i: int) -> bool:
        return 0 <= i < len(text) and not mask[i] and bool(_CJK.match(text[i]))

    def wanted(i: int) -> bool:
        return chinese_at(i - 1) or chinese_at(i + 1) or (text[i] in ",:;?!" and i in after_placeholder)

    stack: list[int] = []
    for i, ch in enumerate(text):
        if mask[i] or ch not in FULL:
            continue
        if ch == "(":
            stack.append(i)
        elif ch == ")":
            if stack:
                start = stack.pop()
                inside = text[start + 1 : i]
                if wanted(start) or wanted(i) or _HAN.search(re.sub(_PROTECTED, "", inside)):
                    chars[start], chars[i] = "（", "）"
        elif wanted(i):
            chars[i] = FULL[ch]
    return "".join(chars)


def _fix_catalogue(text: str) -> tuple[str, int]:
    """The .po text with every msgstr fixed; and how many msgstrs changed. Multi-line msgstrs are fixed
    as one string, then cut back into their lines (replacements keep the length)."""
    lines = text.split("\n")
    changed = 0
    i = 0
    while i < len(lines):
        if lines[i].startswith("msgstr"):
            j = i + 1
            while j < len(lines) and lines[j].startswith('"'):
                j += 1
            head, _sep, first = lines[i].partition(" ")
            parts = [first] + lines[i + 1 : j]
            contents = [p[1:-1] for p in parts]
            joined = "".join(contents)
            fixed = fix_text(joined)
            if fixed != joined:
                changed += 1
                out, pos = [], 0
                for c in contents:
                    out.append(f'"{fixed[pos : pos + len(c)]}"')
                    pos += len(c)
                lines[i] = f"{head} {out[0]}"
                lines[i + 1 : j] = out[1:]
            i = j
        else:
            i += 1
    return "\n".join(lines), changed


def main(argv: list[str]) -> int:
    check = "--check" in argv
    total = 0
    for path in CATALOGUES:
        text = path.read_text(encoding="utf-8")
        fixed, changed = _fix_catalogue(text)
        total += changed
        print(f"{path.parent.parent.name}: {changed} msgstr(s) {'to fix' if check else 'fixed'}")
        if changed and not check:
            path.write_text(fixed, encoding="utf-8")
    return 1 if check and total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
