"""The open data files, shaped like CKAN: organisations, datasets, resources.

- An organisation is the kecamatan or one of its villages (its Kemendagri code).
- The datasets are ``statistik.datasets.DATASETS`` (one catalogue for the pages and the API). A
  dataset of one table is published by every organisation: one resource per organisation and
  format, /data/<slug>/<kode>.<fmt>; the two kecamatan-wide lists only by the kecamatan.

Every figure comes from ``statistik.publik`` (the one public read path, with its disclosure
control), so a file says what the page and the API say. Each file carries the note that explains
how small counts are published (``publik.note``).
"""

import io
import json

from django.db.models import Max
from django.http import HttpResponse
from django.utils.translation import gettext as _

from sidekel.core.files import csv_writer
from sidekel.core.models import ObjectChange
from sidekel.core.versioned import cached
from sidekel.core.xlsx import write_workbook
from sidekel.penduduk.models import Penduduk
from sidekel.statistik import publik
from sidekel.statistik.choices import KATEGORI
from sidekel.statistik.datasets import ALL_VILLAGES, ASPIRASI, DATASETS, LICENCE, LICENCE_TITLE, LICENCE_URL, VILLAGES
from sidekel.wilayah.models import Desa

LICENCE_INFO = {"id": LICENCE, "title": LICENCE_TITLE, "url": LICENCE_URL}
FORMATS = ("csv", "json", "xlsx")
EVENT_NAMES = {"1": "lahir", "2": "mati", "5": "pindah_datang", "3": "pindah_keluar"}


def datasets():
    return list(DATASETS.values())


def dataset(slug):
    return DATASETS.get(slug)


def organisations():
    """[(kode, name, desa or None)]: the kecamatan(s) first, then their villages."""
    villages = list(Desa.objects.managed().select_related("kecamatan").order_by("kode"))
    result, seen = [], set()
    for desa in villages:
        if desa.kecamatan_id not in seen:
            seen.add(desa.kecamatan_id)
            result.append((desa.kecamatan.kode, _("Kecamatan %(nama)s") % {"nama": desa.kecamatan.nama}, None))
    result += [(d.kode, str(d), d) for d in villages]
    return result


def last_update(desa_ids):
    """The newest change of the villages' population data (audited change or record), or None; a
    maintained figure of each village (core.versioned), made again by the worker after a change."""
    found = cached(desa_ids, "diperbarui", _last_update_village, maintained=True)
    return max((t for t in found.values() if t is not None), default=None)


def _last_update_village(desa_id):
    changed = ObjectChange.objects.filter(desa_id=desa_id, content_type__app_label="penduduk").aggregate(
        at=Max("at"))["at"]
    written = Penduduk.objects.filter(desa_id=desa_id).aggregate(at=Max("updated_at"))["at"]
    return max((t for t in (changed, written) if t is not None), default=None)


def organisation(kode):
    """(name, village ids, desa or None, kecamatan id) of an organisation code, or None."""
    found = publik.area(kode)
    return found and (found.nama, found.desa_ids, found.desa, found.kecamatan_id)


# --- the rows of a resource ------------------------------------------------------------------------

def _column_name(table, column):
    return EVENT_NAMES.get(column, column) if table == publik.EVENTS else column


def rows(ds, kode, pada=None):
    """(header, rows) of a dataset for one organisation on ``pada`` (default today)."""
    name, ids, desa, kecamatan_id = organisation(kode)
    villages = list(Desa.objects.filter(id__in=ids).order_by("kode"))
    if ds.table == VILLAGES:
        figures = publik.headline(ids)
        header = ["kode_wilayah", "nama_wilayah", "jenis", "laki_laki", "perempuan", "jumlah", "keluarga"]
        return header, [[v.kode, v.nama, v.get_jenis_display().lower()] +
                        [figures[v.id][c] for c in ("laki_laki", "perempuan", "jumlah", "keluarga")] for v in villages]
    if ds.table == ASPIRASI:
        return _aspirasi_rows(kode, name)
    if ds.potensi is not None:
        header = ["kode_wilayah", "nama_wilayah", "tahun", "kode", "subkelompok", "indikator", "satuan", "nilai"]
        values = publik.potensi_values(ids, kelompok=ds.potensi)
        return header, [[v.kode, v.nama, r["tahun"], r["kode"], r["subkelompok"], r["nama"], r["satuan"], r["nilai"]]
                        for v in villages for r in sorted(values.get(v.id, []), key=lambda r: (r["tahun"], r["urutan"]))]
    if ds.table == ALL_VILLAGES:
        header = ["kode_wilayah", "nama_wilayah", "kategori", "kode", "label", "laki_laki", "perempuan", "jumlah"]
        out = []
        tables = {slug: publik.village_tables(kecamatan_id, slug, pada) for slug in KATEGORI}
        for village in villages:
            for slug in KATEGORI:
                table = tables[slug].get(village.id)
                for r in table.rows if table else []:
                    out.append([village.kode, village.nama, slug, r["kode"], r["label"],
                                r["laki_laki"], r["perempuan"], r["jumlah"]])
        return header, out
    table = publik.village_table(desa.id, ds.table, pada=pada) if desa \
        else publik.kecamatan_table(kecamatan_id, ds.table, pada)
    columns = table.columns if table else ()
    header = ["kode_wilayah", "nama_wilayah", "kode", "label"] + [_column_name(ds.table, c) for c in columns]
    out = [[kode, name, r["kode"], r["label"]] + [r[c] for c in columns] for r in (table.rows if table else [])]
    return header, out


def _aspirasi_rows(kode, name):
    from sidekel.aspirasi.choices import Jenis
    from sidekel.aspirasi.models import Kategori

    slugs = list(Kategori.objects.values_list("slug", flat=True))
    header = ["kode_wilayah", "nama_wilayah", "bulan", "jumlah", *Jenis.values, *[f"kategori_{s}" for s in slugs],
              "median_hari_tanggapan", "persen_tepat_waktu"]
    out = [[kode, name, m.bulan.strftime("%Y-%m"), m.counts["jumlah"], *[m.counts[j] for j in Jenis.values],
            *[m.counts[s] for s in slugs], m.median_hari, m.persen_tepat_waktu]
           for m in publik.aspirasi_monthly(kode)]
    return header, out


def response(ds, kode, fmt, bom=False, pada=None):
    header, body = rows(ds, kode, pada)
    filename = f"{ds.slug}-{kode}.{fmt}"
    note = publik.note()
    if fmt == "json":
        name, ids = organisation(kode)[:2]
        updated = last_update(ids)
        payload = {
            "dataset": ds.slug, "judul": str(ds.title), "organisasi": {"kode": kode, "nama": name},
            "lisensi": LICENCE_INFO, "diperbarui": updated.isoformat() if updated else None,
            "privasi": {"metode": publik.METHOD, "ambang": publik.threshold(), "keterangan": note},
            "fields": header, "records": [dict(zip(header, r)) for r in body],
        }
        resp = HttpResponse(json.dumps(payload, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8")
    elif fmt == "csv":
        text = io.StringIO()
        writer = csv_writer(text)
        writer.writerow(header)
        writer.writerows(body)
        writer.writerow([])
        writer.writerow([_("Note: %(note)s") % {"note": note}])
        resp = HttpResponse((("\ufeff" if bom else "") + text.getvalue()).encode("utf-8"),
                            content_type="text/csv; charset=utf-8")
    else:
        buffer = io.BytesIO()
        write_workbook(buffer, [("Data", [header] + body), (_("Notes"), [[note], [LICENCE_TITLE, LICENCE_URL]])])
        resp = HttpResponse(buffer.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    resp["Content-Disposition"] = f'attachment; filename="{filename}"'
    resp["Cache-Control"] = "public, max-age=300"
    return resp
