"""core.numbering: patterns that can only fill their fields, and counters that never repeat or skip."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from sidekel.akun.tests.test_login_throttle import in_thread
from sidekel.core import numbering

VALUES = {"kode": "470", "urut": 12, "unit": "DS-RANGDA", "bulan_romawi": "XII", "tahun": 2026}


def test_the_default_pattern():
    assert numbering.format_number("{kode}/{urut:03}/{unit}/{bulan_romawi}/{tahun}", VALUES) == \
        "470/012/DS-RANGDA/XII/2026"
    assert [numbering.bulan_romawi(m) for m in (1, 4, 9, 12)] == ["I", "IV", "IX", "XII"]


@pytest.mark.parametrize("pattern", ["{kode.__class__}/{urut}", "{urut!r}", "{secret}/{urut}", "{urut:>10}",
                                     "{urut}/{", "tanpa kolom"])
def test_a_pattern_reads_nothing_but_its_fields(pattern):
    with pytest.raises(ValidationError):
        numbering.format_number(pattern, VALUES)


@pytest.mark.django_db
def test_a_counter_counts_in_its_transaction_and_rolls_back_with_it():
    with transaction.atomic():
        assert [numbering.next_value("a") for _ in range(3)] == [1, 2, 3]
        assert numbering.next_value("b") == 1
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        numbering.next_value("a")
        1 / 0
    assert numbering.current_value("a") == 3  # the failed transaction's number is not lost


@pytest.mark.django_db(transaction=True)
def test_many_writers_at_once_get_every_number_once():
    """20 threads, each taking 5 numbers of a counter that does not exist yet: 1..100, no repeat, no gap."""
    start = threading.Barrier(20)
    got, errors = [], []

    def work():
        try:
            start.wait()
            for _ in range(5):
                with transaction.atomic():
                    got.append(numbering.next_value("surat:test:2026"))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors[:3]
    assert sorted(got) == list(range(1, 101))
    assert in_thread(lambda: numbering.current_value("surat:test:2026")) == 100
