"""Supervisions left open on requests that had already ended (closed, merged, rejected) are resolved at the
moment the request ended: from now on ``transition()`` resolves them itself."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def resolve(apps, schema_editor):
    Supervision = apps.get_model("workflow", "Supervision")
    AuditEvent = apps.get_model("workflow", "AuditEvent")
    ended = ("closed", "merged", "rejected")
    last_end = (
        AuditEvent.objects.filter(request=OuterRef("request"), to_state__in=ended)
        .order_by("-at")
        .values("at")[:1]
    )
    stale = Supervision.objects.filter(resolved_at__isnull=True, request__state__in=ended)
    for sup in stale.annotate(ended_at=Subquery(last_end)).select_related("request"):
        sup.resolved_at = sup.ended_at or sup.request.updated_at
        sup.save(update_fields=["resolved_at"])


class Migration(migrations.Migration):
    dependencies = [("workflow", "0002_report_workflow")]
    operations = [migrations.RunPython(resolve, migrations.RunPython.noop)]
