"""The disclosure-control engine: the one place that decides what a public count shows.

Method (docs/privacy.md explains it to a reader; this is the developer's version). Every count
that leaves Sidekel without a login goes through ``protect``:

1. **Small counts are never shown as they are.** A count from 1 to ``threshold() - 1``
   (``SIDEKEL_SUPPRESS_BELOW``, default 3) is published as 0 or as ``threshold()``, chosen by a
   coin that is unbiased (a count of 1 becomes 3 with probability 1/3, else 0) and keyed: the coin
   is an HMAC of the installation's secret key, the table, the cell and its true value, so the
   same cell with the same value gives the same answer at every door, on every request and on
   every date, and nobody without the key can redo the draw.
2. **Every published table adds up.** The units of rounding are taken from or given to the
   largest counts of the same row and column, so that the published cells add up exactly to the
   published totals: the rows of a table to its total, men and women to the total, RTs to their
   RW, dusun and village, villages to the kecamatan.
3. **Proof against an attacker.** Because the published table is itself a possible table (whole,
   non-negative, every published sum holds), anyone who combines everything published, by
   subtraction or by linear programming over every equality, finds at least two tables that fit:
   the true one and the published one. A cell whose published value differs from its true value
   therefore cannot be pinned down, and every small cell's published value differs from its true
   value (step 1, checked again after step 2 by ``leaks``). A computation that cannot keep both
   promises is tried again with another draw and, failing that, not published.

There is no hidden cell and no mark per cell: marking the cells that were rounded would point at
the small ones. Each table says instead that its small counts are rounded (``METHOD``).
"""

import hashlib
import hmac

from django.conf import settings

METHOD = "disamarkan"  # the word the API, the files and the pages use for this method
ATTEMPTS = 5  # draws tried before a table is given up


def threshold():
    return settings.SIDEKEL_SUPPRESS_BELOW


def is_small(value, below=None):
    below = threshold() if below is None else below
    return 0 < value < below


def _coin(key, row, column, value, salt):
    message = f"{key}|{row}|{column}|{value}|{salt}".encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") / 2 ** 64


def rounded(key, row, column, value, salt=0, below=None):
    """A small ``value`` drawn to 0 or ``below`` (unbiased, keyed); any other value unchanged."""
    below = threshold() if below is None else below
    if not is_small(value, below):
        return value
    return below if _coin(key, row, column, value, salt) < value / below else 0


def leaks(true, published, below=None):
    """The keys of ``true`` ({key: n}) whose small count is published as it is (or is missing)."""
    return [k for k, n in true.items() if is_small(n, below) and published.get(k, n) == n]


def protect(cells, rows, columns, key, row_targets=None, column_targets=None, salt=0, below=None):
    """The published version of a table, or None when the rules cannot be kept.

    ``cells``: {(row, column): true count} (a missing cell is 0); ``row_targets`` /
    ``column_targets``: {row: n} / {column: n} that the published rows / columns must add up to,
    or None when that margin is free (it is then the sum of what is published). Returns
    {(row, column): published count} with every cell of rows x columns.
    """
    below = threshold() if below is None else below
    if not rows or not columns:  # nothing to publish: only targets of zero can be met
        targets = [*(row_targets or {}).values(), *(column_targets or {}).values()]
        return {} if not any(targets) else None
    true = {(r, c): cells.get((r, c), 0) for r in rows for c in columns}
    if row_targets is not None and column_targets is not None and \
            sum(row_targets[r] for r in rows) != sum(column_targets[c] for c in columns):
        return None
    if any(t < 0 for t in [*(row_targets or {}).values(), *(column_targets or {}).values()]):
        return None
    for attempt in range(ATTEMPTS):
        draw = f"{salt}.{attempt}" if attempt else salt
        published = {(r, c): rounded(key, r, c, n, draw, below) for (r, c), n in true.items()}
        _repair(published, true, rows, columns, row_targets, column_targets, below)
        _mend_leaks(published, true, rows, columns, row_targets is not None, column_targets is not None, below)
        if not any(n < 0 for n in published.values()) and not leaks(true, published, below):
            return published
    return None


def _keeps_rules(q, true, cell, delta, below):
    """May ``cell`` change by ``delta``: not below zero, and a small count not back to its true value?"""
    n = q[cell] + delta
    return n >= 0 and not (is_small(true[cell], below) and n == true[cell])


def _mend_leaks(q, true, rows, columns, rows_fixed, columns_fixed, below):
    """Move a small count that the repair brought back to its true value, without changing any
    margin: along its row (free columns), its column (free rows), or round a 2x2 cycle."""
    def ok(cell, delta):
        return _keeps_rules(q, true, cell, delta, below)

    for cell in leaks(true, q, below):
        if q[cell] != true[cell]:
            continue  # mended by an earlier cycle
        r, c = cell
        for delta in (-1, +1, -2, +2):
            if not ok(cell, delta):
                continue
            if not rows_fixed and not columns_fixed:
                q[cell] += delta
                break
            if not columns_fixed:  # rows add up: move within the row
                partners = [(r, c2) for c2 in columns if c2 != c and ok((r, c2), -delta)]
            elif not rows_fixed:
                partners = [(r2, c) for r2 in rows if r2 != r and ok((r2, c), -delta)]
            else:
                partners = [((r, c2), (r2, c), (r2, c2)) for r2 in rows if r2 != r for c2 in columns if c2 != c
                            if ok((r, c2), -delta) and ok((r2, c), -delta) and ok((r2, c2), delta)]
            if not partners:
                continue
            if rows_fixed and columns_fixed:
                same_row, same_column, opposite = max(partners, key=lambda p: (q[p[0]] + q[p[1]] + q[p[2]], p))
                q[cell] += delta
                q[same_row] -= delta
                q[same_column] -= delta
                q[opposite] += delta
            else:
                partner = max(partners, key=lambda p: (q[p], p))
                q[cell] += delta
                q[partner] -= delta
            break


def _repair(q, true, rows, columns, row_targets, column_targets, below):
    """Move units, one at a time, until rows and columns add up to their targets.

    A unit is taken from the largest count available and given to the largest count, so the
    change lands where it matters least; a move that would publish a small count as it is, is
    avoided while another is possible.
    """
    def excess_row(r):
        return sum(q[(r, c)] for c in columns) - row_targets[r] if row_targets is not None else 0

    def excess_column(c):
        return sum(q[(r, c)] for r in rows) - column_targets[c] if column_targets is not None else 0

    e = {r: excess_row(r) for r in rows}
    f = {c: excess_column(c) for c in columns}

    def ok(cell, delta):
        return _keeps_rules(q, true, cell, delta, below)

    def best(cells, delta, prefer=lambda cell: True):
        """The cell to change by ``delta``: preferred cells first, then those that keep the rules,
        the largest count first."""
        ranked = sorted(cells, key=lambda cell: (not ok(cell, delta), not prefer(cell), -q[cell], cell))
        for cell in ranked:
            if q[cell] + delta >= 0:
                return cell
        return None

    def move(cell, delta):
        q[cell] += delta
        e[cell[0]] += delta if row_targets is not None else 0
        f[cell[1]] += delta if column_targets is not None else 0

    guard = 4 * (sum(abs(v) for v in e.values()) + sum(abs(v) for v in f.values())) + 10
    while guard > 0:
        guard -= 1
        over = [r for r in rows if e[r] > 0]
        under = [r for r in rows if e[r] < 0]
        if over:  # a row with too much gives a unit, preferably where its column has too much too
            r = over[0]
            cell = best([(r, c) for c in columns], -1, lambda cell: f[cell[1]] > 0)
            move(cell, -1)
        elif under:
            r = under[0]
            cell = best([(r, c) for c in columns], +1, lambda cell: f[cell[1]] < 0)
            move(cell, +1)
        else:
            high = [c for c in columns if f[c] > 0]
            low = [c for c in columns if f[c] < 0]
            if not high and not low:
                return
            if row_targets is None:  # rows are free: a column alone gives or takes
                c = (high or low)[0]
                delta = -1 if high else +1
                move(best([(r, c) for r in rows], delta), delta)
                continue
            # Rows add up already: move a unit along a row, from a column with too much to one with too little.
            c_high, c_low = high[0], low[0]
            candidates = [r for r in rows if q[(r, c_high)] > 0]
            r = min(candidates, key=lambda r: (not (ok((r, c_high), -1) and ok((r, c_low), +1)),
                                                -q[(r, c_high)], r))
            move((r, c_high), -1)
            move((r, c_low), +1)
    raise RuntimeError("protect: the margins could not be met")  # cannot happen: each step mends one unit


def mend(published, true, sums, moves, below=None, tries=4000):
    """Change ``published`` (in place) until no published sum gives a small true sum away.

    ``sums``: the sums a reader of the published tables can make (each a tuple of cell keys: a
    cell alone, men + women, an RT's cells within its RW, dusun or kecamatan...); ``moves(sum)``
    yields the changes to try for a sum that leaks, each a list of (cell, delta) that keeps every
    published margin (a 2x2 cycle, or a move within a row whose total is fixed). A change is kept
    when it lowers the number of leaking sums and leaves no count negative. Returns True when no
    sum leaks.
    """
    below = threshold() if below is None else below
    by_cell = {}
    for i, cells in enumerate(sums):
        for cell in cells:
            by_cell.setdefault(cell, []).append(i)

    def leaking(i):
        t = sum(true.get(c, 0) for c in sums[i])
        return is_small(t, below) and sum(published.get(c, 0) for c in sums[i]) == t

    bad = {i for i in range(len(sums)) if leaking(i)}
    while bad and tries > 0:
        i = min(bad)
        mended = False
        for change in moves(sums[i]):
            tries -= 1
            if tries <= 0:
                break
            if any(published.get(c, 0) + d < 0 for c, d in change):
                continue
            touched = {j for c, _d in change for j in by_cell.get(c, ())}
            before = sum(1 for j in touched if j in bad)
            for c, d in change:
                published[c] = published.get(c, 0) + d
            after = {j for j in touched if leaking(j)}
            if len(after) < before:
                bad = (bad - touched) | after
                mended = True
                break
            for c, d in change:
                published[c] -= d
        if not mended:
            return False
    return not bad
