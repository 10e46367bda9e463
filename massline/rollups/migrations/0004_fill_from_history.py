"""Fill the rollups of a database that already holds requests (an upgrade), so that the statistics, the
ranking and the dashboard are right at once, without a step to remember. An empty database (a new city, the
test database) skips it. The same as ``massline rollups rebuild``, which stays the way to repair them."""

from django.db import migrations


def fill(apps, schema_editor):
    Request = apps.get_model("workflow", "Request")
    if not Request.objects.exists():
        return
    from massline.rollups.build import rebuild

    rebuild()


class Migration(migrations.Migration):
    dependencies = [
        ("rollups", "0003_shards_and_views"),
        ("workflow", "0007_search_vector_statistics"),
        ("followup", "0001_initial"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
