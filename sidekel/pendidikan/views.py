"""Screens of the pendidikan app: schools (list, add, edit, school years), an area's education
figures, and the list of children out of school (personal data: access-logged, never public).

Objects are read through ``for_user`` (another village's school is a 404), writes go through
``services``, and the rights are those of core.scope (Action.VIEW to read, Action.CHANGE to write).
"""

import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sidekel.core.audit import log_access, logs_access
from sidekel.core.models import AccessLog
from sidekel.core.nik import mask
from sidekel.core.scope import Action, permits, permits_somewhere
from sidekel.core.views import url_for_id
from sidekel.core.xlsx import CONTENT_TYPE as XLSX_TYPE
from sidekel.core.xlsx import write_workbook
from sidekel.statistik import publik
from sidekel.statistik import services as statistik
from sidekel.statistik.forms import PilihanForm
from sidekel.statistik.publik import public_figures
from sidekel.statistik.views import area_for
from sidekel.wilayah.models import Desa

from django.views.decorators.http import require_POST

from sidekel.core import jobs
from sidekel.core.models import Job

from . import figures, services, transfer
from .choices import Jenjang
from .forms import DataForm, ImportForm, SekolahForm, apply_errors
from .models import DataSekolah, Sekolah


def _sekolah(request, pk):
    return get_object_or_404(Sekolah.objects.for_user(request.user).select_related("desa", "rt__dusun__desa", "rt__rw"),
                             pk=pk)


def _require_change(request, desa):
    if not permits(request.user, Action.CHANGE, desa):
        raise PermissionDenied(_("You may read but not change data of this village."))


@login_required
def sekolah_list(request):
    """The schools of the user's villages (``?desa=<kode>``: one village; ``?jenjang=``: one level),
    with the figures of the newest school year."""
    villages = Desa.objects.for_user(request.user).order_by("nama")
    desa = get_object_or_404(villages, kode=request.GET["desa"]) if request.GET.get("desa") else None
    schools = Sekolah.objects.for_user(request.user).select_related("desa")
    if desa is not None:
        schools = schools.filter(desa=desa)
    jenjang = request.GET.get("jenjang") if request.GET.get("jenjang") in Jenjang.values else ""
    if jenjang:
        schools = schools.filter(jenjang=jenjang)
    schools = list(schools.order_by("desa__nama", "jenjang", "nama"))
    latest = {}
    for row in DataSekolah.objects.filter(sekolah__in=schools).order_by("sekolah_id", "-tahun_ajaran"):
        latest.setdefault(row.sekolah_id, row)
    for s in schools:
        s.terakhir = latest.get(s.id)
    return render(request, "pendidikan/sekolah_list.html", {
        "schools": schools, "villages": villages, "desa": desa, "jenjang": jenjang, "jenjang_choices": Jenjang.choices,
        "can_add": permits(request.user, Action.CHANGE, desa) if desa else permits_somewhere(request.user, Action.CHANGE),
        "can_import": permits_somewhere(request.user, Action.IMPORT),
    })


def _writable_desa(request):
    """The village to add a school to: ?desa=KODE, or the user's only writable village; None to ask."""
    villages = Desa.objects.for_user(request.user)
    if request.GET.get("desa"):
        desa = get_object_or_404(villages, kode=request.GET["desa"])
        _require_change(request, desa)
        return desa, None
    writable = [d for d in villages.order_by("nama") if permits(request.user, Action.CHANGE, d)]
    if len(writable) == 1:
        return writable[0], None
    if not writable:
        raise PermissionDenied(_("You may not add schools to any village."))
    return None, render(request, "penduduk/pilih_desa.html",
                        {"villages": writable, "next": reverse("pendidikan:sekolah-tambah")})


def _sekolah_form(request, form, desa, title, save, sekolah=None):
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The school %(nama)s has been saved.") % {"nama": result.nama})
            return redirect(result)
    return render(request, "pendidikan/sekolah_form.html",
                  {"form": form, "title": title, "desa": desa, "sekolah": sekolah})


@login_required
def sekolah_add(request):
    desa, choose = _writable_desa(request)
    if choose:
        return choose
    form = SekolahForm(request.POST or None, desa=desa)
    return _sekolah_form(request, form, desa, _("Add a school in %(desa)s") % {"desa": desa},
                         lambda d: services.save_sekolah(desa, d, user=request.user))


@login_required
def sekolah_edit(request, pk):
    sekolah = _sekolah(request, pk)
    _require_change(request, sekolah.desa)
    form = SekolahForm(request.POST or None, desa=sekolah.desa, sekolah=sekolah)
    return _sekolah_form(request, form, sekolah.desa, _("Edit %(nama)s") % {"nama": sekolah.nama},
                         lambda d: services.save_sekolah(sekolah.desa, d, user=request.user, sekolah=sekolah), sekolah)


@login_required
def sekolah_detail(request, pk):
    sekolah = _sekolah(request, pk)
    years = list(sekolah.data.order_by("-tahun_ajaran"))
    for row in years:
        row.murid_per_guru = figures._ratio(row.murid_jumlah, row.guru)
        row.murid_per_ruang = figures._ratio(row.murid_jumlah, row.ruang_jumlah)
    return render(request, "pendidikan/sekolah_detail.html", {
        "sekolah": sekolah, "years": years, "can_write": permits(request.user, Action.CHANGE, sekolah.desa)})


@login_required
def sekolah_data(request, pk):
    """Record or correct a school year's figures (``?tahun=2025/2026`` opens a recorded year)."""
    sekolah = _sekolah(request, pk)
    _require_change(request, sekolah.desa)
    initial = {}
    recorded = sekolah.data.filter(tahun_ajaran=request.GET.get("tahun", "")).first()
    if recorded is not None:
        initial = DataForm.initial_from(recorded)
    form = DataForm(request.POST or None, sekolah=sekolah, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            row = services.save_data(sekolah, form.cleaned_data["tahun_ajaran"], form.values(), user=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The figures of %(nama)s for %(tahun)s have been saved.")
                             % {"nama": sekolah.nama, "tahun": row.tahun_ajaran})
            return redirect(sekolah)
    return render(request, "pendidikan/data_form.html", {"form": form, "sekolah": sekolah})


@login_required
def ringkasan(request, kode):
    """Education figures of a village or the kecamatan on any date, and of a dusun, RW or RT:
    school participation, education of adults, literacy, schools, children out of school."""
    area = area_for(request.user, kode)
    form = PilihanForm(request.GET, area.desa)
    pada, unit = form.choice()
    tahun, per_jenjang = figures.sekolah_per_jenjang(area.desa_ids, request.GET.get("tahun") or None)
    dewasa, dewasa_total, tidak_tamat_sd = figures.pendidikan_dewasa(area.desa_ids, pada, unit)
    out = statistik.tidak_sekolah_each(area.desa_ids)
    villages = Desa.objects.filter(id__in=area.desa_ids).order_by("nama") if area.desa is None else []
    return render(request, "pendidikan/ringkasan.html", {
        "area": area, "form": form, "pada": pada, "unit": unit,
        "aps": statistik.partisipasi(area.desa_ids, pada, unit),
        "dewasa": dewasa, "dewasa_total": dewasa_total, "tidak_tamat_sd": tidak_tamat_sd,
        "melek": statistik.melek_huruf(area.desa_ids, pada) if unit is None else None,
        "tahun": tahun, "per_jenjang": per_jenjang, "tidak_sekolah": sum(out.values()),
        "per_desa": [(d, out[d.id]) for d in villages],
    })


def _village_of(request, kode, **_kwargs):
    return Desa.objects.id_of(kode)


def _out_of_school(request, kode):
    desa = get_object_or_404(Desa.objects.for_user(request.user), kode=kode)
    form = PilihanForm(request.GET, desa)
    del form.fields["tanggal"]
    _pada, unit = form.choice()
    return desa, form, unit, figures.tidak_sekolah_query(desa, unit)


CHILDREN_PER_PAGE = 100


@login_required
@logs_access(AccessLog.Action.VIEW, find=_village_of, detail=lambda request, kode: f"anak tidak sekolah {kode} "
             f"{request.GET.urlencode()}".strip())
def tidak_sekolah(request, kode):
    """The children aged 7-18 of a village recorded as not in school, a page at a time (the download
    has them all): for officials only."""
    desa, form, unit, query = _out_of_school(request, kode)
    page = Paginator(query, CHILDREN_PER_PAGE).get_page(request.GET.get("halaman"))
    people = figures.describe_children(desa, page.object_list)
    person, family = url_for_id("penduduk:detail"), url_for_id("penduduk:keluarga")
    for p in people:  # addresses made here with one reverse each, not by a tag per row
        p["nik_tampil"] = mask(p["nik"])
        p["url"] = person(p["id"])
        p["keluarga_url"] = family(p["keluarga_id"]) if p["keluarga_id"] else ""
    choice = request.GET.copy()
    choice.pop("halaman", None)
    return render(request, "pendidikan/tidak_sekolah.html", {
        "desa": desa, "form": form, "unit": unit, "people": people, "page": page, "today": timezone.localdate(),
        "query": choice.urlencode()})


XLSX_HEADER = ["nik", "nama", "jenis_kelamin", "tanggal_lahir", "umur", "pendidikan_sedang", "dusun_rw_rt",
               "kepala_keluarga"]


@login_required
def tidak_sekolah_xlsx(request, kode):
    """The same list as a spreadsheet (NIK masked); the download is written to the access log."""
    desa, _form, unit, query = _out_of_school(request, kode)
    people = figures.describe_children(desa, query)
    table = [XLSX_HEADER] + [[mask(p["nik"]), p["nama"], "L" if p["jenis_kelamin"] == 1 else "P",
                              p["tanggal_lahir"].strftime("%d-%m-%Y"), p["umur"], p["pendidikan_sedang_label"],
                              p["tempat"], p["kepala_keluarga"]] for p in people]
    buffer = io.BytesIO()
    write_workbook(buffer, [("Anak tidak sekolah", table)])
    log_access(request.user, AccessLog.Action.EXPORT, desa_id=desa.id,
               detail=f"anak tidak sekolah {kode} xlsx {request.GET.urlencode()}".strip())
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="anak-tidak-sekolah-{desa.kode}-{timezone.localdate()}.xlsx"'
    return response


# --- public ---------------------------------------------------------------------------------------

@public_figures("statistik.publik")
def publik_desa(request, kode):
    """A village's schools and its school participation, for everyone: no head's details, no child."""
    desa = get_object_or_404(Desa.objects.managed(), kode=kode)
    schools = list(Sekolah.objects.filter(desa=desa).order_by("jenjang", "nama").values(
        "npsn", "nama", "jenjang", "status", "kementerian", "lintang", "bujur"))
    for s in schools:
        s["jenjang_label"] = Jenjang(s["jenjang"]).label
    tahun, per_jenjang = figures.sekolah_per_jenjang([desa.id])
    return render(request, "pendidikan/publik_desa.html", {
        "desa": desa, "schools": schools, "tahun": tahun, "per_jenjang": per_jenjang,
        "aps": publik.partisipasi(publik.village_table(desa.id, publik.PARTISIPASI)), "note": publik.short_note()})


# --- import and export ----------------------------------------------------------------------------

def _importable(request):
    villages = Desa.objects.for_user(request.user).order_by("nama")
    return villages.filter(id__in=[d.id for d in villages if permits(request.user, Action.IMPORT, d)])


@login_required
def impor(request):
    """Upload a file of schools or of a school year's figures: it is checked first, nothing written."""
    villages = _importable(request)
    if not villages.exists():
        raise PermissionDenied(_("Your role may not import schools."))
    form = ImportForm(request.POST or None, request.FILES or None, villages=villages)
    if request.method == "POST" and form.is_valid():
        job = jobs.start_upload("impor-sekolah", form.cleaned_data["desa"], request.user, form.cleaned_data["berkas"],
                                jenis=form.cleaned_data["jenis"], dry_run=True)
        return redirect("pendidikan:impor-detail", pk=job.pk)
    recent = Job.objects.for_user(request.user).filter(kind="impor-sekolah").select_related("desa")[:10]
    return render(request, "pendidikan/impor.html", {"form": form, "recent": recent})


def _import_job(request, pk):
    return get_object_or_404(Job.objects.for_user(request.user).select_related("desa"), pk=pk, kind="impor-sekolah")


@login_required
def impor_detail(request, pk):
    job = _import_job(request, pk)
    if jobs.fail_if_abandoned(job):
        job.refresh_from_db()
    kinds = [(transfer.KINDS.get(code, code), n) for code, n in job.result.get("kinds", {}).items()]
    return render(request, "pendidikan/impor_detail.html", {
        "job": job, "kinds": kinds, "can_save": permits(request.user, Action.IMPORT, job.desa)})


@login_required
@require_POST
def impor_simpan(request, pk):
    """Write a checked file: a new job on the same file, all rows or none."""
    checked = _import_job(request, pk)
    if not permits(request.user, Action.IMPORT, checked.desa):
        raise PermissionDenied(_("Your role may not import schools."))
    if checked.status != Job.Status.DONE or not checked.result.get("dry_run") or checked.result.get("problem_count"):
        messages.error(request, _("Only a file checked without problems can be saved."))
        return redirect("pendidikan:impor-detail", pk=checked.pk)
    job = Job.objects.create(kind="impor-sekolah", desa=checked.desa, user=request.user, filename=checked.filename,
                             stored_file=checked.stored_file, options={**checked.options, "dry_run": False})
    jobs.start(job)
    return redirect("pendidikan:impor-detail", pk=job.pk)


@login_required
def templat(request):
    jenis = transfer.DATA if request.GET.get("jenis") == transfer.DATA else transfer.SEKOLAH
    return _xlsx(transfer.template_rows(jenis), f"templat-{jenis}.xlsx", jenis)


@login_required
def ekspor(request):
    """A village's schools, or its schools' figures of one school year (``?tahun=``), as XLSX."""
    desa = get_object_or_404(Desa.objects.for_user(request.user), kode=request.GET.get("desa", ""))
    if request.GET.get("jenis") == transfer.DATA:
        tahun = request.GET.get("tahun") or figures.tahun_terakhir([desa.id]) or ""
        return _xlsx(transfer.data_rows(desa, tahun), f"data-sekolah-{desa.kode}-{tahun.replace('/', '-')}.xlsx", "data")
    return _xlsx(transfer.sekolah_rows(desa), f"sekolah-{desa.kode}.xlsx", "sekolah")


def _xlsx(rows, filename, sheet):
    buffer = io.BytesIO()
    transfer.workbook(buffer, rows, sheet)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
