"""No personal data on the public site, by test: crawl every public URL of a demo kecamatan and
look for any NIK, KK number, resident name, birth date or street address in any answer."""

import datetime
import html
import io
import re
import zipfile
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import NoReverseMatch, Resolver404, resolve

from sidekel.aspirasi.choices import Privasi
from django.utils import timezone

from sidekel.aspirasi.models import Aspirasi, Riwayat, Tanggapan
from sidekel.layanan.models import Permohonan, Surat
from sidekel.penduduk.demo import DemoBuilder
from sidekel.penduduk.models import Keluarga, NomorKK, Penduduk, RumahTangga
from sidekel.pendidikan.models import Sekolah
from sidekel.portal.services import save_berita
from sidekel.statistik.choices import KATEGORI
from sidekel.wilayah.models import Desa, Dusun, Kabupaten, Kecamatan, Provinsi

SKIP_PREFIXES = ("/masuk/", "/keluar/", "/admin/", "/petugas/", "/static/", "/penduduk/", "/keluarga/",
                 "/statistik/", "/impor/", "/desa/?", "/healthz")
LINK = re.compile(r'(?:href|src|action)="([^"#]*)"')
OPTION_FORM = re.compile(r'<select id="(bagian|organisasi)" name="\1">(.*?)</select>', re.S)
OPTION = re.compile(r'<option value="([^"]*)"')
PUBLIC_API = ["/api/v1/wilayah/", "/api/v1/openapi.json", "/api/v1/statistik/", "/api/v1/data/", "/api/v1/aspirasi/",
              "/api/v1/peta/batas/?wilayah=62.01.02", "/api/v1/peta/tempat/?wilayah=62.01.02",
              "/api/v1/peta/garis/?wilayah=62.01.02", "/api/v1/peta/area/?wilayah=62.01.02"]
PARTS_OF = 3  # villages whose every dusun/RW/RT is crawled in every category
MAX_REQUESTS = 6000


class Secrets:
    """Everything personal in the database, in the forms it could appear in."""

    def __init__(self):
        people = list(Penduduk.objects.values_list("nik", "nama", "nama_ayah", "nama_ibu", "tanggal_lahir", "alamat"))
        self.numbers = {p[0] for p in people if p[0]}
        self.numbers |= set(Keluarga.objects.exclude(nomor_kk=None).values_list("nomor_kk", flat=True))
        self.numbers |= set(NomorKK.objects.values_list("nomor", flat=True))
        names = {n.strip() for p in people for n in p[1:4] if n and n.strip()}
        # A one-word name that is also a place name or a label ("Indah" in Dusun Bukit Indah) cannot be told
        # apart from it; those are left out, every other name is looked for as a whole word or phrase.
        vocabulary = self.public_words()
        self.names = {n for n in names if " " in n or n not in vocabulary}
        # Publication dates (today, the last change) are the site's own, not someone's birthday.
        own = {datetime.date.today(), datetime.date.today() - datetime.timedelta(days=1)}
        # So are the times of citizens' reports and their steps and answers (the tracking API's "waktu").
        for model, field in ((Aspirasi, "created_at"), (Riwayat, "waktu"), (Tanggapan, "waktu"),
                             (Permohonan, "diajukan_pada")):
            own |= {timezone.localtime(t).date() for t in model.objects.values_list(field, flat=True)}
            own |= {t.date() for t in model.objects.values_list(field, flat=True)}  # UTC, as the API writes them
        # And the dates of letters (issued, valid until), which their verification pages show.
        for field in ("tanggal", "berlaku_sampai"):
            own |= set(Surat.objects.exclude(**{field: None}).values_list(field, flat=True))
        self.dates = set()
        for born in {p[4] for p in people} - own:
            self.dates |= {born.strftime("%d-%m-%Y"), born.strftime("%Y-%m-%d"), born.strftime("%d/%m/%Y")}
        # The heads of schools (issue 18) are named for officials only; their telephones too.
        heads = list(Sekolah.objects.values_list("kepala_nama", "kepala_telepon"))
        self.names |= {n for n, _t in heads if n and (" " in n or n not in vocabulary)}
        self.phones = {t for _n, t in heads if t}
        self.addresses = {a.strip() for p in people for a in [p[5]] if a and a.strip()}
        self.addresses |= {a.strip() for a in Keluarga.objects.values_list("alamat", flat=True) if a and a.strip()}
        self.addresses |= {a.strip() for a in RumahTangga.objects.values_list("alamat", flat=True) if a and a.strip()}
        # Saran dan masukan: a sender's name unless they chose publik, every contact, the tracking
        # code of a report that is not public, and anything of a rahasia report.
        reports = list(Aspirasi.objects.values_list("nama", "kontak", "privasi", "kode_lacak", "publik", "judul"))
        self.names |= {r[0] for r in reports if r[0] and r[2] != Privasi.PUBLIK}
        self.report_secrets = {r[1] for r in reports if r[1]} | {r[3] for r in reports if not r[4]}
        self.report_secrets |= {r[5] for r in reports if r[2] == Privasi.RAHASIA}
        self.phrases = self.names | self.addresses | self.report_secrets
        self.longest = max((len(p.split()) for p in self.phrases), default=1)
        # Families' home points (peta): never on a public map, at any precision down to ~1 m.
        from sidekel.peta.models import LokasiKeluarga

        self.homes = {(round(lon, 5), round(lat, 5)) for lon, lat in LokasiKeluarga.objects.values_list("lon", "lat")}

    def homes_in(self, text):
        """Home points among the positions of a GeoJSON answer."""
        import json

        try:
            data = json.loads(text)
        except ValueError:
            return []
        found = []

        def walk(value):
            if isinstance(value, list) and len(value) >= 2 and all(isinstance(v, (int, float)) for v in value[:2]):
                if (round(value[0], 5), round(value[1], 5)) in self.homes:
                    found.append(f"home at {value[0]}, {value[1]}")
            elif isinstance(value, list):
                for item in value:
                    walk(item)
            elif isinstance(value, dict):
                for item in value.values():
                    walk(item)
        walk(data)
        return found

    @staticmethod
    def public_words():
        words = set()
        for model in (Provinsi, Kabupaten, Kecamatan, Desa, Dusun):
            for name in model.objects.values_list("nama", flat=True):
                words |= set(name.split())
        for name in Sekolah.objects.values_list("nama", flat=True):  # schools are public by name
            words |= set(name.split())
        # The API's own field titles (a field "lintang" is titled "Lintang", also a given name).
        from sidekel.api import api

        for schema in api.get_openapi_schema()["components"]["schemas"].values():
            words |= {prop.get("title", "") for prop in schema.get("properties", {}).values()}
        for kategori in KATEGORI.values():
            for _code, label in kategori.labels():
                words |= set(str(label).split())
        return words

    def found_in(self, text):
        text = html.unescape(text)
        found = []
        for run in re.findall(r"\d{16,}", text):
            found += [run[i:i + 16] for i in range(len(run) - 15) if run[i:i + 16] in self.numbers]
        found += [d for d in re.findall(r"\d{2}-\d{2}-\d{4}|\d{4}-\d{2}-\d{2}|\d{2}/\d{2}/\d{4}", text) if d in self.dates]
        found += [t for t in re.findall(r"\d{10,13}", text) if t in self.phones]
        flat = re.sub(r'[<>"=,;\t\r\n\\{}\[\]]', " ", text)
        tokens = [t.strip("()'") for t in flat.split()]
        for size in range(1, self.longest + 1):
            for i in range(len(tokens) - size + 1):
                phrase = " ".join(tokens[i:i + size])
                if phrase in self.phrases or phrase.rstrip(".") in self.phrases:
                    found.append(phrase)
        return found


def body_text(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":  # xlsx: read every part of the zip
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return " ".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    return content.decode("utf-8", "replace")


def is_public_path(path):
    if not path.startswith("/") or path.startswith("//") or any(path.startswith(p) for p in SKIP_PREFIXES):
        return False
    try:
        resolve(urlsplit(path).path)
    except (Resolver404, NoReverseMatch):
        return False
    return True


@pytest.fixture
def demo(once):
    return once


def build_once():
    DemoBuilder(seed=11).build(penduduk=2000)
    villages = list(Desa.objects.managed().order_by("kode"))
    save_berita(None, villages[0], {"judul": "Posyandu bulan ini", "isi": "Posyandu di balai desa.\n\nBawa buku KIA."})
    save_berita(None, None, {"judul": "Pengumuman kecamatan", "isi": "Kantor tutup pada hari libur."})
    photos_of_places()
    return villages


def gps_photo(lon, lat):
    """A JPEG as a phone makes it: EXIF with the camera and the GPS position where it was taken."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    def dms(value):
        value = abs(value)
        return (float(int(value)), float(int(value * 60 % 60)), round(value * 3600 % 60, 2))

    exif = Image.Exif()
    exif[0x010F] = "KameraMerek"
    exif[0x8825] = {1: "S" if lat < 0 else "N", 2: dms(lat), 3: "E" if lon > 0 else "W", 4: dms(lon)}
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (90, 140, 60)).save(buffer, "JPEG", exif=exif)
    return SimpleUploadedFile("foto.jpg", buffer.getvalue())


def photos_of_places():
    """Photos of two places of the first village, each taken at a family's home (its GPS in the
    EXIF): one place on the public map, one not. Returns the private place's photo address."""
    from sidekel.peta import services as peta
    from sidekel.peta.models import Fitur, LokasiKeluarga

    places = Fitur.objects.filter(lapisan="tempat", publik=True).order_by("desa__kode", "id")
    public = places.first()
    hidden = places.exclude(pk=public.pk).filter(desa=public.desa).first()
    Fitur.objects.filter(pk=hidden.pk).update(publik=False)
    hidden.refresh_from_db()
    homes = list(LokasiKeluarga.objects.filter(desa=public.desa)[:2])
    for place, home in zip((public, hidden), homes):
        peta.simpan_foto(place, gps_photo(home.lon, home.lat), user=None)
    return f"/peta/foto/{hidden.pk}.jpg"


def no_metadata(response):
    """[] for a served image without EXIF (no position, no camera); else what was found."""
    from PIL import Image

    content = response.content
    with Image.open(io.BytesIO(content)) as image:
        found = ["EXIF"] if image.getexif() or b"Exif" in content else []
    return found + (["camera"] if b"KameraMerek" in content else [])


def letter_pages():
    """The demo's letters (issue 21; layanan.demo): every issued letter's verification page and
    answer (a revoked one too), and every online request's tracking page."""
    tokens = Surat.objects.exclude(token=None).values_list("token", flat=True)
    return [f"/v/{t}/" for t in tokens] + [f"/api/v1/verifikasi/{t}/" for t in tokens] + \
        [f"/layanan/lacak/{kode}/" for kode in Permohonan.objects.values_list("kode", flat=True)]


@pytest.mark.django_db
def test_no_personal_data_anywhere_on_the_public_site(client, demo, settings):
    settings.SIDEKEL_API_RATE_PER_MINUTE = 0  # the crawler asks more than a visitor may: every answer is read
    secrets = Secrets()
    assert len(secrets.numbers) > 2000 and len(secrets.names) > 500 and secrets.addresses
    assert len(secrets.homes) > 300  # the demo's families have home points (peta)
    assert {p for p in Aspirasi.objects.values_list("privasi", flat=True)} == set(Privasi.values)
    assert secrets.report_secrets and Aspirasi.objects.filter(publik=True).exists()
    start = ["/", "/bantuan/", "/aspirasi/", "/peta/62.01.02/"] + [f"/desa/{d.kode}/" for d in demo] + PUBLIC_API
    # Each village's map by dusun (its page links that GeoJSON), with a figure shown below the village.
    start += [f"/peta/{d.kode}/?tingkat=dusun{extra}" for d in demo for extra in ("", "&statistik=pendidikan:5")]
    start += [f"/api/v1/aspirasi/lacak/{kode}/" for kode in Aspirasi.objects.publik().values_list("kode_lacak", flat=True)]
    start += [f"/api/v1/{path}?wilayah={kode}" for kode in ["62.01.02"] + [d.kode for d in demo]
              for path in ("sekolah/", "statistik/partisipasi-sekolah/")]
    start += letter_pages()
    queue, seen, leaks, statuses = deque(start), set(start), [], {}
    crawl_parts = {d.kode for d in demo[:PARTS_OF]}
    while queue and len(seen) <= MAX_REQUESTS:
        path = queue.popleft()
        response = client.get(path)
        statuses[path] = response.status_code
        if response.status_code >= 500:
            leaks.append((path, f"status {response.status_code}"))
        if response.status_code != 200:
            continue
        if response.get("Content-Type", "").startswith("image/"):
            leaks += [(path, found) for found in no_metadata(response)]
            continue
        text = body_text(response)
        leaks += [(path, found) for found in secrets.found_in(text)]
        if "json" in response.get("Content-Type", ""):
            leaks += [(path, found) for found in secrets.homes_in(text)]
        if "html" not in response.get("Content-Type", ""):
            continue
        links = [html.unescape(link) for link in LINK.findall(text)]
        for name, options in OPTION_FORM.findall(text):  # GET forms: each choice is a page too
            if name == "bagian" and not any(f"/desa/{k}/" in path for k in crawl_parts):
                continue
            links += [f"{urlsplit(path).path}?{name}={value}" for value in OPTION.findall(options) if value]
        for link in links:
            target = urljoin(path, link)
            target = target.split("://", 1)[-1].partition("/")[2] if "://" in target else target
            target = target if target.startswith("/") else "/" + target
            if target not in seen and is_public_path(target):
                seen.add(target)
                queue.append(target)
    assert not leaks, leaks[:20]
    crawled = [p for p, s in statuses.items() if s == 200]
    # Everything was reached: every village page, every category, every dataset resource in every format.
    assert all(f"/desa/{d.kode}/" in statuses for d in demo)
    assert sum(1 for p in crawled if "/statistik/" in p and "?bagian=rt-" in p) > 20
    assert sum(1 for p in crawled if p.startswith("/data/") and p.endswith((".csv", ".json", ".xlsx"))) >= \
        (len(demo) + 1) * 3 * (len(KATEGORI) + 2)
    assert any(p.startswith("/berita/") and p.endswith("/") and p != "/berita/" for p in crawled)
    assert statuses["/api/v1/wilayah/"] == 200
    assert Sekolah.objects.exists() and secrets.phones
    assert all(statuses.get(f"/desa/{d.kode}/sekolah/") == 200 for d in demo)
    assert all(statuses.get(f"/api/v1/statistik/partisipasi-sekolah/?wilayah={d.kode}") == 200 for d in demo)
    # The public maps and their GeoJSON: the kecamatan's and every village's.
    assert all(statuses.get(f"/peta/{d.kode}/") == 200 for d in demo)
    assert sum(1 for p in crawled if p.startswith("/api/v1/peta/tempat/")) > len(demo)
    assert sum(1 for p in crawled if "tingkat=dusun" in p and p.startswith("/api/v1/peta/batas/")) >= len(demo)
    # A public place's photo was reached (and had no EXIF); the photo of a place off the public map is not served.
    from sidekel.peta.models import FotoTempat

    public_photo, hidden_photo = [f"/peta/foto/{f.fitur_id}.jpg" for f in FotoTempat.objects.order_by("-fitur__publik")]
    assert any(p.startswith(public_photo) for p in crawled) and not any(p.startswith(hidden_photo) for p in crawled)
    assert client.get(hidden_photo).status_code == 404
    assert Surat.objects.filter(status="dicabut").exists() and Permohonan.objects.count() == 2
    assert len(letter_pages()) > 40 and all(statuses[p] == 200 for p in letter_pages())
    assert statuses["/layanan/"] == 200 and statuses["/layanan/masuk/"] == 200
    assert statuses["/bantuan/"] == 200 and "/bantuan/keluarga/" in crawled
    # Saran dan masukan: the list, its pages, the public reports' tracking pages and the form were crawled.
    public_codes = set(Aspirasi.objects.filter(publik=True).values_list("kode_lacak", flat=True))
    assert {f"/aspirasi/lacak/{kode}/" for kode in public_codes} <= set(crawled)
    assert any(p.startswith("/aspirasi/kirim/") for p in crawled) and "/api/v1/aspirasi/" in crawled


@pytest.mark.django_db
def test_a_tracking_code_shows_its_holder_no_name_contact_or_confidential_text(client, demo):
    """The holder of any code (a rahasia report's too) sees status, steps and answers, never the sender."""
    secrets = Secrets()
    for kode in Aspirasi.objects.values_list("kode_lacak", flat=True):
        for path in (f"/aspirasi/lacak/{kode}/", f"/api/v1/aspirasi/lacak/{kode}/"):
            response = client.get(path)
            assert response.status_code == 200, path
            assert set(secrets.found_in(response.content.decode())) <= {kode}, path


@pytest.mark.django_db
def test_the_crawl_would_see_a_leaked_report(client, demo):
    """The detector on reports: a rahasia report made public, with its sender's name and contact, is caught."""
    report = Aspirasi.objects.filter(privasi=Privasi.RAHASIA).exclude(nama="").first()
    Aspirasi.objects.filter(pk=report.pk).update(publik=True, judul_publik=report.judul,
                                                 isi_publik=f"{report.nama} {report.kontak}")
    found = Secrets().found_in(client.get("/aspirasi/").content.decode())
    assert {report.judul, report.nama, report.kontak} <= set(found)


@pytest.mark.django_db
def test_the_crawl_would_see_a_leak(client, demo):
    """The detector itself: a news item that names a resident, with NIK, birth date and address, is caught."""
    person = Penduduk.objects.filter(nama__contains=" ").exclude(alamat="").first()
    text = f"Selamat kepada {person.nama} ({person.nik}), lahir {person.tanggal_lahir:%d-%m-%Y}, {person.alamat}."
    item = save_berita(None, demo[0], {"judul": "Ucapan", "isi": text})
    found = Secrets().found_in(client.get(f"/berita/{item.pk}/").content.decode())
    assert {person.nama, person.nik, f"{person.tanggal_lahir:%d-%m-%Y}"} <= set(found)
    assert any(person.alamat in f for f in found)


@pytest.mark.django_db
def test_the_crawl_would_see_a_home_on_a_public_map(client, demo):
    """A place drawn exactly on a family's home point is caught in the public GeoJSON."""
    from sidekel.peta import services as peta
    from sidekel.peta.models import LokasiKeluarga

    home = LokasiKeluarga.objects.select_related("desa").first()
    peta.simpan_fitur(home.desa, user=None, lapisan="tempat", geometry={"type": "Point", "coordinates": [home.lon, home.lat]},
                      nama="Warung")
    text = client.get(f"/api/v1/peta/tempat/?wilayah={home.desa.kode}").content.decode()
    assert Secrets().homes_in(text) == [f"home at {round(home.lon, 5)}, {round(home.lat, 5)}"]


@pytest.mark.django_db
def test_the_crawl_would_see_a_photo_with_its_position():
    """The detector on photos: a JPEG served as it came from the phone (EXIF with GPS) is caught."""
    from django.http import HttpResponse

    raw = gps_photo(111.62, -2.68).read()
    assert no_metadata(HttpResponse(raw, content_type="image/jpeg")) == ["EXIF", "camera"]
