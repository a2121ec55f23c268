"""Letters asked for online (issue 21, part 5): the resident's PIN, signing in with NIK and PIN (the
same answer and the same work for a wrong NIK or PIN, throttled), the request and its tracking
code, the operator's queue, and the download of the signed letter."""

import io
import re

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sidekel.core.models import ObjectChange
from sidekel.layanan import services
from sidekel.layanan.choices import StatusPermohonan, StatusSurat
from sidekel.layanan.models import JenisSurat, Permohonan, PinWarga, Surat
from sidekel.penduduk import services as penduduk_services

CSRF = re.compile(r'<input type="hidden" name="csrfmiddlewaretoken" value="[^"]*">')


class CountingHasher(MD5PasswordHasher):
    """MD5 (fast, for tests) that counts how often a PIN is checked against a hash."""

    algorithm = "counting_md5"
    checks = 0

    def verify(self, password, encoded):
        CountingHasher.checks += 1
        return super().verify(password, encoded)


def sign_in(client, nik, pin, **extra):
    return client.post("/layanan/masuk/", {"nik": nik, "pin": pin, **extra})


def ask(client, kode="sktm", **fields):
    data = {"jenis": kode, "keperluan": "Beasiswa sekolah", "penghasilan": "750000"} if kode == "sktm" else \
        {"jenis": kode, "keperluan": "Bank"}
    return client.post("/layanan/ajukan/", {**data, **fields})


@pytest.fixture
def budi_pin(people, keluarga_budi):
    _, budi, _, _ = keluarga_budi
    return budi, services.issue_pin(budi, user=people["op"])


@pytest.mark.django_db
def test_a_pin_is_shown_once_kept_as_a_hash_and_audited_without_it(people, keluarga_budi, client):
    _, budi, _, andi = keluarga_budi
    client.force_login(people["op"])
    page = client.post(f"/surat/pin/{budi.pk}/")
    shown = re.search(r'id="pin-baru">(\d{4} \d{4})<', page.content.decode()).group(1)
    assert page["Cache-Control"].startswith("max-age=0") or "no-store" in page["Cache-Control"]
    row = PinWarga.objects.get(penduduk=budi)
    assert shown.replace(" ", "") not in row.pin_hash and row.pin_hash.startswith("md5$")
    again = client.get(f"/surat/pin/{budi.pk}/").content.decode()
    assert shown not in again and shown.replace(" ", "") not in again  # never shown again
    change = ObjectChange.objects.get(content_type__model="pinwarga", object_id=row.pk)
    assert change.username == "op_rangda" and "pin_hash" not in change.after and shown.replace(" ", "") not in str(change.after)
    # Who may: the village's operator; not the kepala desa, not another village's operator.
    with pytest.raises(PermissionDenied):
        services.issue_pin(budi, user=people["kades"])
    with pytest.raises(PermissionDenied):
        services.issue_pin(budi, user=people["op_b"])
    client.force_login(people["op_b"])
    assert client.get(f"/surat/pin/{budi.pk}/").status_code == 404
    # A resident who died gets none; nothing changes.
    penduduk_services.record_death(andi, tanggal=andi.tanggal_lahir.replace(year=2024))
    with pytest.raises(ValidationError):
        services.issue_pin(andi.__class__.objects.get(pk=andi.pk), user=people["op"])
    assert not PinWarga.objects.filter(penduduk=andi).exists()


@pytest.mark.django_db
def test_wrong_nik_or_pin_get_the_same_answer_after_the_same_work(budi_pin, keluarga_budi, client, settings):
    budi, pin = budi_pin
    _, _, siti, _ = keluarga_budi  # a resident without a PIN
    settings.PASSWORD_HASHERS = ["sidekel.layanan.tests.test_permohonan.CountingHasher"]
    PinWarga.objects.filter(penduduk=budi).update(pin_hash=CountingHasher().encode(pin.replace(" ", ""), "salt"))
    settings.SIDEKEL_LOGIN_ATTEMPTS = 50
    tries = {"wrong pin": (budi.nik, "00000000"), "nik without pin": (siti.nik, pin),
             "unknown nik": ("6201021203859999", pin)}
    answers, queries, checks = {}, {}, {}
    for name, (nik, typed) in tries.items():
        sign_in(client, nik, typed)  # once to warm up the throttle's rows for this key
        before = CountingHasher.checks
        with CaptureQueriesContext(connection) as captured:
            response = sign_in(client, nik, typed)
        # The page gives back what was typed in the NIK box; apart from that, every byte is the same.
        answers[name] = (response.status_code, CSRF.sub("", response.content.decode()).replace(nik, "NIK"))
        queries[name] = len(captured)
        checks[name] = CountingHasher.checks - before
    assert len(set(answers.values())) == 1, "a wrong NIK and a wrong PIN must read the same"
    assert answers["wrong pin"][0] == 200 and "NIK atau PIN tidak benar" in answers["wrong pin"][1]
    assert len(set(queries.values())) == 1, queries
    assert set(checks.values()) == {1}, checks  # the hasher runs even when there is no PIN to check
    right = sign_in(client, budi.nik, pin)
    assert right.status_code == 302 and right["Location"] == "/layanan/ajukan/"
    page = client.get("/layanan/ajukan/").content.decode()
    assert "Budi Santoso" in page


@pytest.mark.django_db
def test_pin_guessing_is_throttled_for_any_nik_and_a_new_pin_lifts_it(people, budi_pin, client, settings):
    budi, pin = budi_pin
    settings.SIDEKEL_LOGIN_ATTEMPTS = 3
    for nik in (budi.nik, "6201021203859999"):
        answers = [sign_in(client, nik, f"1111222{n}").status_code for n in range(3)]
        paused = sign_in(client, nik, pin)  # even the right PIN waits now
        assert answers == [200, 200, 200] and paused.status_code == 429, nik
        assert "Terlalu banyak percobaan" in paused.content.decode()
    assert services.pin_locked(budi)
    client.force_login(people["op"])
    assert "ditahan" in client.get(f"/surat/pin/{budi.pk}/").content.decode()
    new_pin = services.issue_pin(budi, user=people["op"])
    assert not services.pin_locked(budi)
    assert sign_in(client, budi.nik, pin).status_code == 200  # the old PIN no longer works
    assert sign_in(client, budi.nik, new_pin).status_code == 302


@pytest.mark.django_db
def test_sign_ins_per_address_are_limited(budi_pin, client, settings):
    budi, pin = budi_pin
    settings.SIDEKEL_LAYANAN_MASUK_PER_JAM = 2
    assert [sign_in(client, "6201021203859999", "12345678").status_code for _ in range(2)] == [200, 200]
    refused = sign_in(client, budi.nik, pin)
    assert refused.status_code == 429 and "Coba lagi dalam" in refused.content.decode()


@pytest.mark.django_db
def test_bad_input_on_the_sign_in_and_request_pages_changes_nothing(budi_pin, client):
    budi, pin = budi_pin
    short = sign_in(client, "6201", "12")
    assert short.status_code == 200 and "16 angka" in short.content.decode() and "8 angka" in short.content.decode()
    assert client.get("/layanan/ajukan/").status_code == 302  # not signed in
    assert sign_in(client, budi.nik, pin, lanjut="https://contoh.example/curi").status_code == 302
    assert client.get("/layanan/ajukan/?jenis=tidak-ada").status_code == 422
    before = Permohonan.objects.count()
    missing = ask(client, penghasilan="")
    assert missing.status_code == 422 and "Penghasilan" in missing.content.decode()
    assert ask(client, penghasilan="banyak").status_code == 422
    assert ask(client, keperluan="").status_code == 422
    assert ask(client, "tidak-ada").status_code == 422
    assert Permohonan.objects.count() == before


@pytest.mark.django_db
def test_the_next_address_after_signing_in_stays_on_this_site(budi_pin, client):
    budi, pin = budi_pin
    away = sign_in(client, budi.nik, pin, lanjut="https://contoh.example/curi")
    assert away["Location"] == "/layanan/ajukan/"


@pytest.mark.django_db
def test_a_request_from_asking_to_download(people, budi_pin, keluarga_budi, client):
    budi, pin = budi_pin
    _, _, siti, _ = keluarga_budi
    sign_in(client, budi.nik, pin)
    sent = ask(client)
    permohonan = Permohonan.objects.get()
    assert sent.status_code == 302 and sent["Location"] == f"/layanan/lacak/{permohonan.kode}/?baru=1"
    assert re.fullmatch(r"SRT-[2-9A-HJKMNP-TW-Z]{4}-[2-9A-HJKMNP-TW-Z]{4}", permohonan.kode)
    assert permohonan.isian == {"penghasilan": "750000"} and permohonan.status == StatusPermohonan.MENUNGGU
    audit = ObjectChange.objects.get(content_type__model="permohonan", object_id=permohonan.pk)
    assert audit.username == "sistem" and audit.action == "create"
    # Whoever holds the code sees the state, never the name or NIK.
    anyone = client.__class__()
    page = anyone.get(f"/layanan/lacak/{permohonan.kode}/").content.decode()
    assert "Menunggu" in page and "Budi" not in page and budi.nik not in page
    assert anyone.get(f"/layanan/lacak/?kode={permohonan.kode.lower().replace('-', ' ')}")["Location"] == \
        f"/layanan/lacak/{permohonan.kode}/"
    assert anyone.get("/layanan/lacak/?kode=SRT-2222-2222").status_code == 404
    # The operator's queue: the request, made into a draft with the resident's fields.
    operator = client.__class__()
    operator.force_login(people["op"])
    assert permohonan.kode not in operator.get("/surat/").content.decode()  # listed by type and name
    assert f"/surat/permohonan/{permohonan.pk}/" in operator.get("/surat/").content.decode()
    made = operator.post(f"/surat/permohonan/{permohonan.pk}/proses/")
    surat = Surat.objects.get()
    assert made["Location"] == f"/surat/{surat.pk}/" and surat.isian == {"penghasilan": "750000"}
    assert surat.keperluan == "Beasiswa sekolah" and Permohonan.objects.get().surat == surat
    assert operator.post(f"/surat/permohonan/{permohonan.pk}/proses/").status_code == 302
    assert Surat.objects.count() == 1  # handled once
    assert "tanda tangan" in anyone.get(f"/layanan/lacak/{permohonan.kode}/").content.decode()
    assert client.get(f"/layanan/lacak/{permohonan.kode}/surat.pdf").status_code == 404  # not signed yet
    # Signed: the resident downloads it; another resident, or nobody signed in, does not.
    services.sign_surat(surat, user=people["kades"])
    page = client.get(f"/layanan/lacak/{permohonan.kode}/").content.decode()
    assert "Unduh surat (PDF)" in page and Surat.objects.get().nomor in page
    pdf = client.get(f"/layanan/lacak/{permohonan.kode}/surat.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    from pypdf import PdfReader

    assert "Budi Santoso" in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "no-store" in pdf["Cache-Control"] or "max-age=0" in pdf["Cache-Control"]
    stranger = anyone.get(f"/layanan/lacak/{permohonan.kode}/surat.pdf")
    assert stranger.status_code == 302 and stranger["Location"].startswith("/layanan/masuk/?lanjut=")
    back = sign_in(anyone, budi.nik, pin, lanjut=f"/layanan/lacak/{permohonan.kode}/surat.pdf")
    assert back["Location"] == f"/layanan/lacak/{permohonan.kode}/surat.pdf"
    siti_pin = services.issue_pin(siti, user=people["op"])
    other = client.__class__()
    sign_in(other, siti.nik, siti_pin)
    assert other.get(f"/layanan/lacak/{permohonan.kode}/surat.pdf").status_code == 404
    # Revoked: the page says so and the letter is no longer handed out.
    services.revoke_surat(Surat.objects.get(), user=people["kades"], alasan="Data keliru")
    assert "dicabut" in client.get(f"/layanan/lacak/{permohonan.kode}/").content.decode()
    assert client.get(f"/layanan/lacak/{permohonan.kode}/surat.pdf").status_code == 404


@pytest.mark.django_db
def test_refusal_needs_a_reason_and_the_resident_reads_it(people, budi_pin, client):
    budi, pin = budi_pin
    permohonan = services.submit_permohonan(budi, jenis=JenisSurat.objects.get(kode="domisili"), keperluan="Bank")
    client.force_login(people["op"])
    empty = client.post(f"/surat/permohonan/{permohonan.pk}/tolak/", {"alasan": "  "})
    assert empty.status_code == 422 and Permohonan.objects.get().status == StatusPermohonan.MENUNGGU
    with pytest.raises(PermissionDenied):
        services.refuse_permohonan(permohonan, user=people["kades"], alasan="x")
    client.post(f"/surat/permohonan/{permohonan.pk}/tolak/", {"alasan": "KTP belum diperbarui, datang ke kantor"})
    assert Permohonan.objects.get().status == StatusPermohonan.DITOLAK
    page = client.__class__().get(f"/layanan/lacak/{permohonan.kode}/").content.decode()
    assert "Ditolak" in page and "KTP belum diperbarui" in page
    with pytest.raises(ValidationError):
        services.draft_from_permohonan(permohonan, user=people["op"])
    assert not Surat.objects.exists()


@pytest.mark.django_db
def test_a_deleted_draft_sends_its_request_back_to_the_queue(people, budi_pin):
    budi, _pin = budi_pin
    permohonan = services.submit_permohonan(budi, jenis=JenisSurat.objects.get(kode="domisili"), keperluan="Bank")
    surat = services.draft_from_permohonan(permohonan, user=people["op"])
    assert Permohonan.objects.get().status == StatusPermohonan.DIPROSES
    services.delete_draft(surat, user=people["op"])
    again = Permohonan.objects.get()
    assert again.status == StatusPermohonan.MENUNGGU and again.surat is None
    assert services.tracking_state(again) == ("menunggu", None)


@pytest.mark.django_db
def test_a_correction_is_what_the_resident_downloads(people, budi_pin):
    budi, _pin = budi_pin
    permohonan = services.submit_permohonan(budi, jenis=JenisSurat.objects.get(kode="domisili"), keperluan="Bank")
    first = services.sign_surat(services.draft_from_permohonan(permohonan, user=people["op"]), user=people["kades"])
    correction = services.draft_surat(user=people["op"], penduduk=budi, jenis=first.jenis, keperluan="Bank BRI",
                                      menggantikan=first)
    assert services.tracking_state(Permohonan.objects.get())[1] == first
    correction = services.sign_surat(correction, user=people["kades"])
    state, letter = services.tracking_state(Permohonan.objects.get())
    assert state == "terbit" and letter == correction and Surat.objects.get(pk=first.pk).status == StatusSurat.DIGANTI


@pytest.mark.django_db
def test_waiting_requests_per_resident_are_capped(budi_pin, settings):
    budi, _pin = budi_pin
    settings.SIDEKEL_LAYANAN_MENUNGGU_MAKS = 2
    domisili = JenisSurat.objects.get(kode="domisili")
    for _ in range(2):
        services.submit_permohonan(budi, jenis=domisili, keperluan="Bank")
    with pytest.raises(ValidationError, match="2"):
        services.submit_permohonan(budi, jenis=domisili, keperluan="Bank")
    assert Permohonan.objects.count() == 2


@pytest.mark.django_db
def test_a_new_pin_or_idle_time_ends_the_residents_session(people, budi_pin, client, settings):
    budi, pin = budi_pin
    sign_in(client, budi.nik, pin)
    assert client.get("/layanan/ajukan/").status_code == 200
    services.issue_pin(budi, user=people["op"])
    assert client.get("/layanan/ajukan/").status_code == 302
    new_pin = services.issue_pin(budi, user=people["op"])
    sign_in(client, budi.nik, new_pin)
    session = client.session
    session["layanan_warga"]["sampai"] = 1
    session.save()
    assert client.get("/layanan/ajukan/").status_code == 302
    assert client.post("/layanan/keluar/").status_code == 302


@pytest.mark.django_db
def test_the_queue_shows_on_the_officials_home_page(people, budi_pin, client):
    budi, _pin = budi_pin
    services.submit_permohonan(budi, jenis=JenisSurat.objects.get(kode="domisili"), keperluan="Bank")
    client.force_login(people["op"])
    page = client.get(f"/petugas/desa/{budi.desa.kode}/").content.decode()
    assert "1 permohonan daring menunggu" in page
    client.force_login(people["op_b"])
    assert "permohonan daring" not in client.get("/petugas/").content.decode()


@pytest.mark.django_db
def test_the_api_reads_the_queue_makes_a_draft_and_refuses_with_a_reason(people, budi_pin, client):
    """The operators' queue over the API, on the same services as the pages: another village's
    operator finds nothing; a request is handled once; a refusal needs its reason."""
    from sidekel.akun.services import issue_token
    from sidekel.core.models import AccessLog

    budi, _pin = budi_pin
    domisili = JenisSurat.objects.get(kode="domisili")
    first = services.submit_permohonan(budi, jenis=domisili, keperluan="Bank")
    second = services.submit_permohonan(budi, jenis=domisili, keperluan="Sekolah")
    op, op_b = (f"Bearer {issue_token(people[n])}" for n in ("op", "op_b"))
    get = lambda url, auth: client.get(url, HTTP_AUTHORIZATION=auth)
    post = lambda url, data, auth: client.post(url, data, content_type="application/json", HTTP_AUTHORIZATION=auth)

    queue = get("/api/v1/surat/permohonan/", op).json()
    assert queue["count"] == 2 and [r["kode"] for r in queue["results"]] == [first.kode, second.kode]
    assert queue["results"][0] == {
        "id": first.pk, "kode": first.kode, "desa": budi.desa.kode, "jenis": "domisili", "penduduk": budi.pk,
        "nama": budi.nama, "keperluan": "Bank", "isian": {}, "status": "menunggu",
        "diajukan_pada": queue["results"][0]["diajukan_pada"], "alasan_tolak": "", "surat": None}
    assert AccessLog.objects.filter(user=people["op"], action=AccessLog.Action.SEARCH,
                                    detail__startswith="api permohonan").exists()
    assert get("/api/v1/surat/permohonan/", op_b).json() == {"count": 0, "next": None, "results": []}
    assert get(f"/api/v1/surat/permohonan/{first.pk}/", op_b).status_code == 404
    assert post(f"/api/v1/surat/permohonan/{first.pk}/proses/", {}, op_b).status_code == 404
    assert get("/api/v1/surat/permohonan/?status=entah", op).status_code == 422
    page = get(f"/api/v1/surat/permohonan/?limit=1&desa={budi.desa.kode}", op).json()
    assert [r["id"] for r in page["results"]] == [first.pk] and "offset=1" in page["next"]
    assert [r["id"] for r in client.get(page["next"], HTTP_AUTHORIZATION=op).json()["results"]] == [second.pk]

    made = post(f"/api/v1/surat/permohonan/{first.pk}/proses/", {}, op)
    assert made.status_code == 201 and made.json()["status"] == StatusSurat.DRAF
    surat = Surat.objects.get(pk=made.json()["id"])
    assert surat.penduduk == budi and surat.keperluan == "Bank"
    assert get(f"/api/v1/surat/permohonan/{first.pk}/", op).json()["surat"] == surat.pk
    again = post(f"/api/v1/surat/permohonan/{first.pk}/proses/", {}, op)
    assert again.status_code == 409 and Surat.objects.count() == 1

    assert post(f"/api/v1/surat/permohonan/{second.pk}/tolak/", {"alasan": "  "}, op).status_code == 422
    assert Permohonan.objects.get(pk=second.pk).status == StatusPermohonan.MENUNGGU
    refused = post(f"/api/v1/surat/permohonan/{second.pk}/tolak/", {"alasan": "Syarat belum lengkap"}, op)
    assert refused.json() == {"id": second.pk, "status": "ditolak"}
    assert [r["alasan_tolak"] for r in get("/api/v1/surat/permohonan/?status=ditolak", op).json()["results"]] == [
        "Syarat belum lengkap"]
    assert get("/api/v1/surat/permohonan/", op).json()["count"] == 0
