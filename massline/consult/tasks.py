"""Debounced background recomputation of the opinion map.

Design (see docs/consultations.md):

* A write that changes the vote matrix calls ``actions.request_recompute``: in its transaction it sets
  ``Consultation.opinion_dirty_since`` (only if it was empty) and, on commit, calls ``schedule_recompute``.
* With a broker (Celery workers), the task is queued only when the flag went from empty to set, with a
  countdown of ``MASSLINE_OPINION_DEBOUNCE_SECONDS``: every vote in that window rides on the one task.
  The task claims the work by clearing the flag (a conditional UPDATE, so two workers never both
  compute), reads the votes and stores an ``OpinionSnapshot``. Votes arriving during the computation set
  the flag again and queue the next run.
* Without a broker (the embedded default), Celery runs tasks eagerly, in-process. The task then runs
  after the vote's transaction commits (``transaction.on_commit``), so a failure in the math can never
  lose or refuse a vote; the trade-off is that the response waits for the computation when one is due.
  To bound that, an eager run is skipped when the last map is younger than the debounce interval; the
  flag stays set, and the next vote or the next view of the consultation page after the interval brings
  the map up to date (``refresh_if_stale``).
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from django.conf import settings
from django.db import connections
from django.db.models import FloatField
from django.db.models.expressions import RawSQL
from django.utils import timezone

from massline.core.opinion import VoteMatrix
from massline.tasks import app

from . import opinion
from .models import Consultation, OpinionSnapshot, Statement, Vote

logger = logging.getLogger(__name__)
KEEP_SNAPSHOTS = 5


def debounce_seconds() -> float:
    return float(getattr(settings, "MASSLINE_OPINION_DEBOUNCE_SECONDS", 10))


def is_eager() -> bool:
    return bool(app.conf.task_always_eager)


def schedule_recompute(consultation_id: int, *, newly_dirty: bool = True, force: bool = False) -> None:
    """Hand a recompute to the worker (or run it in-process when eager). Never raises: the write that
    asked for it has already committed."""
    try:
        if is_eager():
            recompute_opinion_map.apply(args=(consultation_id,), kwargs={"force": force})
        elif newly_dirty or force:
            countdown = 0 if force else debounce_seconds()
            recompute_opinion_map.apply_async(
                args=(consultation_id,), kwargs={"force": force}, countdown=countdown
            )
    except Exception:  # the map is a view of the votes; it must never take a vote down with it
        logger.exception("opinion map recompute failed for consultation %s", consultation_id)


def refresh_if_stale(consultation: Consultation) -> None:
    """Eager mode only: catch up on votes left behind by the debounce when someone looks at the map."""
    if not is_eager() or consultation.opinion_dirty_since is None:
        return
    last = consultation.opinion_computed_at
    if last is None or (timezone.now() - last).total_seconds() >= debounce_seconds():
        schedule_recompute(consultation.pk)


@app.task(name="massline.consult.recompute_opinion_map")
def recompute_opinion_map(consultation_id: int, force: bool = False) -> str:
    now = timezone.now()
    c = Consultation.objects.filter(pk=consultation_id).first()
    if c is None:
        return "gone"
    if not force:
        if c.opinion_dirty_since is None:
            return "clean"
        last = c.opinion_computed_at
        if is_eager() and last is not None and (now - last).total_seconds() < debounce_seconds():
            return "debounced"
        claim = Consultation.objects.filter(pk=c.pk, opinion_dirty_since=c.opinion_dirty_since)
    else:
        claim = Consultation.objects.filter(pk=c.pk)
    if not claim.update(opinion_dirty_since=None, opinion_computed_at=now):
        return "taken"  # another worker claimed this batch of votes
    try:
        snap = compute_snapshot(c, full=force)
    except Exception:
        # Leave the work for the next run rather than pretending the map is current.
        Consultation.objects.filter(pk=c.pk, opinion_dirty_since__isnull=True).update(opinion_dirty_since=now)
        raise
    return f"snapshot {snap.pk}"


@dataclass
class _WarmMap:
    om: Any
    read_at: datetime


# Fitted maps kept by this worker process, for warm-started updates (most recently used last).
_WARM: OrderedDict[tuple, _WarmMap] = OrderedDict()
WARM_MAX = 8
# Votes are re-read this far before the last read: a vote whose transaction committed late (its
# ``updated`` stamp is older than our read) is still picked up. Re-applying a vote is harmless.
OVERLAP = timedelta(seconds=60)


def incremental_enabled() -> bool:
    return bool(getattr(settings, "MASSLINE_OPINION_INCREMENTAL", True))


def _warm_key(consultation: Consultation) -> tuple:
    return (consultation._state.db, consultation.pk, consultation.created_at.isoformat())


# Vote times as epoch milliseconds computed by the database: converting hundreds of thousands of
# datetimes in Python costs more than the opinion math itself.
_EPOCH_MS = {
    "sqlite": '(julianday("consult_vote"."created") - 2440587.5) * 86400000.0',
    "postgresql": 'extract(epoch from "consult_vote"."created")::float8 * 1000.0',
}


def vote_matrix(qs) -> VoteMatrix:
    """The votes of ``qs`` as the opinion core's sparse matrix (latest value per pair, first-vote times)."""
    epoch = _EPOCH_MS.get(connections[qs.db].vendor)
    if epoch is None:  # another database: let Django convert the datetimes
        rows = list(
            qs.values_list("participant_id", "statement_id", "value", "created").iterator(chunk_size=20_000)
        )
        return opinion.as_matrix(rows)
    rows = list(
        qs.annotate(first_ms=RawSQL(epoch, (), output_field=FloatField()))
        .values_list("participant_id", "statement_id", "value", "first_ms")
        .iterator(chunk_size=50_000)
    )
    if not rows:
        return opinion.as_matrix([])
    arr = np.asarray(rows, dtype=np.float64)
    return VoteMatrix.from_arrays(
        arr[:, 0].astype(np.int64), arr[:, 1].astype(np.int64), arr[:, 2], arr[:, 3]
    )


def compute_snapshot(consultation: Consultation, *, full: bool = False) -> OpinionSnapshot:
    """Compute the map and store it (keeping the last few snapshots).

    When this process computed the map before, only the votes changed since are read and applied with the
    math core's warm-started update; otherwise, or with ``full=True`` (organiser's "recompute now",
    closing), every vote is read and the map is fitted from scratch.
    """
    t0 = time.perf_counter()
    read_at = timezone.now()
    key = _warm_key(consultation)
    all_votes = Vote.objects.filter(consultation=consultation)
    rejected = set(
        consultation.statements.filter(state=Statement.State.REJECTED).values_list("id", flat=True)
    )
    warm = None if full or not incremental_enabled() else _WARM.pop(key, None)
    om, votes, mode = None, opinion.as_matrix([]), "full"
    if warm is not None:
        try:
            changed = vote_matrix(all_votes.filter(updated__gte=warm.read_at - OVERLAP))
            om = opinion.update_map(warm.om, changed, rejected)
            if om.matrix_.nnz == all_votes.count():
                mode = "incremental"
            else:  # votes disappeared (a participant was deleted): start over
                om = None
        except Exception:
            logger.exception("warm update failed for consultation %s; fitting from scratch", consultation.pk)
            om = None
    if om is None:
        votes = vote_matrix(all_votes)
        om = opinion.fit_map(votes, rejected)
    data = opinion.summarise(om, votes)
    if om is not None and incremental_enabled():
        _WARM[key] = _WarmMap(om, read_at)
        while len(_WARM) > WARM_MAX:
            _WARM.popitem(last=False)
    snap = OpinionSnapshot.objects.create(
        consultation=consultation,
        vote_count=data["n_votes"],
        participant_count=data["n_participants"],
        seconds=time.perf_counter() - t0,
        engine=f"{data['engine']} ({mode})",
        data=data,
    )
    old = consultation.snapshots.order_by("-computed_at", "-id").values_list("id", flat=True)[KEEP_SNAPSHOTS:]
    OpinionSnapshot.objects.filter(id__in=list(old)).delete()
    return snap
