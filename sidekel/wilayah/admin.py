from django.contrib import admin

from .models import Desa, Dusun, Rt, Rw


@admin.register(Desa)
class DesaAdmin(admin.ModelAdmin):
    list_display = ["kode", "nama", "jenis", "kecamatan", "managed"]
    list_filter = ["managed", "jenis"]
    search_fields = ["kode", "nama"]
    list_select_related = ["kecamatan"]
    raw_id_fields = ["kecamatan"]


for model in (Dusun, Rw, Rt):
    admin.site.register(model)
