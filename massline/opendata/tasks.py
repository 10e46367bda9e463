"""The nightly open-data dump."""

from __future__ import annotations

from massline.tasks import app


@app.task(name="massline.opendata.nightly")
def nightly() -> int:
    from django.conf import settings

    from .dump import write

    return write(settings.MASSLINE_OPENDATA_DIR).requests
