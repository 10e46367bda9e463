"""Template filters for content in the reader's script; a built-in library (settings TEMPLATES builtins),
so every template can write ``{{ unit.name|reader }}`` without loading anything."""

from __future__ import annotations

from django import template

from massline.core.text.script import ORIGINAL_PARAM, ORIGINAL_VALUE, for_reader, showing_original

register = template.Library()


@register.filter
def reader(text) -> str:
    """Text people or staff wrote (a unit's or category's name, a statement) in the reader's script."""
    return for_reader(str(text) if text is not None else "")


@register.simple_tag(takes_context=True)
def script_toggle_url(context) -> str:
    """This page with the original characters, or (when showing them) back in the reader's script."""
    request = context.get("request")
    if request is None:  # rendered outside a request (the PDF report): no link to toggle
        return ""
    query = request.GET.copy()
    if showing_original():
        query.pop(ORIGINAL_PARAM, None)
    else:
        query[ORIGINAL_PARAM] = ORIGINAL_VALUE
    encoded = query.urlencode()
    return request.path + ("?" + encoded if encoded else "")


@register.simple_tag
def script_is_original() -> bool:
    return showing_original()
