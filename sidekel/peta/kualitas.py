"""A data-quality check for the officials' findings page (registered into penduduk.kualitas by
PetaConfig.ready, so penduduk never imports peta): families whose home point on the map lies
outside their village's boundary or outside the area of their RT."""

import json

from django.utils.translation import gettext_lazy

from sidekel.penduduk.kualitas import Kind
from sidekel.penduduk.models import Keluarga

from sidekel.core.versioned import cached

from .choices import Lapisan
from .geometri import M_PER_DEGREE, TOLERANCE_M, to_shape
from .models import Fitur, LokasiKeluarga

KIND = Kind("lokasi-di-luar", gettext_lazy("Home outside its RT or village"),
            gettext_lazy("The family's home point on the map lies outside its village or its RT's area. Move the pin "
                         "on the village map, or correct the family's RT."), False, "keluarga")


OUTSIDE_VILLAGE, OTHER_RT, OUTSIDE_RT = "desa", "rt-lain", "rt-luar"
MESSAGES = {
    OUTSIDE_VILLAGE: gettext_lazy("The home lies outside the village boundary."),
    OTHER_RT: gettext_lazy("The home lies in the area of another RT than the family's."),
    OUTSIDE_RT: gettext_lazy("The home lies outside the area of the family's RT."),
}


def _problems(desa_ids):
    """{keluarga_id: what is wrong} for these villages, kept per village until its data changes
    (core.versioned: moving a pin, a boundary or a family's RT is an audited change)."""
    found = {}
    for problems in cached(list(desa_ids), "peta-lokasi-di-luar", _village_problems).values():
        found.update({keluarga_id: str(MESSAGES[code]) for keluarga_id, code in problems.items()})
    return found


def _village_problems(desa_id):
    """{keluarga_id: one of MESSAGES' codes} of one village."""
    from shapely import STRtree
    from shapely.geometry import Point

    shapes = {}
    for lapisan, rt_id, text in Fitur.objects.filter(desa_id=desa_id, lapisan__in=[Lapisan.BATAS, Lapisan.RT]).values_list(
            "lapisan", "rt_id", "geometri"):
        shapes[rt_id if lapisan == Lapisan.RT else None] = to_shape(json.loads(text))
    if not shapes:
        return {}
    tolerance = TOLERANCE_M / M_PER_DEGREE
    boundary = shapes[None].buffer(tolerance) if None in shapes else None
    rt_keys = [key for key in shapes if key is not None]
    tree = STRtree([shapes[key] for key in rt_keys]) if rt_keys else None
    found = {}
    for keluarga_id, rt_id, lon, lat in LokasiKeluarga.objects.filter(desa_id=desa_id).values_list(
            "keluarga_id", "keluarga__rt_id", "lon", "lat"):
        point = Point(lon, lat)
        if boundary is not None and not boundary.covers(point):
            found[keluarga_id] = OUTSIDE_VILLAGE
            continue
        area = shapes.get(rt_id) if rt_id else None
        if area is not None and not area.covers(point):
            found[keluarga_id] = OTHER_RT if len(tree.query(point, predicate="covered_by")) else OUTSIDE_RT
    return found


def findings(desa_ids, today=None):
    return Keluarga.objects.filter(id__in=list(_problems(desa_ids)))


def describe(rows):
    desa_ids = {k.desa_id for k in rows}
    problems = _problems(desa_ids) if desa_ids else {}
    return {k.pk: problems.get(k.pk, "") for k in rows}
