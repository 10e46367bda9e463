"""Retraining: a candidate routing model from the city's labels (and a base file of labelled history),
evaluated on the newest examples held out, promoted only when it beats the model routing now.

The held-out set is time-split: of each category's examples from the last
``MASSLINE_ROUTING_HOLDOUT_DAYS`` days, the newest ones, at most half the category (so that a category
dispatchers only started using recently is learnt too); plus a fixed fifth of the base file, chosen by
a hash of the text, that no model ever trains on. Candidate and current model are scored on the same
held-out texts: the mean over levels of macro-F1. The model evaluated is the model promoted, so the
registry's figures are that model's own.
"""

from __future__ import annotations

import hashlib
import logging
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from massline.core.classify.hierarchy import HierarchicalRouter, Node, level_scores
from massline.workflow.models import Category, RoutingRule

from .models import ModelVersion, RoutingExample

log = logging.getLogger(__name__)


@dataclass
class Examples:
    texts: list[str] = field(default_factory=list)
    paths: list[tuple[str, ...]] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)

    def add(self, text: str, path: tuple[str, ...], weight: float = 1.0) -> None:
        self.texts.append(text)
        self.paths.append(path)
        self.weights.append(weight)

    def __len__(self) -> int:
        return len(self.texts)


def catalogue() -> tuple[list[Node], dict[int, tuple[str, ...]]]:
    """The catalogue as router nodes (routing-rule keywords attached), and each category's path of codes."""
    rows = list(Category.objects.values_list("pk", "code", "name", "parent_id", "level"))
    code_of = {pk: code for pk, code, _n, _p, _l in rows}
    parent_of = {pk: parent for pk, _c, _n, parent, _l in rows}
    keywords: dict[int, list[str]] = defaultdict(list)
    for category_id, keyword in (
        RoutingRule.objects.exclude(keyword="").exclude(category=None).values_list("category_id", "keyword")
    ):
        keywords[category_id].append(keyword)
    nodes = [
        Node(code, name, code_of.get(parent) if parent else None, level, tuple(keywords[pk]))
        for pk, code, name, parent, level in rows
    ]
    paths: dict[int, tuple[str, ...]] = {}
    for pk in code_of:
        chain: list[str] = []
        node: int | None = pk
        while node is not None and len(chain) < 10:
            chain.append(code_of[node])
            node = parent_of[node]
        paths[pk] = tuple(reversed(chain))
    return nodes, paths


def label_resolver(paths: dict[int, tuple[str, ...]]):
    """A suggester label (a category code, or a name: the shallowest wins) → its path, or ()."""
    by_code = {path[-1]: path for path in paths.values()}
    by_name: dict[str, tuple[str, ...]] = {}
    for pk, name in Category.objects.order_by("-level").values_list("pk", "name"):
        by_name[name] = paths[pk]  # shallower ones come last and win
    return lambda label: by_code.get(label) or by_name.get(label) or ()


def base_file() -> Path | None:
    configured = getattr(settings, "MASSLINE_ROUTING_BASE_FILE", None)
    if configured == "":
        return None
    if configured:
        return Path(configured)
    from massline.shared_data import shared_data_dir

    path = shared_data_dir() / "govmsg" / "messages_labeled.csv"
    return path if path.exists() else None


def city_labels() -> list[tuple[str, int, datetime, float]]:
    """(text, category id, at, weight) per request: its latest decision that no return refuted."""
    latest: dict[int, tuple[str, int, datetime, float] | None] = {}
    for ex in RoutingExample.objects.order_by("at", "id").iterator(chunk_size=5000):
        if ex.negative:
            latest[ex.request_id] = None  # the dispatch it answers was wrong
        elif ex.category_id is not None:
            latest[ex.request_id] = (ex.text, ex.category_id, ex.at, ex.weight)
    return [label for label in latest.values() if label is not None]


def split(labels, paths, base_rows, resolve, now: datetime) -> tuple[Examples, Examples, dict]:
    """Train and held-out examples (see the module's docstring), and the data window."""
    train, held = Examples(), Examples()
    days = int(getattr(settings, "MASSLINE_ROUTING_HOLDOUT_DAYS", 28))
    cut = now - timedelta(days=days)
    by_category: dict[int, list] = defaultdict(list)
    for label in labels:
        by_category[label[1]].append(label)
    for category_id, rows in by_category.items():
        rows.sort(key=lambda r: r[2], reverse=True)
        room = len(rows) // 2
        for i, (text, _c, at, weight) in enumerate(rows):
            (held if i < room and at >= cut else train).add(text, paths[category_id], weight)
    base_weight = float(getattr(settings, "MASSLINE_ROUTING_BASE_WEIGHT", 0.5))
    n_base = 0
    for text, name in base_rows:
        path = resolve(name)
        if not path:
            continue
        n_base += 1
        if zlib.crc32(text.encode("utf-8")) % 5 == 0:
            held.add(text, path)
        else:
            train.add(text, path, base_weight)
    ats = [label[2] for label in labels]
    window = {"from": min(ats) if ats else None, "to": max(ats) if ats else None, "base": n_base}
    return train, held, window


def _read_base() -> list[tuple[str, str]]:
    path = base_file()
    if path is None:
        return []
    from massline.core.classify.training import labelled_examples
    from massline.core.text.tables import read_table

    texts, labels = labelled_examples(read_table(path), "message", "category")
    return list(zip(texts, labels, strict=True))


def predicted_paths(model, texts, resolve) -> list[tuple[str, ...]]:
    if hasattr(model, "predict_paths"):
        return model.predict_paths(texts)
    return [resolve(s[0].label) if s else () for s in model.suggest_many(texts, top=1)]


def score(figures) -> float:
    """The promotion criterion: the mean macro-F1 over the levels the held-out set has."""
    values = [f.macro_f1 for f in figures.values() if f.macro_f1 is not None]
    return sum(values) / len(values) if values else 0.0


def _figures_json(figures) -> dict:
    return {
        str(level): {
            k: getattr(f, k) for k in ("n", "macro_f1", "accuracy", "threshold", "coverage", "precision")
        }
        for level, f in figures.items()
    }


def model_dir() -> Path:
    path = Path(settings.MASSLINE_MODEL_PATH).parent / "routing"
    path.mkdir(parents=True, exist_ok=True)
    return path


def build_candidate(labels, now: datetime):
    """A router fitted on the training split of ``labels`` and the base file, calibrated on the rest."""
    nodes, paths = catalogue()
    resolve = label_resolver(paths)
    train, held, window = split(labels, paths, _read_base(), resolve, now)
    candidate = HierarchicalRouter(
        min_examples=int(getattr(settings, "MASSLINE_ROUTING_MIN_EXAMPLES", 20)),
        precision_target=float(getattr(settings, "MASSLINE_ROUTING_PRECISION", 0.97)),
    )
    candidate.fit(train.texts, train.paths, catalogue=nodes, sample_weight=train.weights)
    candidate.calibrate(held.texts, held.paths)
    return candidate, train, held, window, resolve


def retrain(*, by: str = "scheduled retraining", now: datetime | None = None) -> ModelVersion:
    """Train, evaluate and register a candidate; promote it when it is better (or when none routes)."""
    from massline.intake import routing

    from .actions import promote

    now = now or timezone.now()
    candidate, train, held, window, resolve = build_candidate(city_labels(), now)
    figures = candidate.figures_
    current = routing.get_suggester()
    active = ModelVersion.objects.filter(active=True).first()
    compared: dict = {}
    if current is not None and len(held):
        theirs = level_scores(predicted_paths(current, held.texts, resolve), held.paths)
        compared = {"version": active.version if active else None, "levels": _figures_json(theirs)}
        better = score(figures) > score(theirs)
        verdict = {
            "kind": "better" if better else "not_better",
            "ours": score(figures),
            "theirs": score(theirs),
        }
        decision = (
            f"{'better' if better else 'not better'} than the model routing now: mean macro-F1 "
            f"{score(figures):.3f} against {score(theirs):.3f} on {len(held)} held-out texts"
        )
    elif current is None:
        better, decision = True, "no model was routing"
        verdict = {"kind": "first"}
    else:
        better, decision = False, "nothing held out to compare on: kept the model routing now"
        verdict = {"kind": "nothing_held_out"}
    with transaction.atomic():
        number = (
            ModelVersion.objects.order_by("-version").values_list("version", flat=True).first() or 0
        ) + 1
        path = candidate.save(model_dir() / f"routing-v{number}.joblib")
        version = ModelVersion.objects.create(
            version=number,
            created_at=now,
            data_from=window["from"],
            data_to=window["to"],
            n_examples=len(train) + len(held) - window["base"],
            n_base=window["base"],
            n_heldout=len(held),
            n_models=candidate.n_models,
            figures={
                "levels": _figures_json(figures),
                "curves": {
                    str(level): [[p.threshold, p.coverage, p.precision] for p in f.curve]
                    for level, f in figures.items()
                },
                "compared": compared,
                "decision": {**verdict, "n": len(held)},
                "target": candidate.precision_target,
                "score": score(figures),
            },
            path=str(path),
            sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
            decision=decision[:300],
        )
        if better:
            version = promote(version, by=by)
    prune()
    log.info("routing model v%s: %s", number, decision)
    return version


def prune(keep: int | None = None) -> int:
    """Delete the files of all but the newest ``keep`` versions (MASSLINE_ROUTING_KEEP_VERSIONS, 10) and
    the active one; their rows stay in the registry with their figures. Returns the files deleted."""
    keep = int(getattr(settings, "MASSLINE_ROUTING_KEEP_VERSIONS", 10)) if keep is None else keep
    deleted = 0
    for path in (
        ModelVersion.objects.filter(active=False).order_by("-version").values_list("path", flat=True)[keep:]
    ):
        file = Path(path)
        if file.exists():
            file.unlink()
            deleted += 1
    return deleted
