"""The stored public form (``workflow.redaction.stored_form``, written with the text) reads back exactly as
the pipeline redacts, on the whole seeded corpus, in every language: a page built from it shows what a page
that redacted at render time would have shown."""

from __future__ import annotations

from django.utils import translation

from massline.workflow.redaction import redact_public, stored_form, stored_pieces

from .corpus import ORDINARY, SEEDS

NAME, PHONE = "王建国", "13812345678"


def test_the_stored_form_reads_back_as_the_pipeline_redacts_in_every_language():
    texts = [seed.text for seed in SEEDS] + list(ORDINARY)
    for language in ("zh-hant", "zh-hans", "en"):
        with translation.override(language):
            for text in texts:
                assert stored_pieces(stored_form(text, [NAME])) == redact_public(text, [NAME], marked=True), (
                    text
                )


def test_text_that_imitates_the_markers_cannot_forge_or_hide_a_mask():
    forged = "\ue000mobile\ue001" + PHONE + "\ue002"
    stored = stored_form(forged)
    assert PHONE not in "".join(piece for piece, _m, _l in stored_pieces(stored))
