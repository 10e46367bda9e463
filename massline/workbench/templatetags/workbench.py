from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from massline.core.text.script import for_reader
from massline.workbench.deadlines import countdown as compute_countdown

register = template.Library()


@register.simple_tag(takes_context=True)
def countdown(context, req):
    """``<time>`` with the server-computed countdown; workbench.js keeps it ticking."""
    now = context.get("now") or timezone.now()
    c = compute_countdown(req, now)
    if c is None:
        return ""
    if req.kind == "report":  # a misconduct report is accepted and answered, not signed and replied
        label = _("accept") if c.what == "sign" else _("answer")
    else:
        label = _("sign") if c.what == "sign" else _("reply")
    css = "due due-over" if c.overdue else ("due due-soon" if c.urgent else "due")
    return format_html(
        '<time class="{}" datetime="{}" data-due="{}" data-tpl-due="{}" data-tpl-over="{}" title="{}">{} '
        '<span class="due-text">{}</span></time>',
        css,
        c.due.isoformat(),
        c.due.isoformat(),
        _("due in %(span)s"),
        _("overdue by %(span)s"),
        timezone.localtime(c.due).strftime("%Y-%m-%d %H:%M"),
        _("%(deadline)s:") % {"deadline": label},  # Chinese: full-width colon
        c.text,
    )


@register.filter
def percent(value):
    return "–" if value is None else f"{value * 100:.0f}%"


@register.filter
def state_label(value, kind=""):
    """A state in the reader's language; a misconduct report's "signed" reads as accepted (受理)."""
    from massline.core.workflow import REPORT_KIND
    from massline.workflow.models import STATE_CHOICES

    if kind == REPORT_KIND and value in REPORT_STATE_LABELS:
        return REPORT_STATE_LABELS[value]
    return dict(STATE_CHOICES).get(value, value)


REPORT_STATE_LABELS = {"signed": gettext_lazy("Report accepted")}


ROLE_LABELS = {
    "dispatcher": gettext_lazy("Dispatcher"),
    "unit_staff": gettext_lazy("Unit staff"),
    "supervisor": gettext_lazy("Supervisor"),
    "discipline": gettext_lazy("Discipline inspector"),
    "admin": gettext_lazy("Administrator"),
}


@register.simple_tag(takes_context=True)
def staff_context(context):
    """The signed-in user's roles (set of names), their labels and their unit, for the nav bar."""
    from massline.accounts.permissions import roles_of, unit_of

    user = context.get("user")
    roles = roles_of(user)
    profile = getattr(user, "staff", None) if roles else None
    return {
        "roles": roles,
        "labels": [ROLE_LABELS[r] for r in ROLE_LABELS if r in roles],
        "unit": unit_of(user) if roles else None,
        "name": for_reader(profile.display_name if profile and profile.display_name else user.get_username())
        if roles
        else "",
    }


@register.filter
def has_role(ctx, names):
    """``{% if me|has_role:"dispatcher,admin" %}``"""
    return bool(ctx["roles"] & set(names.split(",")))


@register.filter
def get_item(mapping, key):
    return mapping.get(key, key)


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """The current URL's query string with ``page`` replaced, so filters and tabs survive paging."""
    query = context["request"].GET.copy()
    query["page"] = number
    return "?" + query.urlencode()


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with ``changes`` applied (an empty value removes a key). ``page`` and
    ``export`` are always dropped: a new tab or a download starts from the first page of the same filters."""
    query = context["request"].GET.copy()
    for key in ("page", "export", *changes):
        query.pop(key, None)
    for key, value in changes.items():
        if value not in ("", None):
            query[key] = value
    return "?" + query.urlencode()
