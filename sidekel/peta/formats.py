"""Reading and writing geodata files: GeoJSON, KML/KMZ, GPX and zipped shapefiles.

``read(path)`` gives ``Bacaan(kind, features)``: each feature a ``Masukan`` (its number in the file,
its attributes and its GeoJSON geometry in WGS84 longitude, latitude) or raises ``FormatError``
with a message for the user. The file is checked before it is parsed, by the same checks as
spreadsheets (``core.spreadsheet.check_size`` and ``check_zip``: size, zip bomb). XML (KML, GPX) is
parsed by defusedxml, which refuses entity declarations (the "billion laughs" bomb) and external
entities. A shapefile's ``.prj`` names its projection; its coordinates are transformed to WGS84
with pyproj (PROJ comes inside its wheel). A shapefile without ``.prj`` is read only when its
coordinates are already degrees.

Writing: ``to_geojson`` and ``to_kml`` of a list of (properties, geometry).
"""

import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

from sidekel.core.spreadsheet import SpreadsheetError, check_size, check_zip

MAX_GEO_BYTES = 50 * 2**20  # a kabupaten's village boundaries as a shapefile is a few MB
KML_NS = "http://www.opengis.net/kml/2.2"


class FormatError(ValueError):
    """The file cannot be read as geodata; ``str(error)`` tells the user why."""


@dataclass
class Masukan:
    nomor: int
    properties: dict
    geometry: dict | None
    errors: list = field(default_factory=list)


@dataclass
class Bacaan:
    kind: str  # geojson, kml, kmz, gpx, shapefile
    features: list
    projection: str = "WGS84"


def read(path):
    path = Path(path)
    try:
        check_size(path, MAX_GEO_BYTES)
        with path.open("rb") as f:
            head = f.read(4096)
        if head.startswith(b"PK\x03\x04"):
            names = check_zip(path, damaged=_("The zip file is damaged and cannot be opened."))
            return _read_zip(path, names)
    except SpreadsheetError as exc:
        raise FormatError(str(exc)) from exc
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"{"):
        return Bacaan("geojson", _read_geojson(path.read_bytes()))
    if text.startswith(b"<"):
        return _read_xml(path.read_bytes())
    raise FormatError(_("This is not a geodata file. Upload GeoJSON (.geojson), KML/KMZ, GPX or a shapefile "
                        "zipped with its .shp, .dbf and .prj."))


# --- GeoJSON ------------------------------------------------------------------------------------

def _read_geojson(data):
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise FormatError(_("The GeoJSON file is not valid JSON: %(error)s.") % {"error": exc}) from exc
    if not isinstance(doc, dict):
        raise FormatError(_("The file is JSON but not GeoJSON (no FeatureCollection, Feature or geometry)."))
    crs = ((doc.get("crs") or {}).get("properties") or {}).get("name", "")
    if crs and not any(code in crs for code in ("4326", "CRS84")):
        raise FormatError(_("The GeoJSON says its coordinates are in %(crs)s; GeoJSON must be WGS84 longitude, "
                            "latitude. Export it again in EPSG:4326.") % {"crs": crs})
    kind = doc.get("type")
    if kind == "FeatureCollection":
        items = doc.get("features")
        if not isinstance(items, list):
            raise FormatError(_("The FeatureCollection has no list of features."))
    elif kind == "Feature":
        items = [doc]
    elif kind in ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"):
        items = [{"type": "Feature", "properties": {}, "geometry": doc}]
    else:
        raise FormatError(_("The file is JSON but not GeoJSON (no FeatureCollection, Feature or geometry)."))
    out = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            out.append(Masukan(number, {}, None, [_("The feature is not an object.")]))
            continue
        props = item.get("properties") if isinstance(item.get("properties"), dict) else {}
        out.append(Masukan(number, props, item.get("geometry")))
    return out


# --- KML and GPX ----------------------------------------------------------------------------------

def _parse_xml(data):
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring
    from xml.etree.ElementTree import ParseError

    try:
        return fromstring(data, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise FormatError(_("The file declares XML entities or a DTD, which geodata never needs (it could be an "
                            "XML bomb); it is refused for safety.")) from exc
    except ParseError as exc:
        raise FormatError(_("The XML file is damaged: %(error)s.") % {"error": exc}) from exc


def _local(tag):
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element, name):
    return [child for child in element if _local(child.tag) == name]


def _child_text(element, name):
    found = _children(element, name)
    return (found[0].text or "").strip() if found else ""


def _read_xml(data):
    root = _parse_xml(data)
    name = _local(root.tag)
    if name == "kml":
        return Bacaan("kml", _kml_features(root))
    if name == "gpx":
        return Bacaan("gpx", _gpx_features(root))
    raise FormatError(_("The file is XML but neither KML nor GPX."))


def _coordinates(text):
    points = []
    for chunk in (text or "").split():
        parts = chunk.split(",")
        try:
            points.append([float(parts[0]), float(parts[1])])
        except (ValueError, IndexError) as exc:
            raise FormatError(_("A KML coordinate is not 'longitude,latitude': %(text)s.") % {"text": chunk[:40]}) from exc
    return points


def _ring(element):
    for ring in element.iter():
        if _local(ring.tag) == "LinearRing":
            return _coordinates(_child_text(ring, "coordinates"))
    return []


def _kml_geometries(element):
    """[GeoJSON geometry] of one KML geometry element (MultiGeometry gives several)."""
    kind = _local(element.tag)
    if kind == "Point":
        points = _coordinates(_child_text(element, "coordinates"))
        return [{"type": "Point", "coordinates": points[0] if points else []}]
    if kind == "LineString":
        return [{"type": "LineString", "coordinates": _coordinates(_child_text(element, "coordinates"))}]
    if kind == "Polygon":
        rings = [_ring(b) for b in _children(element, "outerBoundaryIs")]
        rings += [_ring(b) for b in _children(element, "innerBoundaryIs")]
        return [{"type": "Polygon", "coordinates": rings}]
    if kind == "MultiGeometry":
        parts = []
        for child in element:
            parts += _kml_geometries(child)
        return parts
    return []


GEOMETRY_TAGS = {"Point", "LineString", "Polygon", "MultiGeometry"}


def _merge(parts):
    """One GeoJSON geometry from a MultiGeometry's parts (all of one kind), or None."""
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    kinds = {p["type"] for p in parts}
    if len(kinds) == 1 and parts[0]["type"] in ("Point", "LineString", "Polygon"):
        return {"type": "Multi" + parts[0]["type"], "coordinates": [p["coordinates"] for p in parts]}
    return {"type": "GeometryCollection", "geometries": parts}


def _kml_features(root):
    out = []
    for number, placemark in enumerate((e for e in root.iter() if _local(e.tag) == "Placemark"), start=1):
        props = {}
        name = _child_text(placemark, "name")
        if name:
            props["name"] = name
        description = _child_text(placemark, "description")
        if description:
            props["description"] = description
        for element in placemark.iter():
            local = _local(element.tag)
            if local == "Data" and element.get("name"):
                props[element.get("name")] = _child_text(element, "value")
            elif local == "SimpleData" and element.get("name"):
                props[element.get("name")] = (element.text or "").strip()
        geometry = None
        for child in placemark:
            if _local(child.tag) in GEOMETRY_TAGS:
                geometry = _merge(_kml_geometries(child))
                break
        out.append(Masukan(number, props, geometry))
    return out


def _gpx_point(element):
    try:
        return [float(element.get("lon")), float(element.get("lat"))]
    except (TypeError, ValueError) as exc:
        raise FormatError(_("A GPX point has no valid lat and lon.")) from exc


def _gpx_features(root):
    out = []
    number = 0
    for element in root:
        kind = _local(element.tag)
        props = {"name": _child_text(element, "name")} if _child_text(element, "name") else {}
        for key in ("type", "desc"):
            if _child_text(element, key):
                props[key] = _child_text(element, key)
        if kind == "wpt":
            geometry = {"type": "Point", "coordinates": _gpx_point(element)}
        elif kind == "rte":
            geometry = {"type": "LineString", "coordinates": [_gpx_point(p) for p in _children(element, "rtept")]}
        elif kind == "trk":
            segments = [[_gpx_point(p) for p in _children(seg, "trkpt")] for seg in _children(element, "trkseg")]
            segments = [s for s in segments if s]
            geometry = ({"type": "LineString", "coordinates": segments[0]} if len(segments) == 1
                        else {"type": "MultiLineString", "coordinates": segments})
        else:
            continue
        number += 1
        out.append(Masukan(number, props, geometry))
    return out


# --- zip: KMZ and shapefiles ---------------------------------------------------------------------

def _read_zip(path, names):
    lower = {n.lower(): n for n in names}
    with zipfile.ZipFile(path) as archive:
        kml = [n for n in names if n.lower().endswith(".kml")]
        shp = [n for n in names if n.lower().endswith(".shp")]
        if shp:
            base = shp[0][:-4]
            dbf = lower.get(base.lower() + ".dbf")
            if not dbf:
                raise FormatError(_("The zip holds %(shp)s but not its .dbf (the attributes): zip the .shp, .shx, "
                                    ".dbf and .prj files together.") % {"shp": shp[0]})
            parts = {ext: archive.read(lower[base.lower() + "." + ext]) for ext in ("shp", "dbf", "shx", "prj", "cpg")
                     if base.lower() + "." + ext in lower}
            return _read_shapefile(parts)
        if kml:
            return Bacaan("kmz", _read_xml(archive.read(kml[0])).features)
    raise FormatError(_("The zip holds no shapefile (.shp with its .dbf) and no KML. Zip the .shp, .shx, .dbf and "
                        ".prj files of one layer together."))


def _transformer(prj):
    from pyproj import CRS, Transformer
    from pyproj.exceptions import CRSError

    try:
        crs = CRS.from_wkt(prj.decode("utf-8", errors="replace"))
    except CRSError as exc:
        raise FormatError(_("The projection in the .prj file is not known: %(error)s.") % {"error": str(exc)[:200]}) from exc
    if crs.is_geographic and crs.equals(CRS.from_epsg(4326), ignore_axis_order=True):
        return None, crs.name
    return Transformer.from_crs(crs, CRS.from_epsg(4326), always_xy=True), crs.name


def _transform(coords, transformer):
    if coords and isinstance(coords[0], (int, float)):
        x, y = transformer.transform(coords[0], coords[1])
        return [x, y]
    return [_transform(c, transformer) for c in coords]


def _plain(value):
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _read_shapefile(parts):
    import shapefile

    encoding = parts.get("cpg", b"utf-8").decode("ascii", errors="ignore").strip() or "utf-8"
    try:
        reader = shapefile.Reader(shp=io.BytesIO(parts["shp"]), dbf=io.BytesIO(parts["dbf"]),
                                  shx=io.BytesIO(parts["shx"]) if "shx" in parts else None,
                                  encoding=encoding, encodingErrors="replace")
        records = list(reader.iterShapeRecords())
    except Exception as exc:  # pyshp raises ShapefileException, struct.error, ...
        raise FormatError(_("The shapefile is damaged: %(error)s.") % {"error": str(exc)[:200]}) from exc
    transformer, projection = _transformer(parts["prj"]) if "prj" in parts else (None, "")
    out = []
    for number, record in enumerate(records, start=1):
        geometry = record.shape.__geo_interface__ if record.shape.shapeType != shapefile.NULL else None
        if geometry is not None:
            geometry = {"type": geometry["type"], "coordinates": _plain(geometry["coordinates"])}
        out.append(Masukan(number, {k: v for k, v in record.record.as_dict().items()}, geometry))
    if "prj" not in parts:
        bounds = reader.bbox if records else [0, 0, 0, 0]
        if not (-180 <= bounds[0] <= 180 and -180 <= bounds[2] <= 180 and -90 <= bounds[1] <= 90 and -90 <= bounds[3] <= 90):
            raise FormatError(_("The shapefile has no .prj and its coordinates are not degrees, so its projection is "
                                "unknown. Zip the .prj file with it (for Kalimantan Tengah often UTM zone 49S)."))
        projection = "WGS84 (tanpa .prj)"
    elif transformer is not None:
        for item in out:
            if item.geometry:
                item.geometry["coordinates"] = _transform(item.geometry["coordinates"], transformer)
    return Bacaan("shapefile", out, projection)


# --- writing ------------------------------------------------------------------------------------

def to_geojson(features):
    """A FeatureCollection (text) of [(properties, geometry dict)]."""
    return json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": props, "geometry": geometry} for props, geometry in features]},
        ensure_ascii=False, separators=(",", ":"))


def _kml_coords(points):
    return " ".join(f"{p[0]},{p[1]}" for p in points)


def _kml_geometry(geometry):
    kind, coords = geometry["type"], geometry.get("coordinates")
    if kind == "Point":
        return f"<Point><coordinates>{_kml_coords([coords])}</coordinates></Point>"
    if kind == "LineString":
        return f"<LineString><coordinates>{_kml_coords(coords)}</coordinates></LineString>"
    if kind == "Polygon":
        outer, *inner = coords
        text = f"<outerBoundaryIs><LinearRing><coordinates>{_kml_coords(outer)}</coordinates></LinearRing></outerBoundaryIs>"
        text += "".join(f"<innerBoundaryIs><LinearRing><coordinates>{_kml_coords(r)}</coordinates></LinearRing>"
                        f"</innerBoundaryIs>" for r in inner)
        return f"<Polygon>{text}</Polygon>"
    if kind.startswith("Multi"):
        single = kind[5:]
        return "<MultiGeometry>" + "".join(_kml_geometry({"type": single, "coordinates": c}) for c in coords) \
            + "</MultiGeometry>"
    raise ValueError(kind)


def to_kml(features, name="Sidekel"):
    """A KML document (text) of [(properties, geometry dict)]; properties as ExtendedData."""
    placemarks = []
    for props, geometry in features:
        data = "".join(f'<Data name="{escape(str(k), {chr(34): "&quot;"})}"><value>{escape(str(v))}</value></Data>'
                       for k, v in props.items() if v not in (None, ""))
        placemarks.append(f"<Placemark><name>{escape(str(props.get('nama', '')))}</name>"
                          f"<ExtendedData>{data}</ExtendedData>{_kml_geometry(geometry)}</Placemark>")
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="{KML_NS}"><Document><name>{escape(name)}</name>'
            + "".join(placemarks) + "</Document></kml>\n")
