"""The roles of Sidekel's users. Kept in core because the permission rules (core/scope.py) are
written per role; the accounts app (akun) stores a user's role."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN_KECAMATAN = "admin-kecamatan", _("Kecamatan administrator")
    CAMAT = "camat", _("Camat / kecamatan staff")
    OPERATOR = "operator", _("Village operator")
    KEPALA_DESA = "kepala-desa", _("Kepala desa / lurah / sekretaris")


# Roles that see every village of the installation.
KECAMATAN_ROLES = {Role.ADMIN_KECAMATAN, Role.CAMAT}

# Roles that must sign in with a second factor (an authenticator app's code): they see or decide
# for every village. The others may turn it on in their profile (akun).
TWO_FACTOR_ROLES = {Role.ADMIN_KECAMATAN, Role.CAMAT}
