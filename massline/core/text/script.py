"""Chinese content in the reader's script (Simplified or Traditional), with the original one click away.

People write to the hotline in either script; readers read in the script of their interface language.
Everything citizens or staff wrote (request text, replies, statements) and the names staff typed (units,
categories) are converted with OpenCC when shown: ``s2t`` for a Traditional interface, ``t2s`` for a
Simplified one, nothing for English. ``s2t`` keeps the words (社区 → 社區); ``s2twp`` would also change
vocabulary (社区 → 社群), which is not ours to do.

Converting is a display step only: stored text, search, exports, feeds and the API keep what people wrote.
A page asked with ``?script=original`` shows the original characters; :class:`OriginalScriptMiddleware`
reads that once per request. Redaction happens before conversion, on the original text.
"""

from __future__ import annotations

import contextvars
import functools
import re
from collections.abc import Callable

#: OpenCC configuration per interface language; languages not listed are not converted.
CONVERSION = {"zh-hant": "s2tw", "zh-hans": "t2s"}
#: The query parameter (and its value) that asks for the original characters.
ORIGINAL_PARAM, ORIGINAL_VALUE = "script", "original"


#: Where the active interface language comes from: the web app installs Django's ``get_language`` at start-up
#: (massline.workflow.apps); core itself stays framework-free.
def _no_language() -> str | None:
    return None


language_source: Callable[[], str | None] = _no_language

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_original: contextvars.ContextVar[bool] = contextvars.ContextVar("massline_original_script", default=False)


@functools.cache
def _converter(config: str):
    import opencc

    return opencc.OpenCC(config)


def conversion_for(language: str | None = None) -> str | None:
    """The OpenCC configuration for ``language`` (default: the active one), or None."""
    return CONVERSION.get((language or language_source() or "").lower())


def showing_original() -> bool:
    return _original.get()


def for_reader(text: str, language: str | None = None) -> str:
    """``text`` in the script of ``language`` (default: the active interface language), unless the reader
    asked for the original. Text without Chinese characters is returned as it is."""
    if not text or _original.get() or not _HAN.search(text):
        return text
    config = conversion_for(language)
    return _converter(config).convert(text) if config else text


class OriginalScriptMiddleware:
    """Sets, for one request, whether the reader asked for the original characters (``?script=original``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        wanted = request.GET.get(ORIGINAL_PARAM) == ORIGINAL_VALUE
        request.original_script = wanted
        token = _original.set(wanted)
        try:
            return self.get_response(request)
        finally:
            _original.reset(token)
