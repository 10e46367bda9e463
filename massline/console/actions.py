"""The only writers of a city's configuration: units, the catalogue, routing and deadline rules, the
calendar, reply templates and staff accounts.

Each function validates (raising :class:`ConsoleError` with the field at fault), writes in one
transaction and appends a :class:`ConfigEvent` with the row before and after. A call that changes
nothing writes nothing, which is what makes ``massline city load`` of the same directory a no-op.
The console views and ``massline city load`` both call these; so do tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.contrib.auth.password_validation import get_password_validators, validate_password
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from massline.accounts.models import StaffProfile
from massline.accounts.permissions import roles_of
from massline.core.deadlines import URGENCIES
from massline.core.workflow import Role
from massline.workflow.catalogue import category_code
from massline.workflow.models import CalendarDay, Category, DeadlineRule, ReplyTemplate, RoutingRule, Unit

from .models import ConfigEvent

STAFF_ROLES = tuple(r.value for r in Role if r is not Role.CITIZEN)
# The project's settings leave AUTH_PASSWORD_VALIDATORS empty (the demo's shared password); accounts
# created in the console still get Django's standard checks unless a deployment configures its own.
DEFAULT_PASSWORD_VALIDATORS: list[dict[str, Any]] = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]


class ConsoleError(Exception):
    """A refused configuration change, with the form field (or CSV column) at fault when there is one."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class NotPermitted(ConsoleError):
    pass


@dataclass(frozen=True)
class ConsoleActor:
    """Who changes the configuration: an administrator, or a command run on the server."""

    user: User | None
    label: str

    @classmethod
    def of(cls, user) -> ConsoleActor:
        if Role.ADMIN.value not in roles_of(user):
            raise NotPermitted(_("Only administrators may change the city's configuration."))
        return cls(user, user.get_username())

    @classmethod
    def command(cls, label: str = "massline city load") -> ConsoleActor:
        return cls(None, label)


def _record(actor: ConsoleActor, action: str, obj_type: str, key: str, before, after) -> ConfigEvent | None:
    if before == after:
        return None
    return ConfigEvent.objects.create(
        at=timezone.now(),
        actor=actor.user,
        actor_label=actor.label,
        action=action,
        object_type=obj_type,
        object_key=key[:200],
        before=before,
        after=after,
    )


def _save_and_record(
    actor: ConsoleActor, obj: models.Model, kind: str, obj_type: str, key: str, before, after
) -> None:
    """Save a created (``before`` None) or changed row and record it as ``<kind>.create`` / ``<kind>.update``."""
    obj.save()
    _record(actor, f"{kind}.create" if before is None else f"{kind}.update", obj_type, key, before, after)


def _validate(obj: models.Model, exclude: tuple[str, ...] = ()) -> None:
    """Run the model's own checks (lengths, choices, slugs, uniqueness) and raise the first as ours."""
    try:
        obj.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise ConsoleError(" ".join(messages), None if field == NON_FIELD_ERRORS else field) from None


USE_LABELS = {
    "request": gettext_lazy("requests"),
    "unit": gettext_lazy("sub-units"),
    "category": gettext_lazy("categories"),
    "staffprofile": gettext_lazy("staff accounts"),
    "routingrule": gettext_lazy("routing rules"),
    "replytemplate": gettext_lazy("reply templates"),
    "reply": gettext_lazy("replies"),
    "followup": gettext_lazy("follow-ups"),
    "visit": gettext_lazy("visits"),
    "supervision": gettext_lazy("supervisions"),
}


def _uses(obj: models.Model) -> list[str]:
    """What still points at ``obj`` ("12 requests", "2 sub-units"), including hidden reverse relations."""
    found = []
    for rel in obj._meta.get_fields(include_hidden=True):
        if not (rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)):
            continue
        model = rel.related_model
        n = model._default_manager.filter(**{rel.field.name: obj}).count()  # type: ignore[union-attr]
        if n:
            name = str(model._meta.model_name)  # type: ignore[union-attr]
            label = USE_LABELS[name] if name in USE_LABELS else model._meta.verbose_name_plural  # type: ignore[union-attr]
            found.append(f"{n} {label}")
    return found


def _refuse_if_used(obj: models.Model, what: str) -> None:
    uses = _uses(obj)
    if uses:
        raise ConsoleError(
            _("%(what)s is still in use (%(uses)s): it cannot be deleted.")
            % {"what": what, "uses": ", ".join(uses)}
        )


# -- units -----------------------------------------------------------------------------------------


def unit_snapshot(u: Unit) -> dict[str, Any]:
    return {"code": u.code, "name": u.name, "parent": u.parent.code if u.parent else "", "area": u.area}


@transaction.atomic
def save_unit(
    actor: ConsoleActor,
    code: str,
    *,
    name: str,
    parent: Unit | None,
    area: str = "",
    create: bool | None = None,
) -> Unit:
    """Create (``create=True``), update (``False``) or either (``None``) the unit ``code``.

    Moving a unit moves its whole subtree (their materialised paths follow).
    """
    unit = Unit.objects.select_for_update(of=("self",)).filter(code=code).select_related("parent").first()
    if create and unit is not None:
        raise ConsoleError(_("A unit with the code %(code)s already exists.") % {"code": code}, "code")
    if create is False and unit is None:
        raise ConsoleError(_("There is no unit with the code %(code)s.") % {"code": code}, "code")
    before = unit_snapshot(unit) if unit else None
    if unit is None:
        unit = Unit(code=code)
    elif parent is not None and parent.path.startswith(unit.path):
        raise ConsoleError(_("A unit cannot be placed inside itself or one of its sub-units."), "parent")
    old_path = unit.path
    unit.name, unit.parent, unit.area = name.strip(), parent, area.strip()
    unit.path = (parent.path if parent else "") + code + "/"
    _validate(unit, exclude=("path",) if before is None else ("path", "code"))
    after = unit_snapshot(unit)
    if before == after:
        return unit
    unit.save()
    if before and old_path != unit.path:
        moved = list(Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk))
        for node in moved:
            node.path = unit.path + node.path[len(old_path) :]
        Unit.objects.bulk_update(moved, ["path"])
    _record(actor, "unit.create" if before is None else "unit.update", "unit", code, before, after)
    return unit


@transaction.atomic
def delete_unit(actor: ConsoleActor, code: str) -> None:
    unit = Unit.objects.select_for_update(of=("self",)).get(code=code)
    _refuse_if_used(unit, _("The unit %(name)s") % {"name": unit.name})
    before = unit_snapshot(unit)
    unit.delete()
    _record(actor, "unit.delete", "unit", code, before, None)


# -- the category catalogue ------------------------------------------------------------------------


def category_snapshot(c: Category) -> dict[str, Any]:
    return {
        "code": c.code,
        "name": c.name,
        "parent": c.parent.code if c.parent else "",
        "level": c.level,
        "default_unit": c.default_unit.code if c.default_unit else "",
        "urgency": c.urgency,
    }


@transaction.atomic
def save_category(
    actor: ConsoleActor,
    code: str,
    *,
    name: str,
    parent: Category | None,
    default_unit: Unit | None,
    urgency: str = "general",
    create: bool | None = None,
) -> Category:
    """Create or update a catalogue node. ``code`` may be empty on creation: it is then derived from the
    names on the path, as the catalogue loader does. A node keeps its parent once created."""
    name = name.strip()
    if not code:
        names = [c.name for c in parent.ancestors()] if parent else []
        code = category_code(*names, name)
    cat = (
        Category.objects.select_for_update(of=("self",))
        .filter(code=code)
        .select_related("parent", "default_unit")
        .first()
    )
    if create and cat is not None:
        raise ConsoleError(_("A category with the code %(code)s already exists.") % {"code": code}, "code")
    if create is False and cat is None:
        raise ConsoleError(_("There is no category with the code %(code)s.") % {"code": code}, "code")
    before = category_snapshot(cat) if cat else None
    if cat is None:
        level = parent.level + 1 if parent else 1
        if level > 3:
            raise ConsoleError(
                _("The catalogue has three levels: a third-level category cannot have children."), "parent"
            )
        cat = Category(code=code, parent=parent, level=level)
    elif (parent.code if parent else "") != (cat.parent.code if cat.parent else ""):
        raise ConsoleError(_("A category keeps its parent: create a new category instead."), "parent")
    cat.name, cat.default_unit, cat.urgency = name, default_unit, urgency
    _validate(cat, exclude=() if before is None else ("code",))
    after = category_snapshot(cat)
    if before != after:
        _save_and_record(actor, cat, "category", "category", code, before, after)
    return cat


@transaction.atomic
def delete_category(actor: ConsoleActor, code: str) -> None:
    cat = Category.objects.select_for_update(of=("self",)).get(code=code)
    _refuse_if_used(cat, _("The category %(name)s") % {"name": cat.name})
    before = category_snapshot(cat)
    cat.delete()
    _record(actor, "category.delete", "category", code, before, None)


# -- routing rules ---------------------------------------------------------------------------------


def routing_snapshot(r: RoutingRule) -> dict[str, Any]:
    return {
        "category": r.category.code if r.category else "",
        "keyword": r.keyword,
        "area": r.area,
        "unit": r.unit.code,
        "priority": r.priority,
    }


def _routing_key(r: RoutingRule) -> str:
    cond = " & ".join(c for c in (r.category.full_name() if r.category else "", r.keyword, r.area) if c)
    return f"{cond or '*'} → {r.unit.code}"


@transaction.atomic
def save_routing_rule(
    actor: ConsoleActor,
    pk: int | None,
    *,
    category: Category | None,
    keyword: str,
    area: str,
    unit: Unit,
    priority: int = 100,
) -> RoutingRule:
    """Create (``pk=None``) or update a routing rule. Two rules with the same conditions and unit are one."""
    keyword, area = keyword.strip(), area.strip()
    twin = RoutingRule.objects.filter(category=category, keyword=keyword, area=area, unit=unit)
    if pk is not None:
        twin = twin.exclude(pk=pk)
    if twin.exists():
        raise ConsoleError(_("The same rule (category, keyword, area and unit) already exists."))
    rule = RoutingRule.objects.select_for_update(of=("self",)).get(pk=pk) if pk is not None else RoutingRule()
    before = routing_snapshot(rule) if pk is not None else None
    rule.category, rule.keyword, rule.area, rule.unit, rule.priority = category, keyword, area, unit, priority
    _validate(rule)
    after = routing_snapshot(rule)
    if before != after:
        _save_and_record(actor, rule, "routing", "routing_rule", _routing_key(rule), before, after)
    return rule


@transaction.atomic
def put_routing_rule(
    actor: ConsoleActor, *, category: Category | None, keyword: str, area: str, unit: Unit, priority: int
) -> RoutingRule:
    """For loaders: the rule with these conditions and unit gets this priority (created if missing)."""
    found = RoutingRule.objects.filter(
        category=category, keyword=keyword.strip(), area=area.strip(), unit=unit
    ).first()
    return save_routing_rule(
        actor,
        found.pk if found else None,
        category=category,
        keyword=keyword,
        area=area,
        unit=unit,
        priority=priority,
    )


@transaction.atomic
def delete_routing_rule(actor: ConsoleActor, pk: int) -> None:
    rule = RoutingRule.objects.select_for_update(of=("self",)).select_related("category", "unit").get(pk=pk)
    before, key = routing_snapshot(rule), _routing_key(rule)
    rule.delete()
    _record(actor, "routing.delete", "routing_rule", key, before, None)


# -- deadline rules --------------------------------------------------------------------------------


def deadline_snapshot(r: DeadlineRule) -> dict[str, Any]:
    return {
        "urgency": r.urgency,
        "kind": r.kind,
        "sign_amount": r.sign_amount,
        "sign_unit": r.sign_unit,
        "reply_amount": r.reply_amount,
        "reply_unit": r.reply_unit,
    }


@transaction.atomic
def save_deadline_rule(
    actor: ConsoleActor,
    urgency: str,
    kind: str,
    *,
    sign_amount: int,
    sign_unit: str,
    reply_amount: int,
    reply_unit: str,
    create: bool | None = None,
) -> DeadlineRule:
    """Create or update the rule for (urgency, kind); an empty kind is the rule for every kind."""
    rule = DeadlineRule.objects.select_for_update(of=("self",)).filter(urgency=urgency, kind=kind).first()
    if create and rule is not None:
        raise ConsoleError(_("There already is a rule for this urgency and kind: edit it instead."), "kind")
    before = deadline_snapshot(rule) if rule else None
    rule = rule or DeadlineRule(urgency=urgency, kind=kind)
    if sign_amount < 1 or reply_amount < 1:
        raise ConsoleError(
            _("A time limit must be at least 1."), "sign_amount" if sign_amount < 1 else "reply_amount"
        )
    rule.sign_amount, rule.sign_unit, rule.reply_amount, rule.reply_unit = (
        sign_amount,
        sign_unit,
        reply_amount,
        reply_unit,
    )
    _validate(rule, exclude=() if before is None else ("urgency", "kind"))
    after = deadline_snapshot(rule)
    if before != after:
        _save_and_record(actor, rule, "deadline", "deadline_rule", f"{urgency}/{kind or '*'}", before, after)
    return rule


@transaction.atomic
def delete_deadline_rule(actor: ConsoleActor, pk: int) -> None:
    rule = DeadlineRule.objects.select_for_update(of=("self",)).get(pk=pk)
    if not rule.kind:
        # The deadline calculation needs a rule for every kind of each urgency (core.deadlines.pick_rule).
        raise ConsoleError(
            _("Every urgency needs its rule for all kinds: change its limits instead of deleting it.")
        )
    before = deadline_snapshot(rule)
    rule.delete()
    _record(actor, "deadline.delete", "deadline_rule", f"{rule.urgency}/{rule.kind}", before, None)


def missing_general_deadline_rules() -> list[str]:
    """Urgencies without a rule for all kinds, while some rules exist (then the defaults no longer apply)."""
    have = set(DeadlineRule.objects.filter(kind="").values_list("urgency", flat=True))
    if not DeadlineRule.objects.exists():
        return []
    return [u for u in URGENCIES if u not in have]


# -- the calendar ----------------------------------------------------------------------------------


def calendar_snapshot(d: CalendarDay) -> dict[str, Any]:
    return {"date": d.date.isoformat(), "is_workday": d.is_workday, "name": d.name}


@transaction.atomic
def save_calendar_day(
    actor: ConsoleActor, day: date, *, is_workday: bool, name: str = "", create: bool | None = None
) -> CalendarDay:
    """A holiday, or (``is_workday``) a make-up workday (調休), which only makes sense on a weekend."""
    row = CalendarDay.objects.select_for_update(of=("self",)).filter(date=day).first()
    if create and row is not None:
        raise ConsoleError(
            _("%(date)s is already in the calendar: edit it instead.") % {"date": day.isoformat()}, "date"
        )
    if is_workday and day.weekday() < 5:
        raise ConsoleError(_("A make-up workday must fall on a Saturday or a Sunday."), "is_workday")
    before = calendar_snapshot(row) if row else None
    row = row or CalendarDay(date=day)
    row.is_workday, row.name = is_workday, name.strip()
    _validate(row, exclude=() if before is None else ("date",))
    after = calendar_snapshot(row)
    if before != after:
        _save_and_record(actor, row, "calendar", "calendar_day", day.isoformat(), before, after)
    return row


@transaction.atomic
def delete_calendar_day(actor: ConsoleActor, pk: int) -> None:
    row = CalendarDay.objects.select_for_update(of=("self",)).get(pk=pk)
    before = calendar_snapshot(row)
    row.delete()
    _record(actor, "calendar.delete", "calendar_day", before["date"], before, None)


# -- reply templates -------------------------------------------------------------------------------


def template_snapshot(t: ReplyTemplate) -> dict[str, Any]:
    return {"name": t.name, "unit": t.unit.code if t.unit else "", "text": t.text}


def _template_key(t: ReplyTemplate) -> str:
    return f"{t.unit.code}/{t.name}" if t.unit else t.name


@transaction.atomic
def save_reply_template(
    actor: ConsoleActor, pk: int | None, *, name: str, text: str, unit: Unit | None
) -> ReplyTemplate:
    """Create (``pk=None``) or update a reply template. A name is unique within its unit (or city-wide)."""
    name = name.strip()
    twin = ReplyTemplate.objects.filter(name=name, unit=unit)
    if pk is not None:
        twin = twin.exclude(pk=pk)
    if twin.exists():
        raise ConsoleError(_("A reply template with this name already exists for this unit."), "name")
    tpl = (
        ReplyTemplate.objects.select_for_update(of=("self",)).get(pk=pk)
        if pk is not None
        else ReplyTemplate()
    )
    before = template_snapshot(tpl) if pk is not None else None
    tpl.name, tpl.text, tpl.unit = name, text.strip(), unit
    _validate(tpl)
    after = template_snapshot(tpl)
    if before != after:
        _save_and_record(actor, tpl, "template", "reply_template", _template_key(tpl), before, after)
    return tpl


@transaction.atomic
def put_reply_template(actor: ConsoleActor, *, name: str, text: str, unit: Unit | None) -> ReplyTemplate:
    found = ReplyTemplate.objects.filter(name=name.strip(), unit=unit).first()
    return save_reply_template(actor, found.pk if found else None, name=name, text=text, unit=unit)


@transaction.atomic
def delete_reply_template(actor: ConsoleActor, pk: int) -> None:
    tpl = ReplyTemplate.objects.select_for_update(of=("self",)).select_related("unit").get(pk=pk)
    before, key = template_snapshot(tpl), _template_key(tpl)
    tpl.delete()
    _record(actor, "template.delete", "reply_template", key, before, None)


# -- staff accounts and roles ----------------------------------------------------------------------


def staff_snapshot(user: User) -> dict[str, Any]:
    """Never the password, not even its hash."""
    profile = StaffProfile.objects.filter(user=user).select_related("unit").first()
    return {
        "username": user.username,
        "name": profile.display_name if profile else "",
        "unit": profile.unit.code if profile and profile.unit else "",
        "active": user.is_active,
    }


def staff_roles(user: User) -> list[str]:
    names = set(user.groups.values_list("name", flat=True))
    return [r for r in STAFF_ROLES if r in names]


def _check_password(password: str, user: User) -> None:
    validators = get_password_validators(settings.AUTH_PASSWORD_VALIDATORS or DEFAULT_PASSWORD_VALIDATORS)
    try:
        validate_password(password, user, password_validators=validators)
    except ValidationError as exc:
        raise ConsoleError(" ".join(exc.messages), "password") from None


def _active_admins() -> int:
    return (
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name=Role.ADMIN.value))
        .distinct()
        .count()
    )


@transaction.atomic
def save_staff(
    actor: ConsoleActor,
    username: str,
    *,
    name: str,
    unit: Unit | None,
    roles: list[str] | tuple[str, ...],
    active: bool = True,
    password: str | None = None,
    create: bool | None = None,
) -> User:
    """Create or update a staff account, its unit and its roles.

    A new account gets ``password`` (checked by Django's password validators) or, without one, an
    unusable password to be set later. Each role granted or revoked is its own audit event.
    """
    username = username.strip()
    unknown = [r for r in roles if r not in STAFF_ROLES]
    if unknown:
        raise ConsoleError(
            _("Unknown role %(role)s; the roles are: %(roles)s.")
            % {"role": unknown[0], "roles": ", ".join(STAFF_ROLES)},
            "roles",
        )
    if Role.UNIT_STAFF.value in roles and unit is None:
        raise ConsoleError(_("Unit staff need a unit."), "unit")
    user = User.objects.select_for_update(of=("self",)).filter(username=username).first()
    if create and user is not None:
        raise ConsoleError(_("The username %(username)s is taken.") % {"username": username}, "username")
    if create is False and user is None:
        raise ConsoleError(_("There is no staff account %(username)s.") % {"username": username}, "username")
    is_new = user is None
    if user is None:
        user = User(username=username)
        try:
            User.username_validator(username)
        except ValidationError as exc:
            raise ConsoleError(" ".join(exc.messages), "username") from None
        if not username or len(username) > 150:
            raise ConsoleError(_("A username has 1 to 150 characters."), "username")
        if password:
            _check_password(password, user)
    old_roles = [] if is_new else staff_roles(user)
    before = None if is_new else staff_snapshot(user)
    if actor.user is not None and actor.user.pk == user.pk:
        if not active or (Role.ADMIN.value in old_roles and Role.ADMIN.value not in roles):
            raise ConsoleError(
                _("You cannot remove your own administrator role or deactivate your own account.")
            )
    user.is_active = active
    if is_new:
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
    user.save()
    StaffProfile.objects.update_or_create(user=user, defaults={"unit": unit, "display_name": name.strip()})
    after = staff_snapshot(user)
    _record(actor, "staff.create" if is_new else "staff.update", "staff", username, before, after)
    for role in STAFF_ROLES:
        if role in roles and role not in old_roles:
            user.groups.add(Group.objects.get_or_create(name=role)[0])
            _record(actor, "staff.grant_role", "staff", username, None, {"role": role})
        elif role not in roles and role in old_roles:
            user.groups.remove(Group.objects.get(name=role))
            _record(actor, "staff.revoke_role", "staff", username, {"role": role}, None)
    if not is_new and _active_admins() == 0:
        raise ConsoleError(_("This change would leave the city without an active administrator."), "roles")
    return user


@transaction.atomic
def set_staff_password(actor: ConsoleActor, username: str, password: str) -> None:
    """Set a password through Django's validators. The event records that it changed, never the value."""
    user = User.objects.select_for_update(of=("self",)).get(username=username)
    _check_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    _record(actor, "staff.set_password", "staff", username, None, {"password": "changed"})


@transaction.atomic
def set_staff_active(actor: ConsoleActor, username: str, active: bool) -> User:
    """Deactivate (or reactivate) an account: it can no longer sign in; its history keeps its name."""
    user = User.objects.get(username=username)
    profile = StaffProfile.objects.filter(user=user).select_related("unit").first()
    return save_staff(
        actor,
        username,
        name=profile.display_name if profile else "",
        unit=profile.unit if profile else None,
        roles=staff_roles(user),
        active=active,
        create=False,
    )
