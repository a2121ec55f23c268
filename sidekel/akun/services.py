"""Write paths for accounts, API tokens and login throttling."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import KECAMATAN_ROLES, Role
from .models import ApiToken, FailedLogin, User


@transaction.atomic
def create_user(username, *, role, password, desa_kode=(), first_name="", validate=True):
    """One account for one person. Operators and kepala desa need at least one village."""
    if User.objects.filter(username=username).exists():
        raise ValidationError(_("Account %(username)s already exists.") % {"username": username})
    role = Role(role)
    villages = []
    Desa = User._meta.get_field("desa").related_model  # wilayah.Desa, without importing the layer above
    for kode in desa_kode:
        desa = Desa.objects.managed().filter(kode=kode).first()
        if desa is None:
            raise ValidationError(_("Village %(kode)s is not served by this installation.") % {"kode": kode})
        villages.append(desa)
    if role not in KECAMATAN_ROLES and not villages:
        raise ValidationError(_("An operator or kepala desa account needs at least one village (--desa)."))
    user = User(username=username, role=role, first_name=first_name, is_staff=role == Role.ADMIN_KECAMATAN)
    if validate:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc
    user.set_password(password)
    user.save()
    user.desa.set(villages)
    return user


def deactivate_user(username):
    """The person leaves: they can no longer log in or use tokens; their records stay theirs."""
    user = User.objects.filter(username=username).first()
    if user is None:
        raise ValidationError(_("There is no account %(username)s.") % {"username": username})
    user.is_active = False
    user.save(update_fields=["is_active"])
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    return user


def _hash(raw):
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(user):
    raw = secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user, key_hash=_hash(raw), prefix=raw[:8],
        expires_at=timezone.now() + datetime.timedelta(days=settings.SIDEKEL_TOKEN_DAYS),
    )
    return raw


def user_for_token(raw):
    """The active user a valid, unexpired, unrevoked token belongs to, or None."""
    if not raw:
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=_hash(raw)).first()
    now = timezone.now()
    if token is None or token.revoked_at or token.expires_at <= now or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def revoke_token(raw):
    return ApiToken.objects.filter(key_hash=_hash(raw), revoked_at__isnull=True).update(revoked_at=timezone.now())


def login_paused(username, ip):
    """True when this account or this address failed too often lately."""
    since = timezone.now() - datetime.timedelta(minutes=settings.SIDEKEL_LOGIN_PAUSE_MINUTES)
    recent = FailedLogin.objects.filter(at__gte=since)
    limit = settings.SIDEKEL_LOGIN_ATTEMPTS
    return recent.filter(username=username).count() >= limit or (
        ip is not None and recent.filter(ip=ip).count() >= limit * 4
    )


def record_failed_login(username, ip):
    FailedLogin.objects.create(username=username[:150], ip=ip)


def clear_failed_logins(username):
    FailedLogin.objects.filter(username=username).delete()


def pause_minutes():
    return settings.SIDEKEL_LOGIN_PAUSE_MINUTES


def token_days():
    return settings.SIDEKEL_TOKEN_DAYS
