"""Put back the rule "one living head per family" where migration 0004 lost it.

On PostgreSQL, 0004's change of ``Penduduk.keluarga`` to ``db_index=False`` dropped every index on
the column, the unique index behind the constraint penduduk_one_head_per_keluarga included.
SQLite rebuilt the table with the constraint and kept it. This adds it wherever it is missing.
"""

from django.db import migrations


def restore(apps, schema_editor):
    model = apps.get_model("penduduk", "Penduduk")
    with schema_editor.connection.cursor() as cursor:
        present = schema_editor.connection.introspection.get_constraints(cursor, model._meta.db_table)
    for constraint in model._meta.constraints:
        if constraint.name not in present:
            schema_editor.add_constraint(model, constraint)


class Migration(migrations.Migration):
    dependencies = [("penduduk", "0006_peristiwa_koreksi")]

    operations = [migrations.RunPython(restore, migrations.RunPython.noop)]
