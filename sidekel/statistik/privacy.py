"""Small counts hidden in public figures, so a table never points at a person (UU 27/2022 PDP).

In an RT or RW, "1 resident is a widow aged 70-74" names her to every neighbour. Public tables of
a small area therefore hide every count between 1 and the threshold (``SIDEKEL_SUPPRESS_BELOW``,
default 3; shown as "<3"), and then hide more cells wherever a hidden one could be worked out by
subtraction from what is still shown:

- in a row, men + women = total: if one of the three is hidden, so are the others;
- in a column, the rows add up to the column total: if exactly one cell of a column is hidden,
  the smallest other non-zero cell of that column is hidden too.

These rules repeat until nothing changes. Zeros stay visible: "nobody" identifies no one.
"""

from dataclasses import dataclass

from django.conf import settings

COLUMNS = ("laki_laki", "perempuan", "jumlah")


def threshold():
    return getattr(settings, "SIDEKEL_SUPPRESS_BELOW", 3)


@dataclass
class Cell:
    value: int
    hidden: bool = False


def suppress(rows, below=None):
    """``rows`` (``services.Baris``) as (row dicts, totals dict), with hidden counts as None.

    Each row dict has kode, label, laki_laki, perempuan, jumlah; totals has the three column
    totals. A total is hidden too when it would give away the one hidden cell of its column.
    """
    below = threshold() if below is None else below
    table = [{c: Cell(getattr(row, c)) for c in COLUMNS} for row in rows]
    totals = {c: Cell(sum(getattr(row, c) for row in rows)) for c in COLUMNS}
    for cells in table + [totals]:
        for cell in cells.values():
            if 0 < cell.value < below:
                cell.hidden = True
    changed = True
    while changed:
        changed = False
        for cells in table + [totals]:  # a row: men + women = total
            if any(c.hidden for c in cells.values()):
                for c in cells.values():
                    if not c.hidden and c.value > 0:
                        c.hidden = changed = True
        for column in COLUMNS:  # a column: the rows add up to the column's total
            hidden = [cells[column] for cells in table if cells[column].hidden]
            if len(hidden) == 1 and not totals[column].hidden:
                others = [cells[column] for cells in table if not cells[column].hidden and cells[column].value > 0]
                smallest = min(others, key=lambda c: c.value) if others else totals[column]
                smallest.hidden = changed = True
    shown = [{"kode": row.kode, "label": row.label, **{c: None if cells[c].hidden else cells[c].value for c in COLUMNS}}
             for row, cells in zip(rows, table)]
    return shown, {c: None if totals[c].hidden else totals[c].value for c in COLUMNS}


# --- linked tables -----------------------------------------------------------------------------
# One table alone is not enough: the public site shows a village's table and the tables of its
# dusun, RW and RT, and the kecamatan's and every village's. A hidden RT cell could be worked out
# as "village minus the other RTs". ``suppress_linked`` therefore works on every cell of a whole
# hierarchy at once, with every sum an onlooker knows as a relation: total = sum of parts.

def _recoverable(values, hidden, total, parts, zeros_hidden=False):
    """Can an onlooker work out a hidden cell of this relation from the shown ones?

    Yes when exactly one cell of it is hidden, or when the total is shown and every hidden part
    is 1: they add up to their number, and an onlooker who takes hidden cells as at least 1
    concludes rightly that each is 1.
    """
    cells = [total, *parts]
    n_hidden = sum(1 for c in cells if c in hidden)
    if n_hidden == 1:
        return True
    if total not in hidden and n_hidden >= 2 and not zeros_hidden:
        hidden_values = [values[c] for c in parts if c in hidden]
        return all(v == 1 for v in hidden_values)  # (a hidden zero makes "all are 1" a wrong guess)
    return False


def suppress_linked(values, relations, fixed=(), below=None, hidden=(), hide_zeros=False):
    """The set of cell keys to hide.

    ``values``: {key: count}; ``relations``: [(total key, [part keys])], each meaning total =
    sum of parts; ``fixed``: keys published elsewhere without suppression (never hidden, and known
    to an onlooker); ``hidden``: keys already decided hidden elsewhere; ``hide_zeros``: zeros are
    hidden too, so "<3" means 0, 1 or 2 and a hidden cell is not known to hold someone. Every count from 1 to below-1 is hidden; then, until nothing changes, a
    relation that would give a hidden cell away gets one more cell hidden: its smallest non-zero
    part, else its total, else a zero part.
    """
    below = threshold() if below is None else below
    fixed = set(fixed)
    lowest = 0 if hide_zeros else 1
    hidden = set(hidden) | {k for k, v in values.items() if lowest <= v < below and k not in fixed}
    fixed -= hidden
    changed = True
    while changed:
        changed = False
        for total, parts in relations:
            if not any(c in hidden for c in (total, *parts)):
                continue
            if not _recoverable(values, hidden, total, parts, hide_zeros):
                continue
            free = [c for c in parts if c not in hidden and c not in fixed]
            nonzero = sorted((c for c in free if values[c] > 0), key=lambda c: values[c])
            if nonzero:
                pick = nonzero[0]
            elif total not in hidden and total not in fixed:
                pick = total
            elif free:
                pick = free[0]
            else:
                continue  # nothing left to hide here; every cell is fixed (cannot happen with a shown total)
            hidden.add(pick)
            changed = True
    return hidden
