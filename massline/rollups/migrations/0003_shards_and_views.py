"""Counts spread over shards (request id % SHARDS) so that concurrent changes rarely wait on one row, and
the request tally in three small views instead of one wide key. The tally tables are recreated empty:
migration 0004 fills them from the history of a database that holds requests."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0005_search_words"),
        ("rollups", "0002_request_tally"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="unitmonthrollup", name="rollup_unit_month"),
        migrations.AddField(
            model_name="unitmonthrollup", name="shard", field=models.SmallIntegerField(default=0)
        ),
        migrations.AddConstraint(
            model_name="unitmonthrollup",
            constraint=models.UniqueConstraint(
                fields=("unit", "month", "shard"), name="rollup_unit_month_shard"
            ),
        ),
        migrations.DeleteModel(name="TalliedRequest"),
        migrations.DeleteModel(name="RequestTally"),
        migrations.CreateModel(
            name="RequestTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("view", models.CharField(max_length=1)),
                ("month", models.CharField(max_length=7)),
                ("category_pk", models.IntegerField()),
                ("unit_pk", models.IntegerField()),
                ("state", models.CharField(max_length=20)),
                ("held", models.BooleanField()),
                ("sign", models.SmallIntegerField()),
                ("reply", models.SmallIntegerField()),
                ("shard", models.SmallIntegerField(default=0)),
                ("n", models.IntegerField(default=0)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=(
                            "view",
                            "month",
                            "category_pk",
                            "unit_pk",
                            "state",
                            "held",
                            "sign",
                            "reply",
                            "shard",
                        ),
                        name="request_tally_cell",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="TalliedRequest",
            fields=[
                (
                    "request",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="workflow.request",
                    ),
                ),
                ("month", models.CharField(max_length=7)),
                ("category_pk", models.IntegerField()),
                ("unit_pk", models.IntegerField()),
                ("state", models.CharField(max_length=20)),
                ("held", models.BooleanField()),
                ("sign", models.SmallIntegerField()),
                ("reply", models.SmallIntegerField()),
            ],
        ),
    ]
