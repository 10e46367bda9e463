"""Opinion map on small synthetic conversations: what a facilitator would see on the map."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest

from massline.core.opinion import OpinionMap, VoteMatrix


def two_camps(n_per_camp: int = 30, seed: int = 1) -> list[tuple]:
    """Camp A agrees with s0-s4 and disagrees with s5-s9, camp B the reverse; everyone agrees with s10.

    A few latecomers cast only 3 votes. Votes carry timestamps.
    """
    rng = random.Random(seed)
    votes = []
    t = 0
    for camp in ("A", "B"):
        for i in range(n_per_camp):
            pid = f"{camp}{i}"
            for s in range(10):
                pro = (s < 5) == (camp == "A")
                v = 1 if pro else -1
                if rng.random() < 0.1:
                    v = 0
                t += 1
                votes.append((pid, f"s{s}", v, t))
            t += 1
            votes.append((pid, "s10", 1, t))
    for i in range(4):
        for s in range(3):
            t += 1
            votes.append((f"late{i}", f"s{s}", 1, t))
    return votes


@pytest.fixture(scope="module")
def camps_map() -> OpinionMap:
    return OpinionMap().fit(two_camps())


def test_two_camps_become_two_groups(camps_map):
    om = camps_map
    assert om.n_groups_ == 2
    a = {om.groups_[f"A{i}"] for i in range(30)}
    b = {om.groups_[f"B{i}"] for i in range(30)}
    assert len(a) == 1 and len(b) == 1 and a != b
    assert sorted(om.group_sizes()) == [30, 30]


def test_light_voters_stay_off_the_map(camps_map):
    om = camps_map
    for i in range(4):
        assert om.groups_[f"late{i}"] is None
        assert f"late{i}" not in om.in_conversation_
        assert f"late{i}" in om.projections_  # still projected, like Pol.is


def test_representative_statements_name_what_divides(camps_map):
    om = camps_map
    ga = om.groups_["A0"]
    rep = om.repness_[ga]
    assert 1 <= len(rep) <= 5
    tids = {r["tid"] for r in rep}
    assert tids <= {f"s{s}" for s in range(10)}  # never the statement everyone agrees with
    for r in rep:
        s = int(r["tid"][1:])
        assert r["repful-for"] == ("agree" if s < 5 else "disagree")
    assert rep[0].get("best-agree") is True
    # agrees are listed before disagrees
    sides = [r["repful-for"] for r in rep]
    assert sides == sorted(sides)


def test_consensus_finds_the_shared_statement(camps_map):
    om = camps_map
    assert om.consensus_["agree"][0]["tid"] == "s10"
    assert all(r["tid"] != "s10" for r in om.consensus_["disagree"])
    gac = om.group_informed_consensus_
    assert max(gac, key=gac.get) == "s10"
    # (A + 1) / (S + 2) per group, multiplied: 31/32 for both groups of 30 who all agreed
    assert gac["s10"] == pytest.approx((31 / 32) ** 2, abs=1e-12)


def test_same_input_same_output_whatever_the_vote_order():
    votes = two_camps()
    first = json.dumps(OpinionMap().fit(votes).to_dict(), sort_keys=True)
    shuffled = votes[:]
    random.Random(7).shuffle(shuffled)  # timestamps still say which vote is the latest
    again = json.dumps(OpinionMap().fit(shuffled).to_dict(), sort_keys=True)
    assert first == again


def test_latest_vote_counts_and_pass_is_a_vote():
    vm = VoteMatrix.from_votes([("p", "s", 1, 10), ("p", "s", -1, 20), ("q", "s", 0, 5), ("p", "t", 1, 1)])
    dense = vm.csr.toarray()
    assert dense[vm.participants.index("p"), vm.statements.index("s")] == -1
    assert vm.nnz == 3  # q's pass is stored, not dropped
    assert list(vm.votes_per_participant()) == [2, 1]


def test_moderated_out_statement_never_shown_as_representative_or_consensus():
    votes = two_camps()
    om = OpinionMap(mod_out=["s0", "s10"]).fit(votes)
    listed = {r["tid"] for rows in om.repness_.values() for r in rows}
    listed |= {r["tid"] for side in om.consensus_.values() for r in side}
    assert "s0" not in listed and "s10" not in listed
    assert om.n_groups_ == 2


def test_priority_favours_fresh_statements_and_meta():
    votes = two_camps()
    om = OpinionMap(meta=["s9"]).fit(votes, statements=[f"s{s}" for s in range(11)] + ["new"])
    pr = om.priority_
    assert pr["s9"] == 49.0
    # a statement nobody has seen yet outranks one everybody has voted on
    assert pr["new"] > pr["s10"]
    assert pr["new"] == pytest.approx((0.25 * 9) ** 2)


def test_update_after_new_votes_matches_a_fresh_fit():
    votes = sorted(two_camps(), key=lambda v: v[3])
    cut = len(votes) - 40
    om = OpinionMap().fit(votes[:cut])
    om.update(votes[cut:])
    fresh = OpinionMap().fit(votes)
    assert set(om.in_conversation_) == set(fresh.in_conversation_)
    assert om.matrix_.nnz == fresh.matrix_.nnz
    pairs = {(om.groups_[p], fresh.groups_[p]) for p in fresh.in_conversation_}
    assert len(pairs) == fresh.n_groups_  # same partition, maybe other labels
    assert om.group_informed_consensus_ == pytest.approx(fresh.group_informed_consensus_, abs=1e-12)


def test_update_keeps_group_numbers_stable():
    votes = sorted(two_camps(), key=lambda v: v[3])
    om = OpinionMap().fit(votes[:-10])
    before = dict(om.groups_)
    om.update(votes[-10:])
    same = [p for p, g in before.items() if g is not None]
    assert all(om.groups_[p] == before[p] for p in same)


def test_fit_from_a_sparse_matrix_and_key_lists():
    import scipy.sparse as sp

    rng = np.random.default_rng(0)
    dense = np.where(rng.random((40, 12)) < 0.8, rng.choice([-1.0, 0.0, 1.0], (40, 12)), np.nan)
    rows, cols = np.nonzero(~np.isnan(dense))
    mat = sp.csr_matrix((dense[rows, cols], (rows, cols)), shape=dense.shape)
    om = OpinionMap().fit(matrix=mat, participants=[f"p{i}" for i in range(40)], statements=list(range(12)))
    assert set(om.groups_) == {f"p{i}" for i in range(40)}
    assert om.projection_array_.shape == (40, 2)
    json.dumps(om.to_dict())


def test_base_clusters_grow_with_the_conversation_on_update():
    """A map started with 20 people keeps up when hundreds more join through updates."""
    rng = random.Random(0)

    def batch(pids, t0):
        out = []
        for p in pids:
            for s in range(12):
                t0 += 1
                out.append((p, s, 1 if s % 3 == p % 3 else rng.choice([-1, 0, -1]), t0))
        return out, t0

    votes, t = batch(range(20), 0)
    om = OpinionMap().fit(votes)
    for b in range(3):
        more, t = batch(range(20 + 60 * b, 80 + 60 * b), t)
        votes += more
        om.update(more)
    fresh = OpinionMap().fit(votes)
    assert len(om.base_centers_) == len(fresh.base_centers_) == 100
    assert om.n_groups_ == fresh.n_groups_ == 3
    assert sorted(om.group_sizes()) == sorted(fresh.group_sizes())


def test_in_conversation_set_without_replaying_every_vote():
    """The O(nnz) rule gives exactly the vote-by-vote replay's set (7 votes, or all statements seen so far
    while there were fewer than 7; the first 15 voters)."""
    from massline.core.opinion.model import in_conversation_from_matrix, in_conversation_replay

    rng = random.Random(3)
    for _ in range(200):
        n, d = rng.randint(1, 40), rng.randint(1, 12)
        votes = [
            (rng.randrange(n), rng.randrange(d), rng.choice([-1, 0, 1]), rng.randrange(60))
            for _ in range(rng.randint(1, 200))
        ]
        vm = VoteMatrix.from_votes(votes)
        csr = vm.csr
        rows = np.repeat(np.arange(vm.shape[0]), np.diff(csr.indptr))
        order = np.argsort(vm.first_voted, kind="stable")
        for min_votes, greedy_n in ((7, 15), (3, 2)):
            slow = in_conversation_replay(
                rows[order],
                csr.indices[order].astype(np.int64),
                vm.shape[0],
                min_votes=min_votes,
                greedy_n=greedy_n,
            )
            fast = in_conversation_from_matrix(csr, vm.first_voted, min_votes, greedy_n)
            assert np.array_equal(slow, fast)


def test_integer_vote_records_read_like_any_others():
    """Records of ints (what a database cursor gives) take the one-pass reader; same matrix as the general
    path, and anything else (text keys, missing times) still reads."""
    rng = random.Random(5)
    votes = [(rng.randrange(30), rng.randrange(9), rng.choice([-1, 0, 1]), float(t)) for t in range(300)]
    votes += votes[:20]  # repeated votes: the latest counts
    fast = VoteMatrix.from_votes(votes)
    general = VoteMatrix.from_votes([(str(p), s, v, t) for p, s, v, t in votes])
    assert fast.participants == sorted(set(p for p, *_ in votes))
    assert fast.nnz == general.nnz
    lookup = {str(p): i for i, p in enumerate(fast.participants)}
    order = [lookup[p] for p in general.participants]
    assert (fast.csr[order] != general.csr).nnz == 0
    assert np.array_equal(fast.csr[order].data, general.csr.data)  # passes stay stored zeros
    no_time = VoteMatrix.from_votes([(p, s, v, None) for p, s, v, _ in votes])
    assert no_time.first_voted is None and no_time.nnz == fast.nnz
