import secrets

from django.db import migrations, models


def create_row(apps, schema_editor):
    apps.get_model("core", "DataVersion").objects.create(pk=1, token=secrets.token_hex(8), number=0)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0003_change_version_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="DataVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("token", models.CharField(max_length=32)),
                ("number", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(create_row, migrations.RunPython.noop),
    ]
