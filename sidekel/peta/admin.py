from django.contrib import admin

from .models import Kategori


@admin.register(Kategori)
class KategoriAdmin(admin.ModelAdmin):
    """The admin adds categories of places, lines and areas (the rest of the map is edited on the map)."""

    list_display = ("nama", "slug", "lapisan", "warna")
    list_filter = ("lapisan",)
    prepopulated_fields = {"slug": ("nama",)}
