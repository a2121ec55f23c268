from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import User


@admin.register(User)
class SidekelUserAdmin(UserAdmin):
    fieldsets = UserAdmin.fieldsets + (("Sidekel", {"fields": ("role", "desa")}),)
    list_display = ["username", "first_name", "last_name", "role", "is_active"]
    filter_horizontal = ["desa", "groups", "user_permissions"]
