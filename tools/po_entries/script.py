"""Strings of the reader's-script switch (massline/core/text/script.py) for tools/po_append.py."""

# msgid: (Traditional, Simplified)
ENTRIES = {
    "Show in my script": ("以繁體顯示", "以简体显示"),
    "Show the original characters": ("顯示原文", "显示原文"),
}
