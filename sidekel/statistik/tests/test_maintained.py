"""Figures kept up to date by the worker (core.versioned): while a worker runs, pages read the figures
it made, a change moves only its own village's figures, and the worker's refresh brings them up to
the data; without a worker, figures follow a change at once."""

import pytest
from django.utils import timezone

from sidekel.core import versioned
from sidekel.core.jobs import WORKER_ALIVE, jobs_dir
from sidekel.core.models import FigureVersion, StoredFigure
from sidekel.penduduk import services as penduduk_services
from sidekel.penduduk.choices import HubunganKeluarga, StatusDasar
from sidekel.penduduk.demo import DemoBuilder
from sidekel.penduduk.models import Penduduk
from sidekel.statistik import publik, services
from sidekel.wilayah.models import Desa


@pytest.fixture
def kecamatan(db, django_user_model):
    DemoBuilder(seed=5, today=timezone.localdate()).build(penduduk=600)
    admin = django_user_model.objects.create_user("admin", role="admin-kecamatan")
    rangda = Desa.objects.get(kode="62.01.02.2010")
    raja = Desa.objects.get(kode="62.01.02.1007")
    return admin, rangda, raja


def worker_running():
    (jobs_dir() / WORKER_ALIVE).touch()


def living(desa):
    return sum(services.summary([desa.id])[desa.id][k] for k in ("laki_laki", "perempuan"))


def someone_dies(admin, desa):
    person = Penduduk.objects.filter(desa=desa, status_dasar=StatusDasar.HIDUP).exclude(
        hubungan_keluarga=HubunganKeluarga.KEPALA_KELUARGA).order_by("id").first()
    penduduk_services.record_death(person, tanggal=timezone.localdate(), user=admin)


def true_living(desa):
    return Penduduk.objects.filter(desa=desa, status_dasar=StatusDasar.HIDUP, deleted_at__isnull=True).count()


def test_without_a_worker_figures_follow_a_change_at_once(kecamatan):
    admin, rangda, _raja = kecamatan
    assert living(rangda) == true_living(rangda)
    someone_dies(admin, rangda)
    assert living(rangda) == true_living(rangda)


def test_with_a_worker_pages_read_what_it_made_and_it_makes_only_the_changed_village(kecamatan):
    admin, rangda, raja = kecamatan
    worker_running()
    made = versioned.refresh()  # the first round makes every served village
    assert set(made) == set(Desa.objects.managed().values_list("id", flat=True))
    assert versioned.refresh() == []  # nothing changed since
    before = living(rangda)
    assert before == true_living(rangda)
    raja_rows = dict(StoredFigure.objects.filter(owner=raja.id).values_list("key", "made_at"))
    assert raja_rows

    someone_dies(admin, rangda)
    # Until the worker's next round, the page shows the figures from just before the change ...
    assert living(rangda) == before == true_living(rangda) + 1
    # ... and the round makes Rangda's figures again, and only Rangda's.
    assert versioned.stale_villages().keys() == {rangda.id}
    assert versioned.refresh() == [rangda.id]
    assert living(rangda) == true_living(rangda)
    assert dict(StoredFigure.objects.filter(owner=raja.id).values_list("key", "made_at")) == raja_rows
    assert FigureVersion.objects.get(desa_id=rangda.id).version == versioned.data_versions([rangda.id])[rangda.id]


def test_the_public_tables_are_drawn_again_after_the_round(kecamatan):
    admin, rangda, _raja = kecamatan
    worker_running()
    versioned.refresh()
    headline = publik.headline([rangda.id])[rangda.id]
    version = publik.version_key(rangda.kecamatan_id)
    someone_dies(admin, rangda)
    assert publik.version_key(rangda.kecamatan_id) == version  # not yet moved on: the same published answer
    assert publik.headline([rangda.id])[rangda.id] == headline
    versioned.refresh()
    assert publik.version_key(rangda.kecamatan_id) != version
    # The drawing was made by the round: the page reads it without drawing again.
    key = f"publik:jenis-kelamin:{timezone.localdate().isoformat()}:{rangda.kecamatan_id}"
    assert StoredFigure.objects.get(owner=0, key=key).version == publik.version_key(rangda.kecamatan_id)


def test_figures_of_yesterday_are_not_served_as_todays(kecamatan):
    _admin, rangda, _raja = kecamatan
    worker_running()
    versioned.refresh()
    FigureVersion.objects.filter(desa_id=rangda.id).update(day=timezone.localdate() - timezone.timedelta(days=1))
    assert rangda.id in versioned.stale_villages()
    assert versioned.figure_versions([rangda.id]) == versioned.data_versions([rangda.id])


def test_a_change_draws_again_the_unit_tables_of_its_own_village_only(kecamatan):
    admin, rangda, raja = kecamatan
    worker_running()
    versioned.refresh()
    for desa in (rangda, raja):  # a visitor asks for the RT tables of both villages
        publik._unit_tables(desa.kecamatan_id, desa.id, "umur")
    raja_drawing = StoredFigure.objects.get(owner=0, key=f"publik:unit:umur:{raja.id}")
    someone_dies(admin, rangda)
    assert versioned.refresh() == [rangda.id]
    # The round drew Rangda's RT tables again (they were asked for today) ...
    rangda_drawing = StoredFigure.objects.get(owner=0, key=f"publik:unit:umur:{rangda.id}")
    assert rangda_drawing.version.split(":")[2] == str(versioned.data_versions([rangda.id])[rangda.id])
    # ... and Raja's, whose published cells this change did not move, stay as they were: the next
    # visitor reads the drawing made before the change.
    level = publik._level(raja.kecamatan_id, "umur", timezone.localdate())
    assert raja_drawing.version.endswith(versioned.versions_key(level["desa"][raja.id]))
    publik._unit_tables(raja.kecamatan_id, raja.id, "umur")
    assert StoredFigure.objects.get(pk=raja_drawing.pk).made_at == raja_drawing.made_at


def test_a_round_of_the_worker_reads_each_villages_versions_once(kecamatan):
    """The public drawings of the kecamatan are made of every village's figures, level by level: the
    round asks for the villages' versions once, not once per level."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    admin, rangda, _raja = kecamatan
    worker_running()
    versioned.refresh()
    someone_dies(admin, rangda)
    with CaptureQueriesContext(connection) as queries:
        assert versioned.refresh() == [rangda.id]
    version_reads = [q["sql"] for q in queries.captured_queries if 'MAX(id) FROM "core_objectchange"' in q["sql"]]
    assert len(version_reads) == 1  # every served village's, to find the stale ones; never again in the round
    asked_reads = [q["sql"] for q in queries.captured_queries if "'rt:%" in q["sql"]]
    assert len(asked_reads) == 1  # the RT tables asked for today: for the figures and for the drawings


def test_a_village_that_keeps_changing_is_made_at_most_once_in_the_rest(kecamatan, monkeypatch):
    """The worker's rounds (``refresh(rest=...)``): a village made a moment ago waits for the rest to
    pass, however often it changes meanwhile, and is then made once with every change."""
    admin, rangda, raja = kecamatan
    now = [1000.0]
    monkeypatch.setattr(versioned, "_clock", lambda: now[0])
    monkeypatch.setattr(versioned, "_made_at", {})
    worker_running()
    versioned.refresh(rest=10)
    someone_dies(admin, rangda)
    assert versioned.refresh(rest=10) == []  # made at 1000: rests until 1010
    assert living(rangda) == true_living(rangda) + 1  # the figures of just before the change
    someone_dies(admin, raja)
    now[0] = 1004.0
    someone_dies(admin, rangda)
    assert versioned.refresh(rest=10) == []
    now[0] = 1010.0
    assert sorted(versioned.refresh(rest=10)) == sorted([rangda.id, raja.id])  # both changes, in one round
    assert living(rangda) == true_living(rangda) and living(raja) == true_living(raja)
    someone_dies(admin, rangda)
    now[0] = 1019.0
    assert versioned.refresh(rest=10) == []
    now[0] = 1020.0
    assert versioned.refresh(rest=10) == [rangda.id]
