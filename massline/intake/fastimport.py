"""Imports at migration scale: a CSV export of any size, in batches, resumable after a crash.

The road of one batch:

1. the source streams rows (``sources``), with their line numbers;
2. worker processes check and prepare them (``prepare``: intake's own checks, and the redacted public
   form, stored at write time) and, with ``--classify``, suggest a category (the trained suggester,
   one matrix product per batch, the model loaded once and inherited by the forked workers);
3. this process resolves categories and looks for near-duplicates (``--dedupe``, ``core.dedupe``);
4. ``bulkwrite.write_batch`` inserts requests, audit events and (run, line) records, and moves the
   checkpoint, in one transaction.

States: a row the source marks finished (a close time, or a closing status) is imported **closed** with
its own close time; a rejected/cancelled one **rejected**; anything else **received**, waiting in the
dispatcher queue with its suggested category. Imported history is not news: no receipts, webhooks or
routing are triggered (``write_audit_bulk`` does not publish). Rows whose external id the channel already
has are skipped, so an overlapping second export adds only what is new.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from django.db import connections, transaction
from django.utils import timezone

from massline.workflow.models import Category, Request

from . import replies, searchindex
from .bulkwrite import Enriched, allocate_ids, write_batch
from .models import ImportedRow, ImportRun
from .prepare import Prepared, RowError, init_worker, prepare_in_worker, prepare_rows
from .presets import ColumnPlan, Mapping, MappingError, detect, plan
from .sources import CsvSource, file_hash, open_source

Progress = Callable[[int, int, int], None]  # bytes read, rows read, rows imported


@dataclass
class Options:
    channel: str = "import"  # imported history (workflow.models.CHANNELS)
    mapping: Mapping | None = None
    encoding: str | None = None
    dry_run: bool = False
    classify: bool = False
    dedupe: bool = False
    dedupe_threshold: float = 0.6
    # PostgreSQL: drop the search indexes for the load and build them at the end; None: when the load is at
    # least as large as the table (``searchindex.worth_deferring``)
    defer_search_index: bool | None = None
    batch_size: int = 2000
    max_errors: int = 1000
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)


@dataclass
class Outcome:
    filename: str
    encoding: str
    mapping: str
    run_id: int | None = None
    resumed_from: int = 0
    already_done: bool = False
    read: int = 0
    imported: int = 0
    skipped: int = 0
    duplicates: int = 0
    states: dict[str, int] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    stopped: str = ""
    indexes_deferred: list[str] = field(default_factory=list)
    indexes_built: list[str] = field(default_factory=list)
    # where the time went (seconds): waiting for prepared rows, categories/classification/duplicates, writing
    seconds: dict[str, float] = field(default_factory=lambda: {"prepare": 0.0, "enrich": 0.0, "write": 0.0})


class _Categories:
    """Labels (a name or a code; the shallowest name wins, as ``category_for_label``) → id and urgency."""

    def __init__(self):
        self.by_label: dict[str, tuple[int, str]] = {}
        rows = list(Category.objects.order_by("-level").values_list("pk", "name", "code", "urgency"))
        for pk, _name, code, urgency in rows:
            self.by_label[code] = (pk, urgency)
        for pk, name, _code, urgency in rows:  # names win over codes; shallower ones overwrite deeper
            self.by_label[name] = (pk, urgency)

    def get(self, label: str) -> tuple[int, str] | None:
        return self.by_label.get(label)


def _chunks(source: CsvSource, after: int, size: int) -> Iterator[tuple[list[tuple[int, list[str]]], int]]:
    """Batches of rows after line ``after``, each with how far into the file it ends (for the progress)."""
    rows = ((r.line, r.cells) for r in source if r.line > after)
    while chunk := list(islice(rows, size)):
        yield chunk, source.bytes_read


Suggested = dict[int, tuple[str, float]]  # line → the suggester's first category and its confidence

# The suggester of the running import, for the worker processes: set before they are forked, so each
# inherits the loaded model instead of loading (or being sent) its own copy.
_worker_suggester = None


def _suggested(items: list, suggester) -> Suggested:
    """The suggester's first choice for each prepared row of a batch: one matrix product per batch."""
    rows = [r for r in items if isinstance(r, Prepared)]
    if suggester is None or not rows:
        return {}
    out: Suggested = {}
    for r, suggestions in zip(
        rows, suggester.suggest_many([f"{r.title} {r.text}" for r in rows]), strict=True
    ):
        if suggestions:
            out[r.line] = (suggestions[0].label, suggestions[0].confidence)
    return out


def _prepare_in_worker(chunk: list[tuple[int, list[str]]], now, redact: bool) -> tuple[list, Suggested]:
    items = prepare_in_worker(chunk, now, redact)
    return items, _suggested(items, _worker_suggester)


def _prepared(
    source: CsvSource, colplan: ColumnPlan, after: int, opts: Options, suggester=None
) -> Iterator[tuple[list, Suggested, int]]:
    """Batches of prepared rows (and, with a suggester, their suggested categories), in order; with
    workers, a few batches are prepared ahead while this process writes."""
    global _worker_suggester
    now = timezone.now()
    redact = not opts.dry_run
    chunks = _chunks(source, after, opts.batch_size)
    if opts.workers <= 1:
        for chunk, position in chunks:
            items = prepare_rows(chunk, colplan, now, redact)
            yield items, _suggested(items, suggester), position
        return
    connections.close_all()  # the children must not share this process's database connection
    ctx = multiprocessing.get_context("fork")
    _worker_suggester = suggester
    try:
        with ctx.Pool(opts.workers, initializer=init_worker, initargs=(colplan,)) as pool:
            pending: deque = deque()
            for chunk, position in chunks:
                pending.append((pool.apply_async(_prepare_in_worker, (chunk, now, redact)), position))
                if len(pending) > opts.workers * 2:
                    result, at = pending.popleft()
                    yield (*result.get(), at)
            while pending:
                result, at = pending.popleft()
                yield (*result.get(), at)
    finally:
        _worker_suggester = None


def _find_run(digest: str, path: Path, source: CsvSource, mapping: Mapping, opts: Options) -> ImportRun:
    run = ImportRun.objects.filter(source_hash=digest, channel=opts.channel).order_by("-pk").first()
    if run is not None and run.state != "done":
        return run
    if run is not None:
        return run  # the caller reports "already imported"
    return ImportRun.objects.create(
        source_hash=digest,
        filename=path.name,
        size=source.size,
        encoding=source.encoding,
        preset=mapping.name,
        channel=opts.channel,
        options={"classify": opts.classify, "dedupe": opts.dedupe},
    )


def _classifier(opts: Options):
    if not opts.classify:
        return None
    from .routing import get_suggester

    suggester = get_suggester()
    if suggester is None:
        raise MappingError("--classify needs a trained model: run `massline train` first")
    return suggester


def _dedupe_index(opts: Options, run: ImportRun | None):
    if not opts.dedupe:
        return None
    from massline.core.dedupe import DuplicateIndex

    index = DuplicateIndex(threshold=opts.dedupe_threshold)
    if run is not None and run.rows_imported:
        done = ImportedRow.objects.filter(run=run).values_list("request_id", flat=True)
        index.add_many(
            Request.objects.filter(pk__in=done).values_list("pk", "text").iterator(chunk_size=5000)
        )
    return index


def _enrich(
    rows: list[Prepared], categories: _Categories, suggested: Suggested, outcome: Outcome
) -> list[Enriched]:
    out = []
    seen_labels = {w.message for w in outcome.warnings}
    for r in rows:
        e = Enriched(r)
        if r.category_label:
            found = categories.get(r.category_label)
            if found:
                e.category_id, e.urgency = found
            else:
                msg = f"unknown category {r.category_label!r}: left for the suggester/dispatcher"
                if msg not in seen_labels:
                    outcome.warnings.append(RowError(r.line, "category", msg))
                    seen_labels.add(msg)
        if r.unknown_status:
            msg = f"unknown status {r.status!r}: imported as received (map it under [states])"
            if msg not in seen_labels:
                outcome.warnings.append(RowError(r.line, "status", msg))
                seen_labels.add(msg)
        out.append(e)
        if (suggestion := suggested.get(r.line)) and (found := categories.get(suggestion[0])):
            e.suggested_id, e.confidence = found[0], suggestion[1]
    return out


def _mark_duplicates(index, batch: list[Enriched], ids: list[int]) -> None:
    """Record for each row the earlier request it nearly repeats (the staff then decide on merging)."""
    texts = [e.row.text for e in batch]
    index.add_many(zip(ids, texts, strict=True))
    for e, pk, matches in zip(batch, ids, index.query_many(texts, top=5), strict=True):
        earlier = [(k, s) for k, s in matches if k < pk]
        if earlier:
            e.duplicate_of, e.similarity = earlier[0][0], float(earlier[0][1])


def import_csv(path: str | Path, opts: Options, progress: Progress | None = None) -> Outcome:
    """Import (or with ``dry_run`` check) a CSV export; resumes an unfinished run of the same file."""
    path = Path(path)
    source = open_source(path, opts.encoding or (opts.mapping.encoding if opts.mapping else None))
    try:
        mapping = opts.mapping or detect(source.header)
        colplan = plan(mapping, source.header)
        outcome = Outcome(path.name, source.encoding, mapping.name)
        run = None
        if not opts.dry_run:
            replies.check_ready(colplan)
            run = _find_run(file_hash(path), path, source, mapping, opts)
            outcome.run_id, outcome.resumed_from = run.pk, run.last_line
            if run.state == "done":
                outcome.already_done = True
                return outcome
            ImportRun.objects.filter(pk=run.pk).update(state="running")
            defer = opts.defer_search_index
            if defer is None:
                defer = searchindex.worth_deferring(source.size)
            if defer:
                outcome.indexes_deferred = searchindex.take_off(run)
        try:
            _run(source, colplan, run, opts, outcome, progress)
        finally:
            if run is not None:  # done, stopped or failed: the search index is back (only kill -9 skips this)
                started = time.perf_counter()
                outcome.indexes_built = searchindex.restore(ImportRun.objects.get(pk=run.pk))
                outcome.seconds["index"] = time.perf_counter() - started
    finally:
        source.close()
    return outcome


def _run(source, colplan, run, opts: Options, outcome: Outcome, progress: Progress | None) -> None:
    categories = _Categories()
    suggester = _classifier(opts)
    index = _dedupe_index(opts, run)
    known = set(
        Request.objects.filter(channel=opts.channel)
        .exclude(external_id="")
        .values_list("external_id", flat=True)
    )
    failed_before = run.rows_failed if run else 0
    clock = time.perf_counter()
    for prepared, suggested, position in _prepared(
        source, colplan, run.last_line if run else 0, opts, suggester
    ):
        clock = _lap(outcome, "prepare", clock)
        good: list[Prepared] = []
        skipped = 0
        for item in prepared:
            if isinstance(item, RowError):
                outcome.errors.append(item)
            elif item.external_id and item.external_id in known:
                skipped += 1
            else:
                good.append(item)
                if item.external_id:
                    known.add(item.external_id)
        failed = sum(1 for item in prepared if isinstance(item, RowError))
        outcome.read += len(prepared)
        outcome.skipped += skipped
        batch = _enrich(good, categories, suggested, outcome)
        clock = _lap(outcome, "enrich", clock)
        for e in batch:
            outcome.states[e.row.state] = outcome.states.get(e.row.state, 0) + 1
        if run is not None and prepared:
            if index is not None and batch:
                # ids are known only inside the write; take them first, then write with the matches
                _write_with_duplicates(run, batch, index, prepared[-1].line, len(prepared), skipped, failed)
                outcome.duplicates += sum(1 for e in batch if e.duplicate_of)
            else:
                write_batch(
                    run,
                    batch,
                    last_line=prepared[-1].line,
                    read=len(prepared),
                    skipped=skipped,
                    failed=failed,
                )
        outcome.imported += len(batch)
        clock = _lap(outcome, "write", clock)
        if progress:
            progress(position, outcome.read, outcome.imported)
        if failed_before + len(outcome.errors) > opts.max_errors:
            outcome.stopped = (
                f"more than {opts.max_errors} rows refused: stopped after line {prepared[-1].line}. "
                "Fix the file (a changed file is a new import) or raise --max-errors and run the same command again"
            )
            if run is not None:
                ImportRun.objects.filter(pk=run.pk).update(state="stopped")
            return
    if run is not None:
        ImportRun.objects.filter(pk=run.pk).update(state="done", finished_at=timezone.now())


def _lap(outcome: Outcome, phase: str, since: float) -> float:
    now = time.perf_counter()
    outcome.seconds[phase] += now - since
    return now


def _write_with_duplicates(run, batch, index, last_line, read, skipped, failed) -> None:
    """The duplicate check needs the new ids, so they are taken first, in the batch's own transaction."""
    with transaction.atomic():
        ids = allocate_ids(len(batch))
        _mark_duplicates(index, batch, ids)
        write_batch(run, batch, ids=ids, last_line=last_line, read=read, skipped=skipped, failed=failed)
