"""The form of the webhooks page: it parses; ``webhooks.actions`` checks."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .actions import EVENT_TYPES
from .models import ALL_EVENTS


def event_choices() -> list[tuple[str, str]]:
    return [(ALL_EVENTS, str(_("all events"))), *((e, e) for e in EVENT_TYPES)]


class SubscriptionForm(forms.Form):
    name = forms.SlugField(label=_("Name"), max_length=60, help_text=_("Who receives, e.g. city-dashboard."))
    url = forms.URLField(label=_("Address (URL)"), max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label=_("Events"), choices=event_choices, widget=forms.CheckboxSelectMultiple
    )
