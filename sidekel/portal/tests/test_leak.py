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

from sidekel.penduduk.demo import DemoBuilder
from sidekel.penduduk.models import Keluarga, NomorKK, Penduduk, RumahTangga
from sidekel.portal.services import save_berita
from sidekel.statistik.choices import KATEGORI
from sidekel.wilayah.models import Desa, Dusun, Kabupaten, Kecamatan, Provinsi

SKIP_PREFIXES = ("/masuk/", "/keluar/", "/admin/", "/petugas/", "/static/", "/penduduk/", "/keluarga/",
                 "/statistik/", "/impor/", "/desa/?", "/healthz")
LINK = re.compile(r'(?:href|src|action)="([^"#]*)"')
OPTION_FORM = re.compile(r'<select id="(bagian|organisasi)" name="\1">(.*?)</select>', re.S)
OPTION = re.compile(r'<option value="([^"]*)"')
PUBLIC_API = ["/api/v1/wilayah/", "/api/v1/openapi.json", "/api/v1/statistik/", "/api/v1/data/"]
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
        self.dates = set()
        for born in {p[4] for p in people} - own:
            self.dates |= {born.strftime("%d-%m-%Y"), born.strftime("%Y-%m-%d"), born.strftime("%d/%m/%Y")}
        self.addresses = {a.strip() for p in people for a in [p[5]] if a and a.strip()}
        self.addresses |= {a.strip() for a in Keluarga.objects.values_list("alamat", flat=True) if a and a.strip()}
        self.addresses |= {a.strip() for a in RumahTangga.objects.values_list("alamat", flat=True) if a and a.strip()}
        self.phrases = self.names | self.addresses
        self.longest = max((len(p.split()) for p in self.phrases), default=1)

    @staticmethod
    def public_words():
        words = set()
        for model in (Provinsi, Kabupaten, Kecamatan, Desa, Dusun):
            for name in model.objects.values_list("nama", flat=True):
                words |= set(name.split())
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
def demo(db):
    DemoBuilder(seed=11).build(penduduk=2000)
    villages = list(Desa.objects.managed().order_by("kode"))
    save_berita(None, villages[0], {"judul": "Posyandu bulan ini", "isi": "Posyandu di balai desa.\n\nBawa buku KIA."})
    save_berita(None, None, {"judul": "Pengumuman kecamatan", "isi": "Kantor tutup pada hari libur."})
    letters_of_demo()
    return villages


def letters_of_demo():
    """A few issued letters, one revoked: their /v/<token>/ pages are public (issue 21)."""
    from sidekel.layanan import services as surat
    from sidekel.layanan.katalog import seed
    from sidekel.layanan.models import JenisSurat

    seed()  # a transactional test run before may have emptied the seeded types
    domisili = JenisSurat.objects.get(kode="domisili")
    issued = [surat.sign_surat(surat.draft_surat(user=None, penduduk=p, jenis=domisili, keperluan="Bank"), user=None)
              for p in Penduduk.objects.hidup().filter(nama__contains=" ").order_by("id")[:5]]
    surat.revoke_surat(issued[0], user=None, alasan="Salah cetak")
    return issued


def letter_pages():
    from sidekel.layanan.models import Surat

    tokens = Surat.objects.exclude(token=None).values_list("token", flat=True)
    return [f"/v/{t}/" for t in tokens] + [f"/api/v1/verifikasi/{t}/" for t in tokens]


@pytest.mark.django_db
def test_no_personal_data_anywhere_on_the_public_site(client, demo):
    secrets = Secrets()
    assert len(secrets.numbers) > 2000 and len(secrets.names) > 500 and secrets.addresses
    start = ["/", "/bantuan/"] + [f"/desa/{d.kode}/" for d in demo] + PUBLIC_API + letter_pages()
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
        text = body_text(response)
        leaks += [(path, found) for found in secrets.found_in(text)]
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
    assert len(letter_pages()) == 10 and all(statuses[p] == 200 for p in letter_pages())
    assert statuses["/bantuan/"] == 200 and "/bantuan/keluarga/" in crawled


@pytest.mark.django_db
def test_the_crawl_would_see_a_leak(client, demo):
    """The detector itself: a news item that names a resident, with NIK, birth date and address, is caught."""
    person = Penduduk.objects.filter(nama__contains=" ").exclude(alamat="").first()
    text = f"Selamat kepada {person.nama} ({person.nik}), lahir {person.tanggal_lahir:%d-%m-%Y}, {person.alamat}."
    item = save_berita(None, demo[0], {"judul": "Ucapan", "isi": text})
    found = Secrets().found_in(client.get(f"/berita/{item.pk}/").content.decode())
    assert {person.nama, person.nik, f"{person.tanggal_lahir:%d-%m-%Y}"} <= set(found)
    assert any(person.alamat in f for f in found)
