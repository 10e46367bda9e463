"""The call screen's forms. Validation only; ``actions`` writes."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from massline.workflow.models import KINDS, Category

from .models import KnowledgeAnswer
from .phones import normalise_phone


def category_choices() -> list[tuple[str, object]]:
    rows = Category.objects.select_related("parent__parent").order_by("code")
    return [("", _("— not classified: route automatically —"))] + [(c.code, c.full_name()) for c in rows]


class CategoryCodeField(forms.ChoiceField):
    def clean(self, value):
        code = super().clean(value)
        return Category.objects.filter(code=code).first() if code else None


class PhoneField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value and not normalise_phone(value):
            raise forms.ValidationError(_("This is not a phone number: give at least five digits."))


class CallForm(forms.Form):
    """A request taken on the call, and the answer if it is answered on the spot."""

    kind = forms.ChoiceField(label=_("Kind"), choices=KINDS, initial="inquiry")
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    text = forms.CharField(
        label=_("What the caller says"), max_length=20000, widget=forms.Textarea(attrs={"rows": 5})
    )
    category = CategoryCodeField(label=_("Category"), required=False)
    address = forms.CharField(label=_("Address or place"), max_length=300, required=False)
    contact_name = forms.CharField(label=_("Caller's name"), max_length=100, required=False)
    contact_phone = PhoneField(label=_("Caller's phone"), required=False)
    contact_email = forms.EmailField(
        label=_("Caller's e-mail"),
        max_length=254,
        required=False,
        help_text=_("The receipt and an answer given on the call are sent here, and by SMS to the phone."),
    )
    language = forms.ChoiceField(
        label=_("Caller's language"),
        choices=settings.LANGUAGES,
        required=False,
        help_text=_("What is sent to the caller is written in it."),
    )
    answer = forms.CharField(
        label=_("Answer read to the caller"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Only to answer on the call: pick one from the knowledge base and adapt it."),
    )
    knowledge_answer = forms.ModelChoiceField(
        KnowledgeAnswer.objects.all(), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()  # type: ignore[attr-defined]
        self.fields["language"].initial = self.initial.get("language") or translation.get_language()


class KnowledgeAnswerForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    keywords = forms.CharField(
        label=_("Question and keywords"),
        max_length=500,
        required=False,
        help_text=_("How callers ask it, and words to find it by."),
    )
    answer = forms.CharField(label=_("Answer"), max_length=20000, widget=forms.Textarea(attrs={"rows": 8}))
    category = CategoryCodeField(label=_("Category"), required=False)
    active = forms.BooleanField(label=_("Offered on calls"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = category_choices()
        self.fields["category"].choices = [("", _("— none —"))] + choices[1:]  # type: ignore[attr-defined]


class LookupForm(forms.Form):
    reference = forms.CharField(label=_("Reference"), max_length=24)
    phone = PhoneField(label=_("Phone number the request was made with"))
