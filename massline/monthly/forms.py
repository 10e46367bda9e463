from __future__ import annotations

import secrets

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from massline.core.text.script import for_reader
from massline.workflow.models import Unit

from .models import MonthlyProblem


def _units():
    return Unit.objects.filter(parent__isnull=False).order_by("path")


class UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return "\u2003" * max(0, obj.depth - 1) + for_reader(obj.name)


MONTH_WIDGET = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProblemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    month = forms.DateField(label=_("Month"), widget=MONTH_WIDGET, input_formats=["%Y-%m", "%Y-%m-%d"])
    lead_unit = UnitChoice(label=_("Lead unit"), queryset=_units(), to_field_name="code")
    plan = forms.CharField(
        label=_("Plan"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What will be done, by whom, by when. This is shown on the public page."),
    )
    starts_on = forms.DateField(
        label=_("Start date"),
        widget=DATE_WIDGET,
        help_text=_("The public page compares the weekly requests on this topic before and after this date."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["month"].initial = today.replace(day=1)
        self.fields["starts_on"].initial = today


class EditForm(ProblemForm):
    status = forms.ChoiceField(label=_("Status"), choices=MonthlyProblem.Status.choices)


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    progress = forms.IntegerField(
        label=_("Progress (%)"),
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 5}),
    )
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
        self.fields["token"].initial = secrets.token_urlsafe(24)


class OutcomeForm(forms.Form):
    outcome = forms.CharField(
        label=_("Outcome of the consultation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was adopted and why. Shown on the public page; leave empty to remove it."),
    )
