"""The 一次辦結率 block of the staff dashboard and the public statistics page."""

from __future__ import annotations

from django import template

from massline.followup.metrics import first_contact_rates
from massline.portal.stats import cached

register = template.Library()


@register.simple_tag
def first_contact(months: int = 12) -> dict:
    """The 一次辦結率 of the last ``months`` months with hotline requests, cached until the data changes."""
    rows = cached(f"hotline:first-contact:{months}", lambda: first_contact_rates(months))
    return {"rows": rows, "latest": rows[-1] if rows else None}
