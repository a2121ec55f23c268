"""Write paths for the region tree."""

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .choices import SEBUTAN_DUSUN_DEFAULT, JenisDesa
from .models import Desa, Dusun, Kabupaten, Kecamatan, Provinsi, Rt, Rw

DATA_DIR = Path(__file__).resolve().parent / "data"
KODE_PATTERN = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")


@dataclass(frozen=True)
class Level:
    model: type
    filename: str
    parent_model: type | None = None
    parent_column: str = ""
    parent_field: str = ""


LEVELS = [
    Level(Provinsi, "provinces.csv"),
    Level(Kabupaten, "regencies.csv", Provinsi, "province_code", "provinsi"),
    Level(Kecamatan, "districts.csv", Kabupaten, "regency_code", "kabupaten"),
    Level(Desa, "villages.csv", Kecamatan, "district_code", "kecamatan"),
]


def jenis_from_kode(kode):
    """Village type from the first digit of the village part of a Kemendagri code."""
    return JenisDesa(int(kode.rsplit(".", 1)[1][0]))


def _in_subtree(code, kode):
    """True for the subtree under ``kode`` and for its ancestors."""
    return kode is None or code == kode or code.startswith(kode + ".") or kode.startswith(code + ".")


def _read_level(path):
    """The rows of one level's CSV file, read once per process and file version (the villages' file
    is 2.8 MB: the test suite loads a kecamatan's subtree for most of its tests)."""
    stat = path.stat()
    return _read_csv(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _read_csv(path, _mtime, _size):
    with open(path, newline="", encoding="utf-8") as f:
        return tuple(csv.DictReader(f))


@transaction.atomic
def load_wilayah(kode=None, manage=False, data_dir=DATA_DIR):
    """Load (or refresh) the region tree from the Kemendagri CSV files.

    ``kode`` limits the load to one subtree and its ancestors. ``manage`` marks the subtree's
    villages as served by this installation. Existing rows keep their ids; names and parents are
    refreshed. Returns the number of rows read per level.
    """
    if kode is not None and not KODE_PATTERN.match(kode):
        raise ValidationError(
            _("Region code %(kode)s is not in the dotted form, e.g. 62.01.02 or 62.01.02.2010.") % {"kode": kode}
        )
    if manage and kode is None:
        raise ValidationError(_("Name the region to serve with a code (--kode), e.g. 62.01.02."))

    counts = {}
    for level in LEVELS:
        rows = [row for row in _read_level(Path(data_dir) / level.filename) if _in_subtree(row["code"], kode)]
        parent_ids = (
            dict(level.parent_model.objects.values_list("kode", "id")) if level.parent_model else {}
        )
        objs = []
        for row in rows:
            fields = {"kode": row["code"], "nama": row["name"]}
            if level.parent_model:
                fields[f"{level.parent_field}_id"] = parent_ids[row[level.parent_column]]
            if level.model is Desa:
                fields["jenis"] = jenis_from_kode(row["code"])
                fields["sebutan_dusun"] = SEBUTAN_DUSUN_DEFAULT[fields["jenis"]]
            objs.append(level.model(**fields))
        update_fields = ["nama"] + ([level.parent_field] if level.parent_model else [])
        if level.model is Desa:
            update_fields.append("jenis")
        level.model.objects.bulk_create(
            objs, batch_size=1000, update_conflicts=True, unique_fields=["kode"], update_fields=update_fields
        )
        counts[level.model._meta.model_name] = len(objs)

    if kode is not None and counts["provinsi"] == 0:
        raise ValidationError(_("No region with code %(kode)s in the Kemendagri list.") % {"kode": kode})
    if kode is not None and len(kode) >= 8 and counts["desa"] == 0:
        raise ValidationError(_("No village under region code %(kode)s.") % {"kode": kode})
    if manage:
        counts["managed"] = (
            Desa.objects.filter(kode__startswith=kode if len(kode) == 13 else kode + ".")
            .update(managed=True)
        )
    from sidekel.core.audit import data_changed

    data_changed()  # names and served villages appear on the public pages (after the writes)
    return counts


class Places:
    """A village's dusun, RW and RT, read once (three queries), for finding the RT at many
    addresses (an import's rows): ``rt_id`` creates what the village lacks, one INSERT each in a
    savepoint, and takes a unit another session made meanwhile. (``get_or_create`` for each level
    of each address would also ask for it first: on PostgreSQL most of a small import's set-up.)
    Names and numbers match exactly, as the unique constraints compare them."""

    def __init__(self, desa):
        self.desa = desa
        self.dusun = {nama: pk for pk, nama in Dusun.objects.filter(desa=desa).values_list("id", "nama")}
        self.rw = {(dusun_id, nomor): pk for pk, dusun_id, nomor in
                   Rw.objects.filter(desa=desa).values_list("id", "dusun_id", "nomor")}
        self.rt = {(dusun_id, rw_id, nomor): pk for pk, dusun_id, rw_id, nomor in
                   Rt.objects.filter(desa=desa).values_list("id", "dusun_id", "rw_id", "nomor")}

    def rt_id(self, nama_dusun, nomor_rw, nomor_rt):
        """The id of the RT at this address, created with its dusun and RW where missing. Any level
        but the RT may be absent: a village may have no dusun, no RW, or both."""
        dusun_id = self._id(self.dusun, nama_dusun, Dusun, nama=nama_dusun) if nama_dusun else None
        rw_id = self._id(self.rw, (dusun_id, nomor_rw), Rw, dusun_id=dusun_id, nomor=nomor_rw) if nomor_rw else None
        return self._id(self.rt, (dusun_id, rw_id, nomor_rt), Rt, dusun_id=dusun_id, rw_id=rw_id, nomor=nomor_rt)

    def _id(self, known, key, model, **fields):
        if key not in known:
            try:
                with transaction.atomic():  # a savepoint: someone may have made the same unit since
                    known[key] = model.objects.create(desa=self.desa, **fields).id
            except IntegrityError:
                known[key] = model.objects.get(desa=self.desa, **fields).id
        return known[key]


def ensure_rt(desa, nomor_rt, nomor_rw=None, nama_dusun=None):
    """The RT at this address inside ``desa``, created with its dusun and RW where missing
    (``Places``). Any level may be absent: a village may have no dusun, no RW, or both."""
    return Rt.objects.get(pk=Places(desa).rt_id(nama_dusun, nomor_rw, nomor_rt))


PROFIL_FIELDS = ["nama_kepala", "alamat_kantor", "telepon", "email", "jam_layanan", "tentang", "kode_pos"]


@transaction.atomic
def update_profil(desa, user, changes):
    """Change the public profile of ``desa`` (head, office, contact, hours, about).

    Only the kecamatan admin and the village's own operator may; the change is audited.
    """
    from sidekel.core.audit import record_change, snapshot
    from sidekel.core.scope import ensure_can_write

    ensure_can_write(user, desa.id)
    desa = Desa.objects.select_for_update().get(pk=desa.pk)
    before = snapshot(desa)
    for name, value in changes.items():
        if name not in PROFIL_FIELDS:
            raise ValidationError(_("The field %(name)s is not part of the village profile.") % {"name": name})
        setattr(desa, name, (value or "").strip())
    desa.full_clean(exclude=["kecamatan"])
    desa.save(update_fields=list(changes))
    record_change(desa, user, before=before, reason="profil")
    return desa


# --- dusun, RW and RT kept by the village's officials ----------------------------------------------
# Renaming and deleting an empty unit touch the region tree alone, so they are here; merging
# moves residents and families, so it is in penduduk/services_wilayah.py.

def dusun_key(nama):
    """A dusun name with case, spaces and punctuation ignored: "Mekar Sari" = "MEKARSARI" = "mekar-sari"."""
    return "".join(ch for ch in (nama or "").casefold() if ch.isalnum())


NUMERAL = re.compile(r"^(\d+|[ivxlc]+)$")


def _trailing_numeral(nama):
    words = re.findall(r"\w+", (nama or "").casefold())
    return words[-1] if len(words) > 1 and NUMERAL.match(words[-1]) else ""


def _one_edit_apart(a, b):
    """True when one letter added, dropped or changed turns ``a`` into ``b``."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)):] == b[i + 1:]


SIMILAR_FROM_LETTERS = 5  # shorter names ("Dusun I", "Baru") differ by one letter on purpose


def dusun_alike(a, b):
    """Do two dusun names look like one dusun written twice? The same letters and digits (case,
    spaces and punctuation aside), or, for names of five letters or more, one letter apart
    ("Sidomulyo" and "Sidomulya"). Names that differ in a number ("Blok 1 Sari" and "Blok 2
    Sari") or a numbering word ("Karya Baru I" and "Karya Baru II") are different dusun."""
    ka, kb = dusun_key(a), dusun_key(b)
    if ka == kb:
        return bool(ka)
    if min(len(ka), len(kb)) < SIMILAR_FROM_LETTERS or _trailing_numeral(a) != _trailing_numeral(b) \
            or re.findall(r"\d+", ka) != re.findall(r"\d+", kb):
        return False
    return _one_edit_apart(ka, kb)


SIMILAR_NEW_NAMES_COMPARED = 500  # beyond, new names are compared with each other by their letters only


def similar_dusun(new_names, existing):
    """For each name of ``new_names`` (in the order met) that the village has not already
    (``existing``, exactly), the existing names and the earlier new names it looks like:
    [(name, [existing alike], [earlier new alike])], only the names with any.

    A file with thousands of different "dusun" (a wrong column) would cost a comparison of
    each with each: past SIMILAR_NEW_NAMES_COMPARED new names, only the same letters count."""
    found, earlier, by_key = [], [], {}
    existing = list(existing)
    for nama in new_names:
        if nama in existing:
            continue
        old = [e for e in existing if dusun_alike(nama, e)]
        if len(earlier) <= SIMILAR_NEW_NAMES_COMPARED:
            new = [e for e in earlier if dusun_alike(nama, e)]
        else:
            new = by_key.get(dusun_key(nama), [])[:]
        if old or new:
            found.append((nama, old, new))
        earlier.append(nama)
        by_key.setdefault(dusun_key(nama), []).append(nama)
    return found


def _unit_kind(unit):
    return {Dusun: "dusun", Rw: "rw", Rt: "rt"}[type(unit)]


def _locked_unit(unit, user):
    from sidekel.core.scope import Action, ensure_permits

    locked = type(unit).objects.select_for_update(of=("self",)).select_related("desa").get(pk=unit.pk)
    ensure_permits(user, Action.CHANGE, locked.desa_id)
    return locked


def clean_unit_name(kind, value):
    """The name of a dusun, or the number of an RW or RT, as typed: spaces trimmed; refused when empty or too long."""
    value = " ".join((value or "").split())
    limit = 100 if kind == "dusun" else 4
    if not value:
        raise ValidationError(_("Write the new name.") if kind == "dusun" else _("Write the new number."))
    if len(value) > limit:
        raise ValidationError(_("At most %(n)d characters.") % {"n": limit})
    return value


def unit_taken(unit, value):
    """The unit of the same village and parent that already has this name or number, or None.
    Dusun names are compared with case, spaces and punctuation ignored (``dusun_key``)."""
    if isinstance(unit, Dusun):
        key = dusun_key(value)
        return next((d for d in Dusun.objects.filter(desa_id=unit.desa_id).exclude(pk=unit.pk)
                     if dusun_key(d.nama) == key), None)
    if isinstance(unit, Rw):
        return Rw.objects.filter(desa_id=unit.desa_id, dusun_id=unit.dusun_id, nomor=value).exclude(pk=unit.pk).first()
    parent = {"rw_id": unit.rw_id} if unit.rw_id else {"rw__isnull": True, "dusun_id": unit.dusun_id}
    return Rt.objects.filter(desa_id=unit.desa_id, nomor=value, **parent).exclude(pk=unit.pk).first()


@transaction.atomic
def rename_unit(unit, value, *, user):
    """Give a dusun a new name, or an RW or RT a new number. Refused (ValidationError, nothing
    changed) when the same village and parent already has it: that is a merge. Returns the
    unit, or None when the name is the one it has."""
    from sidekel.core.audit import record_change, snapshot

    unit = _locked_unit(unit, user)
    kind = _unit_kind(unit)
    value = clean_unit_name(kind, value)
    field = "nama" if kind == "dusun" else "nomor"
    if getattr(unit, field) == value:
        return None
    taken = unit_taken(unit, value)
    if taken is not None:
        raise ValidationError(_("%(other)s already exists here. To put the two together, use \"Merge\".")
                              % {"other": taken})
    before = snapshot(unit)
    old = str(unit)
    setattr(unit, field, value)
    unit.save(update_fields=[field])
    record_change(unit, user, before=before, reason=_("Renamed from %(old)s") % {"old": old})
    return unit


def _contents(unit):
    """The RTs and RWs inside ``unit`` (itself included), to delete from the bottom up."""
    if isinstance(unit, Dusun):
        return list(Rt.objects.filter(dusun=unit)) + list(Rw.objects.filter(dusun=unit)) + [unit]
    if isinstance(unit, Rw):
        return list(Rt.objects.filter(rw=unit)) + [unit]
    return [unit]


@transaction.atomic
def delete_unit(unit, *, user):
    """Delete an empty dusun, RW or RT, with the empty RWs and RTs inside it. Refused
    (ValidationError, nothing deleted) while a resident, family, household or recorded event
    points at one of its RTs: those are moved by a merge."""
    from django.db.models import ProtectedError

    from sidekel.core.audit import record_change
    from sidekel.core.models import ObjectChange

    unit = _locked_unit(unit, user)
    try:
        with transaction.atomic():
            for part in _contents(unit):
                record_change(part, user, action=ObjectChange.Action.DELETE, reason=_("Deleted while empty"))
                part.delete()
    except ProtectedError:
        raise ValidationError(_("%(unit)s is not empty: residents, families or recorded events point at it. "
                                "Merge it into another one instead.") % {"unit": unit}) from None
    return unit
