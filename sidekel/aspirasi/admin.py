from django.contrib import admin

from .models import HariLibur, Kategori


@admin.register(Kategori)
class KategoriAdmin(admin.ModelAdmin):
    list_display = ["nama", "slug", "urutan", "aktif"]
    prepopulated_fields = {"slug": ["nama"]}


@admin.register(HariLibur)
class HariLiburAdmin(admin.ModelAdmin):
    list_display = ["tanggal", "nama"]
    date_hierarchy = "tanggal"
