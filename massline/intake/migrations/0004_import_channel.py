"""Imported history gets its own channel, "import" (shown as "Imported" / 导入 / 匯入): until now imports were
written with channel "hotline", which is also the channel of calls taken on the call screen, so a call and
an imported row of an old export read alike ("Hotline import").

A request of channel "hotline" was imported when the bulk importer recorded its line (``ImportedRow``) or
when it has an external id (only the importers write one; calls never do). Their import runs move too, so
that running the same file again still finds its run and the ids already imported.
"""

from django.db import migrations
from django.db.models import Q


def to_import(apps, schema_editor):
    Request = apps.get_model("workflow", "Request")
    ImportedRow = apps.get_model("intake", "ImportedRow")
    ImportRun = apps.get_model("intake", "ImportRun")
    imported = Q(pk__in=ImportedRow.objects.values("request_id")) | ~Q(external_id="")
    Request.objects.filter(imported, channel="hotline").update(channel="import")
    ImportRun.objects.filter(channel="hotline").update(channel="import")


def to_hotline(apps, schema_editor):
    Request = apps.get_model("workflow", "Request")
    ImportRun = apps.get_model("intake", "ImportRun")
    Request.objects.filter(channel="import").update(channel="hotline")
    ImportRun.objects.filter(channel="import").update(channel="hotline")


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0003_pending_routing"),
        ("workflow", "0007_search_vector_statistics"),
    ]

    operations = [migrations.RunPython(to_import, to_hotline, elidable=True)]
