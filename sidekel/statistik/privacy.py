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
