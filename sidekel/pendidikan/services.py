"""Every write of the pendidikan app: schools and their school years.

Each function checks the user's right inside its transaction (core.scope, Action.CHANGE on the
school's village), validates with ``rules``, records the change in the audit log and raises
``ValidationError`` (by field) or ``PermissionDenied``. Nothing is written when anything is wrong.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sidekel.core.audit import record_change, snapshot
from sidekel.core.scope import Action, ensure_permits
from sidekel.wilayah.models import Rt

from . import rules
from .choices import Jenjang, Kementerian, StatusSekolah
from .models import DataSekolah, Sekolah

SEKOLAH_FIELDS = ("npsn", "nama", "jenjang", "status", "kementerian", "alamat", "rt", "lintang", "bujur",
                  "kepala_nama", "kepala_telepon")


def _choice(value, choices, label, errors, field):
    if value not in choices.values:
        errors[field] = [_("%(label)s: choose one of %(values)s.") % {"label": label, "values": ", ".join(choices.values)}]
    return value


def check_sekolah(desa, data, sekolah=None):
    """The clean values of a school of village ``desa``, or ValidationError {field: [messages]}."""
    errors, clean = {}, {}
    try:
        clean["npsn"] = rules.clean_npsn(data.get("npsn"))
        taken = Sekolah.objects.filter(npsn=clean["npsn"])
        if sekolah is not None:
            taken = taken.exclude(pk=sekolah.pk)
        if taken.exists():
            errors["npsn"] = [_("NPSN %(npsn)s is already used by another school.") % {"npsn": clean["npsn"]}]
    except ValidationError as exc:
        errors["npsn"] = exc.messages
    clean["nama"] = " ".join((data.get("nama") or "").split())
    if not clean["nama"]:
        errors["nama"] = [_("Write the school's name.")]
    clean["jenjang"] = _choice(data.get("jenjang"), Jenjang, _("Level"), errors, "jenjang")
    clean["status"] = _choice(data.get("status"), StatusSekolah, _("Status"), errors, "status")
    clean["kementerian"] = _choice(data.get("kementerian"), Kementerian, _("Ministry"), errors, "kementerian")
    clean["alamat"] = (data.get("alamat") or "").strip()[:200]
    rt = data.get("rt")
    if rt not in (None, ""):
        rt_id = getattr(rt, "pk", rt)
        rt = Rt.objects.filter(pk=rt_id, desa=desa).first() if str(rt_id).isdigit() else None
        if rt is None:
            errors["rt"] = [_("This RT is not in %(desa)s.") % {"desa": desa}]
    clean["rt"] = rt or None
    for field, label, limit in (("lintang", _("Latitude"), 90), ("bujur", _("Longitude"), 180)):
        try:
            clean[field] = rules.clean_coordinate(data.get(field), label, limit)
        except ValidationError as exc:
            errors[field] = exc.messages
    clean["kepala_nama"] = " ".join((data.get("kepala_nama") or "").split())[:100]
    clean["kepala_telepon"] = (data.get("kepala_telepon") or "").strip()[:20]
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def save_sekolah(desa, data, *, user, sekolah=None):
    """Add a school to ``desa`` (``sekolah`` None) or change ``sekolah``; returns the school."""
    if sekolah is not None:
        sekolah = Sekolah.objects.select_for_update().get(pk=sekolah.pk)
        desa = sekolah.desa
    ensure_permits(user, Action.CHANGE, desa)
    clean = check_sekolah(desa, data, sekolah)
    before = snapshot(sekolah) if sekolah is not None else None
    if sekolah is None:
        sekolah = Sekolah(desa=desa)
    elif clean["jenjang"] != sekolah.jenjang and sekolah.data.exists():
        raise ValidationError({"jenjang": [_("The level cannot change once school years are recorded: their grades "
                                             "belong to the level.")]})
    for field, value in clean.items():
        setattr(sekolah, field, value)
    sekolah.save()
    record_change(sekolah, user, before=before)
    return sekolah


def check_data(sekolah, tahun_ajaran, data):
    """The clean values of a school year, or ValidationError {field: [messages]}."""
    errors, clean = {}, {}
    try:
        clean["tahun_ajaran"] = rules.clean_tahun_ajaran(tahun_ajaran)
    except ValidationError as exc:
        errors["tahun_ajaran"] = exc.messages
    try:
        clean["murid"] = rules.clean_murid(sekolah.jenjang, data.get("murid"))
    except ValidationError as exc:
        errors.update(exc.message_dict)
    for field, label, most in (("guru", _("Teachers"), rules.MAX_GURU),
                               ("ruang_baik", _("Classrooms in good condition"), rules.MAX_RUANG),
                               ("ruang_rusak_ringan", _("Classrooms lightly damaged"), rules.MAX_RUANG),
                               ("ruang_rusak_berat", _("Classrooms badly damaged"), rules.MAX_RUANG)):
        try:
            clean[field] = rules.clean_count(data.get(field), label, most)
        except ValidationError as exc:
            errors[field] = exc.messages
    if errors:
        raise ValidationError(errors)
    clean["murid_laki_laki"] = sum(pair[0] for pair in clean["murid"].values())
    clean["murid_perempuan"] = sum(pair[1] for pair in clean["murid"].values())
    return clean


@transaction.atomic
def save_data(sekolah, tahun_ajaran, data, *, user):
    """Record (or correct) the figures of ``sekolah`` for the school year ``tahun_ajaran``."""
    sekolah = Sekolah.objects.select_for_update().get(pk=sekolah.pk)
    ensure_permits(user, Action.CHANGE, sekolah.desa)
    clean = check_data(sekolah, tahun_ajaran, data)
    row = DataSekolah.objects.filter(sekolah=sekolah, tahun_ajaran=clean["tahun_ajaran"]).first()
    before = snapshot(row) if row is not None else None
    if row is None:
        row = DataSekolah(sekolah=sekolah, desa_id=sekolah.desa_id)
    for field, value in clean.items():
        setattr(row, field, value)
    row.save()
    record_change(row, user, before=before)
    return row
