"""The operator's guide's screenshots: each task of the guide walked as Desa Rangda's operator in
Debian's Chromium on demo-like data, each screen saved where the guide shows it
(sidekel/panduan/static/panduan/gambar/). `make docs` runs this again after a change of screen.

The images are 1366 px wide (the laptop the guide is written for), cut to the part of the page
that matters, in 256 colours: small enough to keep in the repository."""

import datetime
import re

import pytest
from django.utils import timezone

from sidekel.akun.choices import Role
from sidekel.akun.services import create_user
from sidekel.conftest import LAPTOP, login
from sidekel.layanan import katalog
from sidekel.layanan.models import Permohonan, Surat
from sidekel.layanan.services import jenis_by_kode, submit_permohonan
from sidekel.panduan import guide
from sidekel.penduduk import services
from sidekel.penduduk.choices import HubunganKeluarga, JenisKelamin, Pekerjaan, PendidikanKK, StatusPerkawinan
from sidekel.penduduk.demo import DemoBuilder
from sidekel.penduduk.models import Keluarga, Penduduk
from sidekel.penduduk.tests.factories import adult
from sidekel.penduduk.tests.files import GOOD_ROWS, HEADERS, write_csv
from sidekel.wilayah.models import Desa
from sidekel.wilayah.services import ensure_rt

pytestmark = pytest.mark.browser
PASSWORD = "sidekel-demo"
RANGDA = "62.01.02.2010"
TALL = 768  # at most one laptop screen of height per image


def shot(page, name, target=None, above=24, height=TALL):
    """Save the guide's image ``name``: the top of the page, or from a little above ``target``
    down, one screen high at most, across the whole 1366 px width; then in 256 colours."""
    from PIL import Image

    guide.IMAGES.mkdir(parents=True, exist_ok=True)
    path = guide.IMAGES / f"{name}.png"
    page.wait_for_load_state()
    top = 0
    if target is not None:
        target.scroll_into_view_if_needed()
        box = target.bounding_box()
        top = max(0, box["y"] + page.evaluate("window.scrollY") - above)
    full = page.evaluate("document.documentElement.scrollHeight")
    height = max(200, min(height, full - top))
    page.screenshot(path=str(path), full_page=True, clip={"x": 0, "y": top, "width": LAPTOP["width"], "height": height})
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(path, optimize=True)


@pytest.fixture
def village(transactional_db):
    """The demo kecamatan (small), its demo logins, and in Desa Rangda a known family, a
    resident without a KK and a dusun written twice ("Mekar Sari", "Mekarsari")."""
    DemoBuilder(seed=7, today=timezone.localdate()).build(penduduk=1200)
    rangda = Desa.objects.get(kode=RANGDA)
    create_user("operator.rangda", role=Role.OPERATOR, password=PASSWORD, desa_kode=[RANGDA], validate=False)
    create_user("camat", role=Role.CAMAT, password=PASSWORD, desa_kode=[], validate=False)
    create_user("kades.rangda", role=Role.KEPALA_DESA, password=PASSWORD, desa_kode=[RANGDA], validate=False,
                first_name="Harun Effendi")
    katalog.seed()  # the letter types (a transactional test's database was flushed)
    rt = ensure_rt(rangda, "001", "001", "Mekar Sari")
    keluarga = services.create_keluarga(rangda, nomor_kk="6201021501200001", tanggal_kk=datetime.date(2020, 1, 15),
                                        rt=rt, alamat="Jl. Pangeran Antasari 12")
    services.register_penduduk(rangda, keluarga=keluarga, nik="6201021203850001", **adult())
    services.register_penduduk(
        rangda, keluarga=keluarga, nik="6201026507870001",
        **adult(nama="Siti Aminah", jenis_kelamin=JenisKelamin.PEREMPUAN, tanggal_lahir=datetime.date(1987, 7, 25),
                pekerjaan=Pekerjaan.MENGURUS_RUMAH_TANGGA, hubungan_keluarga=HubunganKeluarga.ISTRI))
    services.register_penduduk(
        rangda, keluarga=keluarga, nik="6201020909030001",
        **adult(nama="Andi Saputra", tanggal_lahir=datetime.date(2003, 9, 9), pendidikan_kk=PendidikanKK.SLTA,
                status_perkawinan=StatusPerkawinan.KAWIN, hubungan_keluarga=HubunganKeluarga.ANAK))
    services.register_penduduk(
        rangda, keluarga=keluarga, nik="6201024404040001",
        **adult(nama="Rina Wati", jenis_kelamin=JenisKelamin.PEREMPUAN, tanggal_lahir=datetime.date(2004, 4, 4),
                hubungan_keluarga=HubunganKeluarga.MENANTU))
    services.register_penduduk(rangda, rt=ensure_rt(rangda, "003", "001", "Mekarsari"), nik="6201021203850009",
                               **adult(nama="Dedi Kurnia", hubungan_keluarga=HubunganKeluarga.LAINNYA))
    return rangda, keluarga


def dmy(day):
    return day.strftime("%d-%m-%Y")


def test_the_guides_screens(open_page, village, tmp_path):
    rangda, keluarga = village
    budi = Penduduk.objects.get(nik="6201021203850001")
    dedi = Penduduk.objects.get(nik="6201021203850009")
    page = open_page(LAPTOP)

    # 1. Logging in.
    page.go("/masuk/")
    page.get_by_label("Nama pengguna").fill("operator.rangda")
    shot(page, "masuk-01-halaman-masuk")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.get_by_role("heading", name="Desa Rangda").wait_for()
    shot(page, "masuk-02-beranda")
    assert page.get_by_role("link", name="Bantuan").get_attribute("href") == "/bantuan/dasbor/"

    # 2. Finding and changing a resident.
    page.get_by_role("link", name="Cari penduduk").click()
    page.get_by_label("Nama atau NIK").fill("budi santoso")
    page.locator("#jumlah", has_text="ditemukan").wait_for()
    shot(page, "penduduk-01-cari")
    page.get_by_role("link", name="Budi Santoso").first.click()
    page.get_by_role("heading", name="Budi Santoso").wait_for()
    shot(page, "penduduk-02-detail")
    page.get_by_role("link", name="Ubah", exact=True).click()
    page.get_by_label("Pekerjaan *").select_option(label="Wiraswasta")
    page.get_by_label("Alasan perubahan").fill("buka warung")
    shot(page, "penduduk-03-ubah", page.get_by_label("Pekerjaan *"), above=300)
    page.get_by_role("button", name="Simpan").click()
    page.get_by_text("Data Budi Santoso sudah disimpan.").wait_for()
    shot(page, "penduduk-04-riwayat", page.locator("#riwayat"), above=60)

    # 3. Families: the family page, a new KK, into a KK, a split, a whole family moving in.
    page.go(f"/keluarga/{keluarga.pk}/")
    shot(page, "keluarga-01-halaman")
    page.go(f"/penduduk/{dedi.pk}/")
    shot(page, "keluarga-02-tanpa-kk")
    page.go(f"/penduduk/{dedi.pk}/masuk-kk/")
    shot(page, "keluarga-03-masuk-kk")
    page.go(f"/penduduk/{dedi.pk}/kk-baru/")
    shot(page, "keluarga-04-kk-baru")
    page.go(f"/keluarga/{keluarga.pk}/")
    page.get_by_role("link", name="Pisah KK").click()
    page.get_by_label("Andi Saputra (Anak)").select_option(label="Kepala Keluarga")
    page.get_by_label("Rina Wati (Menantu)").select_option(label="Istri")
    page.get_by_label("Nomor KK baru").fill("6201021501200010")
    shot(page, "keluarga-05-pisah")
    page.get_by_role("button", name="Simpan").click()
    page.get_by_text("KK baru sudah dicatat.").wait_for()
    shot(page, "keluarga-06-kk-baru-jadi")
    page.go("/keluarga/pindah-datang/")
    page.get_by_label("Nomor KK *").fill("6201 0215 0120 0011")
    page.get_by_label("Tanggal datang").fill(dmy(timezone.localdate() - datetime.timedelta(days=3)))
    page.get_by_label("Datang dari").fill("Jl. Tjilik Riwut, Sampit, Kotawaringin Timur")
    shot(page, "keluarga-07-pindah-datang")
    shot(page, "keluarga-08-pindah-datang-anggota", page.locator("fieldset.anggota").first)

    # 4. Events and their corrections.
    page.go(f"/keluarga/{keluarga.pk}/")
    page.get_by_role("link", name="Catat kelahiran").click()
    shot(page, "peristiwa-01-kelahiran")
    page.go(f"/penduduk/{budi.pk}/")
    page.get_by_role("link", name="Catat kematian").click()
    page.get_by_label("Kepala keluarga baru").select_option(label="Siti Aminah")
    shot(page, "peristiwa-02-kematian")
    page.get_by_role("button", name="Simpan").click()
    page.get_by_text("Peristiwa sudah dicatat.").wait_for()
    page.go(f"/penduduk/{budi.pk}/")
    page.get_by_role("link", name="Batalkan peristiwa (salah catat)").click()
    page.get_by_label("Mengapa peristiwa ini salah catat?").fill("Salah orang: yang meninggal Budi dari RT 002")
    shot(page, "peristiwa-03-batalkan")
    page.get_by_role("button", name="Simpan").click()
    page.get_by_text("Peristiwa sudah dibatalkan.").wait_for()
    shot(page, "peristiwa-04-dibatalkan", page.get_by_text("Dibatalkan (salah catat)").first, above=200)
    assert Keluarga.objects.get(pk=keluarga.pk).kepala.pk == budi.pk
    page.go(f"/penduduk/{dedi.pk}/pindah-keluar/")
    shot(page, "peristiwa-05-pindah-keluar")

    # 5. Importing a spreadsheet: the check, the report, alike dusun names, writing.
    bad = [["62010217088", "6201021501150002", "Joko", "L", "Kumai", "01-01-1990", "ISLAM", "SLTA/Sederajat",
            "Petani/Pekebun", "Kawin", "Kepala Keluarga", "Sumber Rejeki", "002", "003", "Jl. Tani No. 9"],
           ["6201021708800002", "6201021501150003", "Eka Putra", "L", "Kumai", "31-02-1980", "ISLAM",
            "SLTA/Sederajat", "Petani/Pekebun", "Kawin", "Kepala Keluarga", "Mekar  sari", "001", "004", "Jl. Tani"],
           ["6201021708800003", "6201021501150004", "Wati", "P", "Kumai", "17-08-1985", "ISLAM", "SLTA/Sederajat",
            "Petani/Pekebun", "Kawin", "Kepala Keluarga", "Mekar  sari", "001", "004", "Jl. Tani"]]
    path = write_csv(tmp_path / "data-penduduk-rangda.csv", HEADERS, GOOD_ROWS + bad)
    page.get_by_role("link", name="Impor", exact=True).click()
    shot(page, "impor-01-unggah")
    page.get_by_label("Spreadsheet").set_input_files(str(path))
    page.get_by_role("button", name="Periksa berkas").click()
    page.wait_for_url(re.compile(r"/impor/\d+/"), timeout=60_000)
    page.get_by_role("heading", name="Menurut jenis").wait_for(timeout=60_000)
    shot(page, "impor-02-ringkasan")
    shot(page, "impor-03-temuan", page.locator("#temuan"), above=40)
    shot(page, "impor-04-dusun-mirip", page.get_by_text("Nama dusun yang mirip", exact=True), above=90)
    page.get_by_role("button", name=re.compile(r"^Impor \d+ baris yang diterima")).click()
    page.get_by_text("Impor selesai.").wait_for(timeout=60_000)
    shot(page, "impor-05-selesai")

    # 6. Exporting.
    page.go(f"/penduduk/?desa={RANGDA}")
    export = page.get_by_role("link", name="Excel (.xlsx)")
    shot(page, "ekspor-01-daftar", export, above=120, height=300)
    export.click()
    page.get_by_role("link", name=re.compile("^Unduh")).wait_for()
    shot(page, "ekspor-02-siap")

    # 7. Dusun, RW and RT.
    page.go(f"/petugas/desa/{RANGDA}/")
    page.get_by_role("link", name="Dusun, RW dan RT").click()
    shot(page, "wilayah-01-daftar")
    page.get_by_role("link", name="Ubah Dusun Mekarsari", exact=True).click()
    page.get_by_label("Gabungkan ke").select_option(label="Dusun Mekar Sari")
    shot(page, "wilayah-02-ubah")
    page.get_by_role("button", name="Gabungkan…").click()
    page.get_by_role("button", name="Ya, gabungkan").wait_for()
    shot(page, "wilayah-03-yakin-gabung")
    page.get_by_role("button", name="Ya, gabungkan").click()
    page.get_by_text("sudah digabung ke Dusun Mekar Sari").wait_for()

    # 8. Books and the monthly recap (B.3).
    page.get_by_role("link", name="Buku", exact=True).click()
    page.get_by_role("link", name="Buku penduduk dan rekap bulanan").first.click() if page.get_by_role(
        "link", name="Buku penduduk dan rekap bulanan").count() else None
    shot(page, "rekap-01-buku")
    page.go(f"/buku/{RANGDA}/")
    page.get_by_role("link", name="Periksa dan ajukan rekap").click()
    shot(page, "rekap-02-periksa")
    page.get_by_role("button", name="Ajukan rekap").click()
    page.get_by_text("sudah dikirim ke kecamatan").wait_for()
    shot(page, "rekap-03-diajukan")

    # 9. The dashboard and the village's page.
    page.go(f"/petugas/desa/{RANGDA}/")
    shot(page, "dasbor-01-desa")
    page.get_by_role("link", name="Statistik", exact=True).click()
    page.wait_for_load_state()
    shot(page, "dasbor-02-statistik")
    page.go(f"/petugas/desa/{RANGDA}/kualitas/")
    shot(page, "ditolak-02-kualitas")

    # 10. Refused: a wrong NIK on the form says what is wrong and changes nothing.
    page.go(f"/penduduk/{budi.pk}/ubah/")
    page.get_by_label("NIK", exact=True).fill("6201021203")
    page.get_by_label("Alasan perubahan").fill("perbaikan NIK")
    page.get_by_role("button", name="Simpan").click()
    page.locator(".errorlist, .msg.error").first.wait_for()
    shot(page, "ditolak-01-formulir", page.locator(".errorlist, .msg.error").first, above=200)

    # 11. Letters: a draft, signed by the kepala desa; a resident's online request; a PIN.
    siti = Penduduk.objects.get(nik="6201026507870001")
    page.go("/surat/")
    page.get_by_role("link", name="Surat baru").click()
    page.get_by_label("Penduduk (nama atau NIK 16 digit)").fill(siti.nik)
    page.get_by_role("button", name="Cari").click()
    page.get_by_role("link", name="Siti Aminah").click()
    page.get_by_label("Jenis surat").select_option(label="Surat Keterangan Tidak Mampu")
    page.get_by_role("button", name="Berikutnya").click()
    page.get_by_label("Penghasilan keluarga per bulan (Rp) *").fill("750000")
    page.get_by_label("Keperluan").fill("Beasiswa sekolah anak")
    shot(page, "surat-01-isian")
    page.get_by_role("button", name="Simpan draf dan lihat pratinjau").click()
    page.get_by_text("Draf tersimpan").wait_for()
    assert page.get_by_role("button", name="Tanda tangani dan terbitkan").count() == 0  # the operator does not sign
    shot(page, "surat-02-draf")
    draft = page.url
    kades = open_page(LAPTOP)
    login(kades, "kades.rangda", PASSWORD)
    kades.goto(draft)
    kades.get_by_role("button", name="Tanda tangani dan terbitkan").click()
    kades.get_by_text("Sudah ditandatangani. Nomor surat:").wait_for()
    assert Surat.objects.get(penduduk=siti).nomor in kades.locator("main").inner_text()
    shot(kades, "surat-03-terbit")
    request = submit_permohonan(siti, jenis=jenis_by_kode("sktm"), isian={"penghasilan": "600000"},
                                keperluan="Keringanan biaya rumah sakit")
    page.go("/surat/")
    page.get_by_role("region", name="Permohonan daring").locator(f'a[href="/surat/permohonan/{request.pk}/"]').click()
    page.get_by_role("button", name="Jadikan draf surat").wait_for()
    assert request.kode in page.locator("main").inner_text()
    shot(page, "surat-04-permohonan")
    page.go(f"/surat/pin/?desa={RANGDA}&q={siti.nik}")
    page.get_by_role("link", name="Siti Aminah").click()
    page.get_by_role("button", name="Buat PIN").click()
    page.locator("#pin-baru").wait_for()
    shot(page, "surat-05-pin")
    assert Permohonan.objects.get(pk=request.pk).status == "menunggu"

    # The guide itself, as the operator finds it from this page (the PIN page: the letters section).
    page.get_by_role("link", name="Bantuan").click()
    page.get_by_role("heading", name=re.compile("Surat keterangan dan permohonan warga")).wait_for()
    assert not guide.missing_images()
