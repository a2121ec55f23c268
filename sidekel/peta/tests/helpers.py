"""Shapes and files the map tests generate: a square village, and the same features written as
GeoJSON, KML, KMZ, GPX and a zipped shapefile in UTM zone 49S."""

import io
import json
import zipfile

from sidekel.peta import formats

# Desa Rangda as a square of about 4.4 km, near Pangkalan Bun.
WEST, SOUTH, EAST, NORTH = 111.60, -2.70, 111.64, -2.66
SQUARE = {"type": "Polygon", "coordinates": [[[WEST, SOUTH], [EAST, SOUTH], [EAST, NORTH], [WEST, NORTH], [WEST, SOUTH]]]}
WEST_HALF = {"type": "Polygon", "coordinates": [[[WEST, SOUTH], [111.62, SOUTH], [111.62, NORTH], [WEST, NORTH], [WEST, SOUTH]]]}
EAST_HALF = {"type": "Polygon", "coordinates": [[[111.62, SOUTH], [EAST, SOUTH], [EAST, NORTH], [111.62, NORTH], [111.62, SOUTH]]]}
SCHOOL = {"type": "Point", "coordinates": [111.6123, -2.6789]}
ROAD = {"type": "LineString", "coordinates": [[111.605, -2.695], [111.62, -2.68], [111.635, -2.665]]}


def feature_collection(*features):
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": props, "geometry": geometry} for props, geometry in features]}


def write_geojson(path, *features):
    path.write_text(json.dumps(feature_collection(*features)))
    return path


def write_kml(path, *features):
    path.write_text(formats.to_kml(list(features)))
    return path


def write_kmz(path, *features):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("doc.kml", formats.to_kml(list(features)))
    return path


def write_gpx(path, waypoints=(), tracks=()):
    parts = ['<?xml version="1.0"?><gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">']
    for name, (lon, lat) in waypoints:
        parts.append(f'<wpt lat="{lat}" lon="{lon}"><name>{name}</name></wpt>')
    for name, points in tracks:
        segment = "".join(f'<trkpt lat="{lat}" lon="{lon}"/>' for lon, lat in points)
        parts.append(f"<trk><name>{name}</name><trkseg>{segment}</trkseg></trk>")
    path.write_text("".join(parts) + "</gpx>")
    return path


def write_shapefile(path, features, epsg=32749, prj=True, extra=None):
    """A zip of .shp/.shx/.dbf (and .prj) with ``features`` [(props, geometry)] transformed to ``epsg``."""
    import shapefile
    from pyproj import CRS, Transformer

    to = Transformer.from_crs(4326, epsg, always_xy=True)

    def project(coords):
        if isinstance(coords[0], (int, float)):
            return list(to.transform(coords[0], coords[1]))
        return [project(c) for c in coords]

    shp, shx, dbf = io.BytesIO(), io.BytesIO(), io.BytesIO()
    kind = features[0][1]["type"]
    shape_type = {"Polygon": shapefile.POLYGON, "Point": shapefile.POINT, "LineString": shapefile.POLYLINE}[kind]
    with shapefile.Writer(shp=shp, shx=shx, dbf=dbf, shapeType=shape_type) as writer:
        keys = sorted({k for props, _g in features for k in props})
        for key in keys:
            writer.field(key.upper(), "C", size=80)
        for props, geometry in features:
            writer.shape({"type": geometry["type"], "coordinates": project(geometry["coordinates"])})
            writer.record(*[props.get(k, "") for k in keys])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("layer.shp", shp.getvalue())
        archive.writestr("layer.shx", shx.getvalue())
        archive.writestr("layer.dbf", dbf.getvalue())
        if prj:
            archive.writestr("layer.prj", CRS.from_epsg(epsg).to_wkt("WKT1_ESRI"))
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return path
