from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from ninja import Router, Schema

from sidekel.penduduk.models import living_count

from .models import Desa

router = Router(tags=["wilayah"])


class DesaOut(Schema):
    kode: str
    nama: str
    jenis: str
    jumlah_penduduk: int


@router.get("/", response=list[DesaOut], summary="Villages of this installation", auth=None)
def list_desa(request, response: HttpResponse):
    """The desa and kelurahan this installation serves, with their living residents. Public."""
    desa = list(Desa.objects.managed().order_by("kode"))
    counts = living_count(d.id for d in desa)
    patch_cache_control(response, public=True, max_age=300)
    return [
        {"kode": d.kode, "nama": d.nama, "jenis": d.get_jenis_display().lower(), "jumlah_penduduk": counts[d.id]}
        for d in desa
    ]
