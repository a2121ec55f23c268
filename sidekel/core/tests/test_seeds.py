"""What migrations seed (categories, letter types, the indicator catalogue) comes back after a
flush, as it does after every migrate: a transactional test, or an admin's `sidekel flush`, must
not leave the next user with empty choice lists."""

import pytest
from django.core.management import call_command

from sidekel.aspirasi.choices import KATEGORI_AWAL
from sidekel.aspirasi.models import Kategori as KategoriAspirasi
from sidekel.layanan.katalog import JENIS
from sidekel.layanan.models import JenisSurat
from sidekel.peta.choices import DEFAULT_KATEGORI
from sidekel.peta.models import Kategori as KategoriPeta
from sidekel.potensi.katalog import KATALOG
from sidekel.potensi.models import Indikator


@pytest.mark.django_db(transaction=True)
def test_seeded_rows_come_back_after_a_flush_and_edits_stay():
    call_command("flush", interactive=False, verbosity=0)
    assert set(KategoriAspirasi.objects.values_list("slug", flat=True)) == {slug for slug, _ in KATEGORI_AWAL}
    assert set(KategoriPeta.objects.values_list("slug", flat=True)) == {row[1] for row in DEFAULT_KATEGORI}
    assert set(JenisSurat.objects.values_list("kode", flat=True)) == {item["kode"] for item in JENIS}
    assert Indikator.objects.count() == len(KATALOG)

    # A second migrate (as on every upgrade) keeps what an admin renamed.
    KategoriAspirasi.objects.filter(slug="lainnya").update(nama="Lain-lain")
    call_command("migrate", verbosity=0)
    assert KategoriAspirasi.objects.get(slug="lainnya").nama == "Lain-lain"
    assert KategoriAspirasi.objects.count() == len(KATEGORI_AWAL)
