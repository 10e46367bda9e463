"""A small XML writer for Open311 GeoReport v2 responses.

The spec's XML is schemaless: a root element, one child element per item, one element per field.
Every text value is escaped, and characters that XML 1.0 cannot carry at all (most C0 controls, lone
surrogates, U+FFFE/U+FFFF) become U+FFFD, so a hostile string stored verbatim still yields a
well-formed document.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any
from xml.sax.saxutils import escape

_NOT_XML_CHAR = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")

DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'


def xml_text(value: Any) -> str:
    """A value as escaped element text: None is empty, booleans are true/false."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return escape(_NOT_XML_CHAR.sub("\ufffd", str(value)))


def _element(out: list[str], tag: str, value: Any, list_items: Mapping[str, str], indent: str) -> None:
    if not _NAME.match(tag):
        raise ValueError(f"not an XML element name: {tag!r}")
    if isinstance(value, Mapping):
        out.append(f"{indent}<{tag}>\n")
        for key, child in value.items():
            _element(out, key, child, list_items, indent + "  ")
        out.append(f"{indent}</{tag}>\n")
    elif isinstance(value, (list, tuple)):
        item_tag = list_items.get(tag, "item")
        out.append(f"{indent}<{tag}>\n")
        for child in value:
            _element(out, item_tag, child, list_items, indent + "  ")
        out.append(f"{indent}</{tag}>\n")
    else:
        out.append(f"{indent}<{tag}>{xml_text(value)}</{tag}>\n")


def render(root: str, value: Any, list_items: Mapping[str, str] | None = None) -> str:
    """The document for ``value`` under ``root``.

    Lists become repeated child elements named by ``list_items`` (``{"services": "service"}``); a
    list-valued field nested inside an item uses the same table (``{"attributes": "attribute"}``).
    """
    out = [DECLARATION]
    _element(out, root, value, dict(list_items or {}), "")
    return "".join(out)


def render_list(root: str, item: str, items: Iterable[Mapping[str, Any]], **nested: str) -> str:
    return render(root, list(items), {root: item, **nested})
