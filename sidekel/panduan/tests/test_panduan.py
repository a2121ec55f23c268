"""The operator's guide: every screenshot it names exists, every section is reachable from the
contents, each page's "Bantuan" link opens its section, and the PDF is made by the worker."""

import re

import pytest
from django.urls import get_resolver, reverse

from sidekel.akun.choices import Role
from sidekel.akun.services import create_user
from sidekel.core.models import Job
from sidekel.panduan import guide, pdf

pytestmark = pytest.mark.django_db


def test_every_screenshot_the_guide_names_exists_and_is_small():
    named = [name for s in guide.sections() for name in s.images()]
    assert len(named) >= 20 and not guide.missing_images()
    total = sum((guide.IMAGES / name).stat().st_size for name in set(named))
    assert total < 3 * 1024 * 1024
    kept = {p.name for p in guide.IMAGES.glob("*.png")}
    assert kept == set(named), f"images the guide does not show: {sorted(kept - set(named))}"


def test_every_section_is_reachable_from_the_contents(client):
    contents = client.get("/bantuan/").content.decode()
    linked = re.findall(r'href="/bantuan/([\w-]+)/"', contents)
    assert linked == [slug for slug, _file in guide.SECTIONS]
    for s in guide.sections():
        page = client.get(f"/bantuan/{s.slug}/").content.decode()
        assert f"<h1>{s.number}. {s.title}</h1>" in page
        for name in s.images():
            assert f'src="/static/panduan/gambar/{name}"' in page
    assert client.get("/bantuan/tidak-ada/").status_code == 404


def test_the_markup_of_the_guide_is_escaped_like_any_document():
    from sidekel.portal import markup

    html = str(markup.document("## Langkah\n\n1. Tekan **Simpan**\n2. <b>x</b>\n\n![Gambar <i>](a.png)",
                               image_url=lambda name: f"/g/{name}"))
    assert "<ol><li>Tekan <strong>Simpan</strong></li><li>&lt;b&gt;x&lt;/b&gt;</li></ol>" in html
    assert '<img src="/g/a.png" alt="Gambar &lt;i&gt;"' in html and "<i>" not in html
    assert "<img" not in str(markup.document("![Gambar](a.png)"))  # no images without a place for them


def test_every_url_name_in_the_mapping_exists_and_names_a_section():
    names = {f"{ns}:{name}" for ns, (_prefix, sub) in get_resolver().namespace_dict.items()
             for name in sub.reverse_dict if isinstance(name, str)}
    slugs = {slug for slug, _file in guide.SECTIONS}
    for view_name, slug in guide.SECTION_OF.items():
        assert slug in slugs, view_name
        if not view_name.endswith(":*"):
            assert view_name in names, view_name


def test_the_help_link_opens_the_section_of_the_page(client, rangda, keluarga_budi):
    keluarga, budi, _siti, _andi = keluarga_budi
    client.force_login(create_user("op", role=Role.OPERATOR, password="x", desa_kode=[rangda.kode], validate=False))
    for path, target in [(f"/penduduk/{budi.pk}/", "/bantuan/penduduk/"), (f"/keluarga/{keluarga.pk}/", "/bantuan/keluarga/"),
                         (f"/penduduk/{budi.pk}/kematian/", "/bantuan/peristiwa/"), ("/impor/", "/bantuan/impor/"),
                         (f"/buku/{rangda.kode}/", "/bantuan/rekap/"), (f"/statistik/{rangda.kode}/", "/bantuan/dasbor/"),
                         (f"/petugas/desa/{rangda.kode}/wilayah/", "/bantuan/wilayah/"), ("/surat/", "/bantuan/surat/"),
                         ("/petugas/berita/", "/bantuan/"), ("/bantuan/impor/", "/bantuan/")]:
        page = client.get(path).content.decode()
        assert f'<a href="{target}" class="help">Bantuan</a>' in page, path


def test_the_pdf_is_made_once_by_the_worker_then_downloaded_by_anyone(client, rangda):
    for path in ("/bantuan/", "/bantuan/panduan-operator.pdf"):  # not made yet: the contents say how
        assert "Masuk dulu untuk membuat PDF panduan." in client.get(path).content.decode()
    assert client.post("/bantuan/buat-pdf/").status_code == 302 and not Job.objects.exists()  # to the login

    client.force_login(create_user("op", role=Role.OPERATOR, password="x", desa_kode=[rangda.kode], validate=False))
    response = client.post("/bantuan/buat-pdf/")
    job = Job.objects.get(kind=pdf.JOB_KIND)
    assert response["Location"] == reverse("jobs:unduhan", args=[job.pk]) and job.status == Job.Status.DONE
    assert job.result["pages"] > len(guide.sections())
    assert "Unduh panduan (PDF)" in client.get("/bantuan/").content.decode()
    client.logout()
    body = b"".join(client.get("/bantuan/panduan-operator.pdf").streaming_content)
    assert body.startswith(b"%PDF") and body == pdf.cached().read_bytes()
    assert b"Panduan Operator Sidekel" in body


def test_the_command_writes_the_pdf(tmp_path):
    from django.core.management import call_command

    out = tmp_path / "panduan.pdf"
    call_command("panduan", "--pdf", str(out))
    assert out.read_bytes().startswith(b"%PDF") and out.stat().st_size > 100_000
