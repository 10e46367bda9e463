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
    """Create the 1-3 level catalogue from (level1, level2, level3) rows. Idempotent."""
    created = 0
    cache: dict[tuple[str, ...], Category] = {c.code: c for c in Category.objects.all()}  # type: ignore[misc]
    for row in rows:
        names = [n.strip() for n in row if n and n.strip()]
        parent = None
        for depth in range(1, len(names) + 1):
            path = tuple(names[:depth])
            code = category_code(*path)
            node = cache.get(code)  # type: ignore[call-overload]
            if node is None:
                node, made = Category.objects.get_or_create(
                    code=code, defaults={"name": path[-1], "parent": parent, "level": depth}
                )
                cache[code] = node  # type: ignore[index]
                created += made
            parent = node
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
