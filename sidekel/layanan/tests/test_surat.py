"""Letters: the catalogue, placeholders and escaping, the flow (draft, sign, revoke, correct), bad
input that changes nothing, the PDF with its QR code, and verification."""

import datetime
import io
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sidekel.core import numbering
from sidekel.core.models import ObjectChange
from sidekel.layanan import services
from sidekel.layanan.choices import StatusSurat
from sidekel.layanan.katalog import JENIS
from sidekel.layanan.models import JenisSurat, PengaturanSurat, Surat
from sidekel.layanan.placeholders import PLACEHOLDERS, check_body, render_html, render_text
from sidekel.penduduk import services as penduduk_services

REQUIRED = {"pengantar", "domisili", "keterangan-penduduk", "domisili-usaha", "sktm", "pengantar-skck",
            "keterangan-usaha", "kelahiran", "kematian", "pindah", "belum-menikah", "beda-identitas", "ahli-waris",
            "penghasilan-orang-tua"}


def sktm():
    return JenisSurat.objects.get(kode="sktm")


def draft(people, penduduk, kode="sktm", **isian):
    isian = isian or ({"penghasilan": "750000"} if kode == "sktm" else {})
    return services.draft_surat(user=people["op"], penduduk=penduduk, jenis=JenisSurat.objects.get(kode=kode),
                                isian=isian, keperluan="Beasiswa sekolah")


def sequence_key(desa):
    return f"surat:{desa.kode}:{timezone.localdate().year}"


@pytest.mark.django_db
def test_the_catalogue_is_seeded_with_stable_codes_and_valid_bodies():
    seeded = {j.kode: j for j in JenisSurat.objects.all()}
    assert REQUIRED <= set(seeded)
    for jenis in seeded.values():
        jenis.full_clean()  # every body uses only the documented placeholders and the type's fields
        assert jenis.klasifikasi and jenis.masa_berlaku > 0 and jenis.kertas in ("A4", "F4")
    assert [f["nama"] for f in seeded["keterangan-usaha"].isian] == ["jenis_usaha", "mulai_usaha"]
    assert len(JENIS) == len(seeded)


def test_a_body_may_use_only_the_listed_placeholders():
    check_body("Nama {nama}, usaha {nama_usaha}", [{"nama": "nama_usaha", "jenis": "teks"}])
    with pytest.raises(ValidationError, match=r"\{password\}"):
        check_body("{nama} {password}", [])
    # Anything that is not a {name} placeholder is just text: no attribute, no call, no template tag.
    assert render_text("{nama.__class__} {% load x %} {{ nama }} {{nama}} {nama}", {"nama": "Budi"}) == \
        "{nama.__class__} {% load x %} {{ nama }} {Budi} Budi"


def test_values_are_put_in_once_and_escaped_for_a_page():
    values = {"nama": "<b>Tom & \"Jerry\" 'O'</b> {nik}", "nik": "6201021203850001"}
    assert render_text("Nama: {nama}", values) == "Nama: <b>Tom & \"Jerry\" 'O'</b> {nik}"
    html = render_html("<i>Nama</i>: {nama}\nNIK {nik}", values)
    assert "<b>" not in html and "<i>" not in html
    assert "&lt;b&gt;Tom &amp; &quot;Jerry&quot; &#x27;O&#x27;&lt;/b&gt; {nik}" in html
    assert "NIK 6201021203850001" in html and "<br>" in html


def test_the_documented_list_covers_resident_family_village_official_and_letter():
    for name in ("nama", "nik", "kepala_keluarga", "desa", "penandatangan", "nomor", "tanggal", "keperluan"):
        assert name in PLACEHOLDERS


@pytest.mark.django_db
def test_sign_numbers_freezes_and_verifies(people, keluarga_budi, client):
    _, budi, _, _ = keluarga_budi
    surat = draft(people, budi)
    assert surat.status == StatusSurat.DRAF and not surat.nomor and not surat.token
    signed = services.sign_surat(surat, user=people["kades"])
    today = timezone.localdate()
    roman = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"][today.month - 1]
    assert signed.nomor == f"400.9/001/DS-RANGDA/{roman}/{today.year}"
    assert signed.status == StatusSurat.TERBIT and signed.tanggal == today
    assert signed.berlaku_sampai == today + datetime.timedelta(days=sktm().masa_berlaku)
    assert "Budi Santoso" in signed.teks and "Beasiswa sekolah" in signed.teks and signed.nomor not in signed.token
    assert signed.cetak["penandatangan"] == "Harun Effendi" and signed.cetak["jabatan"] == "Kepala Desa Rangda"
    assert "di bawah ini Kepala Desa Rangda, Kecamatan Arut Selatan" in signed.teks  # the village named once
    assert ObjectChange.objects.filter(object_id=signed.pk, content_type__model="surat").count() == 2  # drafted, signed
    # A later change of the body or of the signer's name changes no issued letter.
    JenisSurat.objects.filter(kode="sktm").update(badan="Lain sama sekali {nama}")
    people["kades"].first_name = "Orang Baru"
    people["kades"].save()
    again = Surat.objects.get(pk=signed.pk)
    assert again.teks == signed.teks and again.cetak["penandatangan"] == "Harun Effendi"
    # The second letter takes the next number; the verification page shows a masked name.
    second = services.sign_surat(draft(people, budi), user=people["kades"])
    assert second.urut == 2 and "/002/" in second.nomor
    page = client.get(f"/v/{signed.token}/").content.decode()
    assert signed.nomor in page and "B*** S***" in page and "Budi Santoso" not in page and budi.nik not in page


@pytest.mark.django_db
def test_tokens_are_random_128_bits_and_unrelated_to_the_number(people, keluarga_budi):
    _, budi, siti, _ = keluarga_budi
    tokens = [services.sign_surat(draft(people, p), user=people["kades"]).token for p in (budi, siti, budi, siti)]
    assert len(set(tokens)) == 4
    for token in tokens:
        assert re.fullmatch(r"[A-Za-z0-9_-]{22}", token)  # 16 random bytes, URL-safe base64
        assert not token.isdigit()


@pytest.mark.django_db
def test_bad_input_changes_nothing_and_leaves_the_sequence(people, keluarga_budi):
    _, budi, _, andi = keluarga_budi
    before = Surat.objects.count()
    with pytest.raises(ValidationError) as missing:
        services.draft_surat(user=people["op"], penduduk=budi, jenis=sktm(), isian={})
    assert "penghasilan" in missing.value.message_dict
    with pytest.raises(ValidationError) as not_a_number:
        services.draft_surat(user=people["op"], penduduk=budi, jenis=sktm(), isian={"penghasilan": "banyak"})
    assert "penghasilan" in not_a_number.value.message_dict
    usaha = JenisSurat.objects.get(kode="keterangan-usaha")
    for bad_date in ("2020-13-45", "31-02-2020", "kemarin"):
        with pytest.raises(ValidationError) as wrong_date:
            services.draft_surat(user=people["op"], penduduk=budi, jenis=usaha,
                                 isian={"jenis_usaha": "Warung", "mulai_usaha": bad_date})
        assert "mulai_usaha" in wrong_date.value.message_dict, bad_date
    with pytest.raises(ValidationError):
        services.jenis_by_kode("tidak-ada")
    with pytest.raises(ValidationError):
        services.draft_surat(user=people["op"], penduduk=budi, jenis=sktm(), isian={"penghasilan": "1", "lain": "x"})
    assert Surat.objects.count() == before
    ok = services.draft_surat(user=people["op"], penduduk=budi, jenis=usaha,
                              isian={"jenis_usaha": "Warung", "mulai_usaha": "17-08-2019"})
    assert ok.isian["mulai_usaha"] == "2019-08-17"
    # A resident who died is refused for a letter that needs a living resident; a second
    # signature and the signature of a revoked letter too, and the sequence does not move.
    pending = draft(people, andi)
    penduduk_services.record_death(andi, tanggal=timezone.localdate())
    with pytest.raises(ValidationError, match="Andi"):
        draft(people, andi.__class__.objects.get(pk=andi.pk))
    with pytest.raises(ValidationError):
        services.sign_surat(pending, user=people["kades"])
    assert numbering.current_value(sequence_key(budi.desa)) == 0
    signed = services.sign_surat(draft(people, budi), user=people["kades"])
    with pytest.raises(ValidationError):
        services.sign_surat(signed, user=people["kades"])
    services.revoke_surat(signed, user=people["kades"], alasan="Salah keperluan")
    with pytest.raises(ValidationError):
        services.sign_surat(signed, user=people["kades"])
    with pytest.raises(ValidationError):
        services.revoke_surat(signed, user=people["kades"], alasan="lagi")
    assert numbering.current_value(sequence_key(budi.desa)) == 1
    assert Surat.objects.get(pk=signed.pk).nomor == signed.nomor


@pytest.mark.django_db
def test_who_may_draft_and_sign(people, keluarga_budi):
    _, budi, _, _ = keluarga_budi
    with pytest.raises(PermissionDenied):  # a kepala desa signs, but drafts (changes) nothing
        services.draft_surat(user=people["kades"], penduduk=budi, jenis=sktm(), isian={"penghasilan": "1"})
    with pytest.raises(PermissionDenied):  # another village's operator
        services.draft_surat(user=people["op_b"], penduduk=budi, jenis=sktm(), isian={"penghasilan": "1"})
    surat = draft(people, budi)
    with pytest.raises(PermissionDenied):  # an operator does not sign
        services.sign_surat(surat, user=people["op"])
    assert Surat.objects.get(pk=surat.pk).status == StatusSurat.DRAF


@pytest.mark.django_db
def test_revocation_and_correction_show_on_verification(people, keluarga_budi, client):
    _, budi, _, _ = keluarga_budi
    signed = services.sign_surat(draft(people, budi), user=people["kades"])
    api = client.get(f"/api/v1/verifikasi/{signed.token}/").json()
    assert api["status"] == "berlaku" and api["nama"] == "B*** S***" and api["nomor"] == signed.nomor
    with pytest.raises(ValidationError):
        services.revoke_surat(signed, user=people["kades"], alasan="  ")
    correction = services.draft_surat(user=people["op"], penduduk=budi, jenis=sktm(), isian={"penghasilan": "500000"},
                                      menggantikan=signed)
    assert Surat.objects.get(pk=signed.pk).status == StatusSurat.TERBIT  # until the correction is signed
    correction = services.sign_surat(correction, user=people["kades"])
    assert Surat.objects.get(pk=signed.pk).status == StatusSurat.DIGANTI
    assert client.get(f"/api/v1/verifikasi/{signed.token}/").json()["status"] == "dicabut"
    services.revoke_surat(correction, user=people["kades"], alasan="Dokumen palsu")
    assert '<span class="badge err">Dicabut</span>' in client.get(f"/v/{correction.token}/").content.decode()
    assert client.get(f"/api/v1/verifikasi/{correction.token}/").json()["status"] == "dicabut"
    assert client.get("/api/v1/verifikasi/tidak-ada-token-ini/").status_code == 404
    assert client.get("/v/tidak-ada-token-ini/").status_code == 404


@pytest.mark.django_db
def test_verification_is_rate_limited(people, keluarga_budi, client, settings):
    settings.SIDEKEL_API_RATE_PER_MINUTE = 3
    signed = services.sign_surat(draft(people, keluarga_budi[1]), user=people["kades"])
    answers = [client.get(f"/v/{signed.token}/").status_code for _ in range(3)]
    answers += [client.get(f"/v/guess{n}/").status_code for n in range(2)]
    assert answers == [200, 200, 200, 429, 429]


@pytest.mark.django_db
def test_pdf_has_the_text_and_a_qr_code_to_the_verification_page(people, keluarga_budi, client):
    from pypdf import PdfReader

    _, budi, _, _ = keluarga_budi
    penduduk_services.update_penduduk(budi, user=None, changes={"nama": "Budi <O'Neil> & \"Sons\""},
                                      version=budi.version, reason="tes")
    budi.refresh_from_db()
    signed = services.sign_surat(draft(people, budi), user=people["kades"])
    client.force_login(people["op"])
    response = client.get(f"/surat/{signed.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = reader.pages[0].extract_text()
    assert signed.nomor in text and "Budi <O'Neil> & \"Sons\"" in text and "Harun Effendi" in text
    assert f"/v/{signed.token}/" in text.replace("\n", "")
    assert len(reader.pages[0].images) == 1  # the QR code
    page = client.get(f"/surat/{signed.pk}/").content.decode()
    assert "Budi &lt;O&#x27;Neil&gt; &amp; &quot;Sons&quot;" in page and "<O'Neil>" not in page


@pytest.mark.django_db
def test_outgoing_register_and_its_xlsx(people, keluarga_budi, client):
    _, budi, siti, _ = keluarga_budi
    first = services.sign_surat(draft(people, budi), user=people["kades"])
    second = services.sign_surat(draft(people, siti), user=people["kades"])
    services.revoke_surat(first, user=people["kades"], alasan="Salah cetak")
    client.force_login(people["kades"])
    page = client.get(f"/surat/agenda/{budi.desa.kode}/").content.decode()
    assert page.index(first.nomor) < page.index(second.nomor) and "Salah cetak" in page
    xlsx = client.get(f"/surat/agenda/{budi.desa.kode}/?format=xlsx")
    assert xlsx.status_code == 200 and b"".join(xlsx.streaming_content)[:2] == b"PK"
    client.force_login(people["op_b"])
    assert client.get(f"/surat/agenda/{budi.desa.kode}/").status_code == 404
    assert client.get(f"/surat/{first.pk}/").status_code == 404


@pytest.mark.django_db
def test_operator_drafts_on_the_page_and_kepala_desa_signs(people, keluarga_budi, client):
    _, budi, _, _ = keluarga_budi
    client.force_login(people["op"])
    found = client.get("/surat/buat/", {"desa": budi.desa.kode, "q": "budi"}).content.decode()
    assert f"penduduk={budi.pk}" in found
    form = client.get("/surat/buat/", {"desa": budi.desa.kode, "penduduk": budi.pk, "jenis": "sktm"})
    assert "Penghasilan" in form.content.decode()
    refused = client.post(f"/surat/buat/?desa={budi.desa.kode}", {"penduduk": budi.pk, "jenis": "sktm"})
    assert refused.status_code == 200 and Surat.objects.count() == 0
    made = client.post(f"/surat/buat/?desa={budi.desa.kode}",
                       {"penduduk": budi.pk, "jenis": "sktm", "penghasilan": "600000", "keperluan": "Sekolah"})
    surat = Surat.objects.get()
    assert made.status_code == 302 and made["Location"] == f"/surat/{surat.pk}/"
    preview = client.get(f"/surat/{surat.pk}/").content.decode()
    assert "Budi Santoso" in preview and "Sign and issue" not in preview and "Tanda tangani" not in preview
    client.force_login(people["kades"])
    assert client.post(f"/surat/{surat.pk}/tandatangani/").status_code == 302
    assert Surat.objects.get().status == StatusSurat.TERBIT
    assert client.post(f"/surat/{surat.pk}/cabut/", {"alasan": "Keliru"}).status_code == 302
    assert Surat.objects.get().status == StatusSurat.DICABUT


@pytest.mark.django_db
def test_the_api_drafts_signs_revokes_and_serves_the_pdf(people, keluarga_budi, client):
    from sidekel.akun.services import issue_token

    _, budi, _, _ = keluarga_budi
    op, kades, op_b = (f"Bearer {issue_token(people[n])}" for n in ("op", "kades", "op_b"))
    kinds = client.get("/api/v1/surat/jenis/", HTTP_AUTHORIZATION=op).json()
    assert REQUIRED <= {k["kode"] for k in kinds}
    body = {"jenis": "sktm", "penduduk": budi.pk, "isian": {"penghasilan": 500000}, "keperluan": "Sekolah"}
    post = lambda url, data, auth: client.post(url, data, content_type="application/json", HTTP_AUTHORIZATION=auth)
    assert post("/api/v1/surat/", body, op_b).status_code == 404  # a resident of another village
    assert post("/api/v1/surat/", {**body, "jenis": "tidak-ada"}, op).status_code == 422
    assert post("/api/v1/surat/", {**body, "isian": {}}, op).status_code == 422
    created = post("/api/v1/surat/", body, op)
    assert created.status_code == 201 and created.json()["status"] == "draf"
    pk = created.json()["id"]
    assert post(f"/api/v1/surat/{pk}/tandatangani/", {}, op).status_code == 403
    signed = post(f"/api/v1/surat/{pk}/tandatangani/", {}, kades).json()
    assert signed["status"] == "terbit" and signed["verifikasi"] == f"http://testserver/v/{Surat.objects.get().token}/"
    assert post(f"/api/v1/surat/{pk}/tandatangani/", {}, kades).status_code == 409
    pdf = client.get(f"/api/v1/surat/{pk}/pdf", HTTP_AUTHORIZATION=op)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert post(f"/api/v1/surat/{pk}/cabut/", {"alasan": ""}, kades).status_code == 422
    assert post(f"/api/v1/surat/{pk}/cabut/", {"alasan": "Salah"}, kades).json()["status"] == "dicabut"
    assert "/api/v1/verifikasi/{token}/" in client.get("/api/v1/openapi.json").json()["paths"]


@pytest.mark.django_db
def test_a_village_pattern_and_per_type_sequences(people, keluarga_budi):
    _, budi, _, _ = keluarga_budi
    PengaturanSurat.objects.create(desa=None, pola_nomor="{kode}/{urut:04}/{tahun}")
    first = services.sign_surat(draft(people, budi), user=people["kades"])
    assert first.nomor == f"400.9/0001/{timezone.localdate().year}"
    PengaturanSurat.objects.create(desa=budi.desa, pola_nomor="{jenis}-{urut:02}/{unit}", urut_per_jenis=True,
                                   unit="RGD")
    assert services.sign_surat(draft(people, budi), user=people["kades"]).nomor == "SKTM-01/RGD"
    assert services.sign_surat(draft(people, budi, "domisili"), user=people["kades"]).nomor == "DOMISILI-01/RGD"
