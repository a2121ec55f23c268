"""Building the demo: the same seed gives the same people; a large build drops and remakes the
residents' indexes."""

import pytest
from django.db import connection

from sidekel.core import bulk
from sidekel.penduduk.demo import DemoBuilder, reset_demo
from sidekel.penduduk.models import NameIndex, Penduduk
from sidekel.penduduk.tests.test_demo import TODAY
from sidekel.penduduk.tests.test_import import indexes_and_triggers
from sidekel.penduduk.tests.test_name_index import assert_mirrored

pytestmark = pytest.mark.django_db


# A small kecamatan (the builder gives each village at least 50): the same code as test_demo's
# 3,000, built three times.
SMALL = 1000


def test_same_seed_gives_the_same_people(db):
    DemoBuilder(seed=7, today=TODAY).build(penduduk=SMALL)

    def snapshot():
        return list(Penduduk.objects.order_by("nik").values_list("nik", "nama", "tanggal_lahir", "pekerjaan", "desa__kode"))

    first = snapshot()
    reset_demo()
    assert not Penduduk.objects.exists()
    DemoBuilder(seed=7, today=TODAY).build(penduduk=SMALL)
    assert snapshot() == first
    reset_demo()
    DemoBuilder(seed=8, today=TODAY).build(penduduk=SMALL)
    assert snapshot() != first


def test_a_large_demo_builds_the_indexes_once_and_leaves_them_as_migrated(db, monkeypatch):
    """The demo writes every village in one transaction and builds the residents' indexes at the
    end (as a large import does); afterwards the database is exactly as migrated, and the name
    table holds every resident."""
    migrated = indexes_and_triggers()
    monkeypatch.setattr(bulk, "REBUILD_INDEXES_FROM", 1)
    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        DemoBuilder(seed=7, today=TODAY).build(penduduk=500)
    assert any(sql.startswith("DROP INDEX") for sql in statements)
    assert indexes_and_triggers() == migrated
    assert_mirrored()
    assert NameIndex.objects.matching(Penduduk.objects.first().nama).exists()
