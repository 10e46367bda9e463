"""The misconduct-report (舉報) detector on govmsg: how many real messages it flags, which cues fire, and
samples to read by eye (precision is judged by reading, since the data has no such label).

    .venv/bin/python bench/bench_misconduct.py              # counts and cues
    .venv/bin/python bench/bench_misconduct.py --sample 30  # also 30 flagged and 30 unflagged, seed 1

Baseline, in the same run: the naive rule "the message contains 举报 or 腐败" that the demo might have used.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from massline.core.text.misconduct import score_misconduct  # noqa: E402
from massline.shared_data import shared_data_dir  # noqa: E402

FILES = (
    "attachment2_testset_2801_unlabeled.csv",
    "attachment3_hot_issues_4326.csv",
    "attachment4_replies_2816.csv",
)
_WS = re.compile(r"\s+")


def messages() -> list[tuple[str, str, str]]:
    out = []
    for name in FILES:
        with open(shared_data_dir() / "govmsg" / name, encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                title, text = _WS.sub(" ", row["留言主题"]).strip(), _WS.sub(" ", row["留言详情"]).strip()
                out.append((f"{name[:11]}-{row['留言编号']}", title, text))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=int, default=0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    msgs = messages()
    started = time.process_time()
    scores = [score_misconduct(text, title) for _key, title, text in msgs]
    cpu = time.process_time() - started
    flagged = [(m, s) for m, s in zip(msgs, scores, strict=True) if s.flagged]
    naive = sum(1 for _k, title, text in msgs if re.search("举报|腐败", title + text))
    print(f"messages: {len(msgs)}  flagged: {len(flagged)} ({len(flagged) / len(msgs):.1%})")
    print(f"baseline (contains 举报 or 腐败): {naive} ({naive / len(msgs):.1%})")
    print(f"CPU: {cpu:.2f} s, {len(msgs) / cpu:,.0f} messages/s")
    print("cues:", dict(Counter(c for _m, s in flagged for c in s.cues).most_common()))
    if args.sample:
        rng = random.Random(args.seed)
        unflagged = [m for m, s in zip(msgs, scores, strict=True) if not s.flagged]
        print(f"\n--- {args.sample} flagged")
        for (key, title, text), s in rng.sample(flagged, min(args.sample, len(flagged))):
            print(f"{key} [{','.join(s.cues)}] {title} | {text[:160]}")
        print(f"\n--- {args.sample} unflagged")
        for key, title, text in rng.sample(unflagged, args.sample):
            print(f"{key} {title} | {text[:100]}")


if __name__ == "__main__":
    main()
