"""Background jobs of the public portal: statistics recomputed ahead of visitors, and on demand when a
visitor finds them out of date (the previous figures are shown meanwhile)."""

from __future__ import annotations

from massline.tasks import app


@app.task(name="massline.portal.warm_statistics")
def warm_statistics_task() -> None:
    """Recompute the public statistics ahead of visitors (they can take a minute at a million requests)."""
    from massline.pagecache.invalidation import statistics_refreshed

    from .stats import warm

    warm()
    statistics_refreshed()


@app.task(name="massline.portal.refresh_figure", ignore_result=True)
def refresh_figure(name: str, args: list, version: int | None = None) -> None:
    """Recompute one statistics figure (``massline.portal.stats.FIGURES[name](*args)``) and cache it
    for data ``version``; queued by ``stats.cached`` when a visitor finds a slow figure out of date."""
    from . import report  # noqa: F401  (registers the PDF figure)
    from .stats import refresh

    refresh(name, args, version)
    from massline.pagecache.invalidation import statistics_refreshed

    statistics_refreshed()  # the pages showing the figure render again
