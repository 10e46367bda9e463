"""Intake records: photos attached to requests and bulk import batches."""

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
