"""Every page a person can reach, as each role, in Debian's Chromium at 1366 px and 360 px: the
page never scrolls sideways, a table too wide for its place scrolls in a box the keyboard reaches
with its total column in view, and axe-core finds nothing serious or critical. Screenshots of
every page land in test-artifacts/screens/ (layout-<role>-<size>-<page>.png) for a person to look at.
"""

import re
from urllib.parse import urlparse

import pytest

from sidekel.akun.choices import Role
from sidekel.akun.services import create_user
from sidekel.conftest import LAPTOP, PHONE, layout_problems, login, screenshot, settled
from sidekel.penduduk import services
from sidekel.penduduk.choices import HubunganKeluarga, StatusDasar
from sidekel.penduduk.demo import DemoBuilder
from sidekel.penduduk.models import Keluarga, Penduduk
from sidekel.penduduk.tests.files import GOOD_ROWS, HEADERS, write_csv
from sidekel.portal.services import save_berita
from sidekel.wilayah.models import Desa, Dusun

pytestmark = pytest.mark.browser
PASSWORD = "sandi-tata-letak-2026"
RANGDA = "62.01.02.2010"
KECAMATAN = "62.01.02"


@pytest.fixture
def world(transactional_db, tmp_path):
    DemoBuilder(seed=3).build(penduduk=1500)
    rangda = Desa.objects.get(kode=RANGDA)
    create_user("operator.rangda", role=Role.OPERATOR, password=PASSWORD, desa_kode=[RANGDA], validate=False)
    create_user("camat.arsel", role=Role.CAMAT, password=PASSWORD, validate=False)
    create_user("admin.arsel", role=Role.ADMIN_KECAMATAN, password=PASSWORD, validate=False)
    berita = save_berita(None, rangda, {"jenis": "pengumuman", "judul": "Posyandu Sabtu ini",
                                        "isi": "Posyandu di balai desa, pukul 08.00."})
    keluarga = Keluarga.objects.filter(desa=rangda, anggota__hubungan_keluarga=HubunganKeluarga.KEPALA_KELUARGA,
                                       anggota__status_dasar=StatusDasar.HIDUP).order_by("id").first()
    kepala = keluarga.anggota.get(hubungan_keluarga=HubunganKeluarga.KEPALA_KELUARGA, status_dasar=StatusDasar.HIDUP)
    other = Penduduk.objects.filter(desa=rangda, hubungan_keluarga=HubunganKeluarga.ANAK).order_by("id").first()
    services.delete_penduduk(other, user=None, reason="salah catat")  # for the list of deleted residents
    anak = keluarga.anggota.exclude(pk=kepala.pk).order_by("id").first() or kepala
    dusun = Dusun.objects.filter(desa=rangda).order_by("id").first()
    return {"rangda": rangda, "keluarga": keluarga, "kepala": kepala, "anak": anak, "dusun": dusun, "berita": berita,
            "tmp": tmp_path}


def operator_pages(w):
    k, p, b = w["keluarga"].pk, w["kepala"].pk, w["berita"].pk
    return [
        ("beranda", "/petugas/"), ("desa", "/desa/"), ("desa-detail", f"/petugas/desa/{RANGDA}/"),
        ("kualitas", f"/petugas/desa/{RANGDA}/kualitas/"), ("profil", f"/petugas/desa/{RANGDA}/profil/"),
        ("daftar", "/penduduk/"), ("cari", "/penduduk/?q=sri"), ("cari-kosong", "/penduduk/?q=zzzz+qqqq"),
        ("tambah", "/penduduk/tambah/"), ("pindah-datang", "/penduduk/pindah-datang/"),
        ("detail", f"/penduduk/{p}/"), ("ubah", f"/penduduk/{p}/ubah/"), ("hapus", f"/penduduk/{p}/hapus/"),
        ("kematian", f"/penduduk/{p}/kematian/"), ("pindah-keluar", f"/penduduk/{p}/pindah-keluar/"),
        ("keluarga", f"/keluarga/{k}/"), ("anggota", f"/keluarga/{k}/anggota/"),
        ("kelahiran", f"/keluarga/{k}/kelahiran/"), ("kepala", f"/keluarga/{k}/kepala/"),
        ("nomor-kk", f"/keluarga/{k}/nomor-kk/"), ("impor", "/impor/"),
        ("buku", "/buku/"), ("buku-desa", f"/buku/{RANGDA}/"),
        *[(f"buku-{b_}", f"/buku/{RANGDA}/{b_}/") for b_ in ("b1", "b2", "b3", "b4", "b5")],
        ("statistik", f"/statistik/{RANGDA}/"), ("statistik-umur", f"/statistik/{RANGDA}/umur/"),
        ("statistik-pekerjaan", f"/statistik/{RANGDA}/pekerjaan/"),
        ("berita", "/petugas/berita/"), ("berita-tambah", "/petugas/berita/tambah/"),
        ("berita-ubah", f"/petugas/berita/{b}/ubah/"),
        ("kk-baru", f"/penduduk/{w['anak'].pk}/kk-baru/"), ("masuk-kk", f"/penduduk/{w['anak'].pk}/masuk-kk/"),
        ("keluarga-pisah", f"/keluarga/{k}/pisah/"), ("keluarga-pindah-datang", "/keluarga/pindah-datang/"),
        ("wilayah", f"/petugas/desa/{RANGDA}/wilayah/"),
        ("wilayah-dusun", f"/petugas/desa/{RANGDA}/wilayah/dusun/{w['dusun'].pk}/"),
        ("bantuan", "/bantuan/"), ("bantuan-bagian", "/bantuan/keluarga/"),
    ]


def camat_pages(w):
    return [
        ("dasbor", "/statistik/"), ("kecamatan", f"/statistik/{KECAMATAN}/"),
        ("kecamatan-pendidikan", f"/statistik/{KECAMATAN}/pendidikan/"), ("desa", f"/statistik/{RANGDA}/"),
        ("desa-pekerjaan", f"/statistik/{RANGDA}/pekerjaan/"), ("desa-list", "/desa/"),
        ("kualitas", f"/petugas/desa/{RANGDA}/kualitas/"), ("penduduk", "/penduduk/"),
        ("buku", "/buku/"), ("buku-kecamatan", "/buku/kecamatan/"), ("b3", f"/buku/{RANGDA}/b3/"),
    ]


def admin_pages(w):
    return [("terhapus", "/penduduk/terhapus/"), ("dasbor", "/statistik/"), ("penduduk", "/penduduk/")]


def walk(page, axe, role, size, pages):
    problems = []
    for name, path in pages:
        response = page.go(path)
        settled(page)
        assert response is None or response.status < 400, (path, response.status)
        screenshot(page, f"layout-{role}-{size}-{name}")
        problems += [f"{path}: {p}" for p in layout_problems(page, axe)]
    return problems


@pytest.mark.parametrize("size, viewport", [("laptop", LAPTOP), ("hp", PHONE)])
def test_every_page_of_each_role_fits_and_passes_axe(open_page, world, size, viewport):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    problems = []
    page = open_page(viewport)
    problems += walk(page, axe, "umum", size, [("masuk", "/masuk/")])
    login(page, "operator.rangda", PASSWORD)
    # An import checked and waiting, so its report page can be walked too.
    path = write_csv(world["tmp"] / "warga.csv", HEADERS, GOOD_ROWS)
    page.go("/impor/")
    page.get_by_label("Spreadsheet").set_input_files(str(path))
    page.get_by_role("button", name="Periksa berkas").click()
    # The report's page: "Belum ada yang ditulis." alone would also match the form's own steps.
    page.wait_for_url(re.compile(r"/impor/\d+/$"))
    page.locator("p.msg", has_text="Belum ada yang ditulis.").wait_for()
    report = urlparse(page.url).path
    page = open_page(viewport)  # a fresh tab: the report's page may still poll for its file of refused rows
    login(page, "operator.rangda", PASSWORD)
    problems += walk(page, axe, "operator", size, operator_pages(world) + [("impor-laporan", report)])
    for username, role, pages in (("camat.arsel", "camat", camat_pages), ("admin.arsel", "admin", admin_pages)):
        context_page = open_page(viewport)
        login(context_page, username, PASSWORD)
        problems += walk(context_page, axe, role, size, pages(world))
    assert not problems, "\n".join(problems)
