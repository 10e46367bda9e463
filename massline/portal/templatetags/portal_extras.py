"""Template helpers for public pages: language tags, redaction, state badges.

A request's title, text and address and a reply's text are shown from their stored public forms (computed
once when the text was written: ``workflow.excerpt.public_forms`` and ``reply_form``), in the reader's
language and script; a row written before those columns existed falls back to the same functions."""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from massline.core.text.script import for_reader
from massline.portal.public import plain
from massline.portal.public import stored_reply_form as _stored_reply
from massline.portal.public import stored_request_form as _stored
from massline.workflow.excerpt import requester_names
from massline.workflow.redaction import cut_pieces, redact_public, stored_pieces

register = template.Library()

_BCP47 = {"zh-hant": "zh-Hant", "zh-hans": "zh-Hans"}


@register.filter
def bcp47(code: str) -> str:
    """Django's language code as an HTML ``lang`` value (zh-hant → zh-Hant)."""
    return _BCP47.get((code or "").lower(), code)


def _html(pieces) -> str:
    """Redacted pieces as HTML, each in the reader's script (converted after redaction, never before)."""
    return mark_safe(
        "".join(
            f'<span class="redacted" title="{conditional_escape(label)}">{conditional_escape(piece)}</span>'
            if is_mask
            else str(conditional_escape(for_reader(piece)))
            for piece, is_mask, label in pieces
        )
    )


@register.filter
def redacted(text: str, name: str = "") -> str:
    """Public text: personal data (and the requester's own ``name``) replaced by a visible marker."""
    return _html(redact_public(text or "", names=[name or ""], marked=True))


@register.filter
def redacted_for(text: str, req) -> str:
    """Like ``redacted``, hiding the requester of ``req`` (name, phone, e-mail) as well."""
    return _html(redact_public(text or "", names=requester_names(req), marked=True))


@register.filter
def public_title(req) -> str:
    """A request's title as the public sees it: redacted, in the reader's language and script."""
    return _html(stored_pieces(_stored(req, "public_title")))


@register.filter
def public_text(req) -> str:
    """A request's whole text as the public sees it."""
    return _html(stored_pieces(_stored(req, "public_body")))


@register.filter
def excerpt(req, length: int = 140) -> str:
    """The first ``length`` characters of a request's text, redacted first and then cut."""
    return _html(cut_pieces(stored_pieces(_stored(req, "public_body")), int(length)))


@register.filter
def public_reply(reply) -> str:
    """A reply's text as the public sees it (its requester's names hidden too)."""
    return _html(stored_pieces(_stored_reply(reply)))


@register.filter
def reply_excerpt(reply, length: int = 160) -> str:
    """The first ``length`` characters of a reply, redacted (with its requester's name) and then cut."""
    return _html(cut_pieces(stored_pieces(_stored_reply(reply)), int(length)))


@register.filter
def public_place(req) -> str:
    """A request's address cut to street and building, redacted."""
    return plain(_stored(req, "public_place"))


@register.filter
def percent(value) -> str:
    if value is None:
        return "–"
    return f"{value * 100:.1f}%"
