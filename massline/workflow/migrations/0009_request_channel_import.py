# The "import" channel of imported history (see intake/migrations/0004_import_channel, which moves the
# earlier imports to it); "hotline" now reads "Hotline", the calls taken on the call screen.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0008_public_forms"),
    ]

    operations = [
        migrations.AlterField(
            model_name="request",
            name="channel",
            field=models.CharField(
                choices=[
                    ("web", "Web"),
                    ("api", "API"),
                    ("hotline", "Hotline"),
                    ("import", "Imported"),
                    ("visit", "Visit"),
                ],
                default="web",
                max_length=10,
            ),
        ),
    ]
