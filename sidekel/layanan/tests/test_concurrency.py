"""Letters signed at the same moment: every letter gets its own number, none is skipped."""

import threading

import pytest
from django.db import connection

from sidekel.akun.choices import Role
from sidekel.akun.services import create_user
from sidekel.akun.tests.test_login_throttle import in_thread
from sidekel.layanan import katalog, services
from sidekel.layanan.models import JenisSurat, Surat

from .conftest import RANGDA


@pytest.mark.django_db(transaction=True)
def test_letters_signed_at_once_take_every_number_once(keluarga_budi):
    _, budi, siti, _ = keluarga_budi

    def setup():
        katalog.seed()  # a transactional test before this one emptied the tables
        op = create_user("op_c", role=Role.OPERATOR, password="x", desa_kode=[RANGDA], validate=False)
        kades = create_user("kades_c", role=Role.KEPALA_DESA, password="x", desa_kode=[RANGDA], validate=False)
        domisili = JenisSurat.objects.get(kode="domisili")
        drafts = [services.draft_surat(user=op, penduduk=p, jenis=domisili) for p in [budi, siti] * 12]
        return kades, [d.pk for d in drafts]

    kades, ids = in_thread(setup)
    start = threading.Barrier(len(ids))
    errors = []

    def sign(pk):
        try:
            start.wait()
            services.sign_surat(Surat.objects.get(pk=pk), user=kades)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=sign, args=(pk,)) for pk in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors[:3]
    numbers = in_thread(lambda: list(Surat.objects.filter(pk__in=ids).values_list("urut", "nomor")))
    assert sorted(u for u, _ in numbers) == list(range(1, len(ids) + 1))
    assert len({n for _, n in numbers}) == len(ids)
