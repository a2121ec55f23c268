"""Helpers for tests in every app: fields of an ordinary resident, the plainest population count.
They live in a test package, not in the product."""

import datetime

from django.db.models import Count

from sidekel.penduduk.choices import (
    PERUBAHAN_JUMLAH,
    Agama,
    HubunganKeluarga,
    JenisKelamin,
    PendidikanKK,
    Pekerjaan,
    StatusDasar,
    StatusPerkawinan,
)
from sidekel.penduduk.models import Penduduk, Peristiwa


def adult(**overrides):
    """Fields of an ordinary adult resident; tests override what they are about."""
    fields = {
        "nama": "Budi Santoso",
        "jenis_kelamin": JenisKelamin.LAKI_LAKI,
        "tempat_lahir": "Pangkalan Bun",
        "tanggal_lahir": datetime.date(1985, 3, 12),
        "agama": Agama.ISLAM,
        "pendidikan_kk": PendidikanKK.SLTA,
        "pekerjaan": Pekerjaan.PETANI_PEKEBUN,
        "status_perkawinan": StatusPerkawinan.KAWIN,
        "hubungan_keluarga": HubunganKeluarga.KEPALA_KELUARGA,
    }
    fields.update(overrides)
    return fields


def jumlah_penduduk(desa_ids, pada=None):
    """Living residents per village id, today or at the end of the day ``pada``: the tests' own
    count, made the simplest way, to check the statistics and the books against.

    Today's count comes from ``status_dasar``; going back in time undoes every event after
    ``pada``. Villages with nobody are in the result with 0.
    """
    desa_ids = list(desa_ids)
    result = dict.fromkeys(desa_ids, 0)
    rows = (
        Penduduk.objects.filter(desa_id__in=desa_ids, status_dasar=StatusDasar.HIDUP)
        .values_list("desa_id")
        .annotate(n=Count("id"))
    )
    result.update(rows)
    if pada is not None:
        later = (
            Peristiwa.objects.berlaku().filter(desa_id__in=desa_ids, tanggal__gt=pada)
            .values_list("desa_id", "jenis")
            .annotate(n=Count("id"))
        )
        for desa_id, jenis, n in later:
            result[desa_id] -= PERUBAHAN_JUMLAH[jenis] * n
    return result
