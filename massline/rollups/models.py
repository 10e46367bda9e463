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


class RequestTally(models.Model):
    """How many requests (misconduct reports never among them) were received in a month and stand now in
    a category, a unit and a state, held for review or not, with their deadlines met or not: every count
    and chart of the dashboard and of the public statistics is a sum over these rows."""

    NONE, MET, LATE = 0, 1, 2  # a deadline: not applicable yet, met, missed

    month = models.CharField(max_length=7)  # of received_at, local time
    category_pk = models.IntegerField()  # Category id, 0 when not yet classified
    unit_pk = models.IntegerField()  # Unit id, 0 when none
    state = models.CharField(max_length=20)
    held = models.BooleanField()
    sign = models.SmallIntegerField()  # NONE, MET or LATE: signed_at against sign_due
    reply = models.SmallIntegerField()  # replied_at against reply_due
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "category_pk", "unit_pk", "state", "held", "sign", "reply"],
                name="request_tally_key",
            )
        ]


class TalliedRequest(models.Model):
    """The tally row each request is counted in, so that a change moves it from one row to the next."""

    request = models.OneToOneField(
        "workflow.Request", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    tally = models.ForeignKey(RequestTally, on_delete=models.PROTECT, related_name="+")
