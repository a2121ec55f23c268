"""The migrated database has every index and constraint the models declare, on both databases."""

from django.apps import apps
from django.db import connection


def test_every_declared_index_and_constraint_exists_in_the_database(db):
    missing = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            if not model.__module__.startswith("sidekel.") or not model._meta.managed:
                continue
            present = connection.introspection.get_constraints(cursor, model._meta.db_table)
            for item in [*model._meta.indexes, *model._meta.constraints]:
                if item.name not in present:
                    missing.append(f"{model._meta.label}: {item.name}")
    assert missing == []
