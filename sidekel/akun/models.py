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
    # Set by `sidekel user reset-password`: the next login must choose a new password first.
    must_change_password = models.BooleanField(_("must change the password"), default=False)
    password_changed_at = models.DateTimeField(_("password changed"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    # A new password, an unusable password, or a deactivation revokes the account's API tokens,
    # whoever makes the change (the `user` command, the admin, `changepassword`, a service): the
    # one place every such change passes. Django's own re-hashing of an unchanged password at
    # login leaves ``_password`` empty, so it revokes nothing.

    _password_unusable = False

    def set_unusable_password(self):
        super().set_unusable_password()
        self._password_unusable = True

    def save(self, *args, **kwargs):
        changed = self._password is not None or self._password_unusable
        if changed:  # the audit log records this date, never the hash
            from django.utils import timezone

            self.password_changed_at = timezone.now()
            if kwargs.get("update_fields") is not None and "password" in kwargs["update_fields"]:
                kwargs["update_fields"] = {*kwargs["update_fields"], "password_changed_at"}
        revoke = self.pk is not None and (changed or not self.is_active)
        self._password_unusable = False
        super().save(*args, **kwargs)
        if revoke:
            self.revoke_tokens()

    def revoke_tokens(self):
        """Revoke every token of this account that is still valid; the number revoked."""
        from django.utils import timezone

        return self.api_tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 hash is stored; it expires and can be revoked."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8, help_text="First characters, to tell tokens apart.")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")


class FailedLogin(models.Model):
    """A failed login: the record of who tried which account from where (the throttle itself
    counts in ``LoginThrottle``)."""

    username = models.CharField(max_length=150, db_index=True)
    ip = models.GenericIPAddressField(null=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)


class LoginThrottle(models.Model):
    """Failed logins of one account from one address, counted before the password is checked.

    ``address`` is the client's address, or ``"*"`` for the account's count over every address it
    has never logged in from. After ``SIDEKEL_LOGIN_ATTEMPTS`` failures the next attempt waits
    until ``wait_until`` (akun/services.py). ``succeeded_at`` marks an address the account has
    logged in from: failures elsewhere never slow it down.
    """

    ANY_NEW_ADDRESS = "*"

    username = models.CharField(max_length=150)
    address = models.CharField(max_length=45)
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField(null=True)
    wait_until = models.DateTimeField(null=True)
    succeeded_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["username", "address"], name="akun_login_throttle_unique")]

    def __str__(self):
        return f"{self.username} @ {self.address}"
