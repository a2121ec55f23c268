"""The kecamatan admin edits letter types and settings here; ``JenisSurat.clean`` refuses a body
with a placeholder outside the documented list (placeholders.py)."""

from django.contrib import admin

from .models import BadanDesa, JenisSurat, PengaturanSurat


@admin.register(JenisSurat)
class JenisSuratAdmin(admin.ModelAdmin):
    list_display = ["nama", "kode", "klasifikasi", "masa_berlaku", "kertas", "aktif"]
    readonly_fields = ["kode"]  # the stable slug: the API and citizens' requests use it


admin.site.register(PengaturanSurat)
admin.site.register(BadanDesa)
