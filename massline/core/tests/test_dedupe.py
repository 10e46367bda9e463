"""Near-duplicate detection (並單) on real govmsg messages."""

from __future__ import annotations

import csv
import random

import pytest

from massline.core.dedupe import DuplicateIndex, find_duplicate_groups
from massline.shared_data import shared_data

TAILS = ["請盡快處理，謝謝！", "希望有关部门尽快解决！", "盼复。"]


def _alike(a: set[str], b: set[str]) -> bool:
    """Jaccard similarity of two shingle sets is at least 0.3. Sets whose sizes differ more than that
    can't be (Jaccard <= small / large), so the intersection is only built for sets of similar size."""
    small, large = sorted((len(a), len(b)))
    if 10 * small < 3 * large:
        return False
    common = len(a & b)
    return 10 * common >= 3 * (small + large - common)


@pytest.fixture(scope="module")
def messages() -> list[str]:
    path = shared_data("govmsg", "attachment2_testset_2801_unlabeled.csv")
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    texts: list[str] = []
    kept: list[set[str]] = []
    for row in rows[:600]:
        text = " ".join((row["留言主题"] + " " + row["留言详情"]).split())
        if len(text) < 40:
            continue
        shingles = {text[i : i + 3] for i in range(len(text) - 2)}
        # the export holds real re-posts; keep only messages unlike every earlier one (brute force)
        if not any(_alike(shingles, k) for k in kept):
            kept.append(shingles)
            texts.append(text)
            if len(texts) == 400:
                break
    return texts


def _edit(text: str, rng: random.Random) -> str:
    chars = list(text)
    for _ in range(max(1, len(chars) // 40)):  # about 2.5 % of the characters
        at = rng.randrange(len(chars))
        op = rng.choice("ids")
        if op == "i":
            chars.insert(at, rng.choice("的是在有人"))
        elif op == "d":
            del chars[at]
        else:
            chars[at] = rng.choice("的是在有人")
    return "".join(chars)


def test_planted_duplicates_are_found_and_nothing_else(messages):
    import opencc

    rng = random.Random(3)
    s2twp = opencc.OpenCC("s2twp")
    items = [(("orig", i), t) for i, t in enumerate(messages)]
    for i in rng.sample(range(len(messages)), 100):
        variant = rng.choice(["edit", "tail", "trad"])
        text = messages[i]
        if variant == "edit":
            text = _edit(text, rng)
        elif variant == "tail":
            text = text + rng.choice(TAILS)
        else:
            text = s2twp.convert(text)
        items.append(((variant, i), text))
    groups = find_duplicate_groups(items, threshold=0.6)
    found_pairs = 0
    for group in groups:
        origins = {key[1] for key in group}
        assert len(origins) == 1, f"different messages merged: {group}"
        found_pairs += len(group) - 1
    assert found_pairs >= 95  # of 100 planted pairs


def test_traditional_copy_of_a_message_is_reported_with_its_similarity(messages):
    import opencc

    index = DuplicateIndex().fit(enumerate(messages))
    traditional = opencc.OpenCC("s2t").convert(messages[7])
    assert traditional != messages[7]
    hits = index.query(traditional, top=3)
    assert hits and hits[0][0] == 7 and hits[0][1] > 0.9


def test_unrelated_messages_are_not_candidates(messages):
    index = DuplicateIndex().fit(enumerate(messages[:200]))
    for text in messages[200:260]:
        assert index.query(text) == []
    assert index.duplicate_groups() == [] or all(len(g) >= 2 for g in index.duplicate_groups())


def test_incremental_adds_are_queryable_immediately(messages):
    index = DuplicateIndex()
    index.add_many((i, t) for i, t in enumerate(messages[:300]))
    index.add("new", messages[350])
    assert index.query(messages[350] + "谢谢！")[0][0] == "new"
    assert len(index) == 301


def test_empty_and_very_short_texts():
    index = DuplicateIndex().fit([("a", ""), ("b", "！！！"), ("c", "好"), ("d", "好"), ("e", "路灯坏了")])
    assert index.query("") == []
    assert index.query("。。") == []
    assert [k for k, _ in index.query("好")] == ["c", "d"]
    assert index.duplicate_groups() == [["c", "d"]]  # blank messages are not duplicates of each other


def test_parameters_are_checked():
    with pytest.raises(ValueError):
        DuplicateIndex(num_perm=100).fit([("a", "text")])
    with pytest.raises(ValueError):
        DuplicateIndex(threshold=0).fit([("a", "text")])
