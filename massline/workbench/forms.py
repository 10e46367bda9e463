from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from massline.workflow.models import KINDS

VISIT_KINDS = [(k, label) for k, label in KINDS if k != "report"]


class VisitForm(forms.Form):
    date = forms.DateField(
        label=_("Date of the visit"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    place = forms.CharField(label=_("Place"), max_length=300)
    lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if (data.get("lat") is None) != (data.get("lon") is None):
            raise forms.ValidationError(_("Give both latitude and longitude, or neither."))
        return data


class IssueForm(forms.Form):
    title = forms.CharField(label=_("Issue title"), max_length=200, required=False)
    text = forms.CharField(
        label=_("What was found"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=VISIT_KINDS, initial="help")

    def has_changed(self):
        # The kind select always carries a value; only typed text makes a row an issue.
        return bool(
            self.data.get(self.add_prefix("text"), "").strip()
            or self.data.get(self.add_prefix("title"), "").strip()
        )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("title") and not (data.get("text") or "").strip():
            self.add_error("text", _("Describe the issue."))
        return data


IssueFormSet = forms.formset_factory(IssueForm, extra=2, min_num=1, validate_min=True, max_num=20)
