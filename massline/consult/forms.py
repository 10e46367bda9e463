"""Forms only parse and validate input; the actions do the writing and the domain checks."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .actions import QUESTION_MAX_CHARS, TITLE_MAX_CHARS
from .models import REASON_MAX_CHARS, STATEMENT_MAX_CHARS, Consultation


class ConsultationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_CHARS)
    question = forms.CharField(
        label=_("Question or draft text"),
        max_length=QUESTION_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    opens_at = forms.DateTimeField(
        label=_("Opens"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    closes_at = forms.DateTimeField(
        label=_("Closes"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    moderation = forms.ChoiceField(
        label=_("Moderation"),
        choices=Consultation.Moderation.choices,
        widget=forms.RadioSelect,
        initial=Consultation.Moderation.PRE,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
    )
    sign_in_required = forms.BooleanField(
        label=_("Sign-in required"),
        required=False,
        help_text=_(
            "Refuse anonymous participants: only signed-in accounts and signed embed ids may take part."
        ),
    )
    seed_statements = forms.CharField(
        label=_("Starting statements (one a line, optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Short statements people can vote on from the start; they are accepted at once."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["languages"].initial = [settings.LANGUAGE_CODE]  # read now, not at import

    def seed_list(self) -> list[str]:
        return [line for line in self.cleaned_data.get("seed_statements", "").splitlines() if line.strip()]


class StatementForm(forms.Form):
    text = forms.CharField(
        label=_("Your statement"),
        max_length=STATEMENT_MAX_CHARS * 2,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": STATEMENT_MAX_CHARS}),
        help_text=_("One idea, in a short sentence others can agree or disagree with."),
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)


class VoteForm(forms.Form):
    statement = forms.IntegerField(widget=forms.HiddenInput)
    value = forms.TypedChoiceField(choices=[("1", "agree"), ("-1", "disagree"), ("0", "pass")], coerce=int)


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX_CHARS)


class OutcomeForm(forms.Form):
    outcome = forms.CharField(
        label=_("What was adopted, and why"),
        max_length=QUESTION_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
