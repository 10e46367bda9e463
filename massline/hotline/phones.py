"""Phone numbers as callers say them and as forms store them, reduced to one comparable form.

"+86 138-0013-8000", "0086 13800138000", "138 0013 8000" and "１３８００１３８０００" are one caller; so are
"+86 731 8888 8888" and "0731-88888888" (a landline keeps its trunk 0). Pure Python, no Django.
"""

from __future__ import annotations

import re
import unicodedata

_NOT_DIGIT = re.compile(r"\D")
MIN_DIGITS = 5  # shorter than any number worth matching (e.g. an extension typed alone)


def normalise_phone(value: str) -> str:
    """The digits of ``value`` without the country code +86 / 0086, with a landline's trunk 0.
    Returns "" when there are too few digits to be a phone number."""
    text = unicodedata.normalize("NFKC", value or "").strip()
    digits = _NOT_DIGIT.sub("", text)
    from_abroad = False
    if digits.startswith("0086"):
        digits, from_abroad = digits[4:], True
    elif digits.startswith("86") and (text.startswith("+") or len(digits) == 13):
        digits, from_abroad = digits[2:], True
    if from_abroad and digits and not digits.startswith(("0", "1")):
        digits = "0" + digits  # an area code dialled from abroad loses its trunk 0
    return digits if len(digits) >= MIN_DIGITS else ""
