"""Statistics pages for officials: the kecamatan dashboard, an area's overview, one category.

Figures come from services.py; these views only pick the area, date and unit, and draw.
"""

import io
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from sidekel.core import panels
from sidekel.core.files import csv_writer
from sidekel.core.scope import Action, permits
from sidekel.core.xlsx import write_workbook
from sidekel.penduduk.choices import JenisPeristiwa
from sidekel.wilayah.models import Desa, Kecamatan

from . import charts, publik, services
from .choices import KATEGORI
from .forms import PilihanForm


@dataclass
class Area:
    kode: str
    nama: str
    desa_ids: list
    desa: Desa | None = None  # set when the area is one village


def area_for(user, kode):
    """The village or kecamatan ``kode`` if ``user`` may see all of it; 404 otherwise."""
    if kode.count(".") == 3:
        desa = get_object_or_404(Desa.objects.for_user(user), kode=kode)
        return Area(desa.kode, str(desa), [desa.id], desa)
    kecamatan = get_object_or_404(Kecamatan, kode=kode)
    ids = list(Desa.objects.managed().filter(kecamatan=kecamatan).order_by("kode").values_list("id", flat=True))
    if not ids or not permits(user, Action.KECAMATAN):  # every village side by side
        raise Http404
    return Area(kecamatan.kode, _("Kecamatan %(nama)s") % {"nama": kecamatan.nama}, ids)


def _home_area(user):
    villages = list(Desa.objects.for_user(user).select_related("kecamatan").order_by("kode")[:2])
    if not villages:
        raise Http404
    if permits(user, Action.KECAMATAN):
        return villages[0].kecamatan.kode
    return villages[0].kode


SORTS = {"nama", "jumlah", "keluarga", "rasio_jk", "rasio_anak", "rasio_ketergantungan", "pertumbuhan",
         "aps_sma", "tidak_sekolah"}


@login_required
def dashboard(request):
    """Every village side by side (kecamatan roles); a village account goes to its village."""
    if not permits(request.user, Action.KECAMATAN):
        return redirect("statistik:ringkasan", kode=_home_area(request.user))
    form = PilihanForm(request.GET)
    pada, _unit = form.choice()
    villages = list(Desa.objects.for_user(request.user).select_related("kecamatan").order_by("kode"))
    ids = [d.id for d in villages]
    figures = services.summary(ids, pada)
    ages_each = services.tabulate_each(ids, "umur", pada)
    out_of_school = services.tidak_sekolah_each(ids)
    school = services.partisipasi_each(ids, pada)
    rows = []
    for desa in villages:
        row = {"desa": desa, "nama": desa.nama, **figures[desa.id], "tidak_sekolah": out_of_school[desa.id]}
        row["aps_sma"] = school[desa.id][2]["aps"]  # 16-18: where children leave school
        ages = ages_each[desa.id]
        row["spark"] = charts.spark([r.jumlah for r in ages], _("Residents by five-year age group"))
        rows.append(row)
    sort = request.GET.get("urut", "nama")
    key = sort.lstrip("-") if sort.lstrip("-") in SORTS else "nama"
    rows.sort(key=lambda r: (r[key] is None, r[key] if r[key] is not None else 0), reverse=sort.startswith("-"))
    total = services.summary_total(figures.values())
    aspirasi = publik.aspirasi_summary(ids)
    for row in rows:
        row["aspirasi"] = aspirasi.get(row["desa"].id)
    total["tidak_sekolah"] = sum(out_of_school.values())
    kecamatan = villages[0].kecamatan if villages else None
    query = request.GET.copy()
    query.pop("urut", None)
    return render(request, "statistik/dashboard.html", {
        "rows": rows, "total": total, "form": form, "pada": pada, "sort": sort, "kecamatan": kecamatan,
        "query": query.urlencode(), "panels": panels.render(request),
        "columns": [("nama", _("Village")), ("jumlah", _("Population")), ("keluarga", _("Families")),
                    ("rasio_jk", _("Sex ratio")), ("rasio_anak", _("Children 0-14 (%)")),
                    ("rasio_ketergantungan", _("Dependency ratio")), ("pertumbuhan", _("Growth this year (%)")),
                    ("aps_sma", _("In school 16-18 (%)")),
                    ("tidak_sekolah", _("Out of school 7-18"))],
    })


def _pada_query(request):
    """The chosen date alone, for the link back to the dashboard (which has no dusun, RW or RT)."""
    tanggal = request.GET.get("tanggal")
    return urlencode({"tanggal": tanggal}) if tanggal else ""


@login_required
def home(request):
    return redirect("statistik:ringkasan", kode=_home_area(request.user))


@login_required
def ringkasan(request, kode):
    """An area's overview: headline figures, pyramid, families, events per month, the categories."""
    area = area_for(request.user, kode)
    form = PilihanForm(request.GET, area.desa)
    pada, unit = form.choice()
    ages = services.tabulate(area.desa_ids, "umur", pada, unit)
    sexes = services.tabulate(area.desa_ids, "jenis-kelamin", pada, unit)
    months = services.peristiwa_per_bulan(area.desa_ids, pada, 12, unit)
    event_rows = [(month, [sum(by_jenis[j].values()) for j in services.EVENT_COLUMNS]) for month, by_jenis in months]
    return render(request, "statistik/ringkasan.html", {
        "area": area, "form": form, "pada": pada, "unit": unit, "query": request.GET.urlencode(),
        "pada_query": _pada_query(request),
        "pyramid": charts.pyramid(ages), "ages": ages, "jumlah": sum(r.jumlah for r in sexes), "sexes": sexes,
        "keluarga": services.keluarga(area.desa_ids, pada, unit), "event_rows": event_rows,
        "event_names": [JenisPeristiwa(j).label for j in services.EVENT_COLUMNS],
        "kategori": KATEGORI.values(),
    })


@login_required
def kategori(request, kode, slug):
    """One category as a chart and a table; ?format=csv or xlsx downloads the table."""
    if slug not in KATEGORI:
        raise Http404
    area = area_for(request.user, kode)
    form = PilihanForm(request.GET, area.desa)
    pada, unit = form.choice()
    rows = services.tabulate(area.desa_ids, slug, pada, unit)
    total = services.Baris("", _("Total"), sum(r.laki_laki for r in rows), sum(r.perempuan for r in rows))
    for row in rows:
        row.persen = 100 * row.jumlah / total.jumlah if total.jumlah else None
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        name = f"statistik-{slug}-{area.kode}-{pada.isoformat()}"
        if unit:
            name += f"-{unit.level}{unit.id}"
        return download(rows, fmt, name, bom=request.GET.get("bom") == "1")
    return render(request, "statistik/kategori.html", {
        "area": area, "form": form, "pada": pada, "unit": unit, "kategori": KATEGORI[slug], "rows": rows,
        "chart": charts.bars(rows, str(KATEGORI[slug].title)), "total": total,
        "query": request.GET.urlencode(), "pada_query": _pada_query(request), "others": KATEGORI.values(),
    })


HEADER = ["kode", "label", "laki_laki", "perempuan", "jumlah"]


def download(rows, fmt, name, bom=False):
    """A statistics table as CSV (UTF-8; with a byte-order mark on request, for Excel) or XLSX."""
    table = [HEADER] + [[r.kode, r.label, r.laki_laki, r.perempuan, r.jumlah] for r in rows]
    if fmt == "csv":
        text = io.StringIO()
        csv_writer(text).writerows(table)
        body = ("\ufeff" if bom else "") + text.getvalue()
        response = HttpResponse(body.encode("utf-8"), content_type="text/csv; charset=utf-8")
    else:
        buffer = io.BytesIO()
        write_workbook(buffer, [("Statistik", table)])
        response = HttpResponse(buffer.getvalue(),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
