"""A data-quality check for the officials' findings page (registered into penduduk.kualitas by
PetaConfig.ready, so penduduk never imports peta): families whose home point on the map lies
outside their village's boundary or outside the area of their RT."""

import json

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from shapely import STRtree
from shapely.geometry import Point

from sidekel.penduduk.kualitas import Kind
from sidekel.penduduk.models import Keluarga

from .choices import Lapisan
from .geometri import M_PER_DEGREE, TOLERANCE_M, to_shape
from .models import Fitur, LokasiKeluarga

KIND = Kind("lokasi-di-luar", gettext_lazy("Home outside its RT or village"),
            gettext_lazy("The family's home point on the map lies outside its village or its RT's area. Move the pin "
                         "on the village map, or correct the family's RT."), False, "keluarga")


def _problems(desa_ids):
    """{keluarga_id: what is wrong} for these villages."""
    shapes = {}
    for desa_id, lapisan, rt_id, text in Fitur.objects.filter(
            desa_id__in=list(desa_ids), lapisan__in=[Lapisan.BATAS, Lapisan.RT]).values_list(
            "desa_id", "lapisan", "rt_id", "geometri"):
        shapes[(desa_id, rt_id if lapisan == Lapisan.RT else None)] = to_shape(json.loads(text))
    if not shapes:
        return {}
    tolerance = TOLERANCE_M / M_PER_DEGREE
    grown = {key: geom.buffer(tolerance) for key, geom in shapes.items() if key[1] is None}
    rt_keys = [key for key in shapes if key[1] is not None]
    tree = STRtree([shapes[key] for key in rt_keys]) if rt_keys else None
    found = {}
    for keluarga_id, desa_id, rt_id, lon, lat in LokasiKeluarga.objects.filter(desa_id__in=list(desa_ids)).values_list(
            "keluarga_id", "desa_id", "keluarga__rt_id", "lon", "lat"):
        point = Point(lon, lat)
        boundary = grown.get((desa_id, None))
        if boundary is not None and not boundary.covers(point):
            found[keluarga_id] = _("The home lies outside the village boundary.")
            continue
        area = shapes.get((desa_id, rt_id)) if rt_id else None
        if area is not None and not area.covers(point):
            hits = [rt_keys[i][1] for i in tree.query(point, predicate="covered_by") if rt_keys[i][0] == desa_id]
            found[keluarga_id] = (_("The home lies in the area of another RT than the family's.") if hits
                                  else _("The home lies outside the area of the family's RT."))
    return found


def findings(desa_ids, today=None):
    return Keluarga.objects.filter(id__in=list(_problems(desa_ids)))


def describe(rows):
    desa_ids = {k.desa_id for k in rows}
    problems = _problems(desa_ids) if desa_ids else {}
    return {k.pk: problems.get(k.pk, "") for k in rows}
