"""Helpers for tests in every app."""

import datetime

from sidekel.penduduk.choices import (
    Agama,
    HubunganKeluarga,
    JenisKelamin,
    PendidikanKK,
    Pekerjaan,
    StatusPerkawinan,
)


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
