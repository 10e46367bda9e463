"""What the public may see: the one disclosure rule.

The portal (lists, search, map, detail, statistics, monthly report), Open311, the REST API for requesters,
feeds and exports all ask this module which requests are public. Nobody else lists kinds or states.

- **Listed** (lists, search, maps, feeds, statistics, Open311 queries): every request except misconduct
  reports (舉報, never public), duplicates merged into a lead (並單: the lead stands for them) and requests
  rejected as invalid (不予受理).
- **Has a public page** (portal detail, Open311 lookup by id or token): listed requests, and merged
  duplicates, whose page points to the lead. Reports and rejected requests have none.
- **Held for review** (``Request.held``): a request whose text still looks personal after redaction, or
  every new request when ``MASSLINE_PREMODERATE`` is on, is neither listed nor has a page until a
  moderator releases it (``workflow.moderation``).

What a public page shows of a request's text is the redaction pipeline's business, not this rule's.
"""

from __future__ import annotations

from django.db.models import QuerySet

from massline.core.workflow import BY_ACTION, REPORT_KIND, State

from .models import Request

NEVER_PUBLIC_KINDS = frozenset({REPORT_KIND})
# Ended as invalid: no page. Ended as a duplicate: a page pointing to the lead, but not listed.
NO_PAGE_STATES = frozenset({BY_ACTION["reject"].target.value, BY_ACTION["dismiss"].target.value})
UNLISTED_STATES = NO_PAGE_STATES | {BY_ACTION["merge"].target.value}
assert all(State(s) for s in UNLISTED_STATES)


def listed(queryset: QuerySet[Request] | None = None) -> QuerySet[Request]:
    qs = Request.objects.all() if queryset is None else queryset
    return qs.exclude(kind__in=NEVER_PUBLIC_KINDS).exclude(state__in=UNLISTED_STATES).exclude(held=True)


def with_public_page(queryset: QuerySet[Request] | None = None) -> QuerySet[Request]:
    qs = Request.objects.all() if queryset is None else queryset
    return qs.exclude(kind__in=NEVER_PUBLIC_KINDS).exclude(state__in=NO_PAGE_STATES).exclude(held=True)


def is_listed(req: Request) -> bool:
    return req.kind not in NEVER_PUBLIC_KINDS and req.state not in UNLISTED_STATES and not req.held


def has_public_page(req: Request) -> bool:
    return req.kind not in NEVER_PUBLIC_KINDS and req.state not in NO_PAGE_STATES and not req.held


def awaiting_review(queryset: QuerySet[Request] | None = None) -> QuerySet[Request]:
    """Held requests a moderator must decide on: those that would otherwise have a public page."""
    qs = Request.objects.all() if queryset is None else queryset
    return qs.filter(held=True).exclude(kind__in=NEVER_PUBLIC_KINDS).exclude(state__in=NO_PAGE_STATES)


def public_states() -> list[str]:
    """The states a public list can show (for status filters)."""
    return [s.value for s in State if s.value not in UNLISTED_STATES]
