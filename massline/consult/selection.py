"""Which statement a voter sees next: Pol.is's rule, a random draw weighted by statement priority.

The priorities come from the last opinion map (``opinion.priorities``); statements newer than the map
carry Pol.is's "never seen" priority, so fresh statements surface quickly. Without a map (the first
votes), the least-voted statement comes first. The draw is seeded by the participant and how many
votes they have cast, so reloading the page shows the same statement instead of reshuffling.
"""

from __future__ import annotations

import random

from django.db.models import Count

from . import opinion
from .models import Consultation, OpinionSnapshot, Participant, Statement


def latest_snapshot(consultation: Consultation) -> OpinionSnapshot | None:
    return consultation.snapshots.order_by("-computed_at", "-id").first()


def remaining_statements(consultation: Consultation, participant: Participant | None):
    qs = consultation.voter_statements()
    if participant is not None:
        qs = qs.exclude(votes__participant=participant)
    return qs


def next_statement(
    consultation: Consultation, participant: Participant | None, snapshot: OpinionSnapshot | None = None
) -> Statement | None:
    candidates = list(remaining_statements(consultation, participant).annotate(n_votes=Count("votes")))
    if not candidates:
        return None
    prio = opinion.priorities(snapshot.data if snapshot else None, [s.pk for s in candidates])
    if prio is None:
        return min(candidates, key=lambda s: (s.n_votes, s.pk))
    voted = participant.votes.count() if participant is not None else 0
    rng = random.Random(f"{consultation.pk}:{participant.pk if participant else 'anon'}:{voted}")
    weights = [max(prio[s.pk], 1e-9) for s in candidates]
    return rng.choices(candidates, weights=weights, k=1)[0]
