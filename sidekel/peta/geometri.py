"""Checking geometry before it is saved, and the spatial questions (point in polygon), with shapely.

shapely installs from its wheel with GEOS inside: no system library, no PostGIS, no GDAL. It is
imported where it is used: with numpy it takes longer to import than the rest of an app, and
every process imports this module when Django is set up.
Coordinates are WGS84 longitude, latitude (GeoJSON's order). ``validate`` returns the messages
that refuse a geometry (an empty list: it may be saved); each says what is wrong and what to do.
"""

import json
import math

from django.utils.translation import gettext as _

from .choices import GEOMETRY_TYPES

# Indonesia with a margin: every village's shape lies inside this box.
INDONESIA = (94.0, -11.5, 141.5, 6.5)
# How far (metres) a place or line may lie outside its village's boundary: drawing on a phone and
# boundaries handed out at a coarse scale are not exact.
TOLERANCE_M = 150
M_PER_DEGREE = 111_320
MAX_AREA_KM2 = 5_000  # the largest villages of Kalimantan and Papua are a few thousand km²
MIN_AREA_M2 = 10
MAX_VERTICES = 200_000


class GeometryError(ValueError):
    """A geometry that cannot be read at all."""


def in_indonesia(lon, lat):
    return INDONESIA[0] <= lon <= INDONESIA[2] and INDONESIA[1] <= lat <= INDONESIA[3]


def _positions(coords):
    """Every [lon, lat] position of a GeoJSON coordinates array, however nested."""
    if isinstance(coords, (list, tuple)) and coords and isinstance(coords[0], (int, float)):
        yield coords
        return
    for part in coords or ():
        yield from _positions(part)


def _rings(geometry):
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if kind == "Polygon":
        yield from coords or ()
    elif kind == "MultiPolygon":
        for polygon in coords or ():
            yield from polygon or ()


def area_km2(geom):
    """Area of a lon/lat shape in km² (equal-area on the ellipsoid, pyproj's Geod)."""
    from pyproj import Geod

    return abs(Geod(ellps="WGS84").geometry_area_perimeter(geom)[0]) / 1e6


def to_shape(geometry):
    """A shapely geometry from a GeoJSON geometry dict; GeometryError if it is not one."""
    from shapely.geometry import shape

    try:
        return shape(geometry)
    except Exception as exc:  # shapely raises several kinds for malformed input
        raise GeometryError(_("The geometry cannot be read: %(error)s.") % {"error": exc}) from exc


def validate(geometry, lapisan, boundary=None):
    """The messages that refuse ``geometry`` (a GeoJSON geometry dict) on layer ``lapisan``.

    ``boundary``: the village's boundary (shapely), when it has one: a place, line, area or unit
    must lie inside it, within TOLERANCE_M.
    """
    from shapely.geometry import shape
    from shapely.validation import explain_validity

    if not isinstance(geometry, dict) or "type" not in geometry:
        return [_("The feature has no geometry.")]
    allowed = GEOMETRY_TYPES[lapisan]
    kind = geometry["type"]
    if kind not in allowed:
        return [_("A %(layer)s must be a %(allowed)s, not a %(kind)s.")
                % {"layer": _label(lapisan), "allowed": " / ".join(allowed), "kind": kind}]
    try:
        positions = list(_positions(geometry.get("coordinates")))
    except TypeError:
        return [_("The coordinates are not a list of numbers.")]
    if not positions:
        return [_("The geometry has no coordinates.")]
    if len(positions) > MAX_VERTICES:
        return [_("The shape has %(n)d points; the limit is %(max)d. Simplify it first.")
                % {"n": len(positions), "max": MAX_VERTICES}]
    for position in positions:
        if len(position) < 2 or not all(isinstance(v, (int, float)) and math.isfinite(v) for v in position[:2]):
            return [_("A coordinate is not a number.")]
    outside = [p for p in positions if not in_indonesia(p[0], p[1])]
    if outside:
        lon, lat = outside[0][:2]
        if in_indonesia(lat, lon):
            return [_("The coordinates are in latitude, longitude order (%(lon)s, %(lat)s lies outside Indonesia); "
                      "GeoJSON needs longitude first. Swap them and try again.") % {"lon": lon, "lat": lat}]
        return [_("The point %(lon)s, %(lat)s lies far outside Indonesia: the coordinates are not longitude and "
                  "latitude in degrees (WGS84). Was the file saved in another projection without its .prj?")
                % {"lon": lon, "lat": lat}]
    for ring in _rings(geometry):
        if len(ring) < 4:
            return [_("A ring of the area has fewer than 4 points: an area needs at least 3 corners and the first "
                      "point again at the end.")]
        if list(ring[0][:2]) != list(ring[-1][:2]):
            return [_("A ring of the area is open: its last point must be the same as its first.")]
    try:
        geom = shape(geometry)
    except Exception as exc:
        return [_("The geometry cannot be read: %(error)s.") % {"error": exc}]
    if kind in ("LineString", "MultiLineString") and geom.length == 0:
        return [_("The line has no length.")]
    if not geom.is_valid:
        reason = explain_validity(geom)
        if "Self-intersection" in reason or "Ring Self-intersection" in reason:
            return [_("The boundary crosses itself (%(where)s). Redraw it so that no edge crosses another.")
                    % {"where": reason.split("[", 1)[-1].rstrip("]")}]
        return [_("The shape is not valid: %(reason)s.") % {"reason": reason}]
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        km2 = area_km2(geom)
        if km2 > MAX_AREA_KM2:
            return [_("The area is %(km2)s km²; no village is larger than %(max)s km². Is it the right shape, in "
                      "degrees?") % {"km2": f"{km2:,.0f}", "max": f"{MAX_AREA_KM2:,}"}]
        if km2 * 1e6 < MIN_AREA_M2:
            return [_("The area is smaller than %(min)d m²: draw it larger.") % {"min": MIN_AREA_M2}]
    if boundary is not None and lapisan != "batas":
        tolerance = TOLERANCE_M / M_PER_DEGREE
        if not boundary.buffer(tolerance).contains(geom):
            distance = boundary.distance(geom) * M_PER_DEGREE
            if distance > 0:
                return [_("The shape lies %(m)s m outside the village boundary.") % {"m": f"{distance:,.0f}"}]
            return [_("The shape reaches more than %(m)d m beyond the village boundary.") % {"m": TOLERANCE_M}]
    return []


def _label(lapisan):
    from .choices import Lapisan

    return Lapisan(lapisan).label


def bbox(geom):
    return geom.bounds  # (min lon, min lat, max lon, max lat)


def dumps(geom, precision=6):
    """GeoJSON text of a shapely geometry, coordinates rounded to ``precision`` decimals (6: ~10 cm)."""
    from shapely.geometry import mapping

    return json.dumps(_rounded(mapping(geom), precision), separators=(",", ":"))


def _rounded(value, precision):
    if isinstance(value, float):
        return round(value, precision)
    if isinstance(value, (list, tuple)):
        return [_rounded(v, precision) for v in value]
    if isinstance(value, dict):
        return {k: _rounded(v, precision) for k, v in value.items()}
    return value


def simplified(geojson_text, tolerance_deg, precision=5):
    """A geometry simplified for a zoom level (topology kept), as a GeoJSON dict."""
    from shapely import make_valid
    from shapely.geometry import mapping, shape

    geom = shape(json.loads(geojson_text))
    if tolerance_deg > 0 and geom.geom_type not in ("Point", "MultiPoint"):
        small = geom.simplify(tolerance_deg, preserve_topology=True)
        if not small.is_empty:
            geom = small if small.is_valid else make_valid(small)
    return _rounded(mapping(geom), precision)
