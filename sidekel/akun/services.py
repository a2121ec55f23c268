"""Write paths for accounts, API tokens and login throttling."""

import datetime
import hashlib
import math
import secrets

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from sidekel.core.audit import client_ip, record_change, snapshot
from sidekel.core.models import ObjectChange
from sidekel.core.roles import TWO_FACTOR_ROLES
from sidekel.core.scope import Action, ensure_permits, role_of

from .choices import KECAMATAN_ROLES, Role
from .models import ApiToken, FailedLogin, LoginThrottle, User


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
    user = _user(username)
    user.is_active = False
    user.save(update_fields=["is_active"])  # revokes the account's tokens (User.save)
    return user


def _user(username):
    user = User.objects.filter(username=username).first()
    if user is None:
        raise ValidationError(_("There is no account %(username)s.") % {"username": username})
    return user


def tokens_of(username):
    """The account's API tokens, newest first (revoked and expired ones too)."""
    return list(_user(username).api_tokens.order_by("-created_at", "-pk"))


@transaction.atomic
def revoke_tokens(username, prefix=None):
    """Revoke the account's valid tokens, or only those starting with ``prefix``; how many."""
    user = _user(username)
    if prefix is None:
        return user.revoke_tokens()
    tokens = user.api_tokens.filter(prefix__startswith=prefix[:8])
    if not tokens.exists():
        raise ValidationError(_("Account %(username)s has no token starting with %(prefix)s.")
                              % {"username": username, "prefix": prefix})
    return tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


def token_state(token, now=None):
    """'revoked', 'expired' or 'valid'."""
    now = now or timezone.now()
    if token.revoked_at:
        return "revoked"
    return "expired" if token.expires_at <= now else "valid"


def _hash(raw):
    return hashlib.sha256(raw.encode()).hexdigest()


def new_token_key():
    """A random key whose printed prefix never starts with "-": `user tokens NAME --revoke PREFIX`
    would read such a prefix as an option."""
    while (raw := secrets.token_urlsafe(32)).startswith("-"):
        pass
    return raw


def issue_token(user):
    raw = new_token_key()
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


# --- login throttling -------------------------------------------------------------------------
#
# Each (account, address) pair has its own count of failed logins. The first
# SIDEKEL_LOGIN_ATTEMPTS failures cost nothing; after that every attempt of the pair must wait 2,
# 4, 8, ... seconds after the one before (at most SIDEKEL_LOGIN_PAUSE_MINUTES). Nobody can lock an
# account or an office address: a guesser slows down only their own pair. Against guessing from
# many addresses, the addresses an account has never logged in from also share one count per
# account (four times the attempts); the addresses it has logged in from ignore that count, so the
# kecamatan admin at the office still logs in while the account is attacked from the internet.
#
# An attempt is counted before the password is checked, in its own short transaction that locks
# the counting rows (SELECT ... FOR UPDATE on PostgreSQL; BEGIN IMMEDIATE on SQLite), and counted
# as a failure until the password proves right: parallel attempts cannot all pass the limit.
# A quiet day forgets a pair's failures.

ACCOUNT_FACTOR = 4
FORGET_AFTER = datetime.timedelta(days=1)


class LoginPaused(Exception):
    """Too many failed attempts: this login must wait ``seconds`` before it is tried."""

    def __init__(self, seconds):
        super().__init__(seconds)
        self.seconds = seconds

    @property
    def message(self):
        return _("Too many attempts; try again in %(seconds)d seconds.") % {"seconds": self.seconds}


def _wait_after(failures, allowed):
    """The wait before the next attempt after ``failures`` failures, of which ``allowed`` are free."""
    if failures < allowed:
        return None
    cap = settings.SIDEKEL_LOGIN_PAUSE_MINUTES * 60
    return datetime.timedelta(seconds=min(cap, 2 ** min(failures - allowed + 1, 20)))


def _locked(username, address):
    """The counting row of this pair, locked until the transaction ends (created when missing)."""
    LoginThrottle.objects.get_or_create(username=username, address=address)
    return LoginThrottle.objects.select_for_update().get(username=username, address=address)


def _claim(username, address):
    """Count one attempt before its password is checked, or raise LoginPaused. True when the
    address is one the account has logged in from."""
    allowed = settings.SIDEKEL_LOGIN_ATTEMPTS
    with transaction.atomic():
        pair = _locked(username, address)
        known = pair.succeeded_at is not None
        rows = [(pair, allowed)]
        if not known:
            rows.append((_locked(username, LoginThrottle.ANY_NEW_ADDRESS), allowed * ACCOUNT_FACTOR))
        now = timezone.now()  # once the rows are ours: an attempt that waited for them is judged now
        waits = [row.wait_until for row, _allowed in rows if row.wait_until and row.wait_until > now]
        if waits:
            raise LoginPaused(max(1, math.ceil((max(waits) - now).total_seconds())))
        for row, row_allowed in rows:
            if row.last_failure_at and now - row.last_failure_at > FORGET_AFTER:
                row.failures = 0
            row.failures += 1
            row.last_failure_at = now
            wait = _wait_after(row.failures, row_allowed)
            row.wait_until = now + wait if wait else None
            row.save(update_fields=["failures", "last_failure_at", "wait_until"])
    return known


def _succeeded(username, address, known, attempts=1):
    """The login is complete: the pair starts again from nothing and is a known address.
    ``attempts``: how many right answers of this login were counted (password, then code)."""
    with transaction.atomic():
        LoginThrottle.objects.filter(username=username, address=address).update(
            failures=0, wait_until=None, succeeded_at=timezone.now())
        if not known:  # the right answers were counted against the account too: take them back
            LoginThrottle.objects.filter(username=username, address=LoginThrottle.ANY_NEW_ADDRESS,
                                         failures__gt=0).update(failures=Greatest(F("failures") - attempts, 0))


def throttled(request, key, check):
    """``check()`` counted by the login throttle under ``key`` instead of an account's name: any
    other secret a person types (a resident's PIN for letters, layanan). The attempt is counted
    before ``check`` runs and forgiven when it returns something true; LoginPaused when it must wait.
    Returns what ``check`` returned."""
    address = client_ip(request) or "?"
    known = _claim(key, address)
    result = check()
    if result:
        _succeeded(key, address, known)
    return result


def check_login(request, username, password, *, code_follows=False):
    """The active account these credentials open, or None; LoginPaused when the attempt must wait.

    The one way to log in, for the login page and the API alike. With ``code_follows`` (the login
    page) an account with a second factor is not logged in yet: its attempt stays counted as a
    failure until ``check_code`` accepts the code, so knowing the password buys no free guesses.
    """
    username = username[:150]
    address = client_ip(request) or "?"
    known = _claim(username, address)
    user = authenticate(request, username=username, password=password)
    if user is None:
        FailedLogin.objects.create(username=username, ip=client_ip(request))
        return None
    if not (code_follows and has_two_factor(user)):
        _succeeded(username, address, known)
    return user


# --- two-factor sign-in (django-otp) -----------------------------------------------------------
#
# A second factor is a confirmed TOTP device (an authenticator app on the person's phone) plus a
# static device holding BACKUP_CODES one-time codes, shown once at enrolment. After the password,
# the login page logs the person in but the session is not *verified*: akun.middleware opens only
# the code page (or, for a role that must have a second factor and has none yet, the enrolment
# page) until it is. Wrong codes are counted by the login throttle above, with wrong passwords.

BACKUP_CODES = 10


def requires_two_factor(user):
    """Must this account sign in with a second factor (the kecamatan admin, the camat)?"""
    return settings.SIDEKEL_TWO_FACTOR_REQUIRED and role_of(user) in TWO_FACTOR_ROLES


def has_two_factor(user):
    """Has the account a confirmed second factor? Asked on every request of a session that has not
    given one (akun.middleware); remembered in the cache until a device of the account is saved
    or deleted (``forget_two_factor``), instead of a query per kind of device each time."""
    from django.core.cache import cache
    from django_otp import user_has_device

    key = _two_factor_key(user.pk)
    found = cache.get(key)
    if found is None:
        found = user_has_device(user, confirmed=True)
        cache.set(key, found, 3600)
    return found


def _two_factor_key(user_id):
    return f"akun:two-factor:{user_id}"


def forget_two_factor(sender, instance, **kwargs):
    """A device was saved or deleted: ``has_two_factor`` asks the database again."""
    from django.core.cache import cache

    cache.delete(_two_factor_key(instance.user_id))


def _normal_code(code):
    return "".join(ch for ch in str(code) if ch.isalnum()).lower()[:16]


def check_code(request, user, code):
    """The device that accepts ``code`` (the app's 6 digits or a backup code, which is then used
    up), or None; LoginPaused when the attempt must wait. Counted by the login throttle."""
    from django_otp import match_token

    address = client_ip(request) or "?"
    known = _claim(user.username, address)
    code = _normal_code(code)
    device = match_token(user, code) if code else None
    if device is None:
        FailedLogin.objects.create(username=user.username, ip=client_ip(request))
        return None
    _succeeded(user.username, address, known, attempts=2)
    return device


def pending_device(user):
    """The authenticator-app device being enrolled: its key is shown as a QR code until a code
    from the app confirms it. Reused until then, so reloading the page keeps the same key."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name=_("authenticator app"), confirmed=False)


def backup_codes_left(user):
    from django_otp.plugins.otp_static.models import StaticToken

    return StaticToken.objects.filter(device__user=user).count()


def _new_backup_code():
    return f"{secrets.randbelow(10 ** 8):08d}"  # 8 digits: a phone's number pad, unlike the app's 6


@transaction.atomic
def confirm_enrolment(user, device, code):
    """The app's code confirms the pending device: it becomes the account's second factor (any
    earlier one is removed) with fresh backup codes. Returns the backup codes (shown once), or
    None when the code is wrong."""
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    code = _normal_code(code)
    if device.user_id != user.pk or device.confirmed or not code.isdigit() or not device.verify_token(code):
        return None
    for old in TOTPDevice.objects.filter(user=user, confirmed=True):
        record_change(old, user, action=ObjectChange.Action.DELETE, reason="second factor replaced")
        old.delete()
    StaticDevice.objects.filter(user=user).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record_change(device, user, reason="two-factor sign-in turned on")
    backup = StaticDevice.objects.create(user=user, name=_("backup codes"))
    codes = [_new_backup_code() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=backup, token=c) for c in codes)
    return [f"{c[:4]} {c[4:]}" for c in codes]


@transaction.atomic
def disable_two_factor(user, by=None):
    """Remove the account's second factor. A person may turn off only their own optional one;
    the system (``by`` None: `sidekel user reset-password --two-factor`) any, for a lost phone."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if by is not None and (by.pk != user.pk or requires_two_factor(user)):
        raise PermissionDenied(_("Two-factor sign-in is required for your role; it cannot be turned off."))
    removed = 0
    for device in TOTPDevice.objects.filter(user=user):
        if device.confirmed:
            removed += 1
            record_change(device, by, action=ObjectChange.Action.DELETE, reason="two-factor sign-in turned off")
        device.delete()
    StaticDevice.objects.filter(user=user).delete()
    return removed


# --- passwords, unlocking ----------------------------------------------------------------------

def _one_time_password():
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(3))


@transaction.atomic
def reset_password(username, password=None, *, by=None, two_factor=False):
    """A new password for an account whose person forgot theirs: a random one-time password
    unless ``password`` is given. The next login must choose a new one; the account's API tokens
    are revoked and its login unlocked. ``two_factor`` also removes its second factor (a lost
    phone): admin and camat then enrol again. Returns the password."""
    ensure_permits(by, Action.ACCOUNTS)
    user = _user(username)
    if password is None:
        password = _one_time_password()
    else:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc
    before = snapshot(user)
    user.set_password(password)
    user.must_change_password = True
    user.save()  # revokes the account's API tokens (User.save)
    record_change(user, by, before=before, reason="password reset")
    unlock(username, by=by)
    if two_factor:
        disable_two_factor(user)
    return password


@transaction.atomic
def change_password(user, form):
    """Save a password-change form (Django's PasswordChangeForm or SetPasswordForm) of ``user``."""
    before = snapshot(user)
    form.save(commit=False)
    user.must_change_password = False
    user.save()
    record_change(user, user, before=before, reason="password changed")
    return user


def is_locked(username, now=None):
    """Must a login of this account wait now, from some address (the throttle above)?"""
    return LoginThrottle.objects.filter(username=username, wait_until__gt=now or timezone.now()).exists()


@transaction.atomic
def unlock(username, *, by=None):
    """Forget the failed logins of an account, from every address: a person the throttle keeps
    waiting (or a guesser's attempts made wait) logs in at once. How many counts were cleared."""
    ensure_permits(by, Action.ACCOUNTS)
    _user(username)
    return forget_failures(username, by=by)


@transaction.atomic
def forget_failures(key, *, by=None):
    """Clear the throttle's counts of ``key`` from every address, audited; how many were cleared.
    The caller has checked that ``by`` may (``unlock``; layanan when a resident's PIN is reset)."""
    rows = LoginThrottle.objects.select_for_update().filter(username=key).filter(
        Q(failures__gt=0) | Q(wait_until__isnull=False))
    count = 0
    for row in rows:
        before = snapshot(row)
        row.failures, row.wait_until = 0, None
        row.save(update_fields=["failures", "wait_until"])
        record_change(row, by, before=before, reason="login unlocked")
        count += 1
    return count


def prune_failed_logins(now=None):
    """The record of failed logins past 30 days, and the throttle counts a quiet day made void."""
    now = now or timezone.now()
    old = FailedLogin.objects.filter(at__lt=now - datetime.timedelta(days=FAILED_LOGIN_DAYS)).delete()[0]
    return old + prune_login_throttle(now)


FAILED_LOGIN_DAYS = 30


def prune_login_throttle(now=None):
    """Forget counts that a quiet day has made void (and addresses unused for a year)."""
    now = now or timezone.now()
    quiet = LoginThrottle.objects.filter(last_failure_at__lt=now - FORGET_AFTER)
    deleted, _ = quiet.filter(succeeded_at__isnull=True).delete()
    quiet.update(failures=0, wait_until=None)
    deleted += LoginThrottle.objects.filter(succeeded_at__lt=now - datetime.timedelta(days=365)).delete()[0]
    return deleted


def token_days():
    return settings.SIDEKEL_TOKEN_DAYS
