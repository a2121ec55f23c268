"""Every URL and API endpoint, as every persona: who gets what.

A URL added to the project without a row here fails ``test_every_url_is_in_the_matrix``.
Personas: admin kecamatan, camat, operator of desa A (Rangda), operator of desa B (Raja),
kepala desa A, and the anonymous public. Objects belong to desa A unless said otherwise.
"""

import json
import re

import pytest
from django.urls import URLResolver, get_resolver, resolve

from sidekel.core.publicapi import PUBLIC_SOURCES
from sidekel.core.roles import TWO_FACTOR_ROLES, Role
from sidekel.core.scope import ALL, OWN, PERMISSIONS, Action, permits

from .conftest import PERSONAS
from .conftest import build_world as build_once  # noqa: F401 (the world, built once for the module)


@pytest.fixture
def world(once):
    """The persona's world (core/tests/conftest.py), built once for this module's thousand tests."""
    return once

LOGIN = 302  # pages send an anonymous visitor to the login page

# The expected answers come from the action table (core.scope.PERMISSIONS): a URL says which
# action it needs and on which village; each persona's answer follows from its role and villages.
ROLES = {"admin": (Role.ADMIN_KECAMATAN, None), "camat": (Role.CAMAT, None), "op_a": (Role.OPERATOR, "a"),
         "op_b": (Role.OPERATOR, "b"), "kades_a": (Role.KEPALA_DESA, "a")}


def needs(action, on="a", ok=200, denied=403, anon=LOGIN):
    """{persona: status} of a URL that needs ``action`` on village ``on`` ("a" or "b"), on the
    kecamatan as a whole (None: only roles acting everywhere), or "any" village of the user's.
    A village outside a persona's scope is not there at all (404); a known one is forbidden (403)."""
    out = {"anon": anon}
    for persona, (role, own) in ROLES.items():
        scope = PERMISSIONS[role].get(action)
        if on is None:
            allowed = scope == ALL
        elif on == "any":
            allowed = scope in (ALL, OWN)
        else:
            allowed = scope == ALL or (scope == OWN and own == on)
        out_of_scope = on not in (None, "any") and PERMISSIONS[role].get(Action.VIEW) == OWN and own != on
        out[persona] = ok if allowed else 404 if out_of_scope else denied
    return out


# name: (method, path built from the world, {persona: status}, JSON body for API writes)
READ_A = needs(Action.VIEW)
WRITE_A = needs(Action.CHANGE)
ALL_OFFICIALS = needs(Action.VIEW, "any")
EVERYONE = dict.fromkeys(PERSONAS, 200)
API_READ_A = needs(Action.VIEW, anon=401)
IDENTITY_A = needs(Action.REVEAL)
OWN_DOWNLOAD = {**dict.fromkeys(PERSONAS, 404), "op_a": 200, "anon": LOGIN}  # a file belongs to who asked for it
DECIDE_A = needs(Action.APPROVE, ok=302)
KECAMATAN_ONLY = needs(Action.KECAMATAN, None)
OWN_ACCOUNT = {**dict.fromkeys(PERSONAS, 200), "anon": LOGIN}  # each official's own account pages
MODERATE_A = needs(Action.MODERATE, ok=422)

MATRIX = {
    "portal:beranda": ("get", lambda w: "/", EVERYONE),
    "portal:desa": ("get", lambda w: f"/desa/{w['desa_a'].kode}/", EVERYONE),
    "portal:statistik": ("get", lambda w: f"/desa/{w['desa_a'].kode}/statistik/agama/?bagian=x", EVERYONE),
    "portal:statistik-kecamatan": ("get", lambda w: "/kecamatan/62.01.02/statistik/umur/", EVERYONE),
    "portal:berita": ("get", lambda w: "/berita/", EVERYONE),
    "portal:berita-detail": ("get", lambda w: f"/berita/{w['berita'].pk}/", EVERYONE),
    "portal:berita-gambar": ("get", lambda w: f"/berita/{w['berita'].pk}/gambar.jpg", EVERYONE),
    "portal:data": ("get", lambda w: "/data/?organisasi=62.01.02", EVERYONE),
    "portal:privasi": ("get", lambda w: "/privasi/", EVERYONE),
    # The operator's guide is public (no personal data); its PDF, once made, too. Before that the
    # PDF's address shows the contents, and making it needs a login.
    "panduan:index": ("get", lambda w: "/bantuan/", EVERYONE),
    "panduan:section": ("get", lambda w: "/bantuan/keluarga/", EVERYONE),
    "panduan:pdf": ("get", lambda w: "/bantuan/panduan-operator.pdf", EVERYONE),
    "panduan:pdf-buat": ("post", lambda w: "/bantuan/buat-pdf/", {**dict.fromkeys(PERSONAS, 302), "anon": LOGIN}),
    "portal:data-detail": ("get", lambda w: "/data/penduduk-agama/", EVERYONE),
    "portal:data-resource": ("get", lambda w: f"/data/penduduk-agama/{w['desa_a'].kode}.csv", EVERYONE),
    "portal:berita-petugas": ("get", lambda w: "/petugas/berita/",
                              needs(Action.PUBLISH, "any")),
    "portal:berita-tambah": ("get", lambda w: "/petugas/berita/tambah/", needs(Action.PUBLISH, "any")),
    "portal:berita-ubah": ("get", lambda w: f"/petugas/berita/{w['berita'].pk}/ubah/", needs(Action.PUBLISH)),
    "portal:berita-hapus": ("post", lambda w: f"/petugas/berita/{w['berita'].pk}/hapus/",
                            needs(Action.PUBLISH, ok=302)),
    "healthz": ("get", lambda w: "/healthz", EVERYONE),
    "akun:login": ("get", lambda w: "/masuk/", EVERYONE),
    "akun:logout": ("post", lambda w: "/keluar/", dict.fromkeys(PERSONAS, 302)),
    # The code step: a verified session (or one without a second factor) goes straight on.
    "akun:kode": ("get", lambda w: "/masuk/kode/", dict.fromkeys(PERSONAS, 302)),
    "akun:profil": ("get", lambda w: "/akun/", OWN_ACCOUNT),
    "akun:sandi": ("get", lambda w: "/akun/sandi/", OWN_ACCOUNT),
    "akun:dua-langkah": ("get", lambda w: "/akun/dua-langkah/", OWN_ACCOUNT),
    # Turning two-factor sign-in off: not for the roles that must have it (the form comes back without a password).
    "akun:dua-langkah-matikan": ("post", lambda w: "/akun/dua-langkah/matikan/",
                                 {"anon": LOGIN, **{p: 403 if ROLES[p][0] in TWO_FACTOR_ROLES else 200 for p in ROLES}}),
    "admin:*": ("get", lambda w: "/admin/", {**dict.fromkeys(PERSONAS, 302), "admin": 200}),
    "penduduk:desa-list": ("get", lambda w: "/desa/", ALL_OFFICIALS),
    "penduduk:desa-detail": ("get", lambda w: f"/petugas/desa/{w['desa_a'].kode}/", READ_A),
    "wilayah:profil": ("get", lambda w: f"/petugas/desa/{w['desa_a'].kode}/profil/", needs(Action.PUBLISH)),
    "penduduk:desa-kualitas": ("get", lambda w: f"/petugas/desa/{w['desa_a'].kode}/kualitas/?jenis=sekolah-kosong", READ_A),
    # A village's dusun, RW and RT (issue 15): the list for whoever sees the village, the changes
    # for who may change it. Empty POSTs: the unit page again with the form's errors (200).
    "penduduk:wilayah": ("get", lambda w: f"/petugas/desa/{w['desa_a'].kode}/wilayah/", READ_A),
    "penduduk:wilayah-unit": ("get", lambda w: f"/petugas/desa/{w['desa_a'].kode}/wilayah/dusun/{_dusun_a(w).pk}/",
                              WRITE_A),
    "penduduk:wilayah-ganti-nama": ("post", lambda w: f"/petugas/desa/{w['desa_a'].kode}/wilayah/dusun/{_dusun_a(w).pk}/ganti-nama/",
                                    WRITE_A),
    "penduduk:wilayah-gabung": ("post", lambda w: f"/petugas/desa/{w['desa_a'].kode}/wilayah/rt/{_dusun_a(w).rt.get().pk}/gabung/",
                                WRITE_A),
    "penduduk:wilayah-hapus": ("post", lambda w: f"/petugas/desa/{w['desa_a'].kode}/wilayah/dusun/{_empty_dusun_a(w).pk}/hapus/",
                               needs(Action.CHANGE, ok=302)),
    "penduduk:beranda-petugas": ("get", lambda w: "/petugas/", dict.fromkeys(PERSONAS, 302)),
    "penduduk:list": ("get", lambda w: "/penduduk/?q=budi", ALL_OFFICIALS),
    "penduduk:tambah": ("get", lambda w: f"/penduduk/tambah/?desa={w['desa_a'].kode}", WRITE_A),
    "penduduk:pindah-datang": ("get", lambda w: f"/penduduk/pindah-datang/?desa={w['desa_a'].kode}", WRITE_A),
    "penduduk:terhapus": ("get", lambda w: "/penduduk/terhapus/",
                          needs(Action.RESTORE, "any")),
    "penduduk:pulihkan": ("post", lambda w: f"/penduduk/terhapus/{w['gone'].pk}/pulihkan/",
                          needs(Action.RESTORE, "any", ok=302)),
    "penduduk:detail": ("get", lambda w: f"/penduduk/{w['budi'].pk}/", READ_A),
    "penduduk:ubah": ("get", lambda w: f"/penduduk/{w['budi'].pk}/ubah/", WRITE_A),
    "penduduk:hapus": ("get", lambda w: f"/penduduk/{w['andi'].pk}/hapus/", WRITE_A),
    "penduduk:identitas": ("post", lambda w: f"/penduduk/{w['budi'].pk}/identitas/", IDENTITY_A),
    "penduduk:kembalikan": ("post", lambda w: f"/penduduk/{w['budi'].pk}/riwayat/{w['change'].pk}/kembalikan/",
                            needs(Action.CHANGE, ok=302)),
    "penduduk:kematian": ("get", lambda w: f"/penduduk/{w['budi'].pk}/kematian/", WRITE_A),
    "penduduk:pindah-keluar": ("get", lambda w: f"/penduduk/{w['andi'].pk}/pindah-keluar/", WRITE_A),
    "penduduk:kk-baru": ("get", lambda w: f"/penduduk/{w['budi'].pk}/kk-baru/", WRITE_A),
    "penduduk:masuk-kk": ("get", lambda w: f"/penduduk/{w['budi'].pk}/masuk-kk/", WRITE_A),
    "penduduk:peristiwa-batal": ("get", lambda w: f"/penduduk/{w['wati'].pk}/peristiwa/{w['mati'].pk}/batal/", WRITE_A),
    "penduduk:keluarga-pindah-datang": ("get", lambda w: f"/keluarga/pindah-datang/?desa={w['desa_a'].kode}", WRITE_A),
    "penduduk:keluarga-pisah": ("get", lambda w: f"/keluarga/{w['keluarga'].pk}/pisah/", WRITE_A),
    "penduduk:keluarga": ("get", lambda w: f"/keluarga/{w['keluarga'].pk}/", READ_A),
    "penduduk:keluarga-identitas": ("post", lambda w: f"/keluarga/{w['keluarga'].pk}/identitas/", IDENTITY_A),
    "penduduk:keluarga-anggota": ("get", lambda w: f"/keluarga/{w['keluarga'].pk}/anggota/", WRITE_A),
    "penduduk:keluarga-kelahiran": ("get", lambda w: f"/keluarga/{w['keluarga'].pk}/kelahiran/", WRITE_A),
    "penduduk:keluarga-kepala": ("get", lambda w: f"/keluarga/{w['keluarga'].pk}/kepala/", WRITE_A),
    "penduduk:keluarga-nomor-kk": ("get", lambda w: f"/keluarga/{w['keluarga'].pk}/nomor-kk/", WRITE_A),
    "penduduk:ekspor": ("get", lambda w: f"/penduduk/ekspor/?desa={w['desa_a'].kode}", READ_A),
    "penduduk:impor": ("get", lambda w: "/impor/",
                       needs(Action.IMPORT, "any")),
    "penduduk:impor-templat": ("get", lambda w: "/impor/templat/", ALL_OFFICIALS),
    "penduduk:impor-detail": ("get", lambda w: f"/impor/{w['job'].pk}/", READ_A),
    "penduduk:impor-simpan": ("post", lambda w: f"/impor/{w['job'].pk}/simpan/", needs(Action.CHANGE, ok=302)),
    "penduduk:impor-batal": ("post", lambda w: f"/impor/{w['job'].pk}/batal/", needs(Action.CHANGE, ok=302)),
    "penduduk:impor-ditolak": ("get", lambda w: f"/impor/{w['job'].pk}/ditolak/", WRITE_A),
    "penduduk:impor-laporan": ("get", lambda w: f"/impor/{w['job'].pk}/laporan/", READ_A),
    # Population books (issue 5). B.1/B.4/B.5 show full NIK: the camat may not open them.
    "buku:index": ("get", lambda w: "/buku/", needs(Action.KECAMATAN, None, denied=302)),  # a village: its books
    "buku:desa": ("get", lambda w: f"/buku/{w['desa_a'].kode}/", READ_A),
    "buku:buku": ("get", lambda w: f"/buku/{w['desa_a'].kode}/b1/", IDENTITY_A),
    "buku:xlsx": ("get", lambda w: f"/buku/{w['desa_a'].kode}/b1/xlsx/", IDENTITY_A),
    "buku:pdf": ("post", lambda w: f"/buku/{w['desa_a'].kode}/b1/pdf/",
                 needs(Action.REVEAL, ok=302)),
    "jobs:unduhan": ("get", lambda w: f"/unduhan/{w['buku_job'].pk}/", OWN_DOWNLOAD),
    "jobs:unduhan-berkas": ("get", lambda w: f"/unduhan/{w['buku_job'].pk}/berkas/", OWN_DOWNLOAD),
    "jobs:batal": ("post", lambda w: f"/unduhan/{w['buku_job'].pk}/batal/", {**OWN_DOWNLOAD, "op_a": 302}),
    # The village submits (desa A's recap is already waiting: a message, then back to the page).
    "buku:ajukan": ("post", lambda w: f"/buku/{w['desa_a'].kode}/rekap/ajukan/",
                    needs(Action.SUBMIT, ok=302)),
    # The kecamatan decides.
    "buku:setujui": ("post", lambda w: f"/buku/{w['desa_a'].kode}/rekap/setujui/", DECIDE_A),
    "buku:kembalikan": ("post", lambda w: f"/buku/{w['desa_a'].kode}/rekap/kembalikan/", DECIDE_A),
    "buku:kecamatan": ("get", lambda w: "/buku/kecamatan/", KECAMATAN_ONLY),
    "buku:kecamatan-unduh": ("get", lambda w: "/buku/kecamatan/unduh/?format=xlsx", KECAMATAN_ONLY),
    # Letters (issue 21): the operator drafts (Action.LETTER), the kepala desa signs and revokes
    # (Action.SIGN); whoever sees the village reads them. The verification page is public.
    "layanan:index": ("get", lambda w: "/surat/", ALL_OFFICIALS),
    "layanan:buat": ("get", lambda w: f"/surat/buat/?desa={w['desa_a'].kode}", needs(Action.LETTER, "any")),
    "layanan:placeholders": ("get", lambda w: "/surat/isian/", OWN_ACCOUNT),
    "layanan:agenda": ("get", lambda w: f"/surat/agenda/{w['desa_a'].kode}/", READ_A),
    "layanan:detail": ("get", lambda w: f"/surat/{w['surat'].pk}/", READ_A),
    "layanan:pdf": ("get", lambda w: f"/surat/{w['surat'].pk}/pdf/", READ_A),
    "layanan:tandatangani": ("post", lambda w: f"/surat/{w['draf'].pk}/tandatangani/", needs(Action.SIGN, ok=302)),
    "layanan:cabut": ("get", lambda w: f"/surat/{w['surat'].pk}/cabut/", needs(Action.SIGN)),
    "layanan:koreksi": ("get", lambda w: f"/surat/{w['surat'].pk}/koreksi/", needs(Action.LETTER)),
    "layanan:hapus": ("post", lambda w: f"/surat/{w['draf'].pk}/hapus/", needs(Action.LETTER, ok=302)),
    "layanan:verifikasi": ("get", lambda w: f"/v/{w['surat'].token}/", EVERYONE),
    # Online requests (issue 21, part 5): the operator's queue, and the residents' PINs (Action.LETTER).
    "layanan:permohonan": ("get", lambda w: f"/surat/permohonan/{w['permohonan'].pk}/", READ_A),
    "layanan:permohonan-proses": ("post", lambda w: f"/surat/permohonan/{w['permohonan'].pk}/proses/",
                                  needs(Action.LETTER, ok=302)),
    "layanan:permohonan-tolak": ("get", lambda w: f"/surat/permohonan/{w['permohonan'].pk}/tolak/",
                                 needs(Action.LETTER)),
    "layanan:pin": ("get", lambda w: f"/surat/pin/?desa={w['desa_a'].kode}&q=budi", needs(Action.LETTER, "any")),
    "layanan:pin-penduduk": ("get", lambda w: f"/surat/pin/{w['budi'].pk}/", needs(Action.LETTER)),
    # The residents' own pages: public; a resident's session (NIK and PIN) is not an official's login,
    # so every persona without one is sent to the NIK-and-PIN page.
    "layanan:warga": ("get", lambda w: "/layanan/", EVERYONE),
    "layanan:warga-masuk": ("get", lambda w: "/layanan/masuk/", EVERYONE),
    "layanan:warga-keluar": ("post", lambda w: "/layanan/keluar/", dict.fromkeys(PERSONAS, 302)),
    "layanan:warga-ajukan": ("get", lambda w: "/layanan/ajukan/", dict.fromkeys(PERSONAS, 302)),
    "layanan:lacak-cari": ("get", lambda w: "/layanan/lacak/", EVERYONE),
    "layanan:lacak": ("get", lambda w: f"/layanan/lacak/{w['permohonan'].kode}/", EVERYONE),
    "layanan:lacak-pdf": ("get", lambda w: f"/layanan/lacak/{w['permohonan'].kode}/surat.pdf",
                          dict.fromkeys(PERSONAS, 302)),
    "api-v1:list_jenis": ("get", lambda w: "/api/v1/surat/jenis/", {**dict.fromkeys(PERSONAS, 200), "anon": 401}),
    "api-v1:create_surat": ("post", lambda w: "/api/v1/surat/", needs(Action.LETTER, ok=201, anon=401),
                            lambda w: {"jenis": "domisili", "penduduk": w["budi"].pk}),
    "api-v1:sign_surat": ("post", lambda w: f"/api/v1/surat/{w['draf'].pk}/tandatangani/", needs(Action.SIGN, anon=401),
                          {}),
    "api-v1:revoke_surat": ("post", lambda w: f"/api/v1/surat/{w['surat'].pk}/cabut/", needs(Action.SIGN, anon=401),
                            {"alasan": "Salah cetak"}),
    "api-v1:surat_pdf": ("get", lambda w: f"/api/v1/surat/{w['surat'].pk}/pdf", API_READ_A),
    # The online requests' queue over the API: each official sees their villages' (possibly none).
    "api-v1:list_permohonan": ("get", lambda w: "/api/v1/surat/permohonan/", {**dict.fromkeys(PERSONAS, 200),
                                                                              "anon": 401}),
    "api-v1:get_permohonan": ("get", lambda w: f"/api/v1/surat/permohonan/{w['permohonan'].pk}/", API_READ_A),
    "api-v1:process_permohonan": ("post", lambda w: f"/api/v1/surat/permohonan/{w['permohonan'].pk}/proses/",
                                  needs(Action.LETTER, ok=201, anon=401), {}),
    "api-v1:refuse_permohonan": ("post", lambda w: f"/api/v1/surat/permohonan/{w['permohonan'].pk}/tolak/",
                                 needs(Action.LETTER, anon=401), {"alasan": "Syarat belum lengkap"}),
    "api-v1:verifikasi": ("get", lambda w: f"/api/v1/verifikasi/{w['surat'].token}/", EVERYONE),
    # Village profiles (issue 19). Desa A's profile of last year is submitted and waits for the kecamatan.
    "potensi:index": ("get", lambda w: "/potensi/", needs(Action.KECAMATAN, None, denied=302)),  # a village: its own
    "potensi:banding": ("get", lambda w: f"/potensi/banding/?indikator=sda.umum.luas&tahun={_year(w)}", KECAMATAN_ONLY),
    "potensi:katalog": ("get", lambda w: "/potensi/indikator/", ALL_OFFICIALS),
    "potensi:pensiun": ("post", lambda w: f"/potensi/indikator/{_indikator(w)}/pensiun/",
                        needs(Action.CATALOGUE, None, ok=302)),
    "potensi:desa": ("get", lambda w: f"/potensi/{w['desa_a'].kode}/", READ_A),
    "potensi:tren": ("get", lambda w: f"/potensi/{w['desa_a'].kode}/tren/sda.umum.luas/", READ_A),
    "potensi:profil": ("get", lambda w: f"/potensi/{w['desa_a'].kode}/{_year(w)}/", READ_A),
    "potensi:isi": ("get", lambda w: f"/potensi/{w['desa_a'].kode}/{_year(w) - 1}/isi/sda/", WRITE_A),
    "potensi:templat": ("get", lambda w: f"/potensi/{w['desa_a'].kode}/{_year(w)}/templat.xlsx", READ_A),
    "potensi:unggah": ("post", lambda w: f"/potensi/{w['desa_a'].kode}/{_year(w) - 1}/unggah/",
                       needs(Action.CHANGE, ok=302)),  # no file: a message, back to the profile
    # Source documents: desa A's submitted profile holds one (locked: removing it is a message, 302);
    # uploading nothing to an open year is a message too. Never public: a download needs the village.
    "potensi:lampiran-tambah": ("post", lambda w: f"/potensi/{w['desa_a'].kode}/{_year(w) - 1}/lampiran/",
                                needs(Action.CHANGE, ok=302)),
    "potensi:lampiran-unduh": ("get", lambda w: f"/potensi/{w['desa_a'].kode}/{_year(w)}/lampiran/{_lampiran(w)}/",
                               READ_A),
    "potensi:lampiran-hapus": ("post", lambda w: f"/potensi/{w['desa_a'].kode}/{_year(w)}/lampiran/{_lampiran(w)}"
                                                 "/hapus/", needs(Action.CHANGE, ok=302)),
    "potensi:ajukan": ("post", lambda w: f"/potensi/{w['desa_a'].kode}/{_year(w)}/ajukan/",
                       needs(Action.SUBMIT, ok=302)),  # already waiting: a message
    "potensi:setujui": ("post", lambda w: f"/potensi/{w['desa_a'].kode}/{_year(w)}/setujui/", DECIDE_A),
    "potensi:kembalikan": ("post", lambda w: f"/potensi/{w['desa_a'].kode}/{_year(w)}/kembalikan/", DECIDE_A),
    "potensi:buka": ("post", lambda w: f"/potensi/{w['desa_a'].kode}/{_year(w)}/buka/", DECIDE_A),
    "api-v1:list_indikator": ("get", lambda w: "/api/v1/potensi/indikator/", EVERYONE),
    "api-v1:list_nilai": ("get", lambda w: f"/api/v1/potensi/?wilayah={w['desa_a'].kode}", EVERYONE),
    "api-v1:put_nilai": ("put", lambda w: f"/api/v1/potensi/{w['desa_a'].kode}/{_year(w) - 1}/",
                         needs(Action.CHANGE, anon=401), {"nilai": {"sda.umum.luas": 5}}),
    # Permitted, but desa A's profile is waiting already (409); refused roles 403, desa B's operator 404.
    "api-v1:ajukan": ("post", lambda w: f"/api/v1/potensi/{w['desa_a'].kode}/{_year(w)}/ajukan/",
                      needs(Action.SUBMIT, ok=409, anon=401)),
    "api-v1:setujui": ("post", lambda w: f"/api/v1/potensi/{w['desa_a'].kode}/{_year(w)}/setujui/",
                       needs(Action.APPROVE, anon=401)),
    "api-v1:kembalikan": ("post", lambda w: f"/api/v1/potensi/{w['desa_a'].kode}/{_year(w)}/kembalikan/",
                          needs(Action.APPROVE, anon=401), {"catatan": "Periksa luas lahan"}),
    "api-v1:buka": ("post", lambda w: f"/api/v1/potensi/{w['desa_a'].kode}/{_year(w)}/buka/",
                    needs(Action.APPROVE, ok=409, anon=401), {"alasan": "koreksi"}),  # not approved: 409
    "statistik:dashboard": ("get", lambda w: "/statistik/",
                            needs(Action.KECAMATAN, None, denied=302)),  # a village account goes to its village
    "statistik:home": ("get", lambda w: "/statistik/wilayah/", {**dict.fromkeys(PERSONAS, 302)}),
    "statistik:ringkasan": ("get", lambda w: f"/statistik/{w['desa_a'].kode}/", READ_A),
    "statistik:kategori": ("get", lambda w: f"/statistik/{w['desa_a'].kode}/agama/?format=csv", READ_A),
    "api-v1:api-root": ("get", lambda w: "/api/v1/", dict.fromkeys(PERSONAS, 404)),
    "api-v1:openapi-json": ("get", lambda w: "/api/v1/openapi.json", EVERYONE),
    "api-v1:list_desa": ("get", lambda w: "/api/v1/wilayah/", EVERYONE),
    "api-v1:list_kategori": ("get", lambda w: "/api/v1/statistik/", EVERYONE),
    "api-v1:statistik": ("get", lambda w: f"/api/v1/statistik/agama/?wilayah={w['desa_a'].kode}", EVERYONE),
    "api-v1:list_dataset": ("get", lambda w: "/api/v1/data/", EVERYONE),
    "api-v1:get_dataset": ("get", lambda w: "/api/v1/data/penduduk-agama/", EVERYONE),
    # Schools and education (issue 18). The out-of-school list is personal data: officials of the village.
    "pendidikan:sekolah-list": ("get", lambda w: "/petugas/sekolah/", ALL_OFFICIALS),
    "pendidikan:sekolah-tambah": ("get", lambda w: f"/petugas/sekolah/tambah/?desa={w['desa_a'].kode}", WRITE_A),
    "pendidikan:sekolah-detail": ("get", lambda w: f"/petugas/sekolah/{w['sekolah'].pk}/", READ_A),
    "pendidikan:sekolah-ubah": ("get", lambda w: f"/petugas/sekolah/{w['sekolah'].pk}/ubah/", WRITE_A),
    "pendidikan:sekolah-data": ("get", lambda w: f"/petugas/sekolah/{w['sekolah'].pk}/data/?tahun=2025/2026", WRITE_A),
    "pendidikan:ringkasan": ("get", lambda w: f"/petugas/pendidikan/{w['desa_a'].kode}/", READ_A),
    "pendidikan:tidak-sekolah": ("get", lambda w: f"/petugas/pendidikan/{w['desa_a'].kode}/tidak-sekolah/", READ_A),
    "pendidikan:tidak-sekolah-xlsx": ("get", lambda w: f"/petugas/pendidikan/{w['desa_a'].kode}/tidak-sekolah/xlsx/",
                                      READ_A),
    "pendidikan:impor": ("get", lambda w: "/petugas/sekolah/impor/", needs(Action.IMPORT, "any")),
    "pendidikan:impor-detail": ("get", lambda w: f"/petugas/sekolah/impor/{w['sekolah_job'].pk}/", READ_A),
    "pendidikan:impor-simpan": ("post", lambda w: f"/petugas/sekolah/impor/{w['sekolah_job'].pk}/simpan/",
                                needs(Action.IMPORT, ok=302)),
    "pendidikan:templat": ("get", lambda w: "/petugas/sekolah/templat/?jenis=data", ALL_OFFICIALS),
    "pendidikan:ekspor": ("get", lambda w: f"/petugas/sekolah/ekspor/?desa={w['desa_a'].kode}", READ_A),
    "pendidikan:publik": ("get", lambda w: f"/desa/{w['desa_a'].kode}/sekolah/", EVERYONE),
    "api-v1:list_sekolah": ("get", lambda w: f"/api/v1/sekolah/?wilayah={w['desa_a'].kode}", EVERYONE),
    "api-v1:partisipasi_sekolah": ("get", lambda w: f"/api/v1/statistik/partisipasi-sekolah/?wilayah={w['desa_a'].kode}",
                                   EVERYONE),
    "api-v1:tidak_sekolah": ("get", lambda w: f"/api/v1/pendidikan/tidak-sekolah/?desa={w['desa_a'].kode}",
                             {**needs(Action.VIEW, anon=401), "op_b": 404}),
    "api-v1:create_token": ("post", lambda w: "/api/v1/auth/token", dict.fromkeys(PERSONAS, 401),
                            {"username": "nobody", "password": "wrong"}),
    "api-v1:revoke_token": ("delete", lambda w: "/api/v1/auth/token", {**dict.fromkeys(PERSONAS, 204), "anon": 401}),
    "api-v1:list_penduduk": ("get", lambda w: "/api/v1/penduduk/?q=budi", {**dict.fromkeys(PERSONAS, 200), "anon": 401}),
    "api-v1:get_penduduk": ("get", lambda w: f"/api/v1/penduduk/{w['budi'].pk}/", API_READ_A),
    "api-v1:patch_penduduk": ("patch", lambda w: f"/api/v1/penduduk/{w['budi'].pk}/",
                              needs(Action.CHANGE, anon=401),
                              lambda w: {"version": w["budi"].version, "pekerjaan": 9}),
    # Saran dan masukan (issue 17): the public sends and tracks without a login; officials of the
    # report's village read it, who may moderate handles it (empty POSTs: the page with the form's errors).
    "aspirasi:daftar": ("get", lambda w: "/aspirasi/?desa=62.01.02.2010", EVERYONE),
    "aspirasi:kirim": ("get", lambda w: "/aspirasi/kirim/?desa=62.01.02.2010", EVERYONE),
    "aspirasi:lacak-cari": ("get", lambda w: "/aspirasi/lacak/", EVERYONE),
    "aspirasi:lacak": ("get", lambda w: f"/aspirasi/lacak/{w['aspirasi'].kode_lacak}/", EVERYONE),
    "aspirasi:balas": ("post", lambda w: f"/aspirasi/lacak/{w['aspirasi'].kode_lacak}/balas/",
                       dict.fromkeys(PERSONAS, 422)),
    "aspirasi:nilai": ("post", lambda w: f"/aspirasi/lacak/{w['aspirasi'].kode_lacak}/nilai/",
                       dict.fromkeys(PERSONAS, 422)),
    # The photo of a report not (yet) public: only officials who see its village.
    "aspirasi:foto": ("get", lambda w: f"/aspirasi/foto/{w['aspirasi'].foto.get().pk}.jpg",
                      needs(Action.VIEW, anon=404)),
    "aspirasi:petugas": ("get", lambda w: "/petugas/aspirasi/?status=semua", ALL_OFFICIALS),
    "aspirasi:petugas-detail": ("get", lambda w: f"/petugas/aspirasi/{w['aspirasi'].pk}/", READ_A),
    "aspirasi:verifikasi": ("post", lambda w: f"/petugas/aspirasi/{w['aspirasi'].pk}/verifikasi/", MODERATE_A),
    "aspirasi:status": ("post", lambda w: f"/petugas/aspirasi/{w['aspirasi'].pk}/status/", MODERATE_A),
    "aspirasi:tanggapan": ("post", lambda w: f"/petugas/aspirasi/{w['aspirasi'].pk}/tanggapan/", MODERATE_A),
    "aspirasi:sembunyikan": ("post", lambda w: f"/petugas/aspirasi/{w['aspirasi'].pk}/sembunyikan/", MODERATE_A),
    "aspirasi:gabung": ("post", lambda w: f"/petugas/aspirasi/{w['aspirasi'].pk}/gabung/", MODERATE_A),
    "api-v1:kirim_aspirasi": ("post", lambda w: "/api/v1/aspirasi/", dict.fromkeys(PERSONAS, 201),
                              {"desa": "62.01.02.2010", "jenis": "aspirasi", "kategori": "lainnya", "judul": "Usul",
                               "isi": "Usul taman baca.", "privasi": "anonim"}),
    "api-v1:lacak_aspirasi": ("get", lambda w: f"/api/v1/aspirasi/lacak/{w['aspirasi'].kode_lacak}/", EVERYONE),
    "api-v1:list_aspirasi": ("get", lambda w: "/api/v1/aspirasi/?desa=62.01.02.2010", EVERYONE),
    # An invalid move (diterima -> diterima): 422 for who may moderate the report.
    "api-v1:status_aspirasi": ("post", lambda w: f"/api/v1/aspirasi/{w['aspirasi'].pk}/status/",
                               needs(Action.MODERATE, ok=422, anon=401), {"status": "diterima"}),
    # Maps (peta): the public map and its GeoJSON; the officials' map of a village.
    "peta:publik": ("get", lambda w: f"/peta/{w['desa_a'].kode}/", EVERYONE),
    "peta:petugas": ("get", lambda w: f"/petugas/peta/{w['desa_a'].kode}/", READ_A),
    "peta:data": ("get", lambda w: f"/petugas/peta/{w['desa_a'].kode}/data.geojson", READ_A),
    "peta:ekspor": ("get", lambda w: f"/petugas/peta/{w['desa_a'].kode}/ekspor.kml", READ_A),
    "peta:impor": ("get", lambda w: f"/petugas/peta/{w['desa_a'].kode}/impor/", needs(Action.IMPORT)),
    # The menu's "Map": an account of one village goes straight to its map, the kecamatan's choose.
    "peta:index": ("get", lambda w: "/petugas/peta/", {**dict.fromkeys(PERSONAS, 302), "admin": 200, "camat": 200}),
    # A map import is a worker job (core.jobs): its page for who sees the village, saving and
    # cancelling for who may import there (a finished check: saved as a new job, cancel changes nothing).
    "peta:impor-detail": ("get", lambda w: f"/petugas/peta/impor/{w['peta_job'].pk}/", READ_A),
    "peta:impor-simpan": ("post", lambda w: f"/petugas/peta/impor/{w['peta_job'].pk}/simpan/", needs(Action.IMPORT, ok=302)),
    "peta:impor-batal": ("post", lambda w: f"/petugas/peta/impor/{w['peta_job'].pk}/batal/", needs(Action.IMPORT, ok=302)),
    # A place's photo: its page for who may change the map; the photo of a public place to everyone.
    "peta:fitur-foto": ("get", lambda w: f"/petugas/peta/fitur/{w['fitur'].pk}/foto/", WRITE_A),
    "peta:foto": ("get", lambda w: f"/peta/foto/{w['fitur'].pk}.jpg", EVERYONE),
    "peta:fitur-simpan": ("post", lambda w: f"/petugas/peta/{w['desa_a'].kode}/fitur/", needs(Action.CHANGE, ok=302)),
    "peta:fitur-hapus": ("post", lambda w: f"/petugas/peta/fitur/{w['fitur'].pk}/hapus/", needs(Action.CHANGE, ok=302)),
    "peta:lokasi": ("post", lambda w: f"/petugas/peta/{w['desa_a'].kode}/lokasi/", needs(Action.CHANGE, ok=302)),
    "peta:tetapkan-rt": ("post", lambda w: f"/petugas/peta/{w['desa_a'].kode}/tetapkan-rt/", needs(Action.CHANGE, ok=302)),
    "api-v1:peta_batas": ("get", lambda w: "/api/v1/peta/batas/?wilayah=62.01.02", EVERYONE),
    "api-v1:peta_tempat": ("get", lambda w: f"/api/v1/peta/tempat/?wilayah={w['desa_a'].kode}", EVERYONE),
    "api-v1:peta_garis": ("get", lambda w: f"/api/v1/peta/garis/?wilayah={w['desa_a'].kode}", EVERYONE),
    "api-v1:peta_area": ("get", lambda w: f"/api/v1/peta/area/?wilayah={w['desa_a'].kode}", EVERYONE),
    "api-v1:peta_keluarga": ("get", lambda w: f"/api/v1/peta/keluarga/?desa={w['desa_a'].kode}", API_READ_A),
}


def _year(world):
    return world["profil"].tahun


def _lampiran(world):
    return world["profil"].lampiran.get().pk


def _indikator(world):
    from sidekel.potensi.models import Indikator

    return Indikator.objects.get(kode="sda.umum.luas").pk


def _dusun_a(world):
    """Budi's dusun in desa A (Sumber Rejeki, with one RT)."""
    return world["keluarga"].rt.dusun


def _empty_dusun_a(world):
    from sidekel.wilayah.services import ensure_rt

    return ensure_rt(world["desa_a"], "001", "001", "Kosong").dusun


# Public routes that are not Sidekel's own views: the API's description (no figures).
NOT_OURS = {"api-v1:openapi-json": "django-ninja's OpenAPI document: the API's description, no figures"}


def _view_of(path, method):
    """The function behind a path: the view, or for the API the operation's own function."""
    func = resolve(path.split("?")[0]).func
    for cell in func.__closure__ or ():
        operations = getattr(cell.cell_contents, "operations", None)
        if operations:
            return next(op.view_func for op in operations if method.upper() in op.methods)
    return func


@pytest.mark.parametrize("name", sorted(n for n, entry in MATRIX.items() if entry[2]["anon"] == 200))
def test_every_public_route_says_where_its_figures_come_from(world, name):
    """Issue 13: every figure anyone can get without a login comes from statistik.publik; a public
    view or API operation declares it (core.publicapi.public_figures), or declares that it shows none."""
    if name in NOT_OURS:
        return
    method, path, _expected, *_body = MATRIX[name]
    view = _view_of(path(world), method)
    assert getattr(view, "public_figures", None) in PUBLIC_SOURCES, \
        f"{name}: mark the view with @public_figures('statistik.publik') or @public_figures('none')"


def url_names(patterns=None, namespace=None):
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace if not namespace else f"{namespace}:{p.namespace}" if p.namespace else namespace
            if ns == "admin":
                yield "admin:*"
                continue
            yield from url_names(p.url_patterns, ns)
        elif p.name:
            yield f"{namespace}:{p.name}" if namespace else p.name


def test_every_url_is_in_the_matrix():
    missing = sorted(set(url_names()) - set(MATRIX))
    assert not missing, f"add these URLs to MATRIX with the expected outcome per persona: {missing}"


def _request(client, world, persona, name):
    method, path, _expected, *body = MATRIX[name]
    path = path(world)
    kwargs = {}
    if path.startswith("/api/"):
        if persona != "anon":
            kwargs["HTTP_AUTHORIZATION"] = f"Bearer {world['tokens'][persona]}"
        if body:
            data = body[0](world) if callable(body[0]) else body[0]
            kwargs.update(data=json.dumps(data), content_type="application/json")
    elif persona != "anon":
        client.force_login(world["users"][persona])
    return getattr(client, method)(path, **kwargs)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_matrix(client, world, persona, name):
    response = _request(client, world, persona, name)
    expected = MATRIX[name][2][persona]
    assert response.status_code == expected, f"{name} as {persona}: {response.status_code}, expected {expected}"
    if persona == "anon" and expected == LOGIN and response.status_code == 302:
        target = "/admin/login/" if name == "admin:*" else "/masuk/"
        assert response["Location"].startswith(target) or name in {
            "akun:logout", "penduduk:beranda-petugas", "layanan:warga-keluar", "layanan:warga-ajukan", "layanan:lacak-pdf"}


@pytest.mark.parametrize("persona", ["op_b", "camat", "anon"])
def test_personal_data_of_desa_a_never_reaches_those_who_may_not_see_it(client, world, persona):
    """The operator of desa B finds nothing of desa A; camat and public never see a full NIK."""
    for name in ("penduduk:list", "api-v1:list_penduduk", "penduduk:detail", "api-v1:get_penduduk", "portal:beranda",
                 "penduduk:desa-kualitas", "api-v1:statistik", "api-v1:get_dataset", "pendidikan:tidak-sekolah",
                 "api-v1:tidak_sekolah", "pendidikan:publik", "api-v1:list_sekolah",
                 "portal:desa", "portal:statistik", "portal:data-resource", "peta:publik", "api-v1:peta_batas",
                 "api-v1:peta_tempat", "api-v1:list_permohonan", "api-v1:get_permohonan"):
        body = _request(client, world, persona, name).content.decode()
        assert world["budi"].nik not in body and world["andi"].nik not in body, (name, persona)
        if persona != "camat":
            assert "Budi Santoso" not in body, (name, persona)


MENU = re.compile(r'<nav class="mainnav"[^>]*>(.*?)</nav>', re.S)
HREF = re.compile(r'href="([^"]+)"')


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anon"])
def test_every_menu_link_shown_to_a_role_opens_for_it(client, world, persona):
    """The main menu shows a link only where core.scope permits it, so each one opens (after the
    redirect to the user's own village, where there is one) for the role that sees it."""
    client.force_login(world["users"][persona])
    page = client.get("/penduduk/").content.decode()
    links = HREF.findall(MENU.search(page).group(1))
    assert links, persona
    for link in links:
        response = client.get(link, follow=True)
        assert response.status_code == 200, (persona, link, response.status_code)
    expected = {"Impor": permits(world["users"][persona], Action.IMPORT, world["desa_a"]) or persona == "op_b",
                "Terhapus": permits(world["users"][persona], Action.RESTORE)}
    for label, shown in expected.items():
        assert (f">{label}</a>" in MENU.search(page).group(1)) == shown, (persona, label)


# Pages that show or search personal data: each declares it (core.audit.logs_access), so the access
# log is written without a call the view must remember. (Downloads and reveals log in the step
# that hands the file or the number over: core.identity.reveal, and the export views.)
PERSONAL_PAGES = ["penduduk:list", "penduduk:detail", "penduduk:keluarga", "penduduk:desa-detail",
                  "penduduk:desa-kualitas", "buku:buku", "pendidikan:tidak-sekolah", "peta:data", "layanan:detail",
                  "layanan:agenda", "layanan:permohonan", "layanan:pin", "layanan:pin-penduduk",
                  "potensi:lampiran-unduh"]


@pytest.mark.parametrize("name", PERSONAL_PAGES)
def test_pages_with_personal_data_declare_their_access_log(world, client, name):
    from sidekel.core.models import AccessLog

    method, path, _expected, *_body = MATRIX[name]
    view = _view_of(path(world), method)
    assert getattr(view, "access_logged", None), f"{name}: declare it with @logs_access(...)"
    client.force_login(world["users"]["admin"])
    before = AccessLog.objects.count()
    assert client.get(path(world)).status_code == 200
    assert AccessLog.objects.count() == before + 1
