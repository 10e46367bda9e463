"""Template helpers for public pages: language tags, redaction, state badges."""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from massline.workflow.redaction import redact_public

register = template.Library()

_BCP47 = {"zh-hant": "zh-Hant", "zh-hans": "zh-Hans"}


@register.filter
def bcp47(code: str) -> str:
    """Django's language code as an HTML ``lang`` value (zh-hant → zh-Hant)."""
    return _BCP47.get((code or "").lower(), code)


@register.filter
def redacted(text: str, name: str = "") -> str:
    """Public text: personal data (and the requester's own ``name``) replaced by a visible marker."""
    return mark_safe(
        "".join(
            f'<span class="redacted" title="{conditional_escape(label)}">{conditional_escape(piece)}</span>'
            if is_mask
            else str(conditional_escape(piece))
            for piece, is_mask, label in redact_public(text or "", names=[name or ""], marked=True)
        )
    )


@register.filter
def percent(value) -> str:
    if value is None:
        return "–"
    return f"{value * 100:.1f}%"
