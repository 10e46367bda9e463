"""回訪: the requester's verdict on a reply."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

SATISFACTION_CHOICES = [
    ("satisfied", _("Satisfied")),
    ("basically", _("Basically satisfied")),
    ("dissatisfied", _("Dissatisfied")),
]


class FollowUp(models.Model):
    request = models.ForeignKey("workflow.Request", on_delete=models.CASCADE, related_name="followups")
    unit = models.ForeignKey("workflow.Unit", on_delete=models.PROTECT, related_name="followups")
    solved = models.BooleanField()
    satisfaction = models.CharField(max_length=12, choices=SATISFACTION_CHOICES)
    comment = models.TextField(blank=True)
    by_requester = models.BooleanField(default=True)
    operator = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
