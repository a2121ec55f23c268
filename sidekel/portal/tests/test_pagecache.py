"""The stored answers of public pages and the public API (core/pagecache.py): never older than
the data, never for a logged-in user, 304 on a matching ETag, the API's limit and CORS kept.

Writes go through ``django_capture_on_commit_callbacks(execute=True)``: the data version goes
up after a commit, and a test's transaction never commits.
"""

import datetime
import gzip

import pytest
from django.utils import timezone

from sidekel.core import pagecache
from sidekel.penduduk import services
from sidekel.portal.services import save_berita
from sidekel.wilayah.services import update_profil

RANGDA = "/desa/62.01.02.2010/"
WILAYAH_API = "/api/v1/wilayah/"
STATISTIK_API = "/api/v1/statistik/jenis-kelamin/?wilayah=62.01.02.2010"


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.SIDEKEL_PAGE_CACHE = True
    pagecache.STORE.clear()
    yield
    pagecache.STORE.clear()


def _served_from_store(client, url, **headers):
    """GET twice; the second answer must be the stored one (same ETag, nothing rendered)."""
    first = client.get(url, **headers)
    second = client.get(url, **headers)
    assert first.status_code == second.status_code == 200
    assert first["ETag"] == second["ETag"]
    return second


def _rangda_count(client):
    rows = client.get(WILAYAH_API).json()
    return next(d["jumlah_penduduk"] for d in rows if d["kode"] == "62.01.02.2010")


def test_public_answers_are_stored_and_served(client, keluarga_budi, django_assert_max_num_queries):
    for url in ["/", RANGDA, WILAYAH_API, STATISTIK_API, "/berita/", "/data/"]:
        client.get(url)
        with django_assert_max_num_queries(1):  # the data version, nothing else
            response = client.get(url)
        assert response.status_code == 200, url
        assert not response.cookies, url


def test_another_process_takes_the_answer_from_the_shared_cache(client, keluarga_budi, django_assert_max_num_queries):
    first = client.get(RANGDA)
    pagecache.STORE.clear()  # another worker process of the server: nothing in its memory
    with django_assert_max_num_queries(1):  # the data version; the answer from the shared cache
        second = client.get(RANGDA)
    assert second.status_code == 200 and second["ETag"] == first["ETag"] and second.content == first.content


def test_a_resident_edit_shows_on_the_next_request(client, keluarga_budi, django_capture_on_commit_callbacks,
                                                  settings):
    settings.SIDEKEL_SUPPRESS_BELOW = 1  # nothing drawn: this test is about stored answers, not small counts
    _keluarga, budi, _siti, andi = keluarga_budi
    assert _rangda_count(client) == 3
    page = _served_from_store(client, STATISTIK_API)
    with django_capture_on_commit_callbacks(execute=True):
        services.record_death(andi, tanggal=timezone.localdate() - datetime.timedelta(days=1))
    assert _rangda_count(client) == 2
    after = client.get(STATISTIK_API)
    assert after["ETag"] != page["ETag"] and after.json() != page.json()


def test_news_and_profile_changes_show_on_the_next_request(client, rangda, django_capture_on_commit_callbacks):
    assert "Gotong royong" not in _served_from_store(client, RANGDA).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        save_berita(None, rangda, {"judul": "Gotong royong", "isi": "Sabtu pagi."})
    assert "Gotong royong" in client.get(RANGDA).content.decode()
    assert "Gotong royong" in client.get("/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        update_profil(rangda, None, {"nama_kepala": "Ibu Kades Baru"})
    assert "Ibu Kades Baru" in client.get(RANGDA).content.decode()


def test_a_scheduled_news_item_appears_when_its_time_comes(client, rangda, monkeypatch,
                                                          django_capture_on_commit_callbacks):
    soon = timezone.now() + datetime.timedelta(minutes=5)
    with django_capture_on_commit_callbacks(execute=True):
        save_berita(None, rangda, {"judul": "Pengumuman terjadwal", "isi": "x", "tanggal_terbit": soon})
    assert "Pengumuman terjadwal" not in _served_from_store(client, RANGDA).content.decode()
    later = soon + datetime.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert "Pengumuman terjadwal" in client.get(RANGDA).content.decode()


def test_a_logged_in_user_never_gets_or_leaves_a_stored_page(client, rangda, django_user_model):
    user = django_user_model.objects.create_user("operator.rangda", password="x", role="operator")
    user.desa.add(rangda)
    client.force_login(user)
    page = client.get(RANGDA)
    assert page.status_code == 200
    assert not pagecache.STORE.entries  # the logged-in answer was not kept
    assert "operator.rangda" in client.get(RANGDA).content.decode()
    client.logout()
    client.cookies.clear()
    anonymous = client.get(RANGDA).content.decode()
    assert "operator.rangda" not in anonymous and len(pagecache.STORE.entries) == 1

    client.force_login(user)  # a stored anonymous answer is not given to a logged-in user either
    assert "operator.rangda" in client.get(RANGDA).content.decode()


def test_an_answer_that_sets_a_cookie_is_not_stored(client, arut_selatan):
    client.get("/akun/login/")  # not public: not stored
    assert not pagecache.STORE.entries

    from django.http import HttpResponse

    response = HttpResponse("x")
    response.set_cookie("hai", "1")
    assert not pagecache._storable(response)


def test_304_etag_and_headers(client, keluarga_budi):
    page = _served_from_store(client, RANGDA, HTTP_ACCEPT_ENCODING="gzip")
    assert page["Content-Encoding"] == "gzip" and "<h1" in gzip.decompress(page.content).decode()
    assert "Accept-Encoding" in page["Vary"] and page["Cache-Control"] == "no-cache"
    assert page["X-Frame-Options"] == "DENY" and page["Content-Type"].startswith("text/html")
    plain = client.get(RANGDA)
    assert "Content-Encoding" not in plain and plain["ETag"] != page["ETag"]

    again = client.get(RANGDA, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=page["ETag"])
    assert again.status_code == 304 and again["ETag"] == page["ETag"] and not again.content
    assert client.get(RANGDA, HTTP_IF_NONE_MATCH='"lain"').status_code == 200

    api = _served_from_store(client, STATISTIK_API, HTTP_ORIGIN="https://contoh.id")
    assert api["Access-Control-Allow-Origin"] == "*" and "public" in api["Cache-Control"]
    cached_304 = client.get(STATISTIK_API, HTTP_IF_NONE_MATCH=api["ETag"])
    assert cached_304.status_code == 304 and cached_304["Access-Control-Allow-Origin"] == "*"

    english = client.get(RANGDA, HTTP_ACCEPT_LANGUAGE="en")
    assert english["ETag"] == plain["ETag"]  # every page is in Bahasa Indonesia, whatever the browser asks


def test_the_rate_limit_applies_to_stored_answers(client, arut_selatan, settings):
    settings.SIDEKEL_API_RATE_PER_MINUTE = 3
    answers = [client.get(WILAYAH_API, REMOTE_ADDR="10.0.0.9").status_code for _ in range(5)]
    assert answers == [200, 200, 200, 429, 429]
    refused = client.get(WILAYAH_API, REMOTE_ADDR="10.0.0.9")
    assert refused["Access-Control-Allow-Origin"] == "*" and refused["Retry-After"]
    assert client.get(WILAYAH_API, REMOTE_ADDR="10.0.0.10").status_code == 200


def test_audited_writes_raise_the_version_once_per_transaction(arut_selatan, django_capture_on_commit_callbacks):
    from django.db import transaction

    from sidekel.core.audit import current_version, data_changed

    before = current_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            data_changed()
            data_changed()
    assert len(callbacks) == 1
    assert current_version() == (before[0], before[1] + 1)


def test_the_store_keeps_its_bounds():
    from django.http import HttpResponse

    store = pagecache.Store(size=3, max_bytes=25)
    for i in range(5):
        store.put(i, pagecache.Entry(("t", 1), None, HttpResponse(b"x" * 10, headers={"ETag": '"e"'})))
    assert list(store.entries) == [3, 4] and store.bytes == 20
    store.get(3)  # used: the last to go
    for i in (5, 6):
        store.put(i, pagecache.Entry(("t", 1), None, HttpResponse(b"x" * 5, headers={"ETag": '"e"'})))
    assert list(store.entries) == [3, 5, 6] and store.bytes == 20


def test_with_a_worker_a_stored_answer_is_made_again_once_a_round(client, keluarga_budi, settings,
                                                                  django_capture_on_commit_callbacks):
    """While a worker runs, public answers follow its rounds (the figures they show are the
    round's anyway): a write alone does not make them again, the next round does."""
    from sidekel.core import versioned
    from sidekel.core.jobs import WORKER_ALIVE, jobs_dir

    settings.SIDEKEL_SUPPRESS_BELOW = 1
    settings.SIDEKEL_PUBLISH_SECONDS = 0  # each round publishes (see the next test)
    _keluarga, _budi, _siti, andi = keluarga_budi
    (jobs_dir() / WORKER_ALIVE).touch()
    with django_capture_on_commit_callbacks(execute=True):
        versioned.refresh()  # the worker's first round: figures made
    assert versioned.refresh() == []  # the next: nothing to make, the data as it is published
    assert _rangda_count(client) == 3
    page = _served_from_store(client, RANGDA)
    with django_capture_on_commit_callbacks(execute=True):
        services.record_death(andi, tanggal=timezone.localdate() - datetime.timedelta(days=1))
        save_berita(None, andi.desa, {"judul": "Gotong royong", "isi": "Sabtu pagi."})
    assert _rangda_count(client) == 3 and client.get(RANGDA)["ETag"] == page["ETag"]  # the round's answers
    with django_capture_on_commit_callbacks(execute=True):
        assert versioned.refresh() == [andi.desa_id]
    assert _rangda_count(client) == 2 and "Gotong royong" in client.get(RANGDA).content.decode()
    (jobs_dir() / WORKER_ALIVE).unlink()  # no worker: answers follow each write again
    with django_capture_on_commit_callbacks(execute=True):
        save_berita(None, andi.desa, {"judul": "Kerja bakti", "isi": "Minggu pagi."})
    assert "Kerja bakti" in client.get(RANGDA).content.decode()


def test_the_worker_publishes_at_most_once_in_its_interval(db, settings, monkeypatch):
    from django.db.models import F

    from sidekel.core import versioned
    from sidekel.core.audit import current_version
    from sidekel.core.models import DataVersion

    settings.SIDEKEL_PUBLISH_SECONDS = 5
    clock = [1000.0]
    monkeypatch.setattr(versioned, "_clock", lambda: clock[0])
    monkeypatch.setattr(versioned, "_published_at", None)

    def change():  # what a committed write does (audit.data_changed)
        current_version()  # the row, made when missing
        DataVersion.objects.filter(pk=1).update(number=F("number") + 1)
        return DataVersion.objects.get(pk=1).number

    first = change()
    versioned.publish()
    assert DataVersion.objects.get(pk=1).published == first
    second = change()
    clock[0] += 4.9
    versioned.publish()
    assert DataVersion.objects.get(pk=1).published == first  # too soon: the answers stay as published
    clock[0] += 0.1
    versioned.publish()
    assert DataVersion.objects.get(pk=1).published == second > first
