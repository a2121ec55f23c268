"""Every write of the letters app: draft, sign (which numbers the letter), revoke, correct; and
the online requests: a resident's PIN, the request, the operator making it a draft or refusing it.

Each function checks the user's right inside its transaction (``core.scope``: Action.LETTER to
draft, Action.SIGN to sign and revoke), records the change in the audit log and raises
``ValidationError`` or ``PermissionDenied`` with a message for the user. Everything is checked
before the number is taken, and the number is taken (``core.numbering``) in the transaction that
issues the letter: a refused or failed signature leaves the sequence as it was.
"""

import datetime
import hashlib
import hmac
import re
import secrets

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sidekel.akun import services as akun
from sidekel.core import codes, numbering
from sidekel.core.audit import record_change, snapshot
from sidekel.core.forms import TanggalField
from sidekel.core.roles import Role
from sidekel.core.scope import Action, ensure_permits, permits
from sidekel.penduduk.choices import StatusDasar
from sidekel.penduduk.models import Penduduk
from sidekel.wilayah.choices import JenisDesa

from .choices import JenisIsian, StatusPermohonan, StatusSurat
from .models import POLA_BAWAAN, BadanDesa, JenisSurat, PengaturanSurat, Permohonan, PinWarga, Surat, new_token
from .placeholders import render_text, values_for

NUMBER = re.compile(r"^-?\d+([.,]\d+)?$")


def can_draft(user, desa_id):
    return permits(user, Action.LETTER, desa_id)


def can_sign(user, desa_id):
    return permits(user, Action.SIGN, desa_id)


def clean_isian(jenis, raw):
    """The type's extra fields from ``raw`` (a dict of text), checked: {name: value as stored}."""
    raw = raw or {}
    if not isinstance(raw, dict):
        raise ValidationError({"isian": _("The extra fields must be given as names and values.")})
    known = {f["nama"] for f in jenis.isian}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ValidationError({"isian": _("This letter type has no field %(names)s.") % {"names": ", ".join(unknown)}})
    clean, errors = {}, {}
    for field in jenis.isian:
        name, value = field["nama"], raw.get(field["nama"])
        value = "" if value is None else str(value).strip()
        if not value:
            if field.get("wajib"):
                errors[name] = _("%(label)s must be filled.") % {"label": field.get("label", name)}
            continue
        if field["jenis"] == JenisIsian.ANGKA and not NUMBER.match(value):
            errors[name] = _("%(label)s must be a number.") % {"label": field.get("label", name)}
        elif field["jenis"] == JenisIsian.TANGGAL:
            try:
                value = datetime.date.fromisoformat(value).isoformat() if re.match(r"^\d{4}-\d\d-\d\d$", value) \
                    else TanggalField().clean(value).isoformat()
            except (ValidationError, ValueError) as exc:
                errors[name] = " ".join(exc.messages) if isinstance(exc, ValidationError) else \
                    _("Write the date as dd-mm-yyyy, e.g. 17-08-1990.")
        elif field["jenis"] == JenisIsian.PILIHAN and value not in field.get("pilihan", []):
            errors[name] = _("Choose one of: %(choices)s.") % {"choices": ", ".join(field.get("pilihan", []))}
        clean[name] = value[:500]
    if errors:
        raise ValidationError(errors)
    return clean


def _check_resident(jenis, penduduk):
    if penduduk.deleted_at is not None:
        raise ValidationError({"penduduk": _("This resident has been deleted.")})
    if jenis.perlu_hidup and penduduk.status_dasar != StatusDasar.HIDUP:
        raise ValidationError({"penduduk": _("%(type)s is only for a resident who lives in the village; %(name)s is "
                                             "recorded as %(status)s.")
                               % {"type": jenis.nama, "name": penduduk.nama,
                                  "status": penduduk.get_status_dasar_display().lower()}})


def jenis_by_kode(kode):
    jenis = JenisSurat.objects.filter(kode=str(kode or ""), aktif=True).first()
    if jenis is None:
        raise ValidationError({"jenis": _("There is no letter type %(kode)s.") % {"kode": str(kode or "")[:40]}})
    return jenis


@transaction.atomic
def draft_surat(*, user, penduduk, jenis, isian=None, keperluan="", menggantikan=None):
    """A draft letter for ``penduduk`` (already read through ``for_user``)."""
    ensure_permits(user, Action.LETTER, penduduk.desa_id)
    if not jenis.aktif:
        raise ValidationError({"jenis": _("This letter type is no longer offered.")})
    _check_resident(jenis, penduduk)
    clean = clean_isian(jenis, isian)
    keperluan = " ".join(str(keperluan or "").split())[:200]
    if menggantikan is not None:
        menggantikan = Surat.objects.select_for_update().get(pk=menggantikan.pk)
        if menggantikan.status != StatusSurat.TERBIT:
            raise ValidationError(_("Only an issued letter can be corrected."))
        if menggantikan.penduduk_id != penduduk.pk or menggantikan.desa_id != penduduk.desa_id:
            raise ValidationError(_("A correction is for the same resident as the letter it replaces."))
    surat = Surat.objects.create(desa_id=penduduk.desa_id, jenis=jenis, penduduk=penduduk, isian=clean,
                                 keperluan=keperluan, dibuat_oleh=user, menggantikan=menggantikan)
    record_change(surat, user, reason=_("Letter drafted"))
    return surat


def settings_for(desa):
    """The village's letter settings, else the kecamatan's, else the defaults."""
    rows = {row.desa_id: row for row in PengaturanSurat.objects.filter(desa__in=[desa.pk]) | PengaturanSurat.objects.filter(desa__isnull=True)}
    return rows.get(desa.pk) or rows.get(None) or PengaturanSurat(pola_nomor=POLA_BAWAAN)


def unit_of(desa, pengaturan):
    if pengaturan.unit and pengaturan.desa_id == desa.pk:
        return pengaturan.unit
    prefix = "KEL" if desa.jenis == JenisDesa.KELURAHAN else "DS"
    return f"{prefix}-{re.sub(r'[^A-Z0-9]+', '-', desa.nama.upper()).strip('-')}"


def body_of(surat):
    own = BadanDesa.objects.filter(desa_id=surat.desa_id, jenis_id=surat.jenis_id).values_list("badan", flat=True).first()
    return own or surat.jenis.badan


def signer_of(user, desa):
    """The signer's name and position as printed (frozen on the letter)."""
    head = "Lurah" if desa.jenis == JenisDesa.KELURAHAN else "Kepala Desa"
    if user is None:  # the system (the demo): in the head's name as the village profile records it
        return desa.nama_kepala, f"{head} {desa.nama}"
    name = (user.get_full_name() or "").strip()
    if getattr(user, "role", None) == Role.KEPALA_DESA and not user.is_superuser:
        return name or desa.nama_kepala or user.get_username(), f"{head} {desa.nama}"
    # Someone else signs on the head's behalf ("a.n.").
    return name or (user.get_username() if user else ""), f"a.n. {head} {desa.nama}"


def sequence_key(desa, jenis, pengaturan, year):
    """The numbering counter of a village's letters of a year (of one type, where the settings say so)."""
    return f"surat:{desa.kode}:{year}" + (f":{jenis.kode}" if pengaturan.urut_per_jenis else "")


def issue(surat, *, user, today, urut, pengaturan):
    """Make ``surat`` an issued letter with sequence number ``urut`` on ``today`` (not saved): its
    number, date, validity, token, and the text and print frozen from today's data."""
    desa = surat.desa
    surat.nomor = numbering.format_number(pengaturan.pola_nomor, {
        "kode": surat.jenis.klasifikasi, "urut": urut, "unit": unit_of(desa, pengaturan),
        "bulan_romawi": numbering.bulan_romawi(today.month), "bulan": f"{today.month:02d}", "tahun": today.year,
        "jenis": surat.jenis.kode.upper()})
    surat.urut, surat.tahun, surat.tanggal = urut, today.year, today
    surat.berlaku_sampai = today + datetime.timedelta(days=surat.jenis.masa_berlaku)
    surat.token = new_token()
    nama, jabatan = signer_of(user, desa)
    # The body's {jabatan} is the position alone ("Kepala Desa", "a.n. Lurah"): bodies write
    # "{jabatan} {desa}"; the signature block prints it with the village's name.
    values = values_for(surat, penandatangan=nama, jabatan=jabatan.removesuffix(f" {desa.nama}"), nomor=surat.nomor,
                        tanggal=today, berlaku_sampai=surat.berlaku_sampai)
    surat.teks = render_text(body_of(surat), values)
    kecamatan = desa.kecamatan
    surat.cetak = {
        "kop": [f"PEMERINTAH {kecamatan.kabupaten.nama.upper()}", f"KECAMATAN {kecamatan.nama.upper()}",
                f"{desa.get_jenis_display().upper()} {desa.nama.upper()}"],
        "alamat": ", ".join(x for x in (desa.alamat_kantor, desa.kode_pos) if x),
        "logo": pengaturan.logo.name if pengaturan.logo else "",
        "judul": surat.jenis.nama.upper(), "penandatangan": nama, "jabatan": jabatan, "kertas": surat.jenis.kertas,
        "tempat": desa.nama, "nama_masked": mask_name(surat.penduduk.nama),
    }
    surat.status = StatusSurat.TERBIT
    surat.ditandatangani_oleh, surat.ditandatangani_pada = user, timezone.now()
    return surat


def preview_values(surat):
    return values_for(surat, nomor="", tanggal=timezone.localdate(),
                      berlaku_sampai=timezone.localdate() + datetime.timedelta(days=surat.jenis.masa_berlaku))


def _locked(surat):
    return Surat.objects.select_for_update(of=("self",)).select_related(
        "desa__kecamatan__kabupaten__provinsi", "jenis", "penduduk__keluarga").get(pk=surat.pk)


@transaction.atomic
def sign_surat(surat, *, user):
    """Sign a draft: number, date, validity, token and the printed text are set, once."""
    surat = _locked(surat)
    if user is not None and not can_sign(user, surat.desa_id):  # None: the system itself (the demo)
        raise PermissionDenied(_("Only the kepala desa or lurah (or who signs for them) can sign letters."))
    if surat.status != StatusSurat.DRAF:
        raise ValidationError(_("This letter has already been signed (status: %(status)s).")
                              % {"status": surat.get_status_display()})
    _check_resident(surat.jenis, surat.penduduk)
    if surat.menggantikan_id:
        old = Surat.objects.select_for_update().get(pk=surat.menggantikan_id)
        if old.status != StatusSurat.TERBIT:
            raise ValidationError(_("The letter this correction replaces is no longer in force."))
    today, pengaturan = timezone.localdate(), settings_for(surat.desa)
    before = snapshot(surat)
    issue(surat, user=user, today=today, pengaturan=pengaturan,
          urut=numbering.next_value(sequence_key(surat.desa, surat.jenis, pengaturan, today.year)))
    surat.save()
    record_change(surat, user, before=before, reason=_("Signed and issued as %(nomor)s") % {"nomor": surat.nomor})
    if surat.menggantikan_id:
        old_before = snapshot(old)
        old.status = StatusSurat.DIGANTI
        old.save(update_fields=["status"])
        record_change(old, user, before=old_before, reason=_("Replaced by %(nomor)s") % {"nomor": surat.nomor})
    return surat


def _reason(alasan, missing):
    """A reason as written (spaces folded, at most 300 characters), or ValidationError ``missing``."""
    alasan = " ".join(str(alasan or "").split())[:300]
    if not alasan:
        raise ValidationError({"alasan": missing})
    return alasan


@transaction.atomic
def revoke_surat(surat, *, user, alasan):
    alasan = _reason(alasan, _("Write why the letter is revoked."))
    surat = _locked(surat)
    if user is not None and not can_sign(user, surat.desa_id):
        raise PermissionDenied(_("Only the kepala desa or lurah (or who signs for them) can revoke letters."))
    if surat.status != StatusSurat.TERBIT:
        raise ValidationError(_("Only an issued letter can be revoked (status: %(status)s).")
                              % {"status": surat.get_status_display()})
    before = snapshot(surat)
    surat.status = StatusSurat.DICABUT
    surat.alasan_cabut = alasan
    surat.dicabut_oleh, surat.dicabut_pada = user, timezone.now()
    surat.save()
    record_change(surat, user, before=before, reason=alasan)
    return surat


@transaction.atomic
def delete_draft(surat, *, user):
    """Delete a draft. A draft made from an online request sends the request back to the queue."""
    surat = _locked(surat)
    ensure_permits(user, Action.LETTER, surat.desa_id)
    if surat.status != StatusSurat.DRAF:
        raise ValidationError(_("Only a draft can be deleted; revoke an issued letter instead."))
    for permohonan in Permohonan.objects.select_for_update().filter(surat=surat):
        before = snapshot(permohonan)
        permohonan.status, permohonan.surat = StatusPermohonan.MENUNGGU, None
        permohonan.diproses_oleh = permohonan.diproses_pada = None
        permohonan.save()
        record_change(permohonan, user, before=before, reason=_("Its draft was deleted: waiting again"))
    record_change(surat, user, before=snapshot(surat), action="delete", reason=_("Draft deleted"))
    surat.delete()


def mask_name(nama):
    """"Siti Rahayu" -> "S*** R***": the first letter of each word."""
    return " ".join(word[0] + "***" for word in str(nama).split() if word)


def verification_status(surat, today=None):
    today = today or timezone.localdate()
    if surat.status in (StatusSurat.DICABUT, StatusSurat.DIGANTI):
        return "dicabut"
    if surat.berlaku_sampai and surat.berlaku_sampai < today:
        return "kedaluwarsa"
    return "berlaku"


def surat_for_token(token):
    """The issued letter of this token, or None. An unknown token does the same work (one indexed
    query) as a known one."""
    token = str(token or "")[:32]
    return Surat.objects.select_related("jenis").exclude(status=StatusSurat.DRAF).filter(token=token).first()


def penduduk_choices(user, desa, q):
    """Residents for the draft form: the resident list's own search (Penduduk.search)."""
    qs = Penduduk.objects.for_user(user).filter(desa=desa)
    return qs.search(q, user=user, desa=desa).order_by("nama")[:20] if q else qs.none()


# --- online requests ----------------------------------------------------------------------------
#
# The village hands a resident a PIN (8 digits, shown to the operator once; only its hash is kept,
# made by Django's password hashers). With their NIK and that PIN the resident signs in on the
# public pages, asks for a letter type (``Permohonan``, with a tracking code), and once the letter
# is signed downloads it. A wrong NIK, a NIK without a PIN and a wrong PIN get the same answer
# after the same work (one indexed query, one hash check, one count by the login throttle), so the
# sign-in tells nobody who lives in the village.

PIN_DIGITS = 8
KODE_PREFIX = "SRT"


def pin_key(nik):
    """The login throttle's key for a NIK: keyed by the secret key, so the throttle's table (and the
    audit of an unlock) holds no NIK."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"layanan-pin:{nik}".encode(), hashlib.sha256).hexdigest()
    return f"pin:{digest[:40]}"


def digits(value, limit):
    return "".join(c for c in str(value or "") if c.isdigit())[:limit]


_dummy = {}


def _dummy_hash():
    """A hash to check a PIN against when there is none: the hasher's work is done all the same."""
    hasher = settings.PASSWORD_HASHERS[0]
    if hasher not in _dummy:
        _dummy[hasher] = make_password(secrets.token_hex(8))
    return _dummy[hasher]


def pin_of(penduduk):
    return PinWarga.objects.filter(penduduk=penduduk).select_related("dibuat_oleh").first()


def pin_locked(penduduk):
    """Is the sign-in of this resident slowed down by wrong PINs right now?"""
    return bool(penduduk.nik) and akun.is_locked(pin_key(penduduk.nik))


@transaction.atomic
def issue_pin(penduduk, *, user):
    """A new PIN for the resident (replacing any earlier one, whose sessions end), returned once
    as ``1234 5678``; wrong PINs counted for the resident's NIK are forgotten."""
    ensure_permits(user, Action.LETTER, penduduk.desa_id)
    if penduduk.deleted_at is not None or penduduk.status_dasar != StatusDasar.HIDUP:
        raise ValidationError(_("A PIN is only for a resident who lives in the village."))
    if not penduduk.nik or len(penduduk.nik) != 16:
        raise ValidationError(_("%(name)s has no NIK recorded; a resident signs in with their NIK.")
                              % {"name": penduduk.nama})
    pin = f"{secrets.randbelow(10 ** PIN_DIGITS):0{PIN_DIGITS}d}"
    row = PinWarga.objects.select_for_update().filter(penduduk=penduduk).first()
    before = snapshot(row) if row is not None else None
    row = row or PinWarga(penduduk=penduduk)
    row.desa_id, row.pin_hash = penduduk.desa_id, make_password(pin)
    row.dibuat_oleh, row.dibuat_pada = user, timezone.now()
    row.save()
    record_change(row, user, before=before, reason=_("PIN for online letters issued") if before is None
                  else _("PIN for online letters reset"))
    akun.forget_failures(pin_key(penduduk.nik), by=user)
    return f"{pin[:4]} {pin[4:]}"


def resident_for_pin(request, nik, pin):
    """The PIN row (with its living resident) that this NIK and PIN open, or None. Counted by the
    login throttle under the NIK (``akun.throttled``: LoginPaused when it must wait)."""
    nik, pin = digits(nik, 16), digits(pin, PIN_DIGITS)

    def check():
        row = PinWarga.objects.select_related("penduduk").filter(penduduk__nik=nik).first()
        right = check_password(pin, row.pin_hash if row is not None else _dummy_hash())
        if row is None or not right or row.penduduk.deleted_at is not None \
                or row.penduduk.status_dasar != StatusDasar.HIDUP:
            return None
        return row

    return akun.throttled(request, pin_key(nik), check)


def new_request_code():
    return codes.new_code(KODE_PREFIX)


def permohonan_by_code(kode):
    kode = codes.normal_code(kode, KODE_PREFIX)
    if not kode:
        return None
    return Permohonan.objects.select_related("desa", "jenis", "surat").filter(kode=kode).first()


@transaction.atomic
def submit_permohonan(penduduk, *, jenis, isian=None, keperluan=""):
    """A resident's own request (signed in with NIK and PIN): checked like a draft, then waiting
    in the village's queue. Audited as the system (the resident has no account)."""
    penduduk = Penduduk.objects.select_for_update().get(pk=penduduk.pk)
    if jenis is None or not jenis.aktif:
        raise ValidationError({"jenis": _("Choose a letter type.")})
    _check_resident(jenis, penduduk)
    clean = clean_isian(jenis, isian)
    keperluan = " ".join(str(keperluan or "").split())
    if not keperluan:
        raise ValidationError({"keperluan": _("Write what the letter is for.")})
    if len(keperluan) > 200:
        raise ValidationError({"keperluan": _("At most %(n)d characters.") % {"n": 200}})
    waiting = Permohonan.objects.filter(penduduk=penduduk, status=StatusPermohonan.MENUNGGU).count()
    if waiting >= settings.SIDEKEL_LAYANAN_MENUNGGU_MAKS:
        raise ValidationError(_("You already have %(n)d requests waiting. Wait until the village office has "
                                "handled them.") % {"n": waiting})
    for _attempt in range(5):
        kode = new_request_code()
        if not Permohonan.objects.filter(kode=kode).exists():
            break
    permohonan = Permohonan.objects.create(kode=kode, desa_id=penduduk.desa_id, penduduk=penduduk, jenis=jenis,
                                           isian=clean, keperluan=keperluan, diajukan_pada=timezone.now())
    record_change(permohonan, None, reason=_("Asked online by the resident"))
    return permohonan


def _locked_request(permohonan, user):
    permohonan = Permohonan.objects.select_for_update().get(pk=permohonan.pk)
    ensure_permits(user, Action.LETTER, permohonan.desa_id)
    if permohonan.status != StatusPermohonan.MENUNGGU:
        raise ValidationError(_("This request has already been handled (%(status)s).")
                              % {"status": permohonan.get_status_display()})
    return permohonan


@transaction.atomic
def draft_from_permohonan(permohonan, *, user):
    """The operator makes the request a draft letter (checked like any draft); the request leaves the queue."""
    permohonan = _locked_request(permohonan, user)
    surat = draft_surat(user=user, penduduk=permohonan.penduduk, jenis=permohonan.jenis, isian=permohonan.isian,
                        keperluan=permohonan.keperluan)
    before = snapshot(permohonan)
    permohonan.status, permohonan.surat = StatusPermohonan.DIPROSES, surat
    permohonan.diproses_oleh, permohonan.diproses_pada = user, timezone.now()
    permohonan.save()
    record_change(permohonan, user, before=before, reason=_("Made into a draft letter"))
    return surat


@transaction.atomic
def refuse_permohonan(permohonan, *, user, alasan):
    alasan = _reason(alasan, _("Write why the request is refused; the resident reads it."))
    permohonan = _locked_request(permohonan, user)
    before = snapshot(permohonan)
    permohonan.status, permohonan.alasan_tolak = StatusPermohonan.DITOLAK, alasan
    permohonan.diproses_oleh, permohonan.diproses_pada = user, timezone.now()
    permohonan.save()
    record_change(permohonan, user, before=before, reason=alasan)
    return permohonan


def letter_now(surat):
    """The letter in force in place of ``surat``: a replaced letter's correction (and its own)."""
    for _step in range(20):
        if surat is None or surat.status != StatusSurat.DIGANTI:
            return surat
        surat = Surat.objects.select_related("jenis").filter(menggantikan=surat).exclude(
            status=StatusSurat.DRAF).first()
    return surat


def tracking_state(permohonan):
    """(state, letter) as the resident sees it: menunggu, ditolak, diproses (a draft waits for the
    signature), terbit (downloadable) or dicabut."""
    if permohonan.status == StatusPermohonan.DITOLAK:
        return "ditolak", None
    surat = letter_now(permohonan.surat)
    if permohonan.status == StatusPermohonan.MENUNGGU or surat is None:
        return "menunggu", None
    if surat.status == StatusSurat.DRAF:
        return "diproses", surat
    if surat.status == StatusSurat.TERBIT:
        return "terbit", surat
    return "dicabut", surat


def waiting_requests(user, desa_ids=None):
    qs = Permohonan.objects.for_user(user).filter(status=StatusPermohonan.MENUNGGU)
    return qs.filter(desa_id__in=desa_ids) if desa_ids is not None else qs
