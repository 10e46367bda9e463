"""The duplicate index, kept in the database: one MinHash sketch per request and its LSH band keys.

A request is sketched once (shingled and hashed, ``core.dedupe``), when it is submitted (the event hook,
after the commit) or, if that was missed (an import, a failed hook, an index made before this table), the
first time the dispatcher queue needs it. The queue then looks up only the requests that share a band key
with the page's requests, instead of shingling every request of the last sixty days on every load.

A sketch made with other index parameters is not used: it is made again.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from django.db import models, transaction
from django.db.models import Q

from massline.core.dedupe import DuplicateIndex, Sketch

THRESHOLD = 0.5


def new_index() -> DuplicateIndex:
    return DuplicateIndex(threshold=THRESHOLD)


def _params(index: DuplicateIndex) -> str:
    return f"t{index.threshold}/p{index.num_perm}/s{index.shingle}/seed{index.seed}"


PARAMS = _params(new_index())


class DuplicateSketch(models.Model):
    """One request's shingle set and MinHash signature (``core.dedupe.Sketch``)."""

    request = models.OneToOneField(
        "workflow.Request", primary_key=True, on_delete=models.CASCADE, related_name="duplicate_sketch"
    )
    params = models.CharField(max_length=40)
    elements = models.BinaryField()
    signature = models.BinaryField()

    class Meta:
        app_label = "workbench"


class DuplicateBand(models.Model):
    """One LSH band key of a request: requests sharing a (band, key) are compared."""

    request = models.ForeignKey("workflow.Request", on_delete=models.CASCADE, related_name="+")
    band = models.PositiveSmallIntegerField()
    key = models.BigIntegerField(db_index=True)

    class Meta:
        app_label = "workbench"


def text_of(title: str, text: str) -> str:
    return f"{title} {text}"


def _signed(keys: np.ndarray) -> list[int]:
    return keys.astype(np.uint64).view(np.int64).tolist()


def store(rows: Iterable[tuple[int, str]]) -> dict[int, Sketch]:
    """Sketch ``(request id, text)`` rows and keep them (replacing older sketches of the same requests)."""
    rows = list(rows)
    if not rows:
        return {}
    sketches = new_index().sketch([text for _, text in rows])
    ids = [pk for pk, _ in rows]
    with transaction.atomic():
        DuplicateBand.objects.filter(request_id__in=ids).delete()
        DuplicateSketch.objects.filter(request_id__in=ids).delete()
        DuplicateSketch.objects.bulk_create(
            [
                DuplicateSketch(
                    request_id=pk,
                    params=PARAMS,
                    elements=s.elements.astype("<u4").tobytes(),
                    signature=s.signature.astype("<u4").tobytes(),
                )
                for pk, s in zip(ids, sketches, strict=True)
            ],
            ignore_conflicts=True,
        )
        DuplicateBand.objects.bulk_create(
            [
                DuplicateBand(request_id=pk, band=band, key=key)
                for pk, s in zip(ids, sketches, strict=True)
                for band, key in enumerate(_signed(s.band_keys))
            ],
            batch_size=2000,
        )
    return dict(zip(ids, sketches, strict=True))


def _sketch_of(index: DuplicateIndex, elements: bytes | memoryview, signature: bytes | memoryview) -> Sketch:
    sig = np.frombuffer(bytes(signature), dtype="<u4").astype(np.uint32)
    # band keys are recomputed from the signature (cheap), so they need not be read back
    return Sketch(
        np.frombuffer(bytes(elements), dtype="<u4").astype(np.uint32), sig, index._bands_of(sig[None, :])[0]
    )


def load(ids: Iterable[int]) -> dict[int, Sketch]:
    """The stored sketches of these requests."""
    index = new_index()
    index._setup()
    rows = DuplicateSketch.objects.filter(request_id__in=list(ids), params=PARAMS)
    return {
        pk: _sketch_of(index, e, s) for pk, e, s in rows.values_list("request_id", "elements", "signature")
    }


def candidates(sketches: Iterable[Sketch], within, fields: tuple[str, ...]) -> list[tuple[tuple, Sketch]]:
    """The requests of ``within`` (a queryset) sharing a band key with any of ``sketches``, with their
    ``fields`` and sketch, newest first: one query. Requests of ``within`` without a sketch (submitted
    before the index existed, imported, or the hook failed) come too, and are sketched and stored now.

    Keys are compared whatever their band: each band hashes from its own seed, so two keys of different
    bands agree only by a 64-bit accident, and a request so found still has to pass the exact similarity."""
    keys = {key for s in sketches for key in _signed(s.band_keys)}
    if not keys:
        return []
    index = new_index()
    index._setup()
    sketched = Q(duplicate_sketch__params=PARAMS)
    unsketched = Q(duplicate_sketch__params__isnull=True) | ~sketched  # NOT (NULL = …) would be NULL
    matched = DuplicateBand.objects.filter(key__in=keys).values("request_id")
    rows = (
        within.filter((Q(pk__in=matched) & sketched) | unsketched)
        .order_by("-received_at", "-id")
        .values_list(
            *fields,
            "title",
            "text",
            "duplicate_sketch__params",
            "duplicate_sketch__elements",
            "duplicate_sketch__signature",
        )
    )
    found: list[tuple[tuple, Sketch | None]] = []
    missing: list[tuple[int, str]] = []
    for row in rows:
        *values, title, text, params, elements, signature = row
        if params == PARAMS:
            found.append((tuple(values), _sketch_of(index, elements, signature)))
        else:
            found.append((tuple(values), None))
            missing.append((values[0], text_of(title, text)))
    made = store(missing)
    return [(values, sketch if sketch is not None else made[values[0]]) for values, sketch in found]


def on_submit(event) -> None:
    """After a request is submitted: sketch it, so the queue never has to."""
    if event.action != "submit" or event.kind == "report":
        return
    from massline.intake.actions import DEFERRED

    if event.data.get("routing") == DEFERRED:  # the worker that routes it sketches it (intake.deferred)
        return
    sketch(event.request_id)


def sketch(request_id: int) -> None:
    """Store one request's sketch (misconduct reports are never in the index)."""
    from massline.core.workflow import REPORT_KIND
    from massline.workflow.models import Request

    row = Request.objects.filter(pk=request_id).values_list("pk", "kind", "title", "text").first()
    if row and row[1] != REPORT_KIND:
        store([(row[0], text_of(row[2], row[3]))])
