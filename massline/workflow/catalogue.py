"""Loading the unit tree, the category catalogue and the default deadline rows."""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable
from pathlib import Path

from django.db import transaction

from massline.core.deadlines import DEFAULT_RULES

from .models import Category, DeadlineRule, Unit


def category_code(*names: str) -> str:
    """A stable short code for a catalogue path: level prefix + hash of the names."""
    digest = hashlib.sha1("/".join(names).encode()).hexdigest()[:8]
    return f"c{len(names)}-{digest}"


@transaction.atomic
def load_category_tree(rows: Iterable[tuple[str, ...]]) -> int:
    """Create the 1-3 level catalogue from (level1, level2, level3) rows. Idempotent.

    New nodes are inserted level by level with one bulk insert each (a catalogue has hundreds of
    nodes), parents first so that children can point at them.
    """
    existing: dict[str, Category] = {c.code: c for c in Category.objects.all()}
    wanted: dict[int, dict[str, tuple[str, str | None]]] = {}  # depth -> code -> (name, parent code)
    for row in rows:
        names = [n.strip() for n in row if n and n.strip()]
        for depth in range(1, len(names) + 1):
            code = category_code(*names[:depth])
            if code not in existing:
                parent = category_code(*names[: depth - 1]) if depth > 1 else None
                wanted.setdefault(depth, {}).setdefault(code, (names[depth - 1], parent))
    created = 0
    for depth in sorted(wanted):
        new = [
            Category(code=code, name=name, level=depth, parent=existing[parent] if parent else None)
            for code, (name, parent) in wanted[depth].items()
        ]
        for node in Category.objects.bulk_create(new):
            existing[node.code] = node
        created += len(new)
    return created


def read_category_csv(path: Path) -> list[tuple[str, ...]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if not header or len(header) < 1:
            raise ValueError(f"{path}: empty category file")
        return [tuple(row) for row in reader if any(cell.strip() for cell in row)]


def install_default_deadline_rules() -> None:
    for rule in DEFAULT_RULES:
        DeadlineRule.objects.update_or_create(
            urgency=rule.urgency,
            kind=rule.kind,
            defaults=dict(
                sign_amount=rule.sign.amount,
                sign_unit=rule.sign.unit,
                reply_amount=rule.reply.amount,
                reply_unit=rule.reply.unit,
            ),
        )


def make_unit(code: str, name: str, parent: Unit | None = None, area: str = "") -> Unit:
    unit, _ = Unit.objects.update_or_create(
        code=code, defaults={"name": name, "parent": parent, "area": area}
    )
    return unit
