"""Public forms. Validation only; writing goes through the intake and follow-up actions."""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from massline.followup.models import SATISFACTION_CHOICES
from massline.subscriptions.forms import EmailField
from massline.workflow.models import KINDS

from .photos import clean_photo

KIND_HELP = {
    "complaint": _("Something is wrong and should be fixed."),
    "help": _("You need help from a public service."),
    "suggestion": _("An idea to make things better."),
    "inquiry": _("A question about a rule or a service."),
    "report": _("Misconduct by an official. Goes through a protected channel and is never published."),
    "praise": _("Thank a unit or a person for good work."),
}


class SubmitForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What kind of request is it?"), choices=KINDS, widget=forms.RadioSelect, initial="complaint"
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("A few words, e.g. “Street light broken on Park Road”."),
    )
    text = forms.CharField(
        label=_("What happened?"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Say what, where and since when. Do not write other people's personal data."),
    )
    address = forms.CharField(
        label=_("Address or place"),
        max_length=300,
        required=False,
        help_text=_("Street, building, landmark."),
    )
    lat = forms.FloatField(
        label=_("Latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    lon = forms.FloatField(
        label=_("Longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=_("JPEG, PNG or WebP. Its location data is removed before it is stored."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    anonymous = forms.BooleanField(
        label=_("Submit anonymously (we will not keep your name or contact details)"), required=False
    )
    contact_name = forms.CharField(
        label=_("Your name"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact_phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel", "inputmode": "tel"}),
    )
    contact_email = forms.EmailField(
        label=_("E-mail"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        return clean_photo(upload) if upload else None

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if (data.get("lat") is None) != (data.get("lon") is None):
            self.add_error("lat", _("Give both latitude and longitude, or neither."))
        if data.get("anonymous"):
            data["contact_name"] = data["contact_phone"] = data["contact_email"] = ""
        return data

    def kind_choices(self):
        """(value, label, help, checked) for the template, so each choice carries its explanation."""
        current = self["kind"].value() or "complaint"
        return [(value, label, KIND_HELP.get(value, ""), value == current) for value, label in KINDS]


class FollowUpForm(forms.Form):
    solved = forms.TypedChoiceField(
        label=_("Is your problem solved?"),
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        choices=[("yes", _("Yes, it is solved")), ("no", _("No, it is not solved"))],
    )
    satisfaction = forms.ChoiceField(
        label=_("How satisfied are you with the work?"),
        choices=SATISFACTION_CHOICES,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class MeTooForm(forms.Form):
    """ "Me too" (我也遇到): nothing to fill in; an e-mail address only to be kept informed."""

    email = EmailField(
        label=_("Keep me informed: your e-mail address"),
        required=False,
        help_text=_("We send a confirmation link first; nothing else before you confirm."),
    )


SIMILAR_MAX_TEXT = 2000  # the script sends the first 1,000 characters; more is not a person typing


class SimilarForm(forms.Form):
    """The query of the similar-requests endpoint: what has been typed so far, and the place if marked."""

    text = forms.CharField(
        required=False,
        max_length=SIMILAR_MAX_TEXT,
        strip=True,
        error_messages={"max_length": _("The text is too long to compare: send at most 2,000 characters.")},
    )
    lat = forms.FloatField(
        required=False,
        min_value=-90,
        max_value=90,
        error_messages={
            key: _("The latitude must be a number between -90 and 90.")
            for key in ("invalid", "min_value", "max_value")
        },
    )
    lon = forms.FloatField(
        required=False,
        min_value=-180,
        max_value=180,
        error_messages={
            key: _("The longitude must be a number between -180 and 180.")
            for key in ("invalid", "min_value", "max_value")
        },
    )

    def clean(self):
        data = super().clean() or {}
        if not self.errors and (data.get("lat") is None) != (data.get("lon") is None):
            raise forms.ValidationError(_("Give both latitude and longitude, or neither."))
        return data


class FastSelect(forms.Select):
    """A select rendered in Python instead of one template include per option: the list's filters have
    some eighty options, which through the template engine cost more than the rest of the page."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], flatatt(option["attrs"]), option["label"])
                for _group, group_options, _index in widget["optgroups"]
                for option in group_options
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), options
        )


class FilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. street light")}),
    )
    category = forms.ChoiceField(label=_("Category"), required=False, widget=FastSelect)
    unit = forms.ChoiceField(label=_("Unit"), required=False, widget=FastSelect)
    status = forms.ChoiceField(label=_("Status"), required=False, widget=FastSelect)
    month = forms.ChoiceField(label=_("Month"), required=False, widget=FastSelect)

    def __init__(self, *args, categories=(), units=(), statuses=(), months=(), **kwargs):
        super().__init__(*args, **kwargs)
        anything = [("", _("All"))]
        choices = {"category": categories, "unit": units, "status": statuses, "month": months}
        for name, options in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)  # declared above
            field.choices = anything + list(options)
