from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import services
from .models import ApiToken, User


class ApiTokenInline(admin.TabularInline):
    """The account's API tokens on its page: shown, never created or edited here."""

    model = ApiToken
    fields = readonly_fields = ["prefix", "state", "created_at", "expires_at", "last_used_at", "revoked_at"]
    ordering = ["-created_at"]
    extra = 0
    can_delete = False
    verbose_name_plural = _("API tokens (revoke them with the action in the account list)")

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("state"))
    def state(self, token):
        return {"valid": _("valid"), "expired": _("expired"), "revoked": _("revoked")}[services.token_state(token)]


@admin.register(User)
class SidekelUserAdmin(UserAdmin):
    fieldsets = UserAdmin.fieldsets + (("Sidekel", {"fields": ("role", "desa", "must_change_password")}),)
    list_display = ["username", "first_name", "last_name", "role", "is_active", "valid_tokens", "login_waits"]
    filter_horizontal = ["desa", "groups", "user_permissions"]
    inlines = [ApiTokenInline]
    actions = ["revoke_tokens", "unlock"]

    @admin.display(description=_("login waits"), boolean=True)
    def login_waits(self, user):
        return services.is_locked(user.username)  # a query per row: a kecamatan has tens of accounts

    @admin.action(description=_("Unlock the login of the selected accounts (forget their failed attempts)"))
    def unlock(self, request, queryset):
        count = sum(services.unlock(user.username, by=request.user) for user in queryset)
        self.message_user(request, _("Login unlocked: %(count)d counts of failed attempts cleared.") % {"count": count},
                          messages.SUCCESS)

    @admin.display(description=_("valid API tokens"))
    def valid_tokens(self, user):
        return user.api_tokens.filter(revoked_at__isnull=True, expires_at__gt=timezone.now()).count()

    @admin.action(description=_("Revoke the API tokens of the selected accounts"))
    def revoke_tokens(self, request, queryset):
        count = sum(user.revoke_tokens() for user in queryset)
        self.message_user(request, _("API tokens revoked: %(count)d.") % {"count": count}, messages.SUCCESS)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Every API token of the installation: who holds it, since when, last use; revoke, never edit."""

    list_display = ["prefix", "user", "state", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at", "expires_at"]
    search_fields = ["user__username", "prefix"]
    fields = readonly_fields = ["user", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
    ordering = ["-created_at"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("state"))
    def state(self, token):
        return ApiTokenInline.state(None, token)

    @admin.action(description=_("Revoke the selected tokens"), permissions=["delete"])
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, _("API tokens revoked: %(count)d.") % {"count": count}, messages.SUCCESS)
