"""Units, the category catalogue, routing and deadline rows, requests, replies, audit and supervision.

Everything here is written only through ``massline.workflow.actions`` (and intake/followup actions).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from massline.core.deadlines import URGENCIES
from massline.core.workflow import State

KINDS = [
    ("complaint", _("Complaint")),
    ("help", _("Request for help")),
    ("suggestion", _("Suggestion")),
    ("inquiry", _("Inquiry")),
    ("report", _("Misconduct report")),
    ("praise", _("Praise")),
]
# How a request came in: "hotline" is a call (the call screen), "import" a row of another system's export
# brought in by `massline import` (imported history, 導入).
CHANNELS = [
    ("web", _("Web")),
    ("api", _("API")),
    ("hotline", _("Hotline")),
    ("import", _("Imported")),
    ("visit", _("Visit")),
]
URGENCY_CHOICES = [
    ("emergency", _("Emergency")),
    ("utility", _("Water, power, gas, heating")),
    ("general", _("General")),
    ("complex", _("Complex")),
]
assert [u for u, _l in URGENCY_CHOICES] == list(URGENCIES)
STATE_CHOICES = [
    (State.RECEIVED.value, _("Received")),
    (State.DISPATCHED.value, _("Dispatched")),
    (State.SIGNED.value, _("Signed for")),
    (State.RETURNED.value, _("Returned")),
    (State.TRANSFERRED.value, _("Transferred")),
    (State.REPLIED.value, _("Replied")),
    (State.CLOSED.value, _("Closed")),
    (State.REOPENED.value, _("Reopened")),
    (State.MERGED.value, _("Merged")),
    (State.REJECTED.value, _("Rejected")),
    (State.INVESTIGATING.value, _("Under investigation")),
]
assert {v for v, _l in STATE_CHOICES} == {s.value for s in State}


class Unit(models.Model):
    """承辦單位: a node of the unit tree (city → district → street office or department)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Materialised path of codes ("city/a1/a1-dongtang/") for cheap subtree queries.
    path = models.CharField(max_length=400, db_index=True, editable=False)
    area = models.CharField(max_length=100, blank=True, help_text=_("Place names this unit covers"))

    class Meta:
        ordering = ["path"]

    def save(self, *args, **kwargs):
        self.path = (self.parent.path if self.parent else "") + self.code + "/"
        super().save(*args, **kwargs)

    def is_within(self, other: Unit) -> bool:
        return self.path.startswith(other.path)

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    """分類: a node of the three-level classification catalogue (派單目錄)."""

    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    level = models.PositiveSmallIntegerField(default=1)
    default_unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    urgency = models.CharField(max_length=12, choices=URGENCY_CHOICES, default="general")

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "categories"

    def ancestors(self) -> list[Category]:
        chain: list[Category] = []
        node: Category | None = self
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]

    def effective_unit(self) -> Unit | None:
        for node in reversed(self.ancestors()):
            if node.default_unit_id:
                return node.default_unit
        return None

    def full_name(self) -> str:
        return " / ".join(c.name for c in self.ancestors())

    def __str__(self) -> str:
        return self.full_name()


class RoutingRule(models.Model):
    """Overrides a category's default unit by keyword and/or area. Most specific match wins."""

    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.CASCADE)
    keyword = models.CharField(max_length=50, blank=True)
    area = models.CharField(max_length=50, blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE)
    priority = models.IntegerField(default=100)

    def __str__(self) -> str:
        conds = [c for c in (self.category and self.category.name, self.keyword, self.area) if c]
        return f"{' & '.join(conds) or 'any'} → {self.unit}"


class DeadlineRule(models.Model):
    """Sign-for and reply limits by urgency (and optionally kind). Defaults: Beijing 12345."""

    UNITS = [("hours", _("hours")), ("workdays", _("working days"))]
    urgency = models.CharField(max_length=12, choices=URGENCY_CHOICES)
    kind = models.CharField(max_length=12, choices=KINDS, blank=True)
    sign_amount = models.PositiveIntegerField()
    sign_unit = models.CharField(max_length=8, choices=UNITS)
    reply_amount = models.PositiveIntegerField()
    reply_unit = models.CharField(max_length=8, choices=UNITS)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["urgency", "kind"], name="one_deadline_rule_per_urgency_kind")
        ]


class CalendarDay(models.Model):
    """A holiday, or a make-up workday (調休) on a weekend."""

    date = models.DateField(unique=True)
    is_workday = models.BooleanField(default=False, help_text=_("Checked: a make-up workday; else a holiday"))
    name = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["date"]


def new_tracking_token() -> str:
    return secrets.token_urlsafe(18)


class Request(models.Model):
    """訴求: anything a person raises."""

    reference = models.CharField(max_length=24, unique=True, null=True, editable=False)  # noqa: DJ001 - set after insert
    tracking_token = models.CharField(max_length=40, unique=True, default=new_tracking_token, editable=False)
    kind = models.CharField(max_length=12, choices=KINDS, default="complaint")
    title = models.CharField(max_length=200)
    text = models.TextField()
    address = models.CharField(max_length=300, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    channel = models.CharField(max_length=10, choices=CHANNELS, default="web")
    external_id = models.CharField(max_length=64, blank=True, db_index=True)

    # Personal data: never shown publicly (the portal redacts the text as well).
    contact_name = models.CharField(max_length=100, blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    contact_email = models.EmailField(blank=True)
    anonymous = models.BooleanField(default=False)
    requester_key = models.CharField(
        max_length=64, blank=True, help_text="pseudonymous requester id, e.g. from an import"
    )

    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.PROTECT, related_name="requests"
    )
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="requests")
    urgency = models.CharField(max_length=12, choices=URGENCY_CHOICES, default="general")
    state = models.CharField(
        max_length=16, choices=STATE_CHOICES, default=State.RECEIVED.value, db_index=True
    )
    version = models.PositiveIntegerField(default=1, help_text="optimistic lock: bumped by every action")

    suggested_category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    suggestion_confidence = models.FloatField(null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged"
    )
    reopen_count = models.PositiveSmallIntegerField(default=0)

    received_at = models.DateTimeField(db_index=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    sign_due = models.DateTimeField(null=True, blank=True)
    reply_due = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    # What the public sees, computed once when the text is written (``workflow.excerpt.public_forms``, the
    # one function): the redacted title, text and address as stored forms (masks kept as their kind, shown
    # in the reader's language by the portal) ...
    public_title = models.TextField(blank=True, default="", editable=False)
    public_body = models.TextField(blank=True, default="", editable=False)
    public_place = models.TextField(blank=True, default="", editable=False)
    # ... and what public search reads: the redacted title and text (masks in English), ...
    public_text = models.TextField(blank=True, default="", editable=False)
    # ... cut into words for the full-text index (``core.text.searchwords``); on PostgreSQL a generated
    # ``search_vector`` column (tsvector, GIN index) is built from it (migration 0005).
    search_words = models.TextField(blank=True, default="", editable=False)
    # Held for review: not public until a moderator releases it (``workflow.disclosure``).
    held = models.BooleanField(default=False, db_index=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "state"]),
            models.Index(fields=["state", "reply_due"]),
            models.Index(fields=["kind", "state"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def save(self, *args, **kwargs):
        """Keep the public forms in step with the text and the requester's names (the replies' too); a new
        request is held when it must be reviewed."""
        from .excerpt import (
            NAME_FIELDS,
            SOURCE_FIELDS,
            STORED_FIELDS,
            needs_hold,
            public_forms,
            requester_names,
        )

        fields = kwargs.get("update_fields")
        if fields is None or set(SOURCE_FIELDS) & set(fields):
            forms = public_forms(self.title, self.text, self.address, requester_names(self))
            for name, value in forms.fields().items():
                setattr(self, name, value)
            if fields is not None:
                kwargs["update_fields"] = {*fields, *STORED_FIELDS}
        names_changed = not self._state.adding and (fields is None or set(NAME_FIELDS) & set(fields))
        if self._state.adding and needs_hold(self.public_text):
            self.held = True
        super().save(*args, **kwargs)
        if names_changed:
            for reply in self.replies.all():  # the requester's names are hidden in the replies too
                reply.request = self
                reply.save(update_fields=["public_body"])

    @property
    def is_open(self) -> bool:
        from massline.core.workflow import OPEN

        return State(self.state) in OPEN


class Reply(models.Model):
    """答復: the unit's answer. Public once redacted."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="replies")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    text = models.TextField()
    created_at = models.DateTimeField()
    # The stored public form of ``text``, its requester's names hidden too (``workflow.excerpt.reply_form``)
    public_body = models.TextField(blank=True, default="", editable=False)

    class Meta:
        ordering = ["created_at", "id"]

    def save(self, *args, **kwargs):
        """Keep the public form in step with the text (and the requester's names: ``Request.save``)."""
        from .excerpt import reply_form, requester_names

        fields = kwargs.get("update_fields")
        if fields is None or {"text", "public_body"} & set(fields):
            self.public_body = reply_form(self.text, requester_names(self.request))
            if fields is not None:
                kwargs["update_fields"] = {*fields, "public_body"}
        super().save(*args, **kwargs)


class ReplyTemplate(models.Model):
    name = models.CharField(max_length=80)
    text = models.TextField()
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.CASCADE)

    def __str__(self) -> str:
        return self.name


class AuditEvent(models.Model):
    """An append-only record of every change: who, when, from → to, and a note."""

    request = models.ForeignKey(Request, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    actor_label = models.CharField(max_length=100, help_text="who acted, kept even if the user is deleted")
    at = models.DateTimeField(db_index=True)
    action = models.CharField(max_length=30)
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16, blank=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("audit events are append-only: they cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("audit events are append-only: they cannot be deleted")


class Supervision(models.Model):
    """督辦: an escalation of an overdue or repeatedly reopened request."""

    REASONS = [
        ("sign_overdue", _("Not signed for in time")),
        ("reply_overdue", _("Not replied to in time")),
        ("reopened", _("Reopened repeatedly")),
        ("manual", _("Raised by a supervisor")),
    ]
    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="supervisions")
    unit = models.ForeignKey(Unit, null=True, on_delete=models.SET_NULL)
    reason = models.CharField(max_length=16, choices=REASONS)
    created_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "reason"],
                condition=models.Q(resolved_at__isnull=True),
                name="one_open_supervision_per_reason",
            )
        ]
