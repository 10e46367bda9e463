"""Search, filters and sorting for every staff list: one form, one function, one template include.

Every queue (dispatch, unit, misconduct reports) and the supervision board builds a
:class:`RequestFilterForm` from the query string and narrows its own, already role-scoped queryset with
:func:`filter_requests`. ``workbench/_filters.html`` renders the form, its errors and the export links.
The filters only ever narrow what ``visible_requests`` let through: a role never sees more by filtering.

An invalid value (a date that is no date, an unknown unit) is reported next to its field and ignored; the
other filters still apply. Nothing here raises on user input.
"""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.db.models import Case, DateTimeField, F, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from massline.core import workflow
from massline.core.text.script import for_reader
from massline.pagecache.generations import CONFIG, cached_fragment
from massline.workflow.models import CHANNELS, KINDS, STATE_CHOICES, Category, Request, Unit

from .deadlines import overdue_q

SORTS = {
    "received": ("received_at", "id"),
    "due": ("current_due", "id"),
    "reference": ("reference",),
}
SORT_CHOICES = [
    ("received", _("Received, oldest first")),
    ("-received", _("Received, newest first")),
    ("due", _("Due date, soonest first")),
    ("-due", _("Due date, latest first")),
    ("reference", _("Reference, ascending")),
    ("-reference", _("Reference, descending")),
]
#: Query-string keys the filter form owns; a queue's own keys (``tab``, ``page``) are kept beside them.
FIELDS = ("q", "state", "category", "unit", "kind", "channel", "date_from", "date_to", "overdue", "sort")


def _values(states) -> list[str]:
    return sorted(s.value for s in states)


def current_due_expression(prefix: str = "") -> Case:
    """The deadline a request is racing against now (as ``deadlines.current_deadline``), for sorting.
    ``prefix`` ("request__") computes it for a list of related rows (the board's supervisions)."""

    def q(**lookups) -> Q:
        return Q(**{prefix + key: value for key, value in lookups.items()})

    report = q(kind=workflow.REPORT_KIND)
    return Case(
        When(
            (~report & q(state__in=_values(workflow.AWAITING_SIGN)))
            | (report & q(state__in=_values(workflow.REPORT_AWAITING_ACCEPT))),
            then=F(prefix + "sign_due"),
        ),
        When(
            (~report & q(state__in=_values(workflow.AWAITING_REPLY)))
            | (report & q(state__in=_values(workflow.REPORT_AWAITING_ANSWER))),
            then=F(prefix + "reply_due"),
        ),
        default=Value(None),
        output_field=DateTimeField(),
    )


def _all_units() -> dict[str, Unit]:
    return {u.code: u for u in Unit.objects.filter(parent__isnull=False).only("code", "name", "path")}


def _top_categories() -> dict[str, Category]:
    return {
        c.code: c for c in Category.objects.filter(level__lte=2).select_related("parent").order_by("code")
    }


class RequestFilterForm(forms.Form):
    """The filters of a staff list. ``hide`` drops fields a list has no use for (a misconduct-report list
    has one kind); ``units`` limits the unit choices (unit staff see their own part of the tree)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("reference, title or text")}),
    )
    state = forms.ChoiceField(label=_("State"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    date_from = forms.DateField(
        label=_("Received from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Received until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

    def __init__(
        self,
        data=None,
        *,
        default_sort: str = "received",
        hide: tuple[str, ...] = (),
        states=None,
        kinds=None,
        units: QuerySet[Unit] | None = None,
    ):
        super().__init__(data if data is not None else {})  # always bound: an empty query filters nothing
        self.default_sort = default_sort
        self.fields["sort"].initial = default_sort
        anything = [("", _("All"))]
        state_values = {s for s, _l in STATE_CHOICES} if states is None else set(states)
        self._choose("state", anything + [(s, label) for s, label in STATE_CHOICES if s in state_values])
        kind_values = {k for k, _l in KINDS} if kinds is None else set(kinds)
        self._choose("kind", anything + [(k, label) for k, label in KINDS if k in kind_values])
        self._choose("channel", anything + list(CHANNELS))
        if units is None:  # the whole tree: kept in the cache until the city's configuration changes
            self._units = cached_fragment("staff-filter-units", [CONFIG], _all_units)
        else:
            self._units = {u.code: u for u in units.only("code", "name", "path")}
        self._choose("unit", anything + [(c, for_reader(u.name)) for c, u in self._units.items()])
        for name in hide:
            del self.fields[name]
        if "category" in self.fields:
            # The first two levels of the catalogue; a filter takes the whole branch below.
            self._categories = cached_fragment("staff-filter-categories", [CONFIG], _top_categories)
            self._choose(
                "category",
                anything + [(code, for_reader(c.full_name())) for code, c in self._categories.items()],
            )

    def _choose(self, name: str, choices: list) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)  # declared above
        field.choices = choices

    def clean(self):
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    @property
    def active(self) -> bool:
        """Whether any filter (not just the sort order) is set."""
        return any(self.data.get(name) for name in FIELDS if name != "sort")

    def unit_object(self) -> Unit | None:
        """The unit filtered on, when the value is valid."""
        self.is_valid()
        return self._units.get(self.cleaned_data.get("unit") or "")

    def sort_key(self) -> str:
        self.is_valid()
        return self.cleaned_data.get("sort") or self.default_sort


def ordering(form: RequestFilterForm, prefix: str = "") -> list:
    """The ``order_by`` arguments for the form's sort; ``prefix`` ("request__") orders a related list,
    which must then be annotated with ``current_due_expression(prefix)`` as ``current_due``."""
    key = form.sort_key()
    descending = key.startswith("-")
    fields = SORTS[key.lstrip("-")]
    out = []
    for name in fields:
        expr = F(name if name == "current_due" else prefix + name)
        out.append(expr.desc(nulls_last=True) if descending else expr.asc(nulls_last=True))
    return out


def filter_requests(qs: QuerySet[Request], form: RequestFilterForm, now: datetime | None = None):
    """``qs`` narrowed by every valid filter of ``form`` and sorted; invalid fields are skipped (the form
    shows their errors). ``qs`` must already be scoped to what the user may see."""
    form.is_valid()
    data = form.cleaned_data
    now = now or timezone.now()
    text = (data.get("q") or "").strip()
    if text:
        from massline.portal.public import STAFF_FIELDS, search

        # staff may search the full text they can read anyway (portal search reads only redacted text)
        matches = search(Request.objects.all(), text, STAFF_FIELDS).values("pk")
        qs = qs.filter(Q(reference__icontains=text) | Q(pk__in=matches))
    if data.get("state"):
        qs = qs.filter(state=data["state"])
    category = getattr(form, "_categories", {}).get(data.get("category") or "")
    if category is not None:
        # before dispatch a request has only the classifier's suggestion: the dispatcher filters by that
        branch = Q(category=category) | Q(category__parent=category) | Q(category__parent__parent=category)
        suggested = (
            Q(suggested_category=category)
            | Q(suggested_category__parent=category)
            | Q(suggested_category__parent__parent=category)
        )
        qs = qs.filter(branch | (Q(category__isnull=True) & suggested))
    unit = form._units.get(data.get("unit") or "")
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    if data.get("kind"):
        qs = qs.filter(kind=data["kind"])
    if data.get("channel"):
        qs = qs.filter(channel=data["channel"])
    if data.get("date_from"):
        qs = qs.filter(received_at__date__gte=data["date_from"])
    if data.get("date_to"):
        qs = qs.filter(received_at__date__lte=data["date_to"])
    if data.get("overdue"):
        qs = qs.filter(overdue_q(now))
    return qs.annotate(current_due=current_due_expression()).order_by(*ordering(form))


def export_requested(request) -> str:
    """``csv`` or ``xlsx`` when the list is asked as a download, else ""."""
    from .export import FORMATS

    fmt = request.GET.get("export", "")
    return fmt if fmt in FORMATS else ""


def export_or_none(request, qs: QuerySet[Request], name: str):
    """The download of ``qs`` when ``?export=csv|xlsx`` asks for one; None to render the page."""
    fmt = export_requested(request)
    if not fmt:
        return None
    from .export import export_response

    return export_response(fmt, qs, name)
