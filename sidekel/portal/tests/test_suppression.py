"""Public tables below the village hide small counts, and no hidden count can be worked out from
everything the site publishes (the village's table, the other units', the row and column sums)."""

import pytest

from sidekel.penduduk.demo import DemoBuilder
from sidekel.statistik import publik
from sidekel.statistik.privacy import suppress_linked
from sidekel.wilayah.models import Desa, Rt


def test_linked_suppression_hides_a_partner_in_every_sum():
    # village (known) = rt1 + rt2 + rt3: hiding rt1 alone would give it away.
    values = {"v": 20, "r1": 1, "r2": 9, "r3": 10}
    hidden = suppress_linked(values, [("v", ["r1", "r2", "r3"])], fixed={"v"}, below=3)
    assert hidden == {"r1", "r2"}
    # Two hidden cells that must both be 1 are recoverable too: one more is hidden.
    values = {"v": 12, "r1": 1, "r2": 1, "r3": 10}
    assert suppress_linked(values, [("v", ["r1", "r2", "r3"])], fixed={"v"}, below=3) == {"r1", "r2", "r3"}


def recoverable(tables, cells, children, sh):
    """Cells an onlooker can compute: one unknown in a sum, or hidden cells that add up to their number and all are 1."""
    found = []

    def shown(unit, row, column):
        table = tables.get(unit)
        if table is None:  # the unassigned remainder: assume the onlooker knows it
            return True
        if row == publik.TOTAL:
            return table.totals[column] is not None
        return next((r[column] is not None for r in table.rows if r["kode"] == row), True)

    def check(total, parts, label):
        cells_ = [total, *parts]
        hidden = [c for c in cells_ if not shown(*c)]
        if len(hidden) == 1:
            found.append((label, hidden[0]))
        # (Zeros are hidden too, so "hidden cells that add up to their number are all 1" does not hold.)

    rows = [k for k, _l in sh.rows] + [publik.TOTAL]
    for unit in tables:
        for row in rows:
            if sh.row_sum:
                check((unit, row, "jumlah"), [(unit, row, "laki_laki"), (unit, row, "perempuan")], "row")
        for column in sh.columns:
            check((unit, publik.TOTAL, column), [(unit, k, column) for k, _l in sh.rows], "column")
    for (parent, _level), kids in children.items():
        for row in rows:
            for column in sh.columns:
                check((parent, row, column), [(k, row, column) for k in kids], f"{parent} vs {_level}")
    return found


@pytest.fixture
def demo(db):
    DemoBuilder(seed=5).build(penduduk=2000)
    return list(Desa.objects.managed().order_by("kode"))


@pytest.mark.parametrize("slug", ["umur", "agama", "pekerjaan", "disabilitas", "keluarga", "peristiwa"])
def test_no_hidden_count_below_the_village_can_be_worked_out(demo, slug):
    sh = publik.shape(slug)
    hidden_somewhere = 0
    for desa in demo[:6]:
        tables = publik.village_tables(desa.id, slug)
        cells, children = publik._hierarchy(desa.id, slug, sh)
        assert set(tables) == set(cells)
        found = recoverable(tables, cells, children, sh)
        assert not found, (desa.kode, found[:5])
        for unit, table in tables.items():
            if unit[0] in ("dusun", "rw", "rt"):
                assert table.suppressed
                # every count from 0 to 2 is hidden: "<3"
                for r in table.rows:
                    assert all(r[c] is None or r[c] >= 3 for c in table.columns)
                hidden_somewhere += table.hidden_any
    assert hidden_somewhere


def test_rt_page_shows_less_than_three(client, demo):
    desa = demo[0]
    rts = Rt.objects.filter(desa=desa)
    pages = [client.get(f"/desa/{desa.kode}/statistik/umur/?bagian=rt-{rt.id}") for rt in rts]
    assert all(p.status_code == 200 for p in pages)
    assert any("&lt;3</abbr>" in p.content.decode() for p in pages)
    # the village's own table is complete
    whole = client.get(f"/desa/{desa.kode}/statistik/umur/").content.decode()
    assert "&lt;3</abbr>" not in whole


def test_sensitive_categories_are_suppressed_for_villages_and_linked_to_the_kecamatan(demo):
    kecamatan_id = demo[0].kecamatan_id
    kec = publik.kecamatan_table([d.id for d in demo], "disabilitas", kecamatan_id)
    villages = {d.id: publik.village_table(d.id, "disabilitas") for d in demo}
    assert any(t.hidden_any for t in villages.values())
    for row in kec.rows:
        for column in kec.columns:
            hidden = [t for t in villages.values() for r in t.rows if r["kode"] == row["kode"] and r[column] is None]
            if row[column] is not None:
                assert len(hidden) != 1, (row, column)


def test_bad_part_and_unknown_pages_are_not_errors(client, demo):
    desa = demo[0]
    assert client.get(f"/desa/{desa.kode}/statistik/agama/?bagian=rt-999999").status_code == 200
    assert client.get(f"/desa/{desa.kode}/statistik/agama/?bagian=rt-abc").status_code == 200
    assert client.get(f"/desa/{desa.kode}/statistik/tidak-ada/").status_code == 404
    assert client.get("/desa/99.99.99.9999/").status_code == 404
    assert client.get("/data/tidak-ada/").status_code == 404
    assert client.get(f"/data/semua-desa/{desa.kode}.csv").status_code == 404
    assert client.get("/data/penduduk-agama/62.01.02.csv?bom=1").content.startswith("\ufeff".encode())
    assert client.get("/berita/123456/").status_code == 404
    assert client.get("/berita/?halaman=zz").status_code == 200
