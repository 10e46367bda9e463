"""Who retires which cached pages (``generations.bump``), and when: at once, inside the change's
transaction (so that the process making the change, a test included, sees it on its next page), and
again after the commit. The second bump is the one that makes it correct: a page rendered by another
process between the first bump and the commit showed the old data under the new counters.

- every change to a request (the workflow's event hook, after commit): the lists, search, the map, home,
  statistics and the request's own page (and its lead's, when it was merged into one);
- a "me too" (it changes a count on the request's page and on its card);
- the city's configuration (units, the catalogue, the operator console): every page;
- consultations (statements, votes, opinion maps) and monthly problems: their own pages;
- the statistics refresh task, when new figures are ready (``statistics_refreshed``).
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from massline.workflow.events import RequestEvent, subscribe

from . import generations as g

log = logging.getLogger(__name__)

# Saves of these apps' models retire these areas (consultations and monthly problems are not requests:
# they have no audit events on the hook).
APP_AREAS = {
    "consult": (g.CONSULT,),
    "monthly": (g.MONTHLY,),
    "console": (g.CONFIG,),
}
MODEL_AREAS = {
    ("workflow", "unit"): (g.CONFIG,),
    ("workflow", "category"): (g.CONFIG,),
}


def _areas(event: RequestEvent) -> list[str]:
    areas = [g.REQUESTS, g.MONTHLY]  # monthly problems show their requests' progress
    if event.reference:
        areas.append(g.request_area(event.reference))
    lead = event.data.get("lead") if event.data else None
    if lead:
        areas.append(g.request_area(str(lead)))
    return areas


def _bump_now(areas) -> None:
    """The early bump: a cache that cannot be reached must not refuse the change (the commit bump and
    the entries' lifetime still retire the pages)."""
    try:
        g.bump(areas)
    except Exception:  # noqa: BLE001 - any cache failure
        log.warning("page cache: could not retire %s", areas, exc_info=True)


def on_request_event_in_transaction(event: RequestEvent) -> None:
    _bump_now(_areas(event))


def on_request_event(event: RequestEvent) -> None:
    g.bump(_areas(event))


def _after_commit(areas) -> None:
    _bump_now(areas)
    transaction.on_commit(lambda: _bump_now(areas))


def on_model_change(sender, instance, **kwargs) -> None:
    meta = sender._meta
    areas = MODEL_AREAS.get((meta.app_label, meta.model_name)) or APP_AREAS.get(meta.app_label)
    if areas:
        _after_commit(areas)
    elif (meta.app_label, meta.model_name) == ("portal", "metoo"):
        reference = getattr(getattr(instance, "request", None), "reference", None)
        _after_commit([g.REQUESTS, *([g.request_area(reference)] if reference else [])])


def statistics_refreshed() -> None:
    """New statistics figures are in the cache: the pages that show them render again."""
    g.bump([g.STATS])


def connect() -> None:
    subscribe(on_request_event_in_transaction, phase="atomic")
    subscribe(on_request_event)
    post_save.connect(on_model_change, dispatch_uid="pagecache-save")
    post_delete.connect(on_model_change, dispatch_uid="pagecache-delete")
