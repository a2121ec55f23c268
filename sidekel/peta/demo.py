"""Made-up shapes for the demo kecamatan (Arut Selatan, around Pangkalan Bun, -2.68, 111.62).

Registered as a step of penduduk's demo builder (PetaConfig.ready): after the residents are
written, the villages get boundaries (Voronoi cells of points spread over an oval around the real
town, the kelurahan near the middle), dusun and RT areas inside them, places, roads, the river
and a flood zone along it, and most families a home point inside their RT. Every shape is marked
``demo=True`` and named as a demo shape: the pages say so. Like the demo residents, the rows are
written in bulk (not through services.py), then the data version is raised.
"""

import json
import math
import random

from django.utils import timezone
from shapely import contains_xy, prepare, voronoi_polygons
from shapely.geometry import LineString, MultiPoint, Point, Polygon
from shapely.ops import unary_union

from sidekel.core.audit import data_changed
from sidekel.core.bulk import IdBlock, insert_rows
from sidekel.penduduk.models import Keluarga
from sidekel.wilayah.choices import JenisDesa
from sidekel.wilayah.models import Dusun, Rt

from .choices import DEFAULT_KATEGORI, Lapisan
from .geometri import dumps
from .models import Fitur, Kategori, LokasiKeluarga

CENTER = (111.62, -2.68)  # lon, lat
RADIUS = (0.20, 0.15)  # degrees: about 44 km by 33 km
HOME_SHARE = 0.9  # families with a home point
# Every home point lies in its family's RT: the demo population is clean (penduduk/tests/test_kualitas.py),
# so the check "home outside its RT or village" finds only what an operator moves there.


def ensure_kategori():
    for lapisan, slug, nama, warna in DEFAULT_KATEGORI:
        Kategori.objects.get_or_create(slug=slug, defaults={"lapisan": lapisan, "nama": nama, "warna": warna})
    return {k.slug: k for k in Kategori.objects.all()}


def _oval(rng):
    points = []
    for i in range(48):
        angle = 2 * math.pi * i / 48
        wobble = 1 + rng.uniform(-0.08, 0.08)
        points.append((CENTER[0] + RADIUS[0] * wobble * math.cos(angle), CENTER[1] + RADIUS[1] * wobble * math.sin(angle)))
    return Polygon(points).buffer(0)


def _xy_in(rng, polygon, tries=200):
    """A random point (lon, lat) inside ``polygon``, tried within its bounds (prepare a polygon
    that many points are asked of: ``shapely.prepare``)."""
    minx, miny, maxx, maxy = polygon.bounds
    for _ in range(tries):
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if contains_xy(polygon, x, y):
            return x, y
    p = polygon.representative_point()
    return p.x, p.y


def _point_in(rng, polygon, tries=200):
    return Point(*_xy_in(rng, polygon, tries))


def _cells(rng, polygon, n, seeds=None):
    """``n`` cells (Voronoi of random points) that tile ``polygon``, in the order of their seeds."""
    if n <= 1:
        return [polygon]
    seeds = seeds or [_point_in(rng, polygon) for _ in range(n)]
    regions = voronoi_polygons(MultiPoint(seeds), extend_to=polygon.envelope.buffer(0.05))
    cells = []
    for seed in seeds:
        region = next((r for r in regions.geoms if r.contains(seed)), None)
        cell = region.intersection(polygon) if region is not None else seed.buffer(0.001)
        cell = max(getattr(cell, "geoms", [cell]), key=lambda g: g.area) if cell.geom_type != "Polygon" else cell
        cells.append(cell)
    return cells


def _fitur(desa, lapisan, geom, nama, **fields):
    geom = geom if geom.geom_type != "GeometryCollection" else unary_union(geom)
    return Fitur(desa=desa, lapisan=lapisan, geometri=dumps(geom), nama=nama[:120], demo=True,
                 min_lon=geom.bounds[0], min_lat=geom.bounds[1], max_lon=geom.bounds[2], max_lat=geom.bounds[3], **fields)


def build_demo(builder, villages):
    rng = random.Random(f"peta-{builder.rng.random()}")
    kategori = ensure_kategori()
    kecamatan = _oval(rng)
    # Kelurahan (the town) near the middle, desa around it.
    seeds = []
    for desa in villages:
        while True:
            if desa.jenis == JenisDesa.KELURAHAN:
                p = Point(CENTER[0] + rng.uniform(-0.04, 0.04), CENTER[1] + rng.uniform(-0.03, 0.03))
            else:
                angle, r = rng.uniform(0, 2 * math.pi), rng.uniform(0.35, 0.9)
                p = Point(CENTER[0] + RADIUS[0] * r * math.cos(angle), CENTER[1] + RADIUS[1] * r * math.sin(angle))
            if kecamatan.contains(p) and all(p.distance(q) > 0.02 for q in seeds):
                seeds.append(p)
                break
    cells = _cells(rng, kecamatan, len(villages), seeds)
    rows, homes, offices = [], [], {}
    home_ids, now = IdBlock(LokasiKeluarga), timezone.now()
    river = LineString([(CENTER[0] - RADIUS[0] * 1.2 + i * RADIUS[0] * 2.4 / 30,
                         CENTER[1] + 0.015 + 0.02 * math.sin(i / 3)) for i in range(31)])
    flood = river.buffer(0.006)
    for desa, cell, seed in zip(villages, cells, seeds):
        rows.append(_fitur(desa, Lapisan.BATAS, cell, f"{desa} (batas demo, bukan batas resmi)"))
        office = seed if cell.contains(seed) else cell.representative_point()
        offices[desa.id] = office
        rows.append(_fitur(desa, Lapisan.TEMPAT, office, f"Kantor {desa.get_jenis_display()} {desa.nama}",
                           kategori=kategori["kantor-desa"]))
        for slug, nama in [("sekolah", f"SD Negeri {rng.randint(1, 9)} {desa.nama}"), ("ibadah", f"Masjid {desa.nama}"),
                           ("kesehatan", f"Posyandu {desa.nama}")] + \
                ([("pasar", f"Pasar {desa.nama}")] if desa.jenis == JenisDesa.KELURAHAN else []):
            rows.append(_fitur(desa, Lapisan.TEMPAT, _point_in(rng, cell.buffer(-0.002) or cell), nama,
                               kategori=kategori[slug]))
        wet = river.intersection(cell)
        if not wet.is_empty:
            rows.append(_fitur(desa, Lapisan.GARIS, wet, "Sungai Arut (demo)", kategori=kategori["sungai"]))
            zone = flood.intersection(cell)
            if zone.area > 0:
                rows.append(_fitur(desa, Lapisan.AREA, zone, "Rawan banjir (demo)", kategori=kategori["rawan-banjir"]))
        dusun_list = list(Dusun.objects.filter(desa=desa).order_by("id"))
        rts = list(Rt.objects.filter(desa=desa).order_by("dusun_id", "rw_id", "nomor", "id"))
        parts = _cells(rng, cell, len(dusun_list)) if dusun_list else [cell]
        rt_cells = {}
        for i, part in enumerate(parts):
            dusun = dusun_list[i] if dusun_list else None
            if dusun is not None:
                rows.append(_fitur(desa, Lapisan.DUSUN, part, f"{desa.sebutan_dusun_tampil} {dusun.nama}", dusun=dusun))
            mine = [rt for rt in rts if rt.dusun_id == (dusun.id if dusun else rt.dusun_id)]
            for rt, rt_cell in zip(mine, _cells(rng, part, len(mine))):
                rt_cells[rt.id] = rt_cell
                prepare(rt_cell)  # a home point for most of its families
                rows.append(_fitur(desa, Lapisan.RT, rt_cell, f"RT {rt.nomor}" + (f" {dusun.nama}" if dusun else ""),
                                   dusun=dusun, rw_id=rt.rw_id, rt=rt, publik=False))
        for keluarga_id, rt_id in Keluarga.objects.filter(desa=desa).values_list("id", "rt_id"):
            if rt_id not in rt_cells or rng.random() > HOME_SHARE:
                continue
            lon, lat = _xy_in(rng, rt_cells[rt_id])
            homes.append({"id": home_ids.take(), "keluarga_id": keluarga_id, "desa_id": desa.id,
                          "lon": round(lon, 6), "lat": round(lat, 6), "updated_at": now})
    # Roads: each village's office to its two nearest neighbours'.
    done = set()
    by_id = {d.id: d for d in villages}
    for desa in villages:
        here = offices[desa.id]
        nearest = sorted((o for o in offices if o != desa.id), key=lambda o: here.distance(offices[o]))[:2]
        for other in nearest:
            pair = tuple(sorted((desa.id, other)))
            if pair in done:
                continue
            done.add(pair)
            road = LineString([here, offices[other]])
            town = JenisDesa.KELURAHAN in (desa.jenis, by_id[other].jenis)
            for d, cell in zip(villages, cells):
                piece = road.intersection(cell)
                if piece.length > 0:
                    rows.append(_fitur(d, Lapisan.GARIS, piece, f"Jalan {desa.nama}-{by_id[other].nama}",
                                       kategori=kategori["jalan-aspal" if town else "jalan-tanah"]))
    Fitur.objects.bulk_create(rows, batch_size=500)
    # A home for most families of a kabupaten-sized demo: written as plain rows (COPY on PostgreSQL).
    insert_rows(LokasiKeluarga, homes)
    data_changed()
    return len(rows), len(homes)


def reset_demo(desa_ids):
    LokasiKeluarga.objects.filter(desa_id__in=desa_ids).delete()
    Fitur.objects.filter(desa_id__in=desa_ids).delete()


def as_geojson(fitur):
    return json.loads(fitur.geometri)
