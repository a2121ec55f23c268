"""Every write of the map: shapes, imports, a place's photo, a family's home point and the RT it gives.

An import from the page runs in the worker as a job of kind ``impor-peta`` (``impor_job``, declared
with ``core.jobs``); the command line calls ``impor`` directly.

Each function checks the user's right (core.scope) inside its transaction, validates geometry
(``geometri.validate``), records the change in the audit log (which also moves the village's data
version, so cached public maps are made again) and raises ``ValidationError`` or
``PermissionDenied`` with a message for the user. ``user=None`` is the system (commands, demo).
"""

import json
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sidekel.core import jobs
from sidekel.core.audit import record_change, snapshot
from sidekel.core.images import clean_photo
from sidekel.core.scope import Action, ensure_permits
from sidekel.penduduk.choices import StatusDasar
from sidekel.penduduk.models import Keluarga, Penduduk
from sidekel.wilayah.models import Dusun, Rt, Rw

from . import formats, geometri
from .choices import CATEGORISED, Lapisan
from .models import Fitur, FotoTempat, Kategori, LokasiKeluarga

NAME_KEYS = ("nama", "name", "namobj", "nama_desa", "desa", "wadmkd", "label", "title")
CATEGORY_KEYS = ("kategori", "category", "jenis", "type", "remark", "fungsi")
UNIT_KEYS = {"dusun": ("dusun", "lingkungan", "nama_dusun"), "rw": ("rw", "no_rw"), "rt": ("rt", "no_rt")}


def boundary_of(desa_id):
    """The village's boundary as a shapely geometry, or None when it has none yet."""
    text = Fitur.objects.filter(desa_id=desa_id, lapisan=Lapisan.BATAS).values_list("geometri", flat=True).first()
    return geometri.to_shape(json.loads(text)) if text else None


def _set_geometry(fitur, geom):
    fitur.geometri = geometri.dumps(geom)
    fitur.min_lon, fitur.min_lat, fitur.max_lon, fitur.max_lat = geom.bounds


def _check(desa, lapisan, geometry, boundary):
    errors = geometri.validate(geometry, lapisan, boundary)
    if errors:
        raise ValidationError(errors)
    return geometri.to_shape(geometry)


def _kategori(lapisan, kategori):
    if lapisan not in CATEGORISED:
        return None
    if kategori is None:
        return Kategori.objects.filter(lapisan=lapisan).order_by("-slug").filter(slug__in=["lainnya"]).first()
    if kategori.lapisan != lapisan:
        raise ValidationError(_("The category %(kategori)s is not one of the %(layer)s layer.")
                              % {"kategori": kategori, "layer": Lapisan(lapisan).label})
    return kategori


@transaction.atomic
def simpan_fitur(desa, *, user, lapisan, geometry, nama="", kategori=None, keterangan="", publik=True,
                 dusun=None, rw=None, rt=None, fitur=None, demo=False, reason=""):
    """Create (``fitur`` None) or change a shape of ``desa``. A village boundary replaces the old one."""
    ensure_permits(user, Action.CHANGE, desa)
    lapisan = Lapisan(lapisan)
    boundary = None if lapisan == Lapisan.BATAS else boundary_of(desa.id)
    geom = _check(desa, lapisan, geometry, boundary)
    for unit in (dusun, rw, rt):
        if unit is not None and unit.desa_id != desa.id:
            raise ValidationError(_("%(unit)s is not a unit of this village.") % {"unit": unit})
    if lapisan == Lapisan.BATAS and fitur is None:
        fitur = Fitur.objects.select_for_update().filter(desa=desa, lapisan=Lapisan.BATAS).first()
    before = snapshot(fitur) if fitur is not None and fitur.pk else None
    if fitur is None:
        fitur = Fitur(desa=desa, lapisan=lapisan)
    elif fitur.desa_id != desa.id:
        raise ValidationError(_("This shape belongs to another village."))
    fitur.lapisan = lapisan
    fitur.nama = (nama or "").strip()[:120] or (str(desa) if lapisan == Lapisan.BATAS else "")
    fitur.kategori = _kategori(lapisan, kategori)
    fitur.keterangan = (keterangan or "")[:300]
    fitur.publik = publik
    fitur.demo = demo
    fitur.dusun, fitur.rw, fitur.rt = dusun, rw, rt
    _set_geometry(fitur, geom)
    fitur.save()
    record_change(fitur, user, before=before, reason=reason)
    return fitur


@transaction.atomic
def hapus_fitur(fitur, *, user, reason=""):
    ensure_permits(user, Action.CHANGE, fitur.desa_id)
    foto = FotoTempat.objects.filter(fitur=fitur).first()
    if foto is not None:  # goes with its place (cascade); recorded as its own change
        record_change(foto, user, action="delete", reason=reason)
    record_change(fitur, user, action="delete", reason=reason)
    fitur.delete()


# --- import ---------------------------------------------------------------------------------------

@dataclass
class Baris:
    nomor: int
    nama: str
    errors: list = field(default_factory=list)


@dataclass
class Laporan:
    """What an import found: the file's kind and projection, a row per feature, and how many were saved."""

    kind: str
    projection: str
    rows: list
    saved: int = 0
    dry_run: bool = True

    @property
    def refused(self):
        return [row for row in self.rows if row.errors]

    @property
    def ok(self):
        return bool(self.rows) and not self.refused


def _attr(props, keys):
    lowered = {str(k).lower(): v for k, v in props.items()}
    for key in keys:
        value = lowered.get(key)
        if value not in (None, ""):
            return str(value).strip()
    return ""


def _number(text):
    digits = "".join(ch for ch in text if ch.isdigit())
    return digits.zfill(3) if digits else ""


def _unit_of(desa, lapisan, props, name):
    """(dusun, rw, rt) an area of the dusun, RW or RT layer is the shape of, or a message."""
    if lapisan == Lapisan.DUSUN:
        wanted = _attr(props, UNIT_KEYS["dusun"]) or name
        dusun = Dusun.objects.filter(desa=desa, nama__iexact=wanted.removeprefix("Dusun ").strip()).first() \
            or Dusun.objects.filter(desa=desa, nama__iexact=wanted).first()
        if dusun is None:
            return None, _("The village has no dusun named %(nama)s: add it first or correct the name.") % {"nama": wanted or "-"}
        return (dusun, None, None), None
    rw_no = _number(_attr(props, UNIT_KEYS["rw"]))
    if lapisan == Lapisan.RW:
        rw_no = rw_no or _number(name)
        found = list(Rw.objects.filter(desa=desa, nomor=rw_no))
        if len(found) != 1:
            return None, _("RW %(no)s is not one RW of this village (give its number in an attribute 'rw').") % {"no": rw_no or "-"}
        return (found[0].dusun, found[0], None), None
    rt_no = _number(_attr(props, UNIT_KEYS["rt"])) or _number(name)
    rts = Rt.objects.filter(desa=desa, nomor=rt_no)
    if rw_no:
        rts = rts.filter(rw__nomor=rw_no)
    found = list(rts)
    if len(found) != 1:
        return None, _("RT %(rt)s (RW %(rw)s) is not one RT of this village: give the attributes 'rt' and 'rw'.") \
            % {"rt": rt_no or "-", "rw": rw_no or "-"}
    return (found[0].dusun, found[0].rw, found[0]), None


def _category_of(lapisan, props, kategori_by_key):
    value = _attr(props, CATEGORY_KEYS)
    if not value:
        return kategori_by_key.get("lainnya"), None
    found = kategori_by_key.get(value.lower())
    if found is None:
        return None, _("Unknown category %(value)s; known: %(known)s.") % {
            "value": value, "known": ", ".join(sorted({k.slug for k in kategori_by_key.values()}))}
    return found, None


def _nothing(*args):
    return False


def check_file(desa, path, lapisan, progress=_nothing, cancelled=_nothing):
    """Read ``path`` and check every feature for layer ``lapisan`` of ``desa``; nothing is written.
    Returns (Laporan, [(Masukan, fields for simpan_fitur)]). FormatError for a file that is not geodata.
    ``progress(phase, done, total)`` and ``cancelled()`` are a job's (``impor_job``)."""
    lapisan = Lapisan(lapisan)
    bacaan = formats.read(path)
    boundary = None if lapisan == Lapisan.BATAS else boundary_of(desa.id)
    kategori_by_key = {}
    if lapisan in CATEGORISED:
        for k in Kategori.objects.filter(lapisan=lapisan):
            kategori_by_key[k.slug] = kategori_by_key[k.nama.lower()] = k
    rows, ready = [], []
    for number, item in enumerate(bacaan.features, 1):
        if cancelled():
            raise jobs.Cancelled
        if number % PROGRESS_EVERY == 0:
            progress("check", number, len(bacaan.features))
        name = _attr(item.properties, NAME_KEYS)
        row = Baris(item.nomor, name, list(item.errors))
        rows.append(row)
        if row.errors:
            continue
        row.errors += geometri.validate(item.geometry, lapisan, boundary)
        fields = {"nama": name, "keterangan": _attr(item.properties, ("keterangan", "description", "desc"))}
        if lapisan in CATEGORISED:
            fields["kategori"], error = _category_of(lapisan, item.properties, kategori_by_key)
            if error:
                row.errors.append(error)
        if lapisan in (Lapisan.DUSUN, Lapisan.RW, Lapisan.RT):
            units, error = _unit_of(desa, lapisan, item.properties, name)
            if error:
                row.errors.append(error)
            else:
                fields["dusun"], fields["rw"], fields["rt"] = units
        if not row.errors:
            ready.append((item, fields))
    if not rows:
        raise formats.FormatError(_("The file holds no features."))
    if lapisan == Lapisan.BATAS and len(rows) > 1:
        for row in rows:
            row.errors.append(_("A village has one boundary; the file holds %(n)d features. Keep only this village's "
                                "shape (or import the others into their own villages).") % {"n": len(rows)})
        ready = []
    return Laporan(bacaan.kind, bacaan.projection, rows), ready


def impor(desa, path, lapisan, *, user, dry_run=True, publik=True, progress=_nothing, cancelled=_nothing):
    """Import a file into one layer of ``desa``: every feature or none. With ``dry_run`` only the
    report (each refused feature with its reason). Cancelled (``jobs.Cancelled``) before the last
    feature is written, the transaction rolls back: nothing stays."""
    ensure_permits(user, Action.IMPORT, desa)
    laporan, ready = check_file(desa, path, lapisan, progress, cancelled)
    laporan.dry_run = dry_run
    if dry_run or not laporan.ok:
        return laporan
    with transaction.atomic():
        for number, (item, fields) in enumerate(ready, 1):
            if cancelled():
                raise jobs.Cancelled
            if number % PROGRESS_EVERY == 0:
                progress("write", number, len(ready))
            simpan_fitur(desa, user=user, lapisan=lapisan, geometry=item.geometry, publik=publik,
                         reason=_("import"), **fields)
    laporan.saved = len(ready)
    return laporan


IMPORT_JOB = "impor-peta"
PROGRESS_EVERY = 20


@jobs.kind(IMPORT_JOB, again=gettext_lazy("Import the file again."))
def impor_job(job, progress, cancelled):
    """The worker's side of an import from the page (``views.impor``): the stored upload into the
    layer ``job.options["lapisan"]`` of ``job.desa``; the report as the job's result. A file that is
    not geodata fails the job with its message; refused features are listed one by one."""
    options = job.options
    try:
        laporan = impor(job.desa, jobs.stored_path(job), options["lapisan"], user=job.user,
                        dry_run=options.get("dry_run", True), publik=options.get("publik", True),
                        progress=progress, cancelled=cancelled)
    except formats.FormatError as exc:
        raise ValidationError(str(exc)) from exc
    return {"kind": laporan.kind, "projection": laporan.projection, "features": len(laporan.rows),
            "dry_run": laporan.dry_run, "ok": laporan.ok, "saved": laporan.saved,
            "refused": [{"nomor": row.nomor, "nama": row.nama, "errors": [str(e) for e in row.errors]}
                        for row in laporan.refused[:MAX_REFUSED_KEPT]],
            "refused_count": len(laporan.refused)}


MAX_REFUSED_KEPT = 1000


# --- a place's photo ----------------------------------------------------------------------------------

MAX_PHOTO_BYTES = 8 * 2**20
MAX_PHOTO_PIXELS = 40_000_000
PHOTO_SIDE = 960  # the popup shows it small; the photo's own page at most this wide


@transaction.atomic
def simpan_foto(fitur, upload, *, user):
    """Give a place its photo (or a new one): checked and re-encoded by ``core.images`` (no EXIF,
    so no GPS position of the camera), kept in the database, audited."""
    ensure_permits(user, Action.CHANGE, fitur.desa_id)
    if fitur.lapisan != Lapisan.TEMPAT:
        raise ValidationError(_("Only a place (a point) has a photo."))
    data, lebar, tinggi = clean_photo(upload, max_bytes=MAX_PHOTO_BYTES, max_pixels=MAX_PHOTO_PIXELS,
                                      max_side=PHOTO_SIDE, quality=75, progressive=True)
    foto = FotoTempat.objects.select_for_update().filter(fitur=fitur).first()
    before = snapshot(foto) if foto else None
    foto = foto or FotoTempat(fitur=fitur, desa_id=fitur.desa_id)
    foto.berkas, foto.lebar, foto.tinggi = data, lebar, tinggi
    foto.save()
    record_change(foto, user, before=before)
    return foto


@transaction.atomic
def hapus_foto(fitur, *, user):
    ensure_permits(user, Action.CHANGE, fitur.desa_id)
    foto = FotoTempat.objects.select_for_update().filter(fitur=fitur).first()
    if foto is None:
        return False
    record_change(foto, user, action="delete")
    foto.delete()
    return True


# --- a family's home and its RT ---------------------------------------------------------------------

@transaction.atomic
def set_lokasi(keluarga, *, user, lon, lat):
    """Put (or move) a family's home pin; it must lie in the village (when it has a boundary)."""
    ensure_permits(user, Action.CHANGE, keluarga.desa_id)
    geometry = {"type": "Point", "coordinates": [lon, lat]}
    errors = geometri.validate(geometry, Lapisan.TEMPAT, boundary_of(keluarga.desa_id))
    if errors:
        raise ValidationError(errors)
    lokasi = LokasiKeluarga.objects.select_for_update().filter(keluarga=keluarga).first()
    before = snapshot(lokasi) if lokasi else None
    lokasi = lokasi or LokasiKeluarga(keluarga=keluarga, desa_id=keluarga.desa_id)
    lokasi.lon, lokasi.lat = round(lon, 6), round(lat, 6)
    lokasi.save()
    record_change(lokasi, user, before=before)
    return lokasi


def rt_areas(desa_id):
    """[(rt_id, shapely geometry)] of a village's RT areas."""
    return [(rt_id, geometri.to_shape(json.loads(text))) for rt_id, text in
            Fitur.objects.filter(desa_id=desa_id, lapisan=Lapisan.RT, rt__isnull=False).values_list("rt_id", "geometri")]


def rt_at(desa_id, lon, lat):
    """The RT whose area holds this point (bounding boxes filtered in SQL, then exactly), or None."""
    from shapely.geometry import Point

    point = Point(lon, lat)
    for rt_id, text in Fitur.objects.filter(desa_id=desa_id, lapisan=Lapisan.RT, rt__isnull=False) \
            .containing_box(lon, lat).values_list("rt_id", "geometri"):
        if geometri.to_shape(json.loads(text)).covers(point):
            return rt_id
    return None


@transaction.atomic
def tetapkan_rt(desa, *, user):
    """Give every family with a home point inside an RT area that RT (and its living members who
    were in the family's old RT). Returns (changed, outside: families whose point is in no RT area)."""
    ensure_permits(user, Action.CHANGE, desa)
    from shapely import STRtree
    from shapely.geometry import Point

    areas = rt_areas(desa.id)
    if not areas:
        raise ValidationError(_("The village has no RT areas on the map yet: import or draw them first."))
    tree = STRtree([geom for _id, geom in areas])
    changed, outside = 0, 0
    for lokasi in LokasiKeluarga.objects.filter(desa=desa).select_related("keluarga"):
        point = Point(lokasi.lon, lokasi.lat)
        hits = [areas[i][0] for i in tree.query(point, predicate="covered_by")]
        if not hits:
            outside += 1
            continue
        keluarga, rt_id = lokasi.keluarga, hits[0]
        if keluarga.rt_id == rt_id:
            continue
        old = keluarga.rt_id
        before = snapshot(keluarga)
        keluarga.rt_id = rt_id
        keluarga.save(update_fields=["rt", "updated_at"])
        record_change(keluarga, user, before=before, reason=_("RT from the home location on the map"))
        members = Penduduk.objects.filter(keluarga=keluarga, rt_id=old, deleted_at__isnull=True,
                                          status_dasar=StatusDasar.HIDUP)
        for person in members:
            before = snapshot(person)
            Penduduk.objects.filter(pk=person.pk).update(rt_id=rt_id, version=F("version") + 1, updated_at=timezone.now())
            person.refresh_from_db()
            record_change(person, user, before=before, reason=_("RT from the home location on the map"))
        changed += 1
    return changed, outside


def keluarga_of(desa, pk, user):
    return Keluarga.objects.for_user(user).filter(desa=desa).get(pk=pk)
