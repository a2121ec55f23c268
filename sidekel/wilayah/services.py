"""Write paths for the region tree."""

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
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


def ensure_rt(desa, nomor_rt, nomor_rw=None, nama_dusun=None):
    """The RT at this address inside ``desa``, created with its dusun and RW where missing.

    Any level may be absent: a village may have no dusun, no RW, or both.
    """
    dusun = Dusun.objects.get_or_create(desa=desa, nama=nama_dusun)[0] if nama_dusun else None
    rw = Rw.objects.get_or_create(desa=desa, dusun=dusun, nomor=nomor_rw)[0] if nomor_rw else None
    return Rt.objects.get_or_create(desa=desa, dusun=dusun, rw=rw, nomor=nomor_rt)[0]


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
