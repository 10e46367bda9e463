"""Follow forms: validation only; ``actions`` writes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from massline.workflow.models import Category, Unit

from . import areas


class EmailField(forms.EmailField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Your e-mail address"))
        kwargs.setdefault("max_length", 254)
        kwargs.setdefault(
            "widget",
            forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email", "spellcheck": "false"}),
        )
        kwargs.setdefault(
            "error_messages",
            {"required": _("Enter your e-mail address."), "invalid": _("Enter a valid e-mail address.")},
        )
        super().__init__(**kwargs)


class FollowRequestForm(forms.Form):
    email = EmailField(help_text=_("We send a confirmation link first; nothing else before you confirm."))


class FollowAreaForm(forms.Form):
    area = forms.ChoiceField(label=_("Area (the responsible unit)"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    email = EmailField(help_text=_("At most one e-mail an hour, only when there is something new."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        anything: list[tuple[str, Any]] = [("", _("All"))]
        units: list[tuple[str, Any]] = [
            (u.code, u.name) for u in Unit.objects.order_by("path").only("code", "name")
        ]
        categories: list[tuple[str, Any]] = [
            (c.code, c.name) for c in Category.objects.filter(level=1).only("code", "name")
        ]
        # a deeper category named in the query string (from the list page) is offered too
        wanted = (self.data or self.initial).get("category") or ""
        if wanted and wanted not in {code for code, _name in categories}:
            found = Category.objects.filter(code=wanted).first()
            if found:
                categories.append((found.code, found.full_name()))
        area_field, category_field = self.fields["area"], self.fields["category"]
        assert isinstance(area_field, forms.ChoiceField) and isinstance(category_field, forms.ChoiceField)
        area_field.choices = anything + units
        category_field.choices = anything + categories

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not data.get("area") and not data.get("category"):
            raise forms.ValidationError(_("Choose an area, a category, or both."))
        try:
            data["unit_obj"] = areas.resolve_area(data.get("area", ""))
            data["category_obj"] = areas.resolve_category(data.get("category", ""))
        except areas.UnknownFilter as exc:
            raise forms.ValidationError(str(exc)) from None
        return data
