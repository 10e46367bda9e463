"""每月一題: the monthly problem. A recurring problem the city commits to fix, with a lead unit, a plan,
milestones with progress (Decidim accountability's results and timeline entries) and the requests of the
people who complained about it.

Only ``massline.monthly.actions`` writes these rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MonthlyProblem(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")

    title = models.CharField(_("title"), max_length=200)
    month = models.DateField(_("month"), help_text=_("the first day of the month it is chosen for"))
    lead_unit = models.ForeignKey(
        "workflow.Unit",
        on_delete=models.PROTECT,
        related_name="monthly_problems",
        verbose_name=_("lead unit"),
    )
    plan = models.TextField(_("plan"))
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED, db_index=True)
    starts_on = models.DateField(_("start date"), help_text=_("request volume is compared before and after"))
    requests = models.ManyToManyField("workflow.Request", related_name="monthly_problems", blank=True)
    # The hot issue it was chosen from (hot issues are recomputed every time, so they are kept by value and
    # found again through the requests they share).
    hot_issue_title = models.CharField(max_length=300, blank=True)
    hot_issue_place = models.CharField(max_length=200, blank=True)
    consultation = models.ForeignKey(
        "consult.Consultation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.TextField(_("outcome"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-month", "-id"]

    def __str__(self) -> str:
        return self.title

    def latest_milestone(self) -> Milestone | None:
        return self.milestones.order_by("-date", "-posted_at", "-id").first()

    @property
    def progress(self) -> int:
        """The latest milestone's progress (0 before any)."""
        latest = self.latest_milestone()
        return latest.progress if latest else 0


class Milestone(models.Model):
    """One step of the plan (Decidim's TimelineEntry): what was done, when, and how far along it is."""

    problem = models.ForeignKey(MonthlyProblem, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    date = models.DateField(_("date"))
    progress = models.PositiveSmallIntegerField(_("progress (%)"))
    # the posting form's one-time token: the same form posted twice is one milestone (and one message)
    token = models.CharField(max_length=64, unique=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    posted_at = models.DateTimeField()

    class Meta:
        ordering = ["-date", "-posted_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="monthly_progress_at_most_100")
        ]

    def __str__(self) -> str:
        return self.title


class ProblemEvent(models.Model):
    """Append-only log of what staff did to a monthly problem (choose, edit, status, milestone, consult)."""

    LABELS = {
        "choose": _("chosen as the monthly problem"),
        "edit": _("plan edited"),
        "status": _("status changed"),
        "milestone": _("milestone posted"),
        "consult": _("consultation drafted"),
        "outcome": _("outcome attached"),
    }

    problem = models.ForeignKey(MonthlyProblem, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=150)
    action = models.CharField(max_length=20)
    at = models.DateTimeField()
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d}"

    def label(self) -> str:
        return str(self.LABELS.get(self.action, self.action))
