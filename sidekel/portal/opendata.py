"""The open data catalogue, shaped like CKAN: organisations, datasets, resources.

- An organisation is the kecamatan or one of its villages (its Kemendagri code).
- A dataset is one table (population by sex, by age, ... families, monthly events), published
  by every organisation: one resource per organisation and format, /data/<slug>/<kode>.<fmt>.
- "semua-desa" puts every village's tables together: one row per village per category code.

Every figure comes from ``statistik.publik`` (today's aggregates, small counts hidden where the
rules say so), which caches per village data version. A hidden count is "<3" in CSV and XLSX
and null in JSON.
"""

import csv
import io
import json
from dataclasses import dataclass

from django.db.models import Max
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sidekel.core.models import ObjectChange
from sidekel.core.xlsx import write_workbook
from sidekel.penduduk.models import Penduduk
from sidekel.statistik import publik
from sidekel.statistik.choices import KATEGORI
from sidekel.statistik.privacy import threshold
from sidekel.wilayah.models import Desa

LICENCE = {"id": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
           "url": "https://creativecommons.org/licenses/by/4.0/deed.id"}
FORMATS = ("csv", "json", "xlsx")
ALL_VILLAGES = "semua-desa"
EVENT_NAMES = {"1": "lahir", "2": "mati", "5": "pindah_datang", "3": "pindah_keluar"}


@dataclass(frozen=True)
class Dataset:
    slug: str
    table: str  # the statistik.publik table, or ALL_VILLAGES
    title: object
    description: object
    period: object = gettext_lazy("Today's figures (updated with every change of the village's data)")


def _datasets():
    found = [Dataset(f"penduduk-{k.slug}", k.slug, _("Population by %(what)s") % {"what": str(k.title).lower()},
                     _("Living residents by %(what)s and sex, per village and for the kecamatan.") % {
                         "what": str(k.title).lower()})
             for k in KATEGORI.values()]
    found.append(Dataset("keluarga", "keluarga", _("Families by number of members"),
                         _("Families (Kartu Keluarga) by the number of their members living in the village.")))
    found.append(Dataset("peristiwa-bulanan", "peristiwa", _("Monthly population events"),
                         _("Births, deaths, moves in and moves out per month, for the last 12 months."),
                         _("The last 12 months")))
    found.append(Dataset(ALL_VILLAGES, ALL_VILLAGES, _("All villages together"),
                         _("Every population table of every village in one file: one row per village per code.")))
    return found


def datasets():
    return _datasets()


def dataset(slug):
    return next((d for d in _datasets() if d.slug == slug), None)


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
    """The newest change of the villages' population data (audited change or record), or None."""
    changed = ObjectChange.objects.filter(desa_id__in=desa_ids, content_type__app_label="penduduk").aggregate(
        at=Max("at"))["at"]
    written = Penduduk.objects.filter(desa_id__in=desa_ids).aggregate(at=Max("updated_at"))["at"]
    return max((t for t in (changed, written) if t is not None), default=None)


def organisation(kode):
    """(name, village ids, desa or None, kecamatan id) of an organisation code, or None."""
    for code, name, desa in organisations():
        if code == kode:
            if desa is not None:
                return name, [desa.id], desa, desa.kecamatan_id
            ids = list(Desa.objects.managed().filter(kecamatan__kode=kode).values_list("id", flat=True))
            kecamatan_id = Desa.objects.filter(id__in=ids[:1]).values_list("kecamatan_id", flat=True).first()
            return name, ids, None, kecamatan_id
    return None


# --- the rows of a resource ------------------------------------------------------------------------

def _column_name(table, column):
    return EVENT_NAMES.get(column, column) if table == "peristiwa" else column


def rows(ds, kode):
    """(header, rows) of a dataset for one organisation; a hidden count is None."""
    name, ids, desa, kecamatan_id = organisation(kode)
    if ds.table == ALL_VILLAGES:
        header = ["kode_wilayah", "nama_wilayah", "kategori", "kode", "label", "laki_laki", "perempuan", "jumlah"]
        out = []
        villages = Desa.objects.filter(id__in=ids).order_by("kode")
        for village in villages:
            for slug in KATEGORI:
                table = publik.village_table(village.id, slug)
                for r in table.rows:
                    out.append([village.kode, village.nama, slug, r["kode"], r["label"],
                                r["laki_laki"], r["perempuan"], r["jumlah"]])
        return header, out
    table = publik.village_table(desa.id, ds.table) if desa else publik.kecamatan_table(ids, ds.table, kecamatan_id)
    header = ["kode_wilayah", "nama_wilayah", "kode", "label"] + [_column_name(ds.table, c) for c in table.columns]
    out = [[kode, name, r["kode"], r["label"]] + [r[c] for c in table.columns] for r in table.rows]
    return header, out


def response(ds, kode, fmt, bom=False):
    header, body = rows(ds, kode)
    hidden = "<%d" % threshold()
    filename = f"{ds.slug}-{kode}.{fmt}"
    if fmt == "json":
        name = organisation(kode)[0]
        updated = last_update(organisation(kode)[1])
        payload = {
            "dataset": ds.slug, "judul": str(ds.title), "organisasi": {"kode": kode, "nama": name},
            "lisensi": LICENCE, "diperbarui": updated.isoformat() if updated else None,
            "catatan": _("null: a count below %(n)d, hidden so that no person can be recognised.") % {"n": threshold()},
            "fields": header, "records": [dict(zip(header, r)) for r in body],
        }
        resp = HttpResponse(json.dumps(payload, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8")
    elif fmt == "csv":
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(header)
        writer.writerows([hidden if v is None else v for v in r] for r in body)
        resp = HttpResponse((("\ufeff" if bom else "") + text.getvalue()).encode("utf-8"),
                            content_type="text/csv; charset=utf-8")
    else:
        buffer = io.BytesIO()
        write_workbook(buffer, [("Data", [header] + [[hidden if v is None else v for v in r] for r in body])])
        resp = HttpResponse(buffer.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        fmt = "xlsx"
    resp["Content-Disposition"] = f'attachment; filename="{filename}"'
    resp["Cache-Control"] = "public, max-age=300"
    return resp


def generated_at():
    return timezone.now()
