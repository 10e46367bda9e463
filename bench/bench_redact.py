"""The personal-data detector on govmsg: speed, how much of real text it masks, how much it holds for
review, and recall on the two seeded corpora, beside the detector as it was before issue 9.

    .venv/bin/python bench/bench_redact.py             # 3,609 labelled messages + 4,326 hot-issue messages
    .venv/bin/python bench/bench_redact.py --rounds 5  # more interleaved timing rounds
    .venv/bin/python bench/bench_redact.py --show 20   # also 20 masked spans per kind, to read by eye

The old detector is ``bench/redact_baseline.py`` (a verbatim copy of massline/core/text/redact.py at
commit 6aff499), kept only here. Timing alternates old and new on the same texts (A, B, A, B …), with
CPU time beside wall time and the load average printed; the ratio is taken on CPU time.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import os
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from massline.core.text import redact as new  # noqa: E402
from massline.core.text.personal_score import assess  # noqa: E402
from massline.shared_data import shared_data_dir  # noqa: E402
from tests.privacy.corpus import SEEDS  # noqa: E402
from tests.privacy.corpus_holdout import HOLDOUT  # noqa: E402
from tests.privacy.leaks import leaks  # noqa: E402


def _load_old():
    spec = importlib.util.spec_from_file_location("redact_baseline", ROOT / "bench" / "redact_baseline.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["redact_baseline"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _texts() -> list[str]:
    data = shared_data_dir() / "govmsg"
    with open(data / "messages_labeled.csv", encoding="utf-8") as f:
        texts = [row["message"] for row in csv.DictReader(f)]
    with open(data / "attachment3_hot_issues_4326.csv", encoding="utf-8") as f:
        texts += [row["留言详情"].strip() for row in csv.DictReader(f)]
    return [t for t in texts if t]


def _time(fn, texts: list[str]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    for t in texts:
        fn(t)
    return time.perf_counter() - wall, time.process_time() - cpu


def _recall(redact, corpus) -> float:
    return sum(not leaks(s, redact(s.text)) for s in corpus) / len(corpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="interleaved timing rounds (default 3)")
    parser.add_argument("--show", type=int, default=0, help="print this many masked spans per kind")
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")

    old = _load_old()
    texts = _texts()
    chars = sum(len(t) for t in texts)
    print(f"govmsg: {len(texts):,} messages, {chars:,} characters; load average {os.getloadavg()}")

    timings: dict[str, list[tuple[float, float]]] = {"old": [], "new": []}
    for _ in range(args.rounds):
        timings["old"].append(_time(old.redact, texts))
        timings["new"].append(_time(new.redact, texts))
    best = {k: (min(w for w, _c in v), min(c for _w, c in v)) for k, v in timings.items()}
    for k in ("old", "new"):
        wall, cpu = best[k]
        print(
            f"speed {k}: {len(texts) / cpu:,.0f} texts/s on CPU ({len(texts) / wall:,.0f} wall), best of {args.rounds}"
        )
    print(f"speed new/old (CPU): {best['old'][1] / best['new'][1]:.2f}")

    # Exports blank numbers with zeros (0000-00000000); the old detector masked those blanks as landlines.
    masked = {"old": Counter(), "new": Counter(), "old, blanks aside": Counter()}
    spans: dict[str, list[str]] = defaultdict(list)
    for t in texts:
        for m in old.find_personal_data(t):
            masked["old"][m.kind] += m.end - m.start
            if set(m.text) - set("0-() "):
                masked["old, blanks aside"][m.kind] += m.end - m.start
        for m in new.find_personal_data(t):
            masked["new"][m.kind] += m.end - m.start
            spans[m.kind].append(t[max(0, m.start - 8) : m.end + 4].replace("\n", " "))
    for k in ("old", "old, blanks aside", "new"):
        per_kind = ", ".join(f"{kind} {n * 1000 / chars:.2f}" for kind, n in masked[k].most_common())
        print(f"masked {k}: {sum(masked[k].values()) * 1000 / chars:.2f} chars per 1,000 ({per_kind})")

    scores = [assess(t).score for t in texts]
    held = ", ".join(f"{th}: {sum(s >= th for s in scores) / len(scores):.2%}" for th in (0.3, 0.5, 0.7))
    print(f"held for review by personal_score at threshold {held}")

    for name, corpus in (("seeded corpus", SEEDS), ("held-out corpus", HOLDOUT)):
        print(
            f"recall, {name} ({len(corpus)} seeds): old {_recall(old.redact, corpus):.3f}, "
            f"new {_recall(new.redact, corpus):.3f}"
        )

    if args.show:
        rng = random.Random(1)
        for kind, found in sorted(spans.items()):
            print(f"\n{kind}: {len(found)} spans")
            for s in rng.sample(found, min(args.show, len(found))):
                print("   ", s)


if __name__ == "__main__":
    main()
