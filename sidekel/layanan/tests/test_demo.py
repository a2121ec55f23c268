"""The demo's letters (issue 21, part 7): issued over the last months in every demo village,
numbered like signed letters, one revoked, drafts and an online request waiting in Desa Rangda,
and the demo's kepala desa signs."""

import datetime
from collections import defaultdict

import pytest
from django.utils import timezone

from sidekel.akun.choices import Role
from sidekel.akun.services import create_user
from sidekel.core import numbering
from sidekel.layanan import services
from sidekel.layanan.choices import StatusPermohonan, StatusSurat
from sidekel.layanan.demo import DEMO_PIN, MONTHS
from sidekel.layanan.models import Permohonan, PinWarga, Surat
from sidekel.penduduk.demo import DemoBuilder, reset_demo
from sidekel.penduduk.models import Penduduk
from sidekel.wilayah.models import Desa

RANGDA = "62.01.02.2010"


def build_once():
    DemoBuilder(seed=5).build(penduduk=3000)
    return list(Desa.objects.managed())


@pytest.fixture
def demo(once):
    return once


@pytest.mark.django_db
def test_the_demo_has_letters_numbered_like_signed_ones(demo, client):
    issued = list(Surat.objects.exclude(status=StatusSurat.DRAF).select_related("desa", "jenis"))
    adults = Penduduk.objects.filter(tanggal_lahir__lte=timezone.localdate() - datetime.timedelta(days=365 * 17)).count()
    assert len(issued) >= adults // 60 and {s.desa_id for s in issued} == {d.pk for d in demo}
    today = timezone.localdate()
    assert all(today - datetime.timedelta(days=31 * MONTHS) <= s.tanggal <= today for s in issued)
    # Per village and year: 1, 2, 3, ... in date order, and the counter at the last one, so the
    # next letter signed takes the next number.
    by_sequence = defaultdict(list)
    for s in issued:
        by_sequence[(s.desa, s.tahun)].append(s)
    for (desa, year), letters in by_sequence.items():
        letters.sort(key=lambda s: s.urut)
        assert [s.urut for s in letters] == list(range(1, len(letters) + 1))
        assert [s.tanggal for s in letters] == sorted(s.tanggal for s in letters)
        assert numbering.current_value(f"surat:{desa.kode}:{year}") == len(letters)
        assert len({s.nomor for s in letters}) == len(letters)
    revoked = [s for s in issued if s.status == StatusSurat.DICABUT]
    assert len(revoked) == 1 and revoked[0].alasan_cabut
    assert client.get(f"/api/v1/verifikasi/{revoked[0].token}/").json()["status"] == "dicabut"
    valid = next(s for s in issued if s.status == StatusSurat.TERBIT and s.berlaku_sampai >= today)
    answer = client.get(f"/api/v1/verifikasi/{valid.token}/").json()
    assert answer["status"] == "berlaku" and answer["penandatangan"] == valid.desa.nama_kepala
    assert valid.cetak["jabatan"] in (f"Kepala Desa {valid.desa.nama}", f"Lurah {valid.desa.nama}")
    # The heads' names are nobody's in the demo population (the leak crawl looks for residents' names).
    words = {w for names in Penduduk.objects.values_list("nama", "nama_ayah", "nama_ibu") for n in names
             for w in (n or "").split()}
    assert all(d.nama_kepala and not set(d.nama_kepala.split()) & words for d in Desa.objects.managed())


@pytest.mark.django_db
def test_rangda_has_work_waiting_and_its_kepala_desa_signs(demo, client):
    rangda = Desa.objects.get(kode=RANGDA)
    waiting = Permohonan.objects.get(status=StatusPermohonan.MENUNGGU)
    assert waiting.desa == rangda and waiting.jenis.kode == "sktm"
    done = Permohonan.objects.get(status=StatusPermohonan.DIPROSES)
    assert services.tracking_state(done)[0] == "terbit" and done.penduduk == waiting.penduduk
    drafts = list(Surat.objects.filter(desa=rangda, status=StatusSurat.DRAF))
    assert len(drafts) == 2
    kades = create_user("kades.rangda", role=Role.KEPALA_DESA, password="x", desa_kode=[RANGDA], validate=False)
    before = numbering.current_value(f"surat:{RANGDA}:{timezone.localdate().year}")
    signed = services.sign_surat(drafts[0], user=kades)
    assert signed.urut == before + 1 and signed.cetak["penandatangan"] == rangda.nama_kepala
    # The demo resident signs in with the printed PIN and downloads the finished letter.
    resident = waiting.penduduk
    assert PinWarga.objects.get(penduduk=resident)
    assert client.post("/layanan/masuk/", {"nik": resident.nik, "pin": DEMO_PIN}).status_code == 302
    pdf = client.get(f"/layanan/lacak/{done.kode}/surat.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


@pytest.mark.django_db
def test_a_reset_removes_the_letters_and_their_numbers(demo):
    reset_demo()
    assert not Surat.objects.exists() and not Permohonan.objects.exists() and not PinWarga.objects.exists()
    assert numbering.current_value(f"surat:{RANGDA}:{timezone.localdate().year}") == 0
