"""Every seeded piece of personal data is gone after the public redaction pipeline, in full and as any 8
of its digits in a row; ordinary sentences come out unchanged."""

from __future__ import annotations

import pytest

from massline.workflow.redaction import public_excerpt, redact_public

from .corpus import ORDINARY, SEEDS
from .corpus_holdout import HOLDOUT
from .leaks import leaks

CLASSES = {
    "mobile", "landline", "tw_mobile", "tw_landline", "id_cn", "id_tw", "email", "name", "handle",
    "plate", "bank_card", "address",
}  # fmt: skip


def test_the_corpora_cover_every_class_of_the_issue():
    assert {s.kind for s in SEEDS} == CLASSES
    assert {s.kind for s in HOLDOUT} == CLASSES


@pytest.mark.parametrize("seed", SEEDS, ids=lambda s: f"{s.kind}:{s.raw}")
def test_every_seed_is_gone(seed):
    out = redact_public(seed.text)
    assert leaks(seed, out) == [], out


@pytest.mark.parametrize("seed", HOLDOUT, ids=lambda s: f"{s.kind}:{s.raw}")
def test_every_held_out_variant_is_gone(seed):
    out = redact_public(seed.text)
    assert leaks(seed, out) == [], out


def test_all_seeds_in_one_text_are_gone_and_no_excerpt_shows_their_digits():
    text = "；".join(s.text for s in SEEDS + HOLDOUT)
    out = redact_public(text)
    assert [(s.raw, leaks(s, out)) for s in SEEDS + HOLDOUT if leaks(s, out)] == []
    seeds = SEEDS + HOLDOUT
    for first in range(0, len(seeds), 3):  # every seed near the start of some text, so cuts cross each
        text = "；".join(s.text for s in seeds[first:] + seeds[:first])
        for length in range(5, 120, 3):
            excerpt = public_excerpt(text, length)
            assert len(excerpt) <= length and excerpt.endswith("…")
            assert [s.raw for s in seeds if leaks(s, excerpt)] == [], excerpt


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_sentences_are_not_mangled(text):
    assert redact_public(text) == text
