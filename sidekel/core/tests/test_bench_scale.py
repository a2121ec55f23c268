"""bench/scale.py (issue 22's benchmark): the pages it times still exist, and its table says held
or missed as the budget reads. The measuring itself runs only in the benchmark."""

import sys
from pathlib import Path

import pytest
from django.urls import resolve

from sidekel.statistik.choices import KATEGORI

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench"))
import scale  # noqa: E402

FACTS = {"kategori": list(KATEGORI), "dusun": 1, "indikator": "luas", "tahun": 2024, "token": "abc",
         "personas": {p: {"names": ["siti"], "niks": ["6201024101900001"]} for p in ("operator.rangda", "admin")}}


def test_every_page_it_times_is_a_url_of_sidekel():
    paths = [p for persona in ("operator.rangda", "admin")
             for urls in scale.list_pages(FACTS, persona, 2, "/penduduk/?setelah=x").values() for p in urls]
    paths += scale.statistik_pages(FACTS, scale.KECAMATAN, "?tanggal=31-12-2024") + ["/statistik/"]
    paths += [path for _, _, path in scale.domain_pages(FACTS)]
    paths += [path for *_, path in scale.after_change_pages(scale.GROUPS)]
    for path in paths:
        resolve(path.split("?")[0])  # Resolver404 when a page moved


def test_held_or_missed_as_the_budget_reads():
    fast, slow = scale.Results(), scale.Results()
    for ms in range(1, 21):  # p95 of 1..20 is 19
        fast.add("lists", "list", scale.LIST, ms)
        slow.add("lists", "list", scale.LIST, ms + 10)
    assert fast.figures["lists", "list"].verdict() == "held"
    assert slow.figures["lists", "list"].verdict() == "**missed**"
    first = scale.Figure("after-change", "home", scale.AFTER_CHANGE, values=[20, 310])
    assert first.verdict() == "**missed**"  # held to the max: one slow first request misses
    speed = scale.Figure("import", "speed", scale.IMPORT_SPEED, values=[10_000])
    assert speed.verdict() == "held"
    # Several runs of one import: held by the median, not by the fastest run.
    assert scale.Figure("import", "speed", scale.IMPORT_SPEED, values=[12_000, 8_000, 10_500]).verdict() == "held"
    assert scale.Figure("import", "speed", scale.IMPORT_SPEED, values=[12_000, 8_000, 9_000]).verdict() == "**missed**"
    assert scale.Figure("import", "memory", scale.IMPORT_MEMORY, values=[400]).verdict() == "**missed**"
    assert scale.Figure("import", "demo", scale.DEMO_BUILD, empty="reused").verdict() == "reused"
    assert "| lists | list | 20 | 10.0 | 19.0 | 20.0 | p95 <= 25 ms | held |" in scale.table(fast)
    assert "| lists | list | 29.0 | 19.0 | 0.66 | 20.0 | 10.0 | 0.50 | p95 <= 25 ms | held |" in scale.comparison(slow, fast)
    ratio_held = scale.comparison(fast, slow, budgets={"lists": scale.POSTGRES_RATIO})  # 29 / 19 = 1.53
    assert "| 1.53 | 10.0 | 20.0 | 2.00 | <= 1.2 x SQLite | **missed** |" in ratio_held


def test_interleave_is_refused_where_it_cannot_pool_two_databases(monkeypatch, capsys):
    """--interleave turns both databases' demos, kept by an earlier run: without them it says so
    and measures nothing."""
    monkeypatch.setenv("SIDEKEL_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/unused")
    for argv in (["--interleave", "--databases", "sqlite", "--reuse"],
                 ["--interleave", "--databases", "sqlite", "postgresql"],
                 ["--interleave", "--databases", "sqlite", "postgresql", "--reuse", "--alternate"]):
        monkeypatch.setattr(sys, "argv", ["scale.py", *argv])
        with pytest.raises(SystemExit) as stopped:
            scale.main()
        assert stopped.value.code == 2
        assert "--interleave measures both --databases" in capsys.readouterr().err
