"""Village profiles (potensi) on the public site: crawl every public page, file and API answer
from the home page and look for any value of a profile the kecamatan has not approved (a draft,
a submitted, a returned or a reopened one). The approved values must be found, so the crawl
reaches them."""

from collections import deque
from urllib.parse import urljoin, urlsplit

import html
import pytest
from django.utils import timezone

from sidekel.potensi import services
from sidekel.wilayah.models import Desa

from .test_leak import LINK, body_text, is_public_path

WISATA, LUAS = "sda.wisata.utama", "sda.umum.luas"
SECRET = {"draf": "Air Terjun Draf", "diajukan": "Goa Diajukan", "dikembalikan": "Pantai Dikembalikan",
          "dibuka": "Bukit Dibuka Lagi"}
PUBLIC = "Riam Disetujui"


@pytest.fixture
def profiles(arut_selatan):
    from sidekel.potensi.katalog import load
    from sidekel.potensi.models import Indikator

    load(Indikator)  # a transactional test elsewhere may have flushed the migration's rows
    year = timezone.localdate().year - 1
    villages = list(Desa.objects.managed().filter(jenis=2).order_by("kode"))[:5]
    approved, draf, diajukan, dikembalikan, dibuka = villages

    def fill(desa, name, number):
        services.save_values(desa, year, {WISATA: name, LUAS: number}, user=None)

    fill(approved, PUBLIC, "111222.5")
    services.submit(approved, year, user=None)
    services.approve(approved, year, user=None)
    fill(draf, SECRET["draf"], "400001")
    fill(diajukan, SECRET["diajukan"], "400002")
    services.submit(diajukan, year, user=None)
    fill(dikembalikan, SECRET["dikembalikan"], "400003")
    services.submit(dikembalikan, year, user=None)
    services.return_profil(dikembalikan, year, user=None, catatan="periksa")
    fill(dibuka, "Nama Lama", "400004")
    services.submit(dibuka, year, user=None)
    services.approve(dibuka, year, user=None)
    services.reopen(dibuka, year, user=None, alasan="koreksi")
    fill(dibuka, SECRET["dibuka"], "400005")
    # The older year of the reopened village stays approved and public.
    services.save_values(dibuka, year - 1, {WISATA: "Danau Tahun Lalu"}, user=None)
    services.submit(dibuka, year - 1, user=None)
    services.approve(dibuka, year - 1, user=None)
    return villages, year


def test_no_value_of_an_unapproved_profile_anywhere_on_the_public_site(client, profiles):
    villages, year = profiles
    start = ["/", "/data/", "/api/v1/data/", "/api/v1/potensi/indikator/", "/api/v1/potensi/?wilayah=62.01.02"]
    start += [f"/desa/{d.kode}/" for d in villages]
    start += [f"/api/v1/potensi/?wilayah={d.kode}&tahun={y}" for d in villages for y in (year, year - 1)]
    queue, seen, texts = deque(start), set(start), {}
    while queue and len(seen) < 3000:
        path = queue.popleft()
        response = client.get(path)
        assert response.status_code < 500, path
        if response.status_code != 200:
            continue
        text = html.unescape(body_text(response))
        texts[path] = text
        if "html" not in response.get("Content-Type", ""):
            continue
        for link in LINK.findall(text):
            target = urljoin(path, html.unescape(link))
            if "://" in target:
                continue
            if target not in seen and is_public_path(target) and "/statistik/" not in target:
                seen.add(target)
                queue.append(target)
    leaks = [(path, word) for path, text in texts.items() for word in [*SECRET.values(), *(f"40000{n}" for n in range(1, 6)), *(f"400.00{n}" for n in range(1, 6)), "Nama Lama"]
             if word in text]
    assert not leaks, leaks[:10]
    # The crawl did reach the approved values: the village page, the API and the open-data file.
    found = {path for path, text in texts.items() if PUBLIC in text}
    assert f"/desa/{villages[0].kode}/" in found
    assert any(p.startswith("/api/v1/potensi/") for p in texts if "111222.5" in texts[p])
    assert any(p.startswith("/data/potensi-sda/") and p.endswith(".csv") for p in found)
    assert any("Danau Tahun Lalu" in text for path, text in texts.items() if path == f"/desa/{villages[4].kode}/")
