"""The reader the one public read path (statistik.publik) calls for a village's approved values.

Registered in apps.py; publik applies the rules (approved only, served villages, no future year)
and checks every row again. Nothing else here is public.
"""

from sidekel.core.approval import Status

from .choices import Kelompok

from .models import Nilai, typed_value


def approved_values(desa_id):
    rows = (Nilai.objects.filter(desa_id=desa_id, profil__status=Status.DISETUJUI)
            .values_list("profil__tahun", "profil__status", "indikator__kode", "indikator__kelompok",
                         "indikator__subkelompok", "indikator__nama", "indikator__satuan", "indikator__tipe",
                         "indikator__urutan", "angka", "teks"))
    labels = dict(Kelompok.choices)
    return [{"tahun": tahun, "status": status, "kode": kode, "kelompok": kelompok, "subkelompok": sub, "nama": nama,
             "kelompok_nama": str(labels.get(kelompok, kelompok)),
             "satuan": satuan, "tipe": tipe, "urutan": urutan, "nilai": typed_value(tipe, angka, teks)}
            for tahun, status, kode, kelompok, sub, nama, satuan, tipe, urutan, angka, teks in rows]
