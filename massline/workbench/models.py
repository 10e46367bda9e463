"""走訪: staff visits to the grassroots and the issues found there (each issue is a Request)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Visit(models.Model):
    """A visit by staff to a place (走基層). The issues it found are requests with channel="visit"."""

    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=300)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="visits",
        verbose_name=_("staff"),
    )
    unit = models.ForeignKey(
        "workflow.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date} {self.place}"


class VisitIssue(models.Model):
    """One issue found on a visit, and the request it became."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="issues")
    request = models.OneToOneField("workflow.Request", on_delete=models.PROTECT, related_name="visit_issue")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["visit", "position"]

    def __str__(self) -> str:
        return f"{self.visit} #{self.position}"


class HotIssueTask(models.Model):
    """A hot issue (熱點問題) turned into a proactive task (未訴先辦). Hot issues are recomputed from the
    requests every time, so the link is kept through the requests the issue held when the task was made:
    a hot issue that shares any of them is the same issue, and links to this task."""

    task = models.OneToOneField(
        "workflow.Request", on_delete=models.PROTECT, related_name="hot_issue_source", verbose_name=_("task")
    )
    title = models.CharField(_("title"), max_length=300)
    members = models.ManyToManyField("workflow.Request", related_name="hot_issue_tasks", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


# The stored duplicate index (its models live beside the code that reads and writes them).
from .duplicate_store import DuplicateBand, DuplicateSketch  # noqa: E402, F401
