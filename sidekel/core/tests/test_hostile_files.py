"""A corpus of hostile files, made here, through every upload: the resident import page, the
``sidekel import`` command, the school import, the potensi profile's upload and the news image of
the portal. Each gets a clear message in
Bahasa Indonesia, never a 500, and nothing is written (rows counted before and after).

The uploads (``grep -rn "FileField\\|request.FILES" sidekel``): ``penduduk.forms.ImportForm.file``,
``pendidikan.forms.ImportForm.berkas``, ``potensi.views.unggah`` and ``portal.forms.BeritaForm.gambar_baru``.
"""

import io
import struct
import zipfile
import zlib

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from sidekel.akun.choices import Role
from sidekel.akun.services import create_user
from sidekel.core.models import Job
from sidekel.penduduk.tests.files import GOOD_ROWS, HEADERS, write_xlsx

# Words one of which every message about a refused file holds (the messages are Indonesian).
INDONESIAN = ("berkas", "kolom", "rusak", "kosong", "lembar", "bukan", "tidak", "simpan", "baris", "gambar", "foto", "terlalu", "harus", "wajib")
UNEXPECTED = "tak terduga"  # the job's message for an error nobody foresaw: a bug, not a clear message

SST = '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{}</sst>'
LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
          + "]>")


def xlsx_parts(sheet_xml, shared_xml=None, dimension=""):
    """The parts of a minimal .xlsx whose first sheet is ``sheet_xml`` (the rows)."""
    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        "xl/workbook.xml": '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                           'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                           '<sheets><sheet name="Data Penduduk" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                                      '<Relationship Id="rId1" Target="worksheets/sheet1.xml"/>'
                                      '<Relationship Id="rId2" Target="sharedStrings.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                                    f'{dimension}<sheetData>{sheet_xml}</sheetData></worksheet>',
    }
    if shared_xml is not None:
        parts["xl/sharedStrings.xml"] = shared_xml
    return parts


def zipped(parts):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buffer.getvalue()


def header_row(headers=HEADERS):
    return '<row r="1">' + "".join(f'<c t="inlineStr"><is><t>{h}</t></is></c>' for h in headers) + "</row>"


def good_xlsx(tmp_path):
    return write_xlsx(tmp_path / "baik.xlsx", HEADERS, GOOD_ROWS).read_bytes()


def spreadsheet_corpus(tmp_path):
    """{name: (file name, bytes)}: every file a hostile or careless person might upload as a spreadsheet."""
    good = good_xlsx(tmp_path)
    corpus = {
        "zip-bomb": ("bom.xlsx", zipped({**xlsx_parts(header_row()), "xl/worksheets/sheet2.xml": b"\0" * (60 * 2**20)})),
        "xml-bomb-sheet": ("tawa.xlsx", zipped({**xlsx_parts(""), "xl/worksheets/sheet1.xml":
                                                LAUGHS.replace("lolz", "worksheet") + '<worksheet><sheetData>'
                                                + header_row() + '<row r="2"><c t="inlineStr"><is><t>&lol9;</t></is></c>'
                                                + "</row></sheetData></worksheet>"})),
        "xml-bomb-shared-strings": ("tawa2.xlsx", zipped(xlsx_parts(
            '<row r="1"><c t="s"><v>0</v></c><c t="s"><v>1</v></c></row>',
            LAUGHS.replace("lolz", "sst") + SST.format("<si><t>&lol9;</t></si><si><t>nama</t></si>")))),
        "huge-dimensions": ("besar.xlsx", zipped(xlsx_parts(
            header_row() + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
            dimension='<dimension ref="A1:XFD1048576"/>'))),
        "beyond-last-column": ("jauh.xlsx", zipped(xlsx_parts(header_row() + '<row r="2"><c r="ZZZZZZZ2"><v>1</v></c></row>'))),
        "wrong-types": ("jenis.xlsx", zipped(xlsx_parts(
            header_row() + '<row r="2">' + "".join(f'<c t="{t}"><v>{v}</v></c>' for t, v in
                                                   [("b", "1"), ("e", "#N/A"), ("n", "3.5e300"), ("b", "0"), ("e", "#REF!"),
                                                    ("n", "-1"), ("str", "x"), ("n", "1e-9"), ("d", "bukan-tanggal"),
                                                    ("b", "1"), ("e", "#DIV/0!"), ("n", "0"), ("n", "NaN"), ("n", "inf"),
                                                    ("b", "0")]) + "</row>"))),
        "utf16": ("unicode.csv", ("\ufeff" + "\t".join(HEADERS) + "\n" + "\t".join(GOOD_ROWS[0]) + "\n").encode("utf-16-le")),
        "utf16-be": ("unicode.txt", ("\ufeff" + ",".join(HEADERS) + "\n").encode("utf-16-be")),
        "mixed-encodings": ("campur.csv", ",".join(HEADERS).encode("utf-8") + b"\n" + ",".join(GOOD_ROWS[0]).encode("cp1252")
                            + b"\xc3\x28\xa0\xa1 \xe2\x82\n" + "Ñoño".encode("utf-16")),
        "formulas": ("rumus.xlsx", zipped(xlsx_parts(header_row() + '<row r="2"><c><f>A1&amp;"1"</f></c></row>'))),
        "ten-thousand-columns": ("lebar.csv", (",".join(f"kolom{i}" for i in range(10_000)) + "\n"
                                               + ",".join("x" for _ in range(10_000)) + "\n").encode()),
        "html-as-xls": ("data.xls", b"<html><head><meta charset='utf-8'></head><body><table><tr>"
                        + b"".join(f"<td>{h}</td>".encode() for h in HEADERS) + b"</tr></table></body></html>"),
        "empty": ("kosong.xlsx", b""),
        "truncated-zip": ("putus.xlsx", good[: len(good) // 2]),
        "huge-csv-field": ("panjang.csv", ",".join(HEADERS).encode() + b"\n\"" + b"A" * 300_000 + b"\"\n"),
        "not-a-spreadsheet": ("foto.xlsx", b"\x89PNG\r\n\x1a\n" + b"\0" * 100),
    }
    return corpus


def png_header(width, height):
    """A PNG that says it is ``width`` x ``height`` pixels, with hardly any pixel data."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + chunk(b"IEND", b""))


def image_corpus(tmp_path):
    return {
        "empty": ("kosong.png", b""),
        "html-as-png": ("foto.png", b"<html><script>alert(1)</script></html>"),
        "svg": ("logo.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        "pixel-bomb": ("besar.png", png_header(60_000, 60_000)),
        "just-over-the-limit": ("besar2.png", png_header(8_000, 6_000)),
        "truncated": ("putus.png", png_header(100, 100)[:40]),
        "zip-as-png": ("arsip.png", good_xlsx(tmp_path)),
    }


def counts():
    """Rows in every table that an import or a news item writes to."""
    with connection.cursor() as cursor:
        result = {}
        for table in ("penduduk_penduduk", "penduduk_keluarga", "core_objectchange", "portal_berita", "wilayah_dusun",
                      "pendidikan_sekolah", "pendidikan_datasekolah", "potensi_profil", "potensi_nilai"):
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            result[table] = cursor.fetchone()[0]
    return result


@pytest.fixture
def operator_client(client, rangda):
    user = create_user("op_uji", role=Role.OPERATOR, password="x", desa_kode=[rangda.kode], validate=False)
    client.force_login(user)
    return client


def uploaded(corpus, case):
    """The corpus's file ``case`` as a browser sends it: a file object with its name."""
    name, data = corpus[case]
    upload = io.BytesIO(data)
    upload.name = name
    return upload


def assert_clear(message):
    assert message and any(word in message.lower() for word in INDONESIAN) and UNEXPECTED not in message, message


CASES = ["zip-bomb", "xml-bomb-sheet", "xml-bomb-shared-strings", "huge-dimensions", "beyond-last-column", "wrong-types",
         "utf16", "utf16-be", "mixed-encodings", "formulas", "ten-thousand-columns", "html-as-xls", "empty",
         "truncated-zip", "huge-csv-field", "not-a-spreadsheet"]


def test_the_corpus_is_what_the_cases_name(tmp_path):
    assert sorted(spreadsheet_corpus(tmp_path)) == sorted(CASES)


@pytest.mark.parametrize("case", CASES)
def test_hostile_file_through_the_import_page(operator_client, rangda, keluarga_budi, tmp_path, case):
    upload = uploaded(spreadsheet_corpus(tmp_path), case)
    before = counts()
    response = operator_client.post("/impor/", {"file": upload, "desa": rangda.kode, "format": "auto",
                                                         "existing": "skip"}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    job = Job.objects.filter(kind="import-penduduk").order_by("-pk").first()
    if job is None:  # refused by the form itself (an empty file)
        assert "kosong" in page
    elif job.status == Job.Status.FAILED:
        assert_clear(job.message)
        assert job.message.split(":")[0][:40].replace("&", "&amp;").replace('"', "&quot;") in page
    else:  # read, every row refused with its reasons
        assert job.status == Job.Status.DONE, (job.status, job.message)
        assert job.result["new"] + job.result["updated"] == 0 and job.result["refused"], job.result
        assert_clear(job.result["problems"][0]["message"])
    assert counts() == before


@pytest.mark.parametrize("case", CASES)
def test_hostile_file_through_the_school_import(operator_client, rangda, tmp_path, case):
    upload = uploaded(spreadsheet_corpus(tmp_path), case)
    before = counts()
    response = operator_client.post("/petugas/sekolah/impor/", {"desa": rangda.id, "jenis": "sekolah", "berkas": upload})
    if response.status_code == 200:  # refused by the form itself (an empty file)
        assert "kosong" in response.content.decode()
    else:
        job = Job.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
        if job.status == Job.Status.FAILED:
            assert_clear(job.message)
        else:  # read: every row refused with its reason
            assert job.status == Job.Status.DONE and job.result["ok"] == 0, (job.status, job.message, job.result)
            assert_clear(job.result["problems"][0]["message"])
        assert operator_client.get(response["Location"]).status_code == 200
    assert counts() == before


@pytest.mark.parametrize("case", CASES)
def test_hostile_file_through_the_potensi_upload(operator_client, rangda, tmp_path, case):
    from django.utils import timezone

    upload = uploaded(spreadsheet_corpus(tmp_path), case)
    before = counts()
    response = operator_client.post(f"/potensi/{rangda.kode}/{timezone.localdate().year - 1}/unggah/", {"berkas": upload})
    assert response.status_code == 200
    assert response.context["problems"] and not response.context["token"]
    assert_clear(response.context["problems"][0][1])
    assert counts() == before


@pytest.mark.parametrize("case", CASES)
def test_hostile_file_through_the_import_command(rangda, keluarga_budi, tmp_path, case, capsys):
    name, data = spreadsheet_corpus(tmp_path)[case]
    path = tmp_path / name
    path.write_bytes(data)
    before = counts()
    with pytest.raises((CommandError, SystemExit)) as exc:
        call_command("import", "penduduk", str(path), "--desa", rangda.kode)
    if exc.type is CommandError:
        assert_clear(str(exc.value))
        assert len(str(exc.value)) < 400  # a message to read: 10,000 column names are not listed
    else:
        assert exc.value.code == 1
        assert "Tidak ada yang ditulis" in capsys.readouterr().out
    assert counts() == before


@pytest.mark.parametrize("case", ["empty", "html-as-png", "svg", "pixel-bomb", "just-over-the-limit", "truncated",
                                  "zip-as-png"])
def test_hostile_image_through_the_news_form(client, rangda, tmp_path, case):
    user = create_user("op_berita", role=Role.OPERATOR, password="x", desa_kode=[rangda.kode], validate=False)
    client.force_login(user)
    upload = uploaded(image_corpus(tmp_path), case)
    before = counts()
    response = client.post("/petugas/berita/tambah/", {
        "desa": rangda.kode, "jenis": "berita", "judul": "Uji", "isi": "Isi", "keterangan_gambar": "",
        "tanggal_terbit": "01-01-2026 08:00", "diterbitkan": "on", "gambar_baru": upload})
    assert response.status_code == 200  # the form again, with the reason
    errors = response.context["form"].errors
    assert "gambar_baru" in errors, errors
    assert_clear(" ".join(errors["gambar_baru"]))
    assert counts() == before


@pytest.mark.parametrize("case", ["empty", "html-as-png", "svg", "pixel-bomb", "just-over-the-limit", "truncated",
                                  "zip-as-png"])
def test_hostile_image_as_a_place_photo_on_the_map(client, rangda, tmp_path, case):
    from sidekel.peta import services as peta
    from sidekel.peta.models import FotoTempat

    peta.simpan_fitur(rangda, user=None, lapisan="batas", geometry={"type": "Polygon", "coordinates": [
        [[111.60, -2.70], [111.64, -2.70], [111.64, -2.66], [111.60, -2.66], [111.60, -2.70]]]})
    place = peta.simpan_fitur(rangda, user=None, lapisan="tempat", geometry={"type": "Point", "coordinates": [111.62, -2.68]},
                              nama="Balai desa")
    client.force_login(create_user("op_peta", role=Role.OPERATOR, password="x", desa_kode=[rangda.kode], validate=False))
    upload = uploaded(image_corpus(tmp_path), case)
    before = counts()
    response = client.post(f"/petugas/peta/fitur/{place.pk}/foto/", {"foto": upload})
    assert response.status_code == 200  # the form again, with the reason
    errors = response.context["form"].errors
    assert errors, case
    assert_clear(" ".join(m for field in errors.values() for m in field))
    assert counts() == before and not FotoTempat.objects.exists()
