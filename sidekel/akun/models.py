from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import Role


class User(AbstractUser):
    """One account per person, never shared.

    ``role`` says what the person does; ``desa`` lists the villages an account serves (an
    operator, a kepala desa). Kecamatan-wide roles see every village the installation manages.
    """

    role = models.CharField(_("role"), max_length=32, choices=Role.choices, blank=True)
    desa = models.ManyToManyField("wilayah.Desa", verbose_name=_("villages"), blank=True, related_name="+")

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
