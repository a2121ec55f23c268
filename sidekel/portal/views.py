from django.shortcuts import render

from sidekel.statistik.services import jumlah_penduduk_today
from sidekel.wilayah.models import Desa


def beranda(request):
    """Public home: the villages of the installation and their population. Aggregates only."""
    desa = list(Desa.objects.managed().select_related("kecamatan__kabupaten__provinsi").order_by("jenis", "nama"))
    counts = jumlah_penduduk_today(d.id for d in desa)
    for d in desa:
        d.jumlah = counts[d.id]
    kecamatan = sorted({d.kecamatan for d in desa}, key=lambda k: k.kode)
    return render(
        request,
        "portal/beranda.html",
        {"desa_list": desa, "kecamatan_list": kecamatan, "total": sum(counts.values())},
    )
