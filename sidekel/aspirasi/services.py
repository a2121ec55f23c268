"""Every write of saran dan masukan: a citizen sends a report (no account), officials moderate it,
move it through the SP4N-LAPOR! statuses and answer it; the citizen replies and rates.

Each official's write checks ``Action.MODERATE`` on the report's village inside its transaction
(a kecamatan report: only a role acting everywhere), is recorded in the audit log, and raises
``ValidationError`` (a message in Bahasa Indonesia, nothing written) or ``PermissionDenied``.
"""

import datetime
import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from sidekel.core import codes
from sidekel.core.audit import record_change, snapshot
from sidekel.core.files import remove_orphan_files
from sidekel.core.images import clean_photo as clean_uploaded_photo
from sidekel.core.scope import Action, desa_ids_for, ensure_permits, permits, permits_somewhere

from .choices import CLOSED, DEADLINE_OF, NEXT, Privasi, Status
from .models import Aspirasi, Foto, HariLibur, Kategori, Riwayat, Tanggapan

# --- tracking codes -------------------------------------------------------------------------------

PREFIX = "ASP"


def new_code():
    """``ASP-7K3M-Q9XD``: short, unguessable, easy to read out (core.codes)."""
    return codes.new_code(PREFIX)


def normal_code(text):
    """A code as typed (lower case, spaces, with or without dashes and ASP) in its stored form, or ""."""
    return codes.normal_code(text, PREFIX)


def by_code(kode):
    """The report with this tracking code, or None."""
    kode = normal_code(kode)
    return Aspirasi.objects.select_related("desa", "kecamatan", "kategori", "digabung_ke").filter(
        kode_lacak=kode).first() if kode else None


# --- working days ---------------------------------------------------------------------------------

def working_days_after(start, days, holidays=None):
    """The date ``days`` working days after ``start`` (Saturdays, Sundays and Hari libur skipped)."""
    if holidays is None:
        holidays = set(HariLibur.objects.filter(tanggal__gt=start,
                                                tanggal__lte=start + datetime.timedelta(days=days * 3 + 30))
                       .values_list("tanggal", flat=True))
    day = start
    while days > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            days -= 1
    return day


def limits():
    return {"verifikasi": settings.SIDEKEL_ASPIRASI_HARI_VERIFIKASI,
            "tindak_lanjut": settings.SIDEKEL_ASPIRASI_HARI_TINDAK_LANJUT,
            "selesai": settings.SIDEKEL_ASPIRASI_HARI_SELESAI}


def due_date(received, status):
    """When a report received at ``received`` must reach its next step, in ``status``; None when closed."""
    stage = DEADLINE_OF.get(Status(status))
    if stage is None:
        return None
    return working_days_after(timezone.localdate(received), limits()[stage])


def overdue(qs, today=None):
    """The open reports of ``qs`` past their due date."""
    today = today or timezone.localdate()
    return qs.exclude(status__in=CLOSED).filter(batas__lt=today, digabung_ke__isnull=True)


# --- photos -------------------------------------------------------------------------------------

MAX_PHOTOS = 3
MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 30_000_000  # refused before the image is decoded: a small file can unpack to gigabytes
MAX_SIDE = 1600


def photos_dir():
    path = Path(settings.DATA_DIR) / "aspirasi"
    path.mkdir(parents=True, exist_ok=True)
    return path


def clean_photo(upload):
    """JPEG bytes, width, height of an uploaded photo, checked by its content: JPEG or PNG only,
    at most 5 MB and MAX_PIXELS, re-encoded so that no EXIF (GPS included) or other metadata stays."""
    return clean_uploaded_photo(upload, max_bytes=MAX_PHOTO_BYTES, max_pixels=MAX_PIXELS, max_side=MAX_SIDE)


def prune_sender_details():
    """Erase the sender's name and contact of reports closed more than SIDEKEL_ASPIRASI_KONTAK_DAYS ago."""
    cutoff = timezone.now() - datetime.timedelta(days=settings.SIDEKEL_ASPIRASI_KONTAK_DAYS)
    return (Aspirasi.objects.filter(status__in=CLOSED, selesai_pada__lt=cutoff).exclude(nama="", kontak="")
            .update(nama="", kontak=""))


def prune_orphan_photos():
    """Photo files with no report (a send that failed after the file was written), a day old."""
    return remove_orphan_files(photos_dir(), set(Foto.objects.values_list("berkas", flat=True)), "*.jpg")


# --- a citizen sends a report ---------------------------------------------------------------------

MAX_TEXT = 4000
MAX_TITLE = 150


def _text(value, field, limit, required=True):
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("This field is required.")})
    if len(value) > limit:
        raise ValidationError({field: _("At most %(n)d characters.") % {"n": limit}})
    return value


def submit(*, kecamatan, desa, jenis, kategori, judul, isi, privasi, tempat="", nama="", kontak="", photos=()):
    """Record a new report (status diterima) and return it. ``desa`` None: to the kecamatan."""
    from .choices import Jenis

    errors = {}
    if jenis not in Jenis.values:
        errors["jenis"] = _("Choose a kind.")
    if privasi not in Privasi.values:
        errors["privasi"] = _("Choose who may see the report.")
    if not isinstance(kategori, Kategori) or not kategori.aktif:
        errors["kategori"] = _("Choose a category.")
    values = {}
    for field, value, limit, required in (("judul", judul, MAX_TITLE, True), ("isi", isi, MAX_TEXT, True),
                                          ("tempat", tempat, 100, False), ("nama", nama, 100, False),
                                          ("kontak", kontak, 100, False)):
        try:
            values[field] = _text(value, field, limit, required)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if desa is not None and desa.kecamatan_id != kecamatan.id:
        errors["desa"] = _("This village is not in the kecamatan.")
    photos = [p for p in photos if p]
    if len(photos) > MAX_PHOTOS:
        errors["foto"] = _("At most %(n)d photos.") % {"n": MAX_PHOTOS}
    if errors:
        raise ValidationError(errors)
    cleaned = []
    for upload in photos:
        try:
            cleaned.append(clean_photo(upload))
        except ValidationError as exc:
            raise ValidationError({"foto": exc.messages}) from None
    now = timezone.now()
    with transaction.atomic():
        for _attempt in range(5):
            kode = new_code()
            if not Aspirasi.objects.filter(kode_lacak=kode).exists():
                break
        aspirasi = Aspirasi.objects.create(
            kode_lacak=kode, kecamatan=kecamatan, desa=desa, jenis=jenis, kategori=kategori, privasi=privasi,
            status=Status.DITERIMA, batas=due_date(now, Status.DITERIMA), created_at=now, **values)
        Riwayat.objects.create(aspirasi=aspirasi, desa=desa, status=Status.DITERIMA, waktu=now)
        for data, width, height in cleaned:
            name = f"{secrets.token_urlsafe(24)}.jpg"
            (photos_dir() / name).write_bytes(data)
            Foto.objects.create(aspirasi=aspirasi, desa=desa, berkas=name, lebar=width, tinggi=height)
        record_change(aspirasi, None, reason=_("Sent by a citizen"))
    return aspirasi


# --- officials ------------------------------------------------------------------------------------

def can_moderate(user, aspirasi):
    return permits(user, Action.MODERATE, aspirasi.desa_id)


def _locked(aspirasi, user):
    ensure_permits(user, Action.MODERATE, aspirasi.desa_id)
    return Aspirasi.objects.select_for_update().get(pk=aspirasi.pk)


def _is_public(a):
    return a.terverifikasi and not a.disembunyikan and a.digabung_ke_id is None and a.privasi != Privasi.RAHASIA


def _step(aspirasi, user, status, catatan, before, reason):
    now = timezone.now()
    aspirasi.status = status
    aspirasi.batas = due_date(aspirasi.created_at, status)
    if status in CLOSED and aspirasi.selesai_pada is None:
        aspirasi.selesai_pada = now
    aspirasi.publik = _is_public(aspirasi)
    aspirasi.save()
    Riwayat.objects.create(aspirasi=aspirasi, desa_id=aspirasi.desa_id, status=status, catatan=catatan[:2000],
                           oleh=user if user is not None and user.is_authenticated else None, waktu=now)
    record_change(aspirasi, user, before=before, reason=reason[:300])
    return aspirasi


def _check_move(aspirasi, status):
    if status not in Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    if status not in NEXT[Status(aspirasi.status)]:
        raise ValidationError({"status": _("A report that is %(now)s cannot become %(next)s.") % {
            "now": aspirasi.get_status_display(), "next": Status(status).label}})


@transaction.atomic
def verify(aspirasi, *, user, judul_publik=None, isi_publik=None, catatan=""):
    """Diterima -> diverifikasi. The public title and text may be redacted (the original stays)."""
    aspirasi = _locked(aspirasi, user)
    _check_move(aspirasi, Status.DIVERIFIKASI)
    before = snapshot(aspirasi)
    aspirasi.judul_publik = _text(aspirasi.judul if judul_publik is None else judul_publik, "judul_publik", MAX_TITLE)
    aspirasi.isi_publik = _text(aspirasi.isi if isi_publik is None else isi_publik, "isi_publik", MAX_TEXT)
    aspirasi.terverifikasi = True
    return _step(aspirasi, user, Status.DIVERIFIKASI, (catatan or "").strip(), before, _("Verified"))


@transaction.atomic
def move(aspirasi, *, user, status, catatan="", diteruskan_ke="", nomor_lapor=""):
    """One step on: diverifikasi (as ``verify`` without redaction), diteruskan, ditindaklanjuti,
    selesai, ditolak or diarsipkan."""
    if status == Status.DIVERIFIKASI:
        return verify(aspirasi, user=user, catatan=catatan)
    aspirasi = _locked(aspirasi, user)
    _check_move(aspirasi, status)
    catatan = (catatan or "").strip()
    if status in (Status.DITOLAK, Status.DIARSIPKAN) and not catatan:
        raise ValidationError({"catatan": _("Write a note: why is the report %(status)s?") % {
            "status": Status(status).label}})
    before = snapshot(aspirasi)
    if status == Status.DITERUSKAN:
        aspirasi.diteruskan_ke = _text(diteruskan_ke, "diteruskan_ke", 150)
        aspirasi.nomor_lapor = _text(nomor_lapor, "nomor_lapor", 40, required=False) or aspirasi.nomor_lapor
    return _step(aspirasi, user, status, catatan, before, catatan or Status(status).label)


@transaction.atomic
def hide(aspirasi, *, user, alasan):
    """Spam or abuse: hidden from the public (never deleted) with a reason; an open report is rejected."""
    alasan = (alasan or "").strip()
    if not alasan:
        raise ValidationError({"alasan": _("Write why the report is hidden.")})
    aspirasi = _locked(aspirasi, user)
    before = snapshot(aspirasi)
    aspirasi.disembunyikan, aspirasi.alasan_sembunyi = True, alasan[:300]
    if aspirasi.status not in CLOSED:
        return _step(aspirasi, user, Status.DITOLAK, alasan, before, _("Hidden: %(reason)s") % {"reason": alasan})
    aspirasi.publik = _is_public(aspirasi)
    aspirasi.save()
    record_change(aspirasi, user, before=before, reason=_("Hidden: %(reason)s") % {"reason": alasan[:250]})
    return aspirasi


@transaction.atomic
def merge(aspirasi, *, into, user):
    """A duplicate: archived and linked to ``into`` (of the same village or kecamatan), which carries on."""
    if into is None:
        raise ValidationError({"ke": _("No report has this tracking code.")})
    if into.pk == aspirasi.pk or into.desa_id != aspirasi.desa_id or into.kecamatan_id != aspirasi.kecamatan_id:
        raise ValidationError({"ke": _("Merge only into another report of the same village.")})
    if into.digabung_ke_id:
        raise ValidationError({"ke": _("That report was itself merged into another one.")})
    aspirasi = _locked(aspirasi, user)
    if aspirasi.status in CLOSED:
        raise ValidationError({"ke": _("A closed report cannot be merged.")})
    before = snapshot(aspirasi)
    aspirasi.digabung_ke = into
    note = _("Merged into %(kode)s") % {"kode": into.kode_lacak}
    return _step(aspirasi, user, Status.DIARSIPKAN, note, before, note)


@transaction.atomic
def answer(aspirasi, *, user, isi):
    """An official's answer: the citizen reads it on the tracking page (the public too if the report is public)."""
    isi = _text(isi, "isi", MAX_TEXT)
    aspirasi = _locked(aspirasi, user)
    if aspirasi.digabung_ke_id:
        raise ValidationError({"isi": _("This report was merged: answer the report it was merged into.")})
    now = timezone.now()
    tanggapan = Tanggapan.objects.create(aspirasi=aspirasi, desa_id=aspirasi.desa_id, isi=isi, oleh=user, waktu=now)
    if aspirasi.dijawab_pada is None:
        before = snapshot(aspirasi)
        aspirasi.dijawab_pada = now
        aspirasi.save(update_fields=["dijawab_pada", "updated_at"])
        record_change(aspirasi, user, before=before, reason=_("First answer"))
    record_change(tanggapan, user)
    return tanggapan


# --- the citizen, with the tracking code ----------------------------------------------------------

@transaction.atomic
def reply(kode, *, isi):
    """The sender adds to an open report."""
    isi = _text(isi, "isi", MAX_TEXT)
    aspirasi = by_code(kode)
    if aspirasi is None:
        raise ValidationError({"kode": _("No report has this tracking code.")})
    aspirasi = Aspirasi.objects.select_for_update().get(pk=aspirasi.pk)
    if aspirasi.status in CLOSED:
        raise ValidationError({"isi": _("The report is closed; send a new one if needed.")})
    tanggapan = Tanggapan.objects.create(aspirasi=aspirasi, desa_id=aspirasi.desa_id, isi=isi, dari_warga=True,
                                         waktu=timezone.now())
    record_change(tanggapan, None, reason=_("Reply of the sender"))
    return tanggapan


@transaction.atomic
def rate(kode, *, nilai):
    """The sender rates the handling, 1 to 5, once the report is closed."""
    aspirasi = by_code(kode)
    if aspirasi is None:
        raise ValidationError({"kode": _("No report has this tracking code.")})
    try:
        nilai = int(nilai)
    except (TypeError, ValueError):
        nilai = 0
    if not 1 <= nilai <= 5:
        raise ValidationError({"nilai": _("Give a rating from 1 to 5.")})
    aspirasi = Aspirasi.objects.select_for_update().get(pk=aspirasi.pk)
    if aspirasi.status not in (Status.SELESAI, Status.DITOLAK):
        raise ValidationError({"nilai": _("You can rate the handling once the report is closed.")})
    before = snapshot(aspirasi)
    aspirasi.penilaian = nilai
    aspirasi.save(update_fields=["penilaian", "updated_at"])
    record_change(aspirasi, None, before=before, reason=_("Rated by the sender"))
    return aspirasi


# --- the officials' home pages ----------------------------------------------------------------------

def overdue_panel(request, desa_ids=None):
    """core.panels: overdue reports per village on the officials' home pages (kecamatan ones too)."""
    user = request.user
    if not permits_somewhere(user, Action.VIEW):
        return ""
    qs = Aspirasi.objects.for_user(user)
    if desa_ids is not None:
        qs = qs.filter(desa_id__in=desa_ids)
    from django.db.models import Count

    rows = list(overdue(qs).values("desa__nama", "desa__kode").annotate(n=Count("id")).order_by("-n", "desa__nama"))
    open_count = qs.open().filter(digabung_ke__isnull=True).count()
    return render_to_string("aspirasi/_panel.html", {"overdue_rows": rows, "open_count": open_count,
                                                     "overdue_total": sum(r["n"] for r in rows), "scope": desa_ids_for(user)},
                            request=request)
