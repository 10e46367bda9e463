"""Console forms parse and type the input; the checks that matter live in console.actions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from massline.workflow.models import KINDS, URGENCY_CHOICES, Category, DeadlineRule, Unit

from .actions import STAFF_ROLES

ROLE_CHOICES = [
    ("dispatcher", _("Dispatcher")),
    ("unit_staff", _("Unit staff")),
    ("supervisor", _("Supervisor")),
    ("discipline", _("Discipline inspector")),
    ("admin", _("Administrator")),
]
assert sorted(r for r, _l in ROLE_CHOICES) == sorted(STAFF_ROLES)


class UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return "\u2003" * obj.depth + f"{obj.name} ({obj.code})"


class CategoryChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name()


def unit_field(label, required=False):
    return UnitChoice(Unit.objects.order_by("path"), required=required, label=label)


class UnitForm(forms.Form):
    code = forms.SlugField(
        label=_("Code"),
        max_length=40,
        help_text=_("Letters, digits and hyphens; it cannot be changed later."),
    )
    name = forms.CharField(label=_("Unit name"), max_length=100)
    parent = unit_field(_("Parent unit"))
    area = forms.CharField(
        label=_("Area"), max_length=100, required=False, help_text=_("Place names this unit covers")
    )


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("Category name"), max_length=100)
    parent = CategoryChoice(
        Category.objects.filter(level__lt=3).select_related("parent__parent"),
        required=False,
        label=_("Parent category"),
        help_text=_("Empty for a first-level category. A category keeps its parent once created."),
    )
    default_unit = unit_field(_("Default unit"))
    urgency = forms.ChoiceField(label=_("Urgency"), choices=URGENCY_CHOICES, initial="general")
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        required=False,
        help_text=_("Leave empty: it is derived from the names. It cannot be changed later."),
    )


class RoutingRuleForm(forms.Form):
    category = CategoryChoice(
        Category.objects.select_related("parent__parent"), required=False, label=_("Category")
    )
    keyword = forms.CharField(label=_("Keyword"), max_length=50, required=False)
    area = forms.CharField(label=_("Area"), max_length=50, required=False)
    unit = unit_field(_("Unit"), required=True)
    priority = forms.IntegerField(
        label=_("Priority"), initial=100, help_text=_("Among equally specific rules, the lower number wins.")
    )


class DeadlineRuleForm(forms.Form):
    urgency = forms.ChoiceField(label=_("Urgency"), choices=URGENCY_CHOICES)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds")), *KINDS], required=False)
    sign_amount = forms.IntegerField(label=_("Sign for within"), min_value=1)
    sign_unit = forms.ChoiceField(label=_("Unit of time"), choices=DeadlineRule.UNITS)
    reply_amount = forms.IntegerField(label=_("Reply within"), min_value=1)
    reply_unit = forms.ChoiceField(label=_("Unit of time"), choices=DeadlineRule.UNITS)


class CalendarDayForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    is_workday = forms.TypedChoiceField(
        label=_("Type"),
        choices=[("0", _("Holiday")), ("1", _("Make-up workday (調休)"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        initial="0",
    )
    name = forms.CharField(label=_("Name of the day"), max_length=60, required=False)


class ReplyTemplateForm(forms.Form):
    name = forms.CharField(label=_("Template name"), max_length=80)
    unit = unit_field(_("Unit (empty: every unit)"))
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}))


class PasswordForm(forms.Form):
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters, not a common password, not only digits."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data


class StaffForm(PasswordForm):
    username = forms.CharField(label=_("Username"), max_length=150)
    name = forms.CharField(label=_("Name shown to colleagues"), max_length=100, required=False)
    unit = unit_field(_("Unit"))
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=ROLE_CHOICES, widget=forms.CheckboxSelectMultiple, required=False
    )
    active = forms.BooleanField(label=_("Active (may sign in)"), required=False, initial=True)
    field_order = ["username", "name", "unit", "roles", "active", "password", "password2"]

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            # The password is changed on its own page; never shown, never prefilled.
            del self.fields["password"], self.fields["password2"]
            self.fields["username"].disabled = True
        else:
            del self.fields["active"]
