"""Append an app's strings to the three .po files in massline/locale (only those missing), with their
Chinese translations; then run compilemessages.

Run from the project root:  .venv/bin/python tools/po_append.py console webhooks
                            cd massline && ../.venv/bin/django-admin compilemessages
Each app's strings are in tools/po_entries/<app>.py (ENTRIES = {msgid: (Traditional, Simplified)}).
Entries are marked "#: <app>"; those always carry the current translation from the table.
It reads, appends and writes each file at once, so that other engineers' entries are kept.
"""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[1] / "massline" / "locale"

_PLACEHOLDER = re.compile(r"(%\([a-z_]+\)s)")
_FULL_WIDTH = str.maketrans({":": "：", ",": "，", ";": "；", "(": "（", ")": "）"})


def _quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _unquote(s: str) -> str:
    """The text of a .po string (without its quotes): the inverse of ``_quote``."""
    return s.replace('\\"', '"').replace("\\n", "\n")


def _msgids(text: str) -> set[str]:
    ids = set()
    for block in text.split("\n\n"):
        m = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        if m:
            ids.add(_unquote("".join(re.findall(r'"(.*)"', m.group(1)))))
    return ids


def full_width(text: str) -> str:
    """Chinese punctuation in Chinese text, leaving %(name)s placeholders (and URLs' colons) alone."""
    if "://" in text:
        return text
    return "".join(
        part if _PLACEHOLDER.fullmatch(part) else part.translate(_FULL_WIDTH)
        for part in _PLACEHOLDER.split(text)
    )


def update(text: str, app: str, entries: dict[str, tuple[str, str]], index: int | None) -> tuple[str, int]:
    """The .po text with the app's missing entries appended and, for Chinese (index 0 Traditional,
    1 Simplified), the app's own entries set to the table's translation; and how many were added."""
    have = _msgids(text)
    added = []
    for msgid in entries:
        if msgid not in have:
            flag = "#, python-format\n" if "%(" in msgid else ""
            added.append(f'#: {app}\n{flag}msgid {_quote(msgid)}\nmsgstr ""\n')
    if added:
        text = text.rstrip("\n") + "\n\n" + "\n".join(added)
    if index is not None:
        ours = re.compile(rf'(#: {re.escape(app)}\n(?:#,[^\n]*\n)?msgid "((?:[^"\\]|\\.)*)"\nmsgstr )(".*")')

        def fill(m: re.Match, index: int = index) -> str:
            pair = entries.get(_unquote(m.group(2)))
            return m.group(1) + (_quote(full_width(pair[index])) if pair else m.group(3))

        text = ours.sub(fill, text)
    return text, len(added)


def main(apps: list[str]) -> None:
    if not apps:
        sys.exit("usage: po_append.py APP [APP ...]  (tables in tools/po_entries/)")
    tables = {app: importlib.import_module(f"po_entries.{app}").ENTRIES for app in apps}
    for lang, index in (("zh_Hant", 0), ("zh_Hans", 1), ("en", None)):
        path = LOCALE / lang / "LC_MESSAGES" / "django.po"
        text = path.read_text(encoding="utf-8")
        for app, entries in tables.items():
            text, added = update(text, app, entries, index)
            print(f"{lang} {app}: {added} added")
        path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
