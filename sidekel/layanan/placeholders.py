"""The placeholders a letter's body may use: a fixed list, filled by plain substitution.

A body is text with ``{name}`` placeholders. Only the names below (and the letter type's own
extra fields) exist: the body is never a template, it cannot run code, loop, call a method or
read any other data. A value is put in once, as text: a resident named ``{nik}`` or ``<b>`` is
printed as written (never expanded again, never markup). For a web page, ``render_html``
escapes both the body's own text and every value.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .choices import JenisIsian

PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")
FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]{0,29}$")
BULAN = ["", "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
         "November", "Desember"]

# The documented list: name -> what it holds. Grouped: resident, family, village, official, letter.
PLACEHOLDERS = {
    # the resident
    "nama": "Nama lengkap penduduk",
    "nik": "NIK penduduk",
    "no_kk": "Nomor KK",
    "tempat_lahir": "Tempat lahir",
    "tanggal_lahir": "Tanggal lahir (12 Desember 1985)",
    "tempat_tanggal_lahir": "Tempat, tanggal lahir",
    "umur": "Umur dalam tahun",
    "jenis_kelamin": "Jenis kelamin",
    "agama": "Agama",
    "pekerjaan": "Pekerjaan",
    "status_perkawinan": "Status perkawinan",
    "kewarganegaraan": "Kewarganegaraan",
    "pendidikan": "Pendidikan terakhir",
    "alamat": "Alamat (jalan, RT, RW, dusun)",
    "nama_ayah": "Nama ayah",
    "nama_ibu": "Nama ibu",
    # the family
    "kepala_keluarga": "Nama kepala keluarga",
    # the village
    "desa": "Nama desa/kelurahan",
    "sebutan_desa": "Desa, Kelurahan atau Desa Adat",
    "kecamatan": "Nama kecamatan",
    "kabupaten": "Nama kabupaten/kota",
    "provinsi": "Nama provinsi",
    "alamat_kantor": "Alamat kantor desa",
    # the official
    "penandatangan": "Nama penandatangan",
    "jabatan": "Jabatan penandatangan tanpa nama desa (Kepala Desa, Lurah, a.n. Kepala Desa)",
    # the letter
    "nomor": "Nomor surat",
    "tanggal": "Tanggal surat",
    "jenis_surat": "Nama jenis surat",
    "keperluan": "Keperluan",
    "berlaku_sampai": "Berlaku sampai tanggal",
}


def tanggal_id(value):
    """12 Desember 2026."""
    if not value:
        return ""
    return f"{value.day} {BULAN[value.month]} {value.year}"


def check_fields(fields):
    """The extra fields of a type: a list of {nama, label, jenis, wajib, pilihan}."""
    if not isinstance(fields, list):
        raise ValidationError({"isian": _("The extra fields must be a list.")})
    seen = set()
    for field in fields:
        if not isinstance(field, dict) or not FIELD_NAME.match(str(field.get("nama", ""))):
            raise ValidationError({"isian": _("Each extra field needs a name of small letters, digits and _.")})
        name = field["nama"]
        if name in PLACEHOLDERS or name in seen:
            raise ValidationError({"isian": _("The extra field name %(name)s is already used.") % {"name": name}})
        seen.add(name)
        if field.get("jenis") not in JenisIsian.values:
            raise ValidationError({"isian": _("The extra field %(name)s has an unknown kind.") % {"name": name}})
        if field["jenis"] == JenisIsian.PILIHAN and not field.get("pilihan"):
            raise ValidationError({"isian": _("The choice field %(name)s needs its choices.") % {"name": name}})


def allowed_names(fields):
    return set(PLACEHOLDERS) | {f["nama"] for f in fields or ()}


def check_body(body, fields):
    """ValidationError naming each placeholder that is not in the list (nor a field of the type)."""
    unknown = sorted({m.group(1) for m in PLACEHOLDER.finditer(body or "")} - allowed_names(fields))
    if unknown:
        raise ValidationError(_("Unknown placeholders: %(names)s. Use only those listed in the guide.")
                              % {"names": ", ".join("{%s}" % n for n in unknown)})


def render_text(body, values):
    """The body with each known ``{name}`` replaced by its value, as plain text, in one pass."""
    return PLACEHOLDER.sub(lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), body)


def render_html(body, values):
    """The body for a web page: the body's text and every value escaped, lines kept."""
    parts, last = [], 0
    for match in PLACEHOLDER.finditer(body):
        parts.append(escape(body[last:match.start()]))
        name = match.group(1)
        parts.append(escape(values[name]) if name in values else escape(match.group(0)))
        last = match.end()
    parts.append(escape(body[last:]))
    return mark_safe("".join(parts).replace("\n", "<br>\n"))


def _field_value(field, raw):
    if field["jenis"] == JenisIsian.TANGGAL and raw:
        return tanggal_id(datetime.date.fromisoformat(raw))
    return raw if raw is not None else ""


def values_for(surat, *, penandatangan="", jabatan="", nomor="", tanggal=None, berlaku_sampai=None):
    """The whitelist of values for a letter: only the names of PLACEHOLDERS and the type's fields."""
    from sidekel.wilayah.models import rt_labels, villages_by_id

    p, desa = surat.penduduk, surat.desa
    kecamatan = desa.kecamatan
    alamat = p.alamat
    if p.rt_id:
        label = rt_labels([p.rt_id], villages_by_id({desa.id: desa}, set())).get(p.rt_id, "")
        alamat = ", ".join(part for part in (p.alamat, label) if part)
    keluarga = p.keluarga
    kepala = keluarga.anggota.filter(hubungan_keluarga=1, deleted_at__isnull=True).values_list(
        "nama", flat=True).first() if keluarga else None
    values = {
        "nama": p.nama, "nik": p.nik or "", "no_kk": keluarga.nomor_kk if keluarga else "",
        "tempat_lahir": p.tempat_lahir, "tanggal_lahir": tanggal_id(p.tanggal_lahir),
        "tempat_tanggal_lahir": ", ".join(x for x in (p.tempat_lahir, tanggal_id(p.tanggal_lahir)) if x),
        "umur": p.umur(tanggal) if tanggal else p.umur(),
        "jenis_kelamin": p.get_jenis_kelamin_display(), "agama": p.get_agama_display(),
        "pekerjaan": p.get_pekerjaan_display(), "status_perkawinan": p.get_status_perkawinan_display(),
        "kewarganegaraan": p.get_kewarganegaraan_display(), "pendidikan": p.get_pendidikan_kk_display(),
        "alamat": alamat, "nama_ayah": p.nama_ayah, "nama_ibu": p.nama_ibu,
        "kepala_keluarga": kepala or "",
        "desa": desa.nama, "sebutan_desa": desa.get_jenis_display(), "kecamatan": kecamatan.nama,
        "kabupaten": kecamatan.kabupaten.nama, "provinsi": kecamatan.kabupaten.provinsi.nama,
        "alamat_kantor": desa.alamat_kantor,
        "penandatangan": penandatangan, "jabatan": jabatan,
        "nomor": nomor or "...", "tanggal": tanggal_id(tanggal), "jenis_surat": surat.jenis.nama,
        "keperluan": surat.keperluan, "berlaku_sampai": tanggal_id(berlaku_sampai),
    }
    for field in surat.jenis.isian:
        values[field["nama"]] = _field_value(field, surat.isian.get(field["nama"]))
    return values
