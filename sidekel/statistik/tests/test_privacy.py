"""Small counts are hidden, and what is hidden cannot be worked out from what is shown."""


import pytest

from sidekel.statistik.privacy import COLUMNS, suppress
from sidekel.statistik.services import Baris


def rows_of(*pairs):
    return [Baris(str(i), f"kategori {i}", men, women) for i, (men, women) in enumerate(pairs)]


def recoverable(shown, totals):
    """Cells an onlooker can compute: a row missing one value, or a column missing one value."""
    found = []
    for row in shown:
        missing = [c for c in COLUMNS if row[c] is None]
        if len(missing) == 1:
            found.append((row["kode"], missing[0]))
    for column in COLUMNS:
        missing = [row for row in shown if row[column] is None]
        if len(missing) == 1 and totals[column] is not None:
            found.append((missing[0]["kode"], column))
    return found


def test_counts_below_the_threshold_become_hidden_and_zeros_stay():
    shown, totals = suppress(rows_of((10, 12), (1, 0), (0, 0), (4, 7)), below=3)
    assert shown[1] == {"kode": "1", "label": "kategori 1", "laki_laki": None, "perempuan": 0, "jumlah": None}
    assert shown[2]["jumlah"] == 0
    assert recoverable(shown, totals) == []


def test_a_lone_hidden_cell_is_protected_against_the_column_total():
    shown, totals = suppress(rows_of((10, 12), (2, 5), (6, 7)), below=3)
    assert shown[1]["laki_laki"] is None and shown[1]["jumlah"] is None and shown[1]["perempuan"] is None
    assert shown[2]["laki_laki"] is None  # the smallest other man-count hides with it
    assert recoverable(shown, totals) == []


def test_a_small_total_hides_the_whole_table():
    shown, totals = suppress(rows_of((1, 0), (0, 1)), below=3)
    assert totals == {"laki_laki": None, "perempuan": None, "jumlah": None}
    assert all(row[c] in (None, 0) for row in shown for c in COLUMNS)


@pytest.mark.parametrize("seed", range(200))
def test_nothing_hidden_is_ever_recoverable(seed):
    import random

    rng = random.Random(seed)
    pairs = [(rng.choice([0, 0, 1, 2, 3, 4, 8, 20]), rng.choice([0, 1, 2, 5, 9, 30])) for _ in range(rng.randint(1, 8))]
    shown, totals = suppress(rows_of(*pairs), below=3)
    assert recoverable(shown, totals) == []
    for (men, women), row in zip(pairs, shown):
        for column, value in zip(COLUMNS, (men, women, men + women)):
            assert row[column] is None or row[column] == value
            if 0 < value < 3:
                assert row[column] is None
