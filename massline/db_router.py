"""Read replica routing: the public, read-only portal pages read from a streaming replica.

Enabled by ``MASSLINE_REPLICA_URL`` (settings/base.py adds the ``replica`` database, this router and the
middleware). Everything else — writes, staff pages, the API, a requester's own tracking page (which must
show what they have just submitted, with no replication lag) — stays on the primary.

- ``ReplicaReadsMiddleware`` marks a GET or HEAD request whose URL is one of ``REPLICA_PAGES`` (the
  portal's public lists, detail pages, map, statistics and monthly reports);
- ``ReplicaRouter`` sends that request's reads to ``replica``, unless a transaction is open on the primary
  (a read inside a write must see the write), and every write to ``default``. Migrations run on the
  primary only; the replica receives them through replication.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.db import connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
PRIMARY = "default"
REPLICA_PAGES = frozenset(
    {
        "portal:home",
        "portal:privacy",
        "portal:list",
        "portal:map",
        "portal:detail",
        "portal:statistics",
        "portal:report_latest",
        "portal:report",
        "portal:report_pdf",
    }
)
_read_from_replica: ContextVar[bool] = ContextVar("massline_read_from_replica", default=False)


class ReplicaRouter:
    def db_for_read(self, model, **hints) -> str:
        if _read_from_replica.get() and not connections[PRIMARY].in_atomic_block:
            return REPLICA
        return PRIMARY

    def db_for_write(self, model, **hints) -> str:
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints) -> bool:
        return db == PRIMARY


class ReplicaReadsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _read_from_replica.set(False)
        try:
            return self.get_response(request)
        finally:
            _read_from_replica.reset(token)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        match = request.resolver_match
        if request.method in ("GET", "HEAD") and match is not None and match.view_name in REPLICA_PAGES:
            _read_from_replica.set(True)
        return None
