"""Routing is data: category → unit, with optional keyword and area rules, plus a pluggable suggester.

The suggester interface is how text intelligence plugs into intake. A suggester looks at a request's
text and proposes categories with a calibrated confidence. Below the configured threshold a request is
never routed silently: it waits in the human dispatcher queue.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class Suggestion:
    """One proposed category label with a calibrated probability in [0, 1]."""

    label: str
    confidence: float


@runtime_checkable
class Suggester(Protocol):
    """Anything that proposes categories for a request text, best first."""

    def suggest(self, text: str, *, top: int = 3) -> list[Suggestion]: ...


@dataclass(frozen=True)
class RoutingRule:
    """A rule that overrides a category's default unit.

    A rule matches when every condition it sets holds: the category (or one of its ancestors) is
    ``category``, the normalised text contains ``keyword``, and the place text contains ``area``.
    The most specific matching rule wins (most conditions set), then the lowest ``priority`` value.
    """

    unit: str
    category: str | None = None
    keyword: str | None = None
    area: str | None = None
    priority: int = 100

    def specificity(self) -> int:
        return sum(x is not None and x != "" for x in (self.category, self.keyword, self.area))

    def matches(self, category_path: Sequence[str], text: str, place: str) -> bool:
        if self.category and self.category not in category_path:
            return False
        if self.keyword and self.keyword not in text:
            return False
        if self.area and self.area not in place and self.area not in text:
            return False
        return True


@dataclass(frozen=True)
class RouteDecision:
    unit: str | None
    rule: RoutingRule | None
    reason: str


def route(
    category_path: Sequence[str],
    default_unit: str | None,
    text: str,
    place: str,
    rules: Iterable[RoutingRule],
) -> RouteDecision:
    """Pick the responsible unit for a request already given a category.

    ``category_path`` lists the category's codes from the root down to itself. ``text`` should be the
    normalised analysis text. Returns ``unit=None`` when nothing applies: the caller must send the
    request to the dispatcher queue, loudly.
    """
    candidates = [r for r in rules if r.matches(category_path, text, place)]
    if candidates:
        best = sorted(candidates, key=lambda r: (-r.specificity(), r.priority))[0]
        return RouteDecision(best.unit, best, "rule")
    if default_unit:
        return RouteDecision(default_unit, None, "category default")
    return RouteDecision(None, None, "no unit for this category")


def confident(suggestions: Sequence[Suggestion], threshold: float) -> Suggestion | None:
    """The top suggestion if it clears the threshold, else None (→ dispatcher queue)."""
    if suggestions and suggestions[0].confidence >= threshold:
        return suggestions[0]
    return None
