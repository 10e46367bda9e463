"""Consultation opinion-map recompute inside the app: warm-started update vs full refit, same run.

    .venv/bin/python bench/bench_consult.py            # 5,000 participants × 60 statements, 150k votes
    .venv/bin/python bench/bench_consult.py --full     # 20,000 participants × 100 statements, 800k votes

Builds a throw-away SQLite database in a temporary MASSLINE_VAR_DIR (migrated from scratch), loads a
synthetic three-camp consultation (bulk inserts: this measures the recompute, not the vote action), then
times ``massline.consult.tasks.compute_snapshot``: the first fit (reads every vote), three warm updates
after 1,000 new votes each (reads only the changed votes, applies them with the opinion core's
``OpinionMap.update``), and a forced full refit on the same data. Each time includes the database read,
the math, the snapshot document and its write.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--full", action="store_true", help="20,000 participants × 100 statements")
    args = ap.parse_args()
    n, d, per = (20_000, 100, 40) if args.full else (5_000, 60, 30)

    var = tempfile.mkdtemp(prefix="bench-consult-")
    os.environ["MASSLINE_VAR_DIR"] = var
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "massline.settings.base"
    import django

    django.setup()
    from datetime import timedelta

    import numpy as np
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.utils import timezone

    from massline.consult import actions
    from massline.consult.models import Participant, Vote
    from massline.consult.tasks import compute_snapshot

    call_command("migrate", verbosity=0)
    user = User.objects.create_user("bench")
    c = actions.create_consultation(
        user,
        title="bench",
        question="q",
        seed_statements=[f"statement number {i} about the park" for i in range(d)],
    )
    actions.open_consultation(c, user)
    sts = list(c.statements.order_by("id").values_list("id", flat=True))
    rng = np.random.default_rng(0)
    Participant.objects.bulk_create(
        [Participant(consultation=c, xid=f"p{i}") for i in range(n)], batch_size=5000
    )
    pids = list(c.participants.order_by("id").values_list("id", flat=True))
    camp = rng.integers(0, 3, n)
    pref = rng.choice([-1, 1], size=(3, d))
    start = timezone.now() - timedelta(hours=3)
    rows = []
    for i, p in enumerate(pids):
        for s in rng.choice(d, per, replace=False):
            v = int(pref[camp[i], s]) if rng.random() < 0.8 else int(rng.choice([-1, 0, 1]))
            ts = start + timedelta(milliseconds=len(rows))
            rows.append(
                Vote(participant_id=p, statement_id=sts[s], consultation=c, value=v, created=ts, updated=ts)
            )
    Vote.objects.bulk_create(rows, batch_size=10_000)
    print(f"consultation: {n:,} participants × {d} statements, {len(rows):,} votes (SQLite in {var})")

    t = time.perf_counter()
    first = compute_snapshot(c)
    print(
        f"first fit (every vote):        {time.perf_counter() - t:7.3f} s  {len(first.data['groups'])} groups"
    )
    warm_times = []
    for r in range(3):
        Participant.objects.bulk_create([Participant(consultation=c, xid=f"new{r}-{i}") for i in range(100)])
        new = list(c.participants.filter(xid__startswith=f"new{r}-").values_list("id", flat=True))
        now = timezone.now()
        Vote.objects.bulk_create(
            [
                Vote(participant_id=p, statement_id=sts[j], consultation=c, value=1, created=now, updated=now)
                for p in new
                for j in range(10)
            ]
        )
        t = time.perf_counter()
        snap = compute_snapshot(c)
        warm_times.append(time.perf_counter() - t)
        print(
            f"warm update after 1,000 votes: {warm_times[-1]:7.3f} s  [{snap.engine}] {snap.vote_count:,} votes"
        )
    t = time.perf_counter()
    full = compute_snapshot(c, full=True)
    full_s = time.perf_counter() - t
    print(f"full refit, same data:         {full_s:7.3f} s  [{full.engine}] {full.vote_count:,} votes")
    median = sorted(warm_times)[1]
    print(f"ratio full / warm (median):    {full_s / median:7.1f}×")
    shutil.rmtree(var, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
