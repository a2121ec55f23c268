"""Numbering: the one place that hands out sequence numbers and formats them from a pattern.

**Sequences.** ``next_value(key)`` returns the next number of the counter ``key`` (1, 2, 3, ...).
It must be called inside the ``transaction.atomic`` block that also saves what the number is for:
the counter row is locked (``select_for_update``) until that transaction ends, so two writers never
get the same number, and a transaction that fails rolls its number back with it, so no number is
ever lost (no gap). On PostgreSQL the row lock serialises the writers; on SQLite the whole database
is written by one transaction at a time (settings: ``transaction_mode = IMMEDIATE``). A counter
that does not exist yet is created inside a savepoint; when two writers create it at once, the
loser's insert fails on the unique key and it then locks the winner's row.

A counter that resets (every year, say) simply has the period in its key.

**Patterns.** ``format_number(pattern, values)`` fills a pattern such as
``{kode}/{urut:03}/{unit}/{bulan_romawi}/{tahun}``. Only ``{name}`` and ``{name:0N}`` (a number
padded with zeros to N digits) are understood, and only the names in ``values``: a pattern can
never read an attribute or call anything. ``check_pattern`` says what is wrong with a pattern.

This module imports no app: any app may use it.
"""

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .models import Sequence

FIELD = re.compile(r"\{([a-z_]+)(?::0(\d))?\}")
ROMAN = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def next_value(key):
    """The next number of counter ``key``; call inside the transaction that uses it."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("numbering.next_value must run inside transaction.atomic")
    row = Sequence.objects.select_for_update().filter(key=key).first()
    if row is None:
        try:
            with transaction.atomic():
                row = Sequence.objects.create(key=key, value=0)
        except IntegrityError:
            row = Sequence.objects.select_for_update().get(key=key)
    row.value += 1
    Sequence.objects.filter(pk=row.pk).update(value=row.value)
    return row.value


def current_value(key):
    """The last number handed out under ``key`` (0 if none)."""
    return Sequence.objects.filter(key=key).values_list("value", flat=True).first() or 0


def bulan_romawi(month):
    return ROMAN[month]


def check_pattern(pattern, names):
    """Raise ValidationError unless ``pattern`` uses only ``{name}``/``{name:0N}`` of ``names``."""
    leftover = FIELD.sub("", pattern)
    if "{" in leftover or "}" in leftover:
        raise ValidationError(_("Write fields as {name} or {name:03}; this pattern has a brace that is not one."))
    unknown = sorted({m.group(1) for m in FIELD.finditer(pattern)} - set(names))
    if unknown:
        raise ValidationError(_("Unknown fields in the pattern: %(names)s. Allowed: %(allowed)s.")
                              % {"names": ", ".join(unknown), "allowed": ", ".join(sorted(names))})
    if not FIELD.search(pattern):
        raise ValidationError(_("The pattern must contain at least one field, such as {urut:03}."))


def format_number(pattern, values):
    """``pattern`` with each ``{name}`` replaced by ``values[name]`` (``{name:0N}``: zero-padded)."""
    check_pattern(pattern, values)

    def fill(match):
        value = values[match.group(1)]
        width = match.group(2)
        return str(value).zfill(int(width)) if width else str(value)

    return FIELD.sub(fill, pattern)
