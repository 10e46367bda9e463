"""The counts the 三率 are computed from, one row per unit and month (local time), and the hand-overs
still waiting for a signature. Written only by ``rollups.apply`` (the event hook) and ``rollups.build``
(the full rebuild); read by ``rollups.read``."""

from __future__ import annotations

from django.db import models

# Each count is spread over SHARDS rows by request id (request id % SHARDS), and read as their sum: two
# changes at once (many intakes in the same month and category, say) then rarely wait on the same row's
# lock until their transactions commit.
SHARDS = 4


class UnitMonthRollup(models.Model):
    """What a unit had in its hands in a month: the numerators and denominators of its three rates.

    A hand-over counts in the month it was made, its signature in time in that same month; a follow-up
    in the month it was recorded (the definitions of docs/metrics.md)."""

    unit = models.CharField(max_length=40)  # Unit.code, as the audit payloads name it
    month = models.CharField(max_length=7)  # "YYYY-MM", local time
    shard = models.SmallIntegerField(default=0)  # request id % SHARDS
    dispatched = models.IntegerField(default=0)  # hand-overs: dispatch, transfer, reopening
    signed_in_time = models.IntegerField(default=0)
    followed_up = models.IntegerField(default=0)
    solved = models.IntegerField(default=0)
    satisfied = models.IntegerField(default=0)
    basically = models.IntegerField(default=0)
    dissatisfied = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "month", "shard"], name="rollup_unit_month_shard")
        ]
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
    """How many requests (misconduct reports never among them) stand in each cell of three small views,
    so that every count and chart of the dashboard and of the public statistics is a sum over a few rows:

    - ``a``: received month × first-level category × state × held for review (volumes, categories, the
      headline, open requests; the public figures leave out held, merged and rejected requests);
    - ``u``: unit (requests by unit);
    - ``d``: sign deadline × reply deadline, each met, missed or not yet applicable.

    A view's row holds neutral values ("", 0, false) in the columns it does not use."""

    NONE, MET, LATE = 0, 1, 2  # a deadline: not applicable yet, met, missed

    view = models.CharField(max_length=1)
    month = models.CharField(max_length=7)  # of received_at, local time
    category_pk = models.IntegerField()  # the first-level Category's id, 0 when not yet classified
    unit_pk = models.IntegerField()  # Unit id, 0 when none
    state = models.CharField(max_length=20)
    held = models.BooleanField()
    sign = models.SmallIntegerField()  # NONE, MET or LATE: signed_at against sign_due
    reply = models.SmallIntegerField()  # replied_at against reply_due
    shard = models.SmallIntegerField(default=0)  # request id % SHARDS
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["view", "month", "category_pk", "unit_pk", "state", "held", "sign", "reply", "shard"],
                name="request_tally_cell",
            )
        ]


class TalliedRequest(models.Model):
    """Where each request is counted now (its cell in every view), so that a change moves it from the
    cells it leaves to those it enters."""

    request = models.OneToOneField(
        "workflow.Request", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    month = models.CharField(max_length=7)
    category_pk = models.IntegerField()
    unit_pk = models.IntegerField()
    state = models.CharField(max_length=20)
    held = models.BooleanField()
    sign = models.SmallIntegerField()
    reply = models.SmallIntegerField()
