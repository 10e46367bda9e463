"""Near-duplicate detection (並單): quality on planted duplicates, and indexing speed at scale.

    .venv/bin/python bench/bench_dedupe.py           # quality + 200k-message speed run (~2 min)
    .venv/bin/python bench/bench_dedupe.py --full    # speed on 1,000,000 messages

Quality. Real govmsg messages (title + text, every file, exact repeats dropped) form a base corpus,
cleaned of natural near-duplicates (brute-force exact Jaccard ≥ 0.4 on the same shingles), so that
every true pair is a planted one. For a sample of originals we plant variants: light character edits
(1-5 % of characters inserted, deleted or substituted), an added tail ("請盡快處理，謝謝！"), a
Traditional conversion (OpenCC s2t or s2twp, which also swaps Taiwan vocabulary), or all three.
Recall = planted pairs (original-variant and variant-variant) that are reported; precision =
reported pairs that are planted pairs.

Speed. A synthetic corpus of N messages, each stitched from 2-4 random spans of real messages, so
the text statistics are real. We time ``DuplicateIndex.add_many`` (normalise, shingle, sketch,
band and sort) and the batch grouping. Baseline in the same run: datasketch ``MinHashLSH`` with its
defaults (num_perm=128, one ``MinHash.update`` per shingle, ``insert``), on a subset; the ratio is
of throughputs (messages per second).
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from massline.core.dedupe import DuplicateIndex, shingle_sets  # noqa: E402
from massline.core.text.normalize import normalize_for_analysis  # noqa: E402
from massline.shared_data import shared_data_dir  # noqa: E402

TAILS = ["請盡快處理，謝謝！", "希望有关部门尽快解决！", "盼复。", "谢谢领导！", "望尽快答复，谢谢。"]
FILES = [
    "attachment3_hot_issues_4326.csv",
    "attachment2_testset_2801_unlabeled.csv",
    "attachment4_replies_2816.csv",
    "sample_attachment2_495_labeled.csv",
    "messages_labeled.csv",
]


def load_messages() -> list[str]:
    """Every govmsg message once (title + text), whitespace collapsed."""
    seen, out = set(), []
    for name in FILES:
        path = shared_data_dir() / "govmsg" / name
        with open(path, encoding="utf-8-sig", newline="") as f:
            for row in csv.DictReader(f):
                text = row.get("message") or (row.get("留言主题", "") + "\n" + row.get("留言详情", ""))
                text = " ".join(text.split())
                key = normalize_for_analysis(text)
                if len(key) >= 10 and key not in seen:
                    seen.add(key)
                    out.append(text)
    return out


def natural_pairs(texts: list[str], min_jaccard: float) -> list[tuple[int, int, float]]:
    """Brute-force exact Jaccard over all pairs (sparse products), the ground truth for cleaning."""
    from scipy.sparse import csr_matrix

    elements, offsets = shingle_sets(texts)
    _, columns = np.unique(elements, return_inverse=True)
    rows = np.repeat(np.arange(len(texts)), np.diff(offsets))
    x = csr_matrix((np.ones(len(columns), np.int32), (rows, columns)))
    sizes = np.diff(offsets)
    pairs = []
    for start in range(0, len(texts), 2000):
        inter = (x[start : start + 2000] @ x.T).toarray()
        union = sizes[start : start + 2000, None] + sizes[None, :] - inter
        sim = inter / np.maximum(union, 1)
        i, j = np.nonzero(sim >= min_jaccard)
        for a, b in zip(i.tolist(), j.tolist(), strict=True):
            if start + a < b:
                pairs.append((start + a, b, float(sim[a, b])))
    return pairs


def edit(text: str, rng: random.Random, alphabet: str) -> str:
    chars = list(text)
    for _ in range(max(1, round(len(chars) * rng.uniform(0.01, 0.05)))):
        op, at = rng.choice("ids"), rng.randrange(len(chars))
        if op == "i":
            chars.insert(at, rng.choice(alphabet))
        elif op == "d" and len(chars) > 5:
            del chars[at]
        else:
            chars[at] = rng.choice(alphabet)
    return "".join(chars)


def plant(base: list[str], n_originals: int, seed: int = 7):
    import opencc

    rng = random.Random(seed)
    s2t, s2twp = opencc.OpenCC("s2t"), opencc.OpenCC("s2twp")
    alphabet = "".join(base[:200])
    texts, origin, kinds = list(base), list(range(len(base))), ["base"] * len(base)
    for o in rng.sample(range(len(base)), n_originals):
        for kind in rng.sample(["edit", "tail", "trad", "all"], rng.choice([1, 2])):
            t = base[o]
            if kind in ("edit", "all"):
                t = edit(t, rng, alphabet)
            if kind in ("tail", "all"):
                t = t + rng.choice(TAILS)
            if kind in ("trad", "all"):
                t = rng.choice([s2t, s2twp]).convert(t)
            texts.append(t)
            origin.append(o)
            kinds.append(kind)
    return texts, origin, kinds


def truth_pairs(origin: list[int]) -> set[tuple[int, int]]:
    by_origin: dict[int, list[int]] = {}
    for i, o in enumerate(origin):
        by_origin.setdefault(o, []).append(i)
    return {(a, b) for m in by_origin.values() for x, a in enumerate(m) for b in m[x + 1 :]}


def score(found: set[tuple[int, int]], truth: set[tuple[int, int]]) -> tuple[float, float]:
    tp = len(found & truth)
    return tp / max(len(truth), 1), tp / max(len(found), 1)


def datasketch_pairs(texts: list[str], threshold: float) -> set[tuple[int, int]]:
    """datasketch defaults on the same shingles, candidates confirmed by the same exact Jaccard."""
    from datasketch import MinHash, MinHashLSH

    sets = [shingle_strings(t) for t in texts]
    lsh, sketches = MinHashLSH(threshold=threshold), []
    for i, s in enumerate(sets):
        m = MinHash()
        for sh in s:
            m.update(sh.encode("utf-8"))
        sketches.append(m)
        lsh.insert(i, m)
    found = set()
    for i, m in enumerate(sketches):
        for j in lsh.query(m):
            if (
                j != i
                and len(sets[i] | sets[j])
                and len(sets[i] & sets[j]) / len(sets[i] | sets[j]) >= threshold
            ):
                found.add((min(i, j), max(i, j)))
    return found


def shingle_strings(text: str, k: int = 3) -> set[str]:
    t = "".join(ch for ch in normalize_for_analysis(text) if ch.isalnum())
    return {t[i : i + k] for i in range(len(t) - k + 1)} if len(t) >= k else ({t} if t else set())


def quality(threshold: float) -> None:
    t0 = time.perf_counter()
    messages = load_messages()
    natural = natural_pairs(messages, 0.4)
    drop = {b for _, b, _ in natural}
    base = [m for i, m in enumerate(messages) if i not in drop]
    print(f"real messages: {len(messages)}; natural pairs with Jaccard >= 0.4: {len(natural)}")
    print(f"base corpus after dropping their later members: {len(base)}  ({time.perf_counter() - t0:.1f} s)")

    texts, origin, kinds = plant(base, n_originals=2000)
    truth = truth_pairs(origin)
    print(f"planted variants: {len(texts) - len(base)} of 2000 originals -> {len(truth)} true pairs")

    t0 = time.perf_counter()
    index = DuplicateIndex(threshold=threshold).fit(enumerate(texts))
    a, b, sim = index.similar_pairs()
    ours = time.perf_counter() - t0
    found = set(zip(a.tolist(), b.tolist(), strict=True))
    recall, precision = score(found, truth)

    t0 = time.perf_counter()
    base_found = datasketch_pairs(texts, threshold)
    theirs = time.perf_counter() - t0
    b_recall, b_precision = score(base_found, truth)

    print(f"\nquality at threshold {threshold} on {len(texts)} messages")
    print(f"{'':28}{'recall':>8}{'precision':>11}{'time s':>9}")
    print(f"{'massline DuplicateIndex':28}{recall:8.3f}{precision:11.3f}{ours:9.2f}")
    print(f"{'datasketch defaults':28}{b_recall:8.3f}{b_precision:11.3f}{theirs:9.2f}")
    print(f"time ratio (datasketch / massline): {theirs / ours:.1f}x")

    exact = {}
    sets = [shingle_strings(t) for t in texts]
    for p in truth:
        u = sets[p[0]] | sets[p[1]]
        exact[p] = len(sets[p[0]] & sets[p[1]]) / len(u) if u else 0.0
    print("\nrecall by kind of variant (pairs original-variant):")
    for kind in ["edit", "tail", "trad", "all"]:
        pairs = {(origin[i], i) for i in range(len(texts)) if kinds[i] == kind}
        below = sum(exact[p] < threshold for p in pairs)
        print(
            f"  {kind:5} {len(pairs):5} pairs  recall {len(pairs & found) / len(pairs):.3f}  "
            f"(exact Jaccard below threshold: {below}; median {np.median([exact[p] for p in pairs]):.2f})"
        )
    lsh_missed = [p for p in truth - found if exact[p] >= threshold]
    print(f"true pairs at/above threshold that LSH missed: {len(lsh_missed)}")


def synthetic(n: int, seed: int = 11) -> list[str]:
    messages = load_messages()
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(2, 4)):
            m = messages[rng.randrange(len(messages))]
            length = rng.randint(20, 80)
            start = rng.randrange(max(1, len(m) - length))
            parts.append(m[start : start + length])
        out.append("".join(parts))
    return out


def speed(n: int, baseline_n: int, threshold: float) -> None:
    t0 = time.perf_counter()
    corpus = synthetic(n)
    chars = sum(map(len, corpus))
    print(
        f"\nsynthetic corpus: {n:,} messages, {chars / n:.0f} chars on average ({time.perf_counter() - t0:.1f} s)"
    )

    t0 = time.perf_counter()
    index = DuplicateIndex(threshold=threshold)
    index.add_many(enumerate(corpus))
    index._sort_bands()
    indexing = time.perf_counter() - t0
    t0 = time.perf_counter()
    groups = index.duplicate_groups()
    grouping = time.perf_counter() - t0
    t0 = time.perf_counter()
    probe = corpus[:1000]
    index.query_many(probe)
    querying = time.perf_counter() - t0
    t0 = time.perf_counter()
    for text in probe[:200]:
        index.query(text)
    single = (time.perf_counter() - t0) / 200

    t0 = time.perf_counter()
    datasketch_pairs_timing(corpus[:baseline_n], threshold)
    base_time = time.perf_counter() - t0

    ours_rate, base_rate = n / indexing, baseline_n / base_time
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"massline index {n:,} messages: {indexing:.1f} s  ({ours_rate:,.0f} msg/s)")
    print(f"massline batch groups over the index: {grouping:.1f} s  ({len(groups):,} groups)")
    print(
        f"massline queries: {querying / 1000 * 1e3:.2f} ms each in a batch of 1000, {single * 1e3:.1f} ms one by one"
    )
    print(f"datasketch defaults, index {baseline_n:,}: {base_time:.1f} s  ({base_rate:,.0f} msg/s)")
    print(f"throughput ratio massline / datasketch: {ours_rate / base_rate:.0f}x")
    print(f"peak memory (RSS) of this process: {rss:,.0f} MB")


def datasketch_pairs_timing(texts: list[str], threshold: float) -> None:
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=threshold)
    for i, t in enumerate(texts):
        m = MinHash()
        for sh in shingle_strings(t):
            m.update(sh.encode("utf-8"))
        lsh.insert(i, m)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--full", action="store_true", help="speed run on 1,000,000 messages")
    parser.add_argument("-n", type=int, default=None, help="messages in the speed run")
    parser.add_argument("--threshold", type=float, default=0.6)
    parser.add_argument("--skip-quality", action="store_true")
    args = parser.parse_args()
    if not (shared_data_dir() / "govmsg").exists():
        sys.exit(f"needs {shared_data_dir() / 'govmsg'}")
    if not args.skip_quality:
        quality(args.threshold)
    n = args.n or (1_000_000 if args.full else 200_000)
    speed(n, baseline_n=min(20_000, n), threshold=args.threshold)


if __name__ == "__main__":
    main()
