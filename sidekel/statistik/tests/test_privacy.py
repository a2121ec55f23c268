"""The disclosure-control engine: small counts are never published as they are, every published
table adds up to its targets, and the same cell gets the same answer."""

import random

import pytest

from sidekel.statistik import privacy


def sums(published, rows, columns):
    return ({r: sum(published[(r, c)] for c in columns) for r in rows},
            {c: sum(published[(r, c)] for r in rows) for c in columns})


def random_table(rng, rows, columns, small_share=0.5):
    return {(r, c): rng.choice([0, 1, 2]) if rng.random() < small_share else rng.randint(0, 60)
            for r in rows for c in columns}


@pytest.mark.parametrize("seed", range(40))
def test_both_margins_are_met_and_no_small_count_is_published_as_it_is(settings, seed):
    settings.SECRET_KEY = f"key-{seed}"
    rng = random.Random(seed)
    rows, columns = list(range(rng.randint(2, 12))), [f"k{i}" for i in range(rng.randint(2, 15))]
    true = random_table(rng, rows, columns)
    row_sums, column_sums = sums(true, rows, columns)
    # The RT totals are themselves drawn (a little different from the truth), the columns are the village's.
    row_targets = dict(row_sums)
    moved = rng.choice(rows)
    if len(rows) > 1 and row_targets[moved] > 2:
        other = next(r for r in rows if r != moved)
        row_targets[moved] -= 2
        row_targets[other] += 2
    published = privacy.protect(true, rows, columns, "t", row_targets=row_targets, column_targets=column_sums)
    assert published is not None
    assert sums(published, rows, columns) == (row_targets, column_sums)
    assert all(n >= 0 for n in published.values())
    assert privacy.leaks(true, published) == []
    assert published != true or not any(0 < n < 3 for n in true.values())


@pytest.mark.parametrize("seed", range(20))
def test_rows_only_and_free_margins(settings, seed):
    rng = random.Random(seed)
    rows, columns = list(range(5)), list(range(8))
    true = random_table(rng, rows, columns)
    row_sums, _columns = sums(true, rows, columns)
    published = privacy.protect(true, rows, columns, "t", row_targets=row_sums)
    assert published is not None and sums(published, rows, columns)[0] == row_sums
    assert privacy.leaks(true, published) == []
    free = privacy.protect(true, rows, columns, "t")
    assert free is not None and privacy.leaks(true, free) == []
    # Free margins: only the small counts move, to 0 or 3.
    assert all(free[k] == n for k, n in true.items() if not 0 < n < 3)
    assert all(free[k] in (0, 3) for k, n in true.items() if 0 < n < 3)


def test_a_single_person_is_never_published_as_one():
    true = {("rt1", "tunanetra"): 1, ("rt1", "lain"): 40, ("rt2", "tunanetra"): 0, ("rt2", "lain"): 35}
    published = privacy.protect(true, ["rt1", "rt2"], ["tunanetra", "lain"], "x",
                                row_targets={"rt1": 41, "rt2": 35}, column_targets={"tunanetra": 1, "lain": 75})
    assert published[("rt1", "tunanetra")] != 1
    assert published[("rt1", "tunanetra")] + published[("rt2", "tunanetra")] == 1  # the village's count holds


def test_the_draw_is_unbiased_and_keyed(settings):
    ones = [privacy.rounded("umur", desa, "0", 1) for desa in range(3000)]
    assert set(ones) == {0, 3}
    assert 0.28 < ones.count(3) / len(ones) < 0.39  # a 1 becomes 3 one time in three
    twos = [privacy.rounded("umur", desa, "0", 2) for desa in range(3000)]
    assert 0.61 < twos.count(3) / len(twos) < 0.72
    # The same cell with the same value: the same answer, every time.
    assert [privacy.rounded("umur", desa, "0", 1) for desa in range(3000)] == ones
    # Without the installation's key, the draw cannot be redone.
    settings.SECRET_KEY = "another installation"
    assert [privacy.rounded("umur", desa, "0", 1) for desa in range(3000)] != ones


def test_the_threshold_comes_from_the_setting(settings):
    settings.SIDEKEL_SUPPRESS_BELOW = 5
    assert privacy.threshold() == 5
    assert {privacy.rounded("k", r, "c", 4) for r in range(200)} == {0, 5}
    assert privacy.rounded("k", 1, "c", 5) == 5


def test_margins_that_cannot_add_up_are_refused():
    true = {("a", "x"): 1}
    assert privacy.protect(true, ["a"], ["x"], "k", row_targets={"a": 2}, column_targets={"x": 3}) is None
    assert privacy.protect({}, [], ["x"], "k", column_targets={"x": 1}) is None
    assert privacy.protect({}, [], ["x"], "k", column_targets={"x": 0}) == {}
