"""Screens of the population books (B.1-B.5), their downloads, and the monthly recap workflow.

The village is always fetched through ``for_user`` (another village is a 404). B.1, B.4 and
B.5 show full NIK and KK numbers, so only users who may reveal them (``can_reveal_identity``)
open them; every view and download goes to the access log. Writes go through ``services``.
"""

import datetime
import uuid

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sidekel.core import jobs
from sidekel.core.views import run_action as _run
from sidekel.core.audit import log_access, logs_access
from sidekel.core.models import AccessLog, Job
from sidekel.core.scope import can_reveal_identity
from sidekel.penduduk.models import Peristiwa
from sidekel.wilayah.models import Desa

from . import output, services
from .books import B3_GRUP, BOOKS, ensure_readable
from .models import Rekap, nama_bulan
from .rekap import batas_bulan

PAGE_SIZE = 50
JOB_KIND = output.JOB_KIND
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _previous_month(today=None):
    today = today or timezone.localdate()
    last = today.replace(day=1) - datetime.timedelta(days=1)
    return last.year, last.month


def _month(value):
    """(year, month) from ``YYYY-MM``; anything else, or a month in the future, is last month."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        datetime.date(year, month, 1)
    except ValueError:
        return _previous_month()
    today = timezone.localdate()
    if (year, month) > (today.year, today.month) or year < 1900:
        return _previous_month()
    return year, month


def _month_links(tahun, bulan):
    first = datetime.date(tahun, bulan, 1)
    prev = first - datetime.timedelta(days=1)
    nxt = batas_bulan(tahun, bulan)[1] + datetime.timedelta(days=1)
    today = timezone.localdate()
    return {"prev": f"{prev:%Y-%m}", "next": f"{nxt:%Y-%m}" if nxt <= today else None, "value": f"{first:%Y-%m}",
            "label": nama_bulan(tahun, bulan)}


def _desa(request, kode):
    return get_object_or_404(Desa.objects.for_user(request.user).select_related("kecamatan__kabupaten"), kode=kode)


def _buku(request, desa, kode_buku):
    buku = BOOKS.get(kode_buku)
    if buku is None:
        raise Http404
    ensure_readable(buku, request.user, desa.id)
    return buku


@login_required
def index(request):
    """Village users go to their village's books; the kecamatan sees every village's recap status."""
    villages = Desa.objects.for_user(request.user).order_by("nama")
    if not services.can_approve_rekap(request.user):
        if villages.count() == 1:
            return redirect("buku:desa", kode=villages.get().kode)
        return render(request, "buku/index.html", {"villages": villages, "kecamatan_view": False})
    tahun, bulan = _month(request.GET.get("bulan"))
    status = {r.desa_id: r for r in Rekap.objects.for_user(request.user).filter(tahun=tahun, bulan=bulan)}
    rows = [(d, status.get(d.id)) for d in villages]
    waiting = sum(1 for _d, r in rows if r and r.status == Rekap.Status.DIAJUKAN)
    approved = sum(1 for _d, r in rows if r and r.disetujui)
    return render(request, "buku/index.html", {
        "villages": villages, "rows": rows, "kecamatan_view": True, "month": _month_links(tahun, bulan),
        "waiting": waiting, "approved": approved,
    })


@login_required
def desa(request, kode):
    desa = _desa(request, kode)
    may_reveal = can_reveal_identity(request.user, desa.id)
    books = [(b, not b.identitas or may_reveal) for b in BOOKS.values()]
    rekaps = Rekap.objects.for_user(request.user).filter(desa=desa).select_related("diajukan_oleh", "diputuskan_oleh")[:12]
    tahun, bulan = _previous_month()
    return render(request, "buku/desa.html", {
        "desa": desa, "books": books, "rekaps": rekaps, "last_month": f"{tahun:04d}-{bulan:02d}",
        "last_month_label": nama_bulan(tahun, bulan),
        "last_rekap": next((r for r in rekaps if (r.tahun, r.bulan) == (tahun, bulan)), None),
        "can_submit": services.can_submit_rekap(request.user, desa.id),
    })


def _village(request, kode, **_kwargs):
    return Desa.objects.id_of(kode)


def _book_detail(request, kode, buku):
    book = BOOKS.get(buku)
    return f"{book.nomor if book else buku} {request.GET.urlencode()}".strip()


@login_required
@logs_access(AccessLog.Action.VIEW, find=_village, detail=_book_detail)
def buku(request, kode, buku):
    desa = _desa(request, kode)
    book = _buku(request, desa, buku)
    tahun, bulan = _month(request.GET.get("bulan")) if book.bulanan else (None, None)
    context = {"desa": desa, "buku": book, "month": _month_links(tahun, bulan) if book.bulanan else None,
               "bulan_param": f"{tahun:04d}-{bulan:02d}" if book.bulanan else ""}
    context["pager_query"] = f"bulan={context['bulan_param']}" if book.bulanan else ""
    if book.kode == "b3":
        return _rekapitulasi(request, desa, book, tahun, bulan, context)
    page = Paginator(book.queryset(desa, tahun, bulan), PAGE_SIZE).get_page(request.GET.get("halaman"))
    context["page"] = page
    context["rows"] = [book.baris(obj, page.start_index() + i) for i, obj in enumerate(page.object_list)]
    return render(request, "buku/buku.html", context)


def _rekapitulasi(request, desa, book, tahun, bulan, context):
    data, rekap = output.rekap_data(desa, tahun, bulan)
    awal, akhir = batas_bulan(tahun, bulan)
    corrections = []
    if rekap is not None and rekap.disetujui:
        corrections = (Peristiwa.objects.for_user(request.user).filter(desa=desa, tanggal__range=(awal, akhir), koreksi=True)
                       .select_related("penduduk").order_by("tanggal", "id"))
    status = rekap.status if rekap else None
    can_submit = services.can_submit_rekap(request.user, desa.id)
    context.update({
        "data": data, "rekap": rekap, "corrections": corrections, "rows": list(book.rows_from(data)),
        "dihitung_pada": datetime.datetime.fromisoformat(data["dihitung_pada"]),
        "month_ended": akhir <= timezone.localdate(),
        "show_submit": can_submit and status in (None, Rekap.Status.DIKEMBALIKAN),
        "show_decide": services.can_approve_rekap(request.user) and status == Rekap.Status.DIAJUKAN,
    })
    return render(request, "buku/rekapitulasi.html", context)


@login_required
def xlsx(request, kode, buku):
    desa = _desa(request, kode)
    book = _buku(request, desa, buku)
    tahun, bulan = _month(request.GET.get("bulan")) if book.bulanan else (None, None)
    log_access(request.user, AccessLog.Action.EXPORT, desa_id=desa.id,
               detail=f"{book.nomor} xlsx {f'{tahun}-{bulan:02d}' if book.bulanan else ''}".strip())
    target = jobs.jobs_dir() / f"buku-{uuid.uuid4().hex}.xlsx"
    output.write_xlsx(book.kode, desa, target, tahun=tahun, bulan=bulan)
    response = FileResponse(target.open("rb"), as_attachment=True, filename=_filename(book, desa, tahun, bulan, "xlsx"),
                            content_type=XLSX_TYPE)
    target.unlink()  # the open handle keeps the data until the response is sent
    return response


def _filename(book, desa, tahun, bulan, ext):
    period = f"{tahun:04d}-{bulan:02d}" if tahun else f"{timezone.localdate():%Y%m%d}"
    return f"{book.nomor.replace('.', '')}-{desa.nama.replace(' ', '-')}-{period}.{ext}"


@login_required
@require_POST
def pdf(request, kode, buku):
    """Print the book to PDF in the background; the next page shows progress and the download."""
    desa = _desa(request, kode)
    book = _buku(request, desa, buku)
    tahun, bulan = _month(request.POST.get("bulan")) if book.bulanan else (None, None)
    kertas = "F4" if request.POST.get("kertas") == "F4" else "A4"
    job = Job.objects.create(
        kind=JOB_KIND, desa=desa, user=request.user, filename=_filename(book, desa, tahun, bulan, "pdf"),
        stored_file=f"buku-{uuid.uuid4().hex}.pdf",
        options={"buku": book.kode, "tahun": tahun, "bulan": bulan, "kertas": kertas, "judul": f"{book.nomor} {book.judul}",
                 "keterangan": _("PDF, paper %(kertas)s") % {"kertas": kertas}, "detail": f"{book.nomor} pdf {kertas}",
                 "back": reverse("buku:buku", args=[desa.kode, book.kode])
                 + (f"?bulan={tahun:04d}-{bulan:02d}" if tahun else "")})
    jobs.start(job)
    return redirect("jobs:unduhan", pk=job.pk)


# --- the monthly recap workflow -------------------------------------------------------------------

def _after_decision(desa, tahun, bulan):
    return redirect(reverse("buku:buku", args=[desa.kode, "b3"]) + f"?bulan={tahun:04d}-{bulan:02d}")




@login_required
@require_POST
def ajukan(request, kode):
    desa = _desa(request, kode)
    tahun, bulan = _month(request.POST.get("bulan"))
    _run(request, lambda: services.submit_rekap(desa, tahun, bulan, user=request.user),
         _("The recap of %(month)s has been sent to the kecamatan.") % {"month": nama_bulan(tahun, bulan)})
    return _after_decision(desa, tahun, bulan)


def _rekap(request, desa):
    """The submitted recap to decide on; only the kecamatan decides (403 before anything else)."""
    if not services.can_approve_rekap(request.user):
        raise PermissionDenied(_("Only the camat or the kecamatan administrator can approve a monthly recap."))
    tahun, bulan = _month(request.POST.get("bulan"))
    return get_object_or_404(Rekap.objects.for_user(request.user), desa=desa, tahun=tahun, bulan=bulan)


@login_required
@require_POST
def setujui(request, kode):
    desa = _desa(request, kode)
    rekap = _rekap(request, desa)
    _run(request, lambda: services.approve_rekap(rekap, user=request.user),
         _("The recap of %(month)s is approved and the month is locked.") % {"month": rekap.nama_bulan})
    return _after_decision(desa, rekap.tahun, rekap.bulan)


@login_required
@require_POST
def kembalikan(request, kode):
    desa = _desa(request, kode)
    rekap = _rekap(request, desa)
    _run(request, lambda: services.return_rekap(rekap, user=request.user, catatan=request.POST.get("catatan", "")),
         _("The recap of %(month)s has been sent back to the village.") % {"month": rekap.nama_bulan})
    return _after_decision(desa, rekap.tahun, rekap.bulan)


# --- the kecamatan's recap of every village -------------------------------------------------------

def _kecamatan_villages(request):
    if not services.can_approve_rekap(request.user):
        raise PermissionDenied(_("Only the camat and the kecamatan administrator see the recap of every village."))
    villages = list(Desa.objects.for_user(request.user).select_related("kecamatan__kabupaten").order_by("kode"))
    if not villages:
        raise Http404
    return villages[0].kecamatan, villages


@login_required
def kecamatan(request):
    kecamatan, villages = _kecamatan_villages(request)
    tahun, bulan = _month(request.GET.get("bulan"))
    rows, total = output.kecamatan_rekap(villages, tahun, bulan)
    return render(request, "buku/kecamatan.html", {
        "kecamatan": kecamatan, "rows": rows, "total": total, "month": _month_links(tahun, bulan),
        "not_approved": sum(1 for r in rows if not r["disetujui"]), "kolom": output.KECAMATAN_KOLOM, "grup": B3_GRUP,
    })


@login_required
def kecamatan_unduh(request):
    kecamatan, villages = _kecamatan_villages(request)
    tahun, bulan = _month(request.GET.get("bulan"))
    kind = "pdf" if request.GET.get("format") == "pdf" else "xlsx"
    log_access(request.user, AccessLog.Action.EXPORT, detail=f"rekap kecamatan {tahun}-{bulan:02d} {kind}")
    target = jobs.jobs_dir() / f"rekap-{uuid.uuid4().hex}.{kind}"
    if kind == "pdf":
        output.write_kecamatan_pdf(kecamatan, villages, tahun, bulan, str(target),
                                   kertas="F4" if request.GET.get("kertas") == "F4" else "A4")
    else:
        output.write_kecamatan_xlsx(kecamatan, villages, tahun, bulan, target)
    response = FileResponse(target.open("rb"), as_attachment=True,
                            filename=f"rekap-{kecamatan.nama.replace(' ', '-')}-{tahun:04d}-{bulan:02d}.{kind}",
                            content_type="application/pdf" if kind == "pdf" else XLSX_TYPE)
    target.unlink()
    return response
