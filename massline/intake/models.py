"""Intake records: photos attached to requests, bulk import batches, and requests waiting for routing."""

from __future__ import annotations

from django.db import models


class Attachment(models.Model):
    request = models.ForeignKey("workflow.Request", on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="attachments/%Y/%m/")
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)


class ImportBatch(models.Model):
    filename = models.CharField(max_length=255)
    encoding = models.CharField(max_length=20, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_imported = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)


class ImportRun(models.Model):
    """One bulk import of one source file (``massline import``), and its checkpoint.

    The checkpoint (``last_line`` and the counts) is written in the same transaction as each batch of
    requests, so after a crash the rows up to ``last_line`` are in the database and none after it: the
    same command resumes from there. A run is found again by the file's SHA-256.
    """

    STATES = [("running", "running"), ("done", "done"), ("stopped", "stopped")]
    source_hash = models.CharField(max_length=64, db_index=True)
    filename = models.CharField(max_length=255)
    size = models.BigIntegerField(default=0)
    encoding = models.CharField(max_length=20, blank=True)
    preset = models.CharField(max_length=40, blank=True)
    channel = models.CharField(max_length=10)
    options = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=STATES, default="running")
    last_line = models.PositiveBigIntegerField(default=0, help_text="the last source line committed")
    rows_read = models.PositiveBigIntegerField(default=0)
    rows_imported = models.PositiveBigIntegerField(default=0)
    rows_skipped = models.PositiveBigIntegerField(default=0)
    rows_failed = models.PositiveBigIntegerField(default=0)
    duplicates = models.PositiveBigIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"import {self.pk} of {self.filename} ({self.state}, line {self.last_line})"


class ImportedRow(models.Model):
    """Which source line became which request. Unique per (run, line), so a replayed batch cannot
    import a line twice; ``duplicate_of`` is the earlier request a near-duplicate check matched."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="rows")
    line = models.PositiveBigIntegerField()
    request = models.OneToOneField("workflow.Request", on_delete=models.CASCADE, related_name="+")
    duplicate_of = models.ForeignKey(
        "workflow.Request", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    similarity = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "line"], name="one_request_per_import_line")]


class PendingRouting(models.Model):
    """A submitted request that a worker has still to classify, route and sketch (``intake.deferred``).

    Written in the submission's transaction and deleted in the routing's: while it exists the routing has
    not happened, so a worker that was down or died leaves it for the ``route_due`` sweep."""

    request = models.OneToOneField(
        "workflow.Request", on_delete=models.CASCADE, primary_key=True, related_name="pending_routing"
    )
    created_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"routing pending for request {self.request_id}"
