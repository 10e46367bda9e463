"""Training labels from dispatch decisions, and the registry of routing models."""

from __future__ import annotations

from django.db import models

SOURCES = [
    ("dispatch", "dispatch"),
    ("transfer", "transfer"),
    ("return", "return"),
    ("final", "final category and unit"),
]


class RoutingExample(models.Model):
    """One labelled decision: this request's text belongs to this category (and unit), as of ``at``.

    ``text`` is the full title and text: training needs what the dispatcher read. It is server-side
    only, never shown or exported. A return (``negative``) says the unit, and the category it was
    dispatched with, were wrong: the decision it answers is no longer used as a label."""

    request = models.ForeignKey("workflow.Request", on_delete=models.CASCADE, related_name="+")
    text = models.TextField()
    category = models.ForeignKey(
        "workflow.Category", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit = models.ForeignKey(
        "workflow.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=10, choices=SOURCES)
    negative = models.BooleanField(default=False)
    at = models.DateTimeField(db_index=True)
    weight = models.FloatField(default=1.0)
    # the audit event the example comes from: the subscriber and the backfill write each one once
    audit_id = models.PositiveBigIntegerField(unique=True)

    class Meta:
        ordering = ["at", "id"]


class ModelVersion(models.Model):
    """A trained routing model: its data window, its held-out figures, and whether it routes now."""

    version = models.PositiveIntegerField(unique=True)
    created_at = models.DateTimeField()
    data_from = models.DateTimeField(null=True, blank=True)
    data_to = models.DateTimeField(null=True, blank=True)
    n_examples = models.PositiveIntegerField(default=0)  # the city's own labels used for training
    n_base = models.PositiveIntegerField(default=0)  # rows of the base file (labelled history)
    n_heldout = models.PositiveIntegerField(default=0)
    n_models = models.PositiveIntegerField(default=0)  # classifiers in the tree (level 1 + branches)
    # {"levels": {"1": {n, macro_f1, accuracy, threshold, coverage, precision}}, "curves": {"1": [[t, cov,
    # prec], ...]}, "compared": {"version": n or "file", "levels": {...}}, "target": 0.97}
    figures = models.JSONField(default=dict)
    path = models.CharField(max_length=500)
    sha256 = models.CharField(max_length=64)
    decision = models.CharField(max_length=300, blank=True)  # why it was or was not promoted
    promoted_at = models.DateTimeField(null=True, blank=True)
    promoted_by = models.CharField(max_length=100, blank=True)
    active = models.BooleanField(default=False)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["active"], condition=models.Q(active=True), name="one_active_routing_model"
            )
        ]

    def __str__(self) -> str:
        return f"v{self.version}"

    def level(self, n: int) -> dict:
        return (self.figures.get("levels") or {}).get(str(n)) or {}
