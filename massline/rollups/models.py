"""The counts the 三率 are computed from, one row per unit and month (local time), and the hand-overs
still waiting for a signature. Written only by ``rollups.apply`` (the event hook) and ``rollups.build``
(the full rebuild); read by ``rollups.read``."""

from __future__ import annotations

from django.db import models


class UnitMonthRollup(models.Model):
    """What a unit had in its hands in a month: the numerators and denominators of its three rates.

    A hand-over counts in the month it was made, its signature in time in that same month; a follow-up
    in the month it was recorded (the definitions of docs/metrics.md)."""

    unit = models.CharField(max_length=40)  # Unit.code, as the audit payloads name it
    month = models.CharField(max_length=7)  # "YYYY-MM", local time
    dispatched = models.IntegerField(default=0)  # hand-overs: dispatch, transfer, reopening
    signed_in_time = models.IntegerField(default=0)
    followed_up = models.IntegerField(default=0)
    solved = models.IntegerField(default=0)
    satisfied = models.IntegerField(default=0)
    basically = models.IntegerField(default=0)
    dissatisfied = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "month"], name="rollup_unit_month")]
        indexes = [models.Index(fields=["month"], name="rollup_month")]

    def __str__(self) -> str:
        return f"{self.unit} {self.month}"


class OpenHandover(models.Model):
    """The latest hand-over of a request, until the unit signs for it or it is handed over again: the
    signature then counts in time or not against this row's deadline, in this row's month."""

    request = models.OneToOneField(
        "workflow.Request", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    unit = models.CharField(max_length=40)
    month = models.CharField(max_length=7)
    sign_due = models.DateTimeField()
