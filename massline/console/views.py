"""The operator console (admin role): list, create, edit and delete the city's configuration rows.

Views parse forms and call ``console.actions``; a refusal (ConsoleError) is shown on the form or as a
message. Each kind of row is one :class:`Section`, so every page of the console works the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from massline.accounts.permissions import roles_of
from massline.workbench.access import ADMIN, DISCIPLINE, staff_required
from massline.workflow.models import CalendarDay, Category, DeadlineRule, ReplyTemplate, RoutingRule, Unit

from . import actions
from .actions import ConsoleActor, ConsoleError
from .forms import (
    ROLE_CHOICES,
    CalendarDayForm,
    CategoryForm,
    DeadlineRuleForm,
    PasswordForm,
    ReplyTemplateForm,
    RoutingRuleForm,
    StaffForm,
    UnitForm,
)
from .models import ROLE_EVENT_ACTIONS, ConfigEvent

PAGE = 50


@dataclass
class Section:
    slug: str
    title: Any
    noun: Any  # "unit", for "New unit" / "Edit unit"
    form: type[forms.Form]
    columns: list[tuple[Any, Callable[[Any], Any]]]
    queryset: Callable[[Any], Any]  # request -> queryset
    initial: Callable[[Any], dict]
    save: Callable[[ConsoleActor, Any, dict], Any]  # (actor, existing row or None, cleaned data)
    delete: Callable[[ConsoleActor, Any], None] | None = None
    fixed_on_edit: tuple[str, ...] = ()
    search: tuple[str, ...] = ()
    help: Any = ""
    extra: dict = field(default_factory=dict)


def _unit_label(u: Unit | None) -> str:
    return u.name if u else "—"


def _role_labels(user: User) -> str:
    names = {g.name for g in user.groups.all()}
    return ", ".join(str(label) for role, label in ROLE_CHOICES if role in names) or "—"


def _calendar_rows(request):
    qs = CalendarDay.objects.all()
    year = request.GET.get("year", "") if request is not None else ""
    return qs.filter(date__year=int(year)) if year.isdigit() else qs


SECTIONS: dict[str, Section] = {
    s.slug: s
    for s in [
        Section(
            "units",
            gettext_lazy("Units"),
            gettext_lazy("unit"),
            UnitForm,
            [
                (gettext_lazy("Unit name"), lambda u: "\u2003" * u.depth + u.name),
                (gettext_lazy("Code"), lambda u: u.code),
                (gettext_lazy("Parent unit"), lambda u: _unit_label(u.parent)),
                (gettext_lazy("Area"), lambda u: u.area),
            ],
            lambda request: Unit.objects.select_related("parent").order_by("path"),
            lambda u: {"code": u.code, "name": u.name, "parent": u.parent_id, "area": u.area},
            lambda actor, u, d: actions.save_unit(
                actor, d["code"], name=d["name"], parent=d["parent"], area=d["area"], create=u is None
            ),
            lambda actor, u: actions.delete_unit(actor, u.code),
            fixed_on_edit=("code",),
            search=("name", "code", "area"),
            help=gettext_lazy("The unit tree (承辦單位): departments, districts and street offices."),
        ),
        Section(
            "categories",
            gettext_lazy("Category catalogue"),
            gettext_lazy("category"),
            CategoryForm,
            [
                (gettext_lazy("Category"), lambda c: c.full_name()),
                (gettext_lazy("Level"), lambda c: c.level),
                (gettext_lazy("Default unit"), lambda c: _unit_label(c.default_unit)),
                (gettext_lazy("Urgency"), lambda c: c.get_urgency_display()),
            ],
            lambda request: Category.objects.select_related("parent__parent", "default_unit").order_by("id"),
            lambda c: {
                "name": c.name,
                "parent": c.parent_id,
                "default_unit": c.default_unit_id,
                "urgency": c.urgency,
                "code": c.code,
            },
            lambda actor, c, d: actions.save_category(
                actor,
                c.code if c else d["code"].strip(),
                name=d["name"],
                parent=c.parent if c else d["parent"],
                default_unit=d["default_unit"],
                urgency=d["urgency"],
                create=c is None,
            ),
            lambda actor, c: actions.delete_category(actor, c.code),
            fixed_on_edit=("code", "parent"),
            search=("name", "code"),
            help=gettext_lazy(
                "Three levels (派單目錄). A category without a default unit inherits its parent's."
            ),
        ),
        Section(
            "routing",
            gettext_lazy("Routing rules"),
            gettext_lazy("routing rule"),
            RoutingRuleForm,
            [
                (gettext_lazy("Category"), lambda r: r.category.full_name() if r.category else _("any")),
                (gettext_lazy("Keyword"), lambda r: r.keyword),
                (gettext_lazy("Area"), lambda r: r.area),
                (gettext_lazy("Unit"), lambda r: r.unit.name),
                (gettext_lazy("Priority"), lambda r: r.priority),
            ],
            lambda request: RoutingRule.objects.select_related("category__parent__parent", "unit").order_by(
                "priority", "id"
            ),
            lambda r: {
                "category": r.category_id,
                "keyword": r.keyword,
                "area": r.area,
                "unit": r.unit_id,
                "priority": r.priority,
            },
            lambda actor, r, d: actions.save_routing_rule(actor, r.pk if r else None, **d),
            lambda actor, r: actions.delete_routing_rule(actor, r.pk),
            search=("keyword", "area", "unit__name", "category__name"),
            help=gettext_lazy(
                "A rule sends requests of a category (and/or with a keyword, in an area) to a unit instead of the category's default unit. The most specific rule wins."
            ),
        ),
        Section(
            "deadlines",
            gettext_lazy("Deadline rules"),
            gettext_lazy("deadline rule"),
            DeadlineRuleForm,
            [
                (gettext_lazy("Urgency"), lambda r: r.get_urgency_display()),
                (gettext_lazy("Kind"), lambda r: r.get_kind_display() if r.kind else _("All kinds")),
                (gettext_lazy("Sign for within"), lambda r: f"{r.sign_amount} {r.get_sign_unit_display()}"),
                (gettext_lazy("Reply within"), lambda r: f"{r.reply_amount} {r.get_reply_unit_display()}"),
            ],
            lambda request: DeadlineRule.objects.order_by("urgency", "kind"),
            lambda r: {
                "urgency": r.urgency,
                "kind": r.kind,
                "sign_amount": r.sign_amount,
                "sign_unit": r.sign_unit,
                "reply_amount": r.reply_amount,
                "reply_unit": r.reply_unit,
            },
            lambda actor, r, d: actions.save_deadline_rule(
                actor,
                d["urgency"],
                d["kind"],
                sign_amount=d["sign_amount"],
                sign_unit=d["sign_unit"],
                reply_amount=d["reply_amount"],
                reply_unit=d["reply_unit"],
                create=r is None,
            ),
            lambda actor, r: actions.delete_deadline_rule(actor, r.pk),
            fixed_on_edit=("urgency", "kind"),
            help=gettext_lazy(
                "Hours run on the clock; working days skip weekends and holidays and count make-up workdays."
            ),
        ),
        Section(
            "calendar",
            gettext_lazy("Calendar"),
            gettext_lazy("calendar day"),
            CalendarDayForm,
            [
                (gettext_lazy("Date"), lambda d: d.date.isoformat()),
                (
                    gettext_lazy("Type"),
                    lambda d: _("Make-up workday (調休)") if d.is_workday else _("Holiday"),
                ),
                (gettext_lazy("Name of the day"), lambda d: d.name),
            ],
            _calendar_rows,
            lambda d: {"date": d.date, "is_workday": "1" if d.is_workday else "0", "name": d.name},
            lambda actor, row, d: actions.save_calendar_day(
                actor, d["date"], is_workday=d["is_workday"], name=d["name"], create=row is None
            ),
            lambda actor, row: actions.delete_calendar_day(actor, row.pk),
            fixed_on_edit=("date",),
            search=("name",),
            help=gettext_lazy(
                "Holidays and make-up workdays (調休), by year, as the State Council announces them."
            ),
        ),
        Section(
            "templates",
            gettext_lazy("Reply templates"),
            gettext_lazy("reply template"),
            ReplyTemplateForm,
            [
                (gettext_lazy("Template name"), lambda t: t.name),
                (gettext_lazy("Unit"), lambda t: t.unit.name if t.unit else _("every unit")),
                (gettext_lazy("Text"), lambda t: t.text if len(t.text) < 80 else t.text[:79] + "…"),
            ],
            lambda request: ReplyTemplate.objects.select_related("unit").order_by("unit__path", "name"),
            lambda t: {"name": t.name, "unit": t.unit_id, "text": t.text},
            lambda actor, t, d: actions.save_reply_template(actor, t.pk if t else None, **d),
            lambda actor, t: actions.delete_reply_template(actor, t.pk),
            search=("name", "text"),
        ),
        Section(
            "staff",
            gettext_lazy("Staff accounts"),
            gettext_lazy("staff account"),
            StaffForm,
            [
                (gettext_lazy("Username"), lambda u: u.username),
                (gettext_lazy("Name"), lambda u: u.staff.display_name if hasattr(u, "staff") else ""),
                (gettext_lazy("Roles"), _role_labels),
                (gettext_lazy("Unit"), lambda u: _unit_label(u.staff.unit) if hasattr(u, "staff") else "—"),
                (gettext_lazy("Status"), lambda u: _("active") if u.is_active else _("deactivated")),
            ],
            lambda request: (
                User.objects.filter(Q(staff__isnull=False) | Q(groups__isnull=False))
                .distinct()
                .select_related("staff__unit")
                .prefetch_related("groups")
                .order_by("username")
            ),
            lambda u: {
                "username": u.username,
                "name": u.staff.display_name if hasattr(u, "staff") else "",
                "unit": u.staff.unit_id if hasattr(u, "staff") else None,
                "roles": actions.staff_roles(u),
                "active": u.is_active,
            },
            lambda actor, u, d: actions.save_staff(
                actor,
                u.username if u else d["username"],
                name=d["name"],
                unit=d["unit"],
                roles=d["roles"],
                active=d.get("active", True) if u else True,
                password=None if u else d["password"],
                create=u is None,
            ),
            None,
            search=("username", "staff__display_name"),
            help=gettext_lazy(
                "Roles decide what a person may do; unit staff see their unit's requests. Passwords are never shown."
            ),
        ),
    ]
}


def _section(slug: str) -> Section:
    if slug not in SECTIONS:
        raise Http404
    return SECTIONS[slug]


def _render(request, template: str, context: dict):
    return render(request, template, {"sections": SECTIONS.values(), "nav": "console", **context})


FIELD_LABELS = {
    "code": gettext_lazy("Code"),
    "name": gettext_lazy("Name"),
    "parent": gettext_lazy("parent"),
    "area": gettext_lazy("Area"),
    "level": gettext_lazy("Level"),
    "default_unit": gettext_lazy("default unit"),
    "urgency": gettext_lazy("Urgency"),
    "category": gettext_lazy("Category"),
    "keyword": gettext_lazy("Keyword"),
    "unit": gettext_lazy("Unit"),
    "priority": gettext_lazy("Priority"),
    "kind": gettext_lazy("Kind"),
    "sign_amount": gettext_lazy("Sign for within"),
    "reply_amount": gettext_lazy("Reply within"),
    "sign_unit": gettext_lazy("Unit of time"),
    "reply_unit": gettext_lazy("Unit of time"),
    "date": gettext_lazy("Date"),
    "is_workday": gettext_lazy("make-up workday"),
    "text": gettext_lazy("Text"),
    "username": gettext_lazy("Username"),
    "active": gettext_lazy("active"),
    "role": gettext_lazy("role"),
    "password": gettext_lazy("Password"),
}


def _shown(value):
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return value


def _event_rows(events) -> list[tuple[ConfigEvent, Any, Any, list]]:
    """(event, what kind of row, what happened, [(field, before, after)]) in the reader's language."""
    types = dict(EVENT_TYPES)
    rows = []
    for ev in events:
        kind, _dot, verb = ev.action.partition(".")
        changes = [
            (FIELD_LABELS.get(name, name), _shown(old), _shown(new)) for name, old, new in ev.changes()
        ]
        rows.append((ev, types.get(kind, ev.object_type), EVENT_VERBS.get(verb, ev.action), changes))
    return rows


def _actor(request) -> ConsoleActor:
    try:
        return ConsoleActor.of(request.user)
    except ConsoleError:
        raise PermissionDenied from None


@staff_required(ADMIN)
def home(request):
    counts = {
        "units": Unit.objects.count(),
        "categories": Category.objects.count(),
        "routing": RoutingRule.objects.count(),
        "deadlines": DeadlineRule.objects.count(),
        "calendar": CalendarDay.objects.count(),
        "templates": ReplyTemplate.objects.count(),
        "staff": SECTIONS["staff"].queryset(request).count(),
    }
    cards = [(s, counts[s.slug]) for s in SECTIONS.values()]
    rows = _event_rows(ConfigEvent.objects.all()[:8])
    return _render(request, "console/home.html", {"cards": cards, "rows": rows})


@staff_required(ADMIN)
def section_list(request, section):
    sec = _section(section)
    qs = sec.queryset(request)
    q = request.GET.get("q", "").strip()
    if q and sec.search:
        cond = Q()
        for name in sec.search:
            cond |= Q(**{f"{name}__icontains": q})
        qs = qs.filter(cond)
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    rows = [(obj, [col(obj) for _label, col in sec.columns]) for obj in page.object_list]
    context = {"sec": sec, "page": page, "rows": rows, "q": q}
    if sec.slug == "calendar":
        context["years"] = [d.year for d in CalendarDay.objects.dates("date", "year")]
        context["year"] = request.GET.get("year", "")
    return _render(request, "console/list.html", context)


def _form_page(request, sec: Section, obj):
    editing = obj is not None
    kwargs: dict[str, Any] = {"editing": editing} if sec.form is StaffForm else {}
    initial = sec.initial(obj) if editing else {}
    posted = request.method == "POST"
    actor = _actor(request) if posted else None
    form = sec.form(request.POST if posted else None, initial=initial, **kwargs)
    for name in sec.fixed_on_edit if editing else ():
        form.fields[name].disabled = True
    if actor is not None and form.is_valid():
        try:
            sec.save(actor, obj, form.cleaned_data)
        except ConsoleError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, _("Saved."))
            return redirect("console:list", section=sec.slug)
    return _render(request, "console/form.html", {"sec": sec, "form": form, "obj": obj, "editing": editing})


def _object(sec: Section, pk: int):
    return get_object_or_404(sec.queryset(None), pk=pk)


@staff_required(ADMIN)
def section_new(request, section):
    return _form_page(request, _section(section), None)


@staff_required(ADMIN)
def section_edit(request, section, pk):
    sec = _section(section)
    return _form_page(request, sec, _object(sec, pk))


@require_POST
@staff_required(ADMIN)
def section_delete(request, section, pk):
    sec = _section(section)
    obj = _object(sec, pk)
    actor = _actor(request)
    try:
        if sec.slug == "staff":
            actions.set_staff_active(actor, obj.username, not obj.is_active)
            messages.success(request, _("Reactivated.") if not obj.is_active else _("Deactivated."))
        elif sec.delete is not None:
            sec.delete(actor, obj)
            messages.success(request, _("Deleted."))
    except ConsoleError as exc:
        messages.error(request, str(exc))
        return redirect("console:edit", section=sec.slug, pk=pk)
    return redirect("console:list", section=sec.slug)


@staff_required(ADMIN)
def staff_password(request, pk):
    user = get_object_or_404(User, pk=pk)
    form = PasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_staff_password(_actor(request), user.username, form.cleaned_data["password"])
        except ConsoleError as exc:
            form.add_error("password", str(exc))
        else:
            messages.success(request, _("Password set."))
            return redirect("console:edit", section="staff", pk=pk)
    return _render(request, "console/password.html", {"form": form, "account": user})


EVENT_TYPES = [
    ("unit", gettext_lazy("Units")),
    ("category", gettext_lazy("Category catalogue")),
    ("routing", gettext_lazy("Routing rules")),
    ("deadline", gettext_lazy("Deadline rules")),
    ("calendar", gettext_lazy("Calendar")),
    ("template", gettext_lazy("Reply templates")),
    ("staff", gettext_lazy("Staff accounts")),
    ("routing_model", gettext_lazy("Routing models")),  # massline.learning: promote / roll back
]

EVENT_VERBS = {
    "create": gettext_lazy("created"),
    "update": gettext_lazy("changed"),
    "delete": gettext_lazy("deleted"),
    "grant_role": gettext_lazy("role granted"),
    "revoke_role": gettext_lazy("role revoked"),
    "set_password": gettext_lazy("password set"),
    "promote": gettext_lazy("promoted"),
    "rollback": gettext_lazy("rolled back"),
}


@staff_required(ADMIN, DISCIPLINE)
def events(request):
    """Configuration changes, newest first. The discipline role sees role grants and revocations only."""
    admin = ADMIN in roles_of(request.user)
    qs = ConfigEvent.objects.all() if admin else ConfigEvent.objects.filter(action__in=ROLE_EVENT_ACTIONS)
    kind = request.GET.get("type", "")
    if admin and kind in dict(EVENT_TYPES):
        qs = qs.filter(action__startswith=kind + ".")
    page = Paginator(qs.select_related(None), PAGE).get_page(request.GET.get("page"))
    rows = _event_rows(page.object_list)
    return _render(
        request,
        "console/events.html",
        {
            "page": page,
            "rows": rows,
            "types": EVENT_TYPES if admin else [],
            "kind": kind,
            "admin": admin,
            "nav": "console" if admin else "role_events",
        },
    )
