"""Village scope and permissions: the one place that decides who may see and change what.

Every village-owned model has a direct ``desa`` foreign key and a manager built on
``DesaScopedQuerySet``, so a read is always ``Model.objects.for_user(user)``. Views never filter by
village by hand; a row outside the user's scope simply is not there (404). Services re-check
``ensure_can_write`` inside their transaction.

| role                  | reads                | writes residents | sees full NIK/KK |
| --------------------- | -------------------- | ---------------- | ---------------- |
| admin kecamatan       | every village        | every village    | yes              |
| camat / staf          | every village        | no               | no (masked)      |
| operator              | own village(s)       | own village(s)   | yes              |
| kepala desa / lurah   | own village(s)       | no               | yes              |
| public (no login)     | aggregates only      | no               | no               |

Who may not see full numbers finds a resident by the whole 16-digit NIK only, never by its first
digits (``can_search_nik_prefix``): a prefix search answered digit by digit gives every full
number back in a few dozen requests.
"""

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext as _

from sidekel.core.roles import KECAMATAN_ROLES, Role


def _active(user):
    return user is not None and user.is_authenticated and user.is_active


def is_kecamatan_admin(user):
    return _active(user) and (user.is_superuser or user.role == Role.ADMIN_KECAMATAN)


def desa_ids_for(user):
    """The ids of the villages ``user`` may read, or None for every village."""
    if not _active(user):
        return set()
    if user.is_superuser or user.role in KECAMATAN_ROLES:
        return None
    cached = getattr(user, "_sidekel_desa_ids", None)
    if cached is None:
        cached = set(user.desa.values_list("id", flat=True))
        user._sidekel_desa_ids = cached
    return cached


def can_see_desa(user, desa_id):
    ids = desa_ids_for(user)
    return ids is None or desa_id in ids


def can_write_desa(user, desa_id):
    """May ``user`` change residents of this village? ``None`` is the system itself."""
    if user is None:
        return True
    if is_kecamatan_admin(user):
        return True
    return _active(user) and user.role == Role.OPERATOR and can_see_desa(user, desa_id)


def can_reveal_identity(user, desa_id):
    """May ``user`` see full NIK and KK numbers of this village's residents?"""
    if is_kecamatan_admin(user):
        return True
    return _active(user) and user.role in (Role.OPERATOR, Role.KEPALA_DESA) and can_see_desa(user, desa_id)


def can_search_nik_prefix(user, desa_ids=None):
    """May ``user`` find residents by the first digits of a NIK (or KK number)? Only who may see
    full numbers in every village the search covers: ``desa_ids``, or all the user's villages.
    Anyone else finds a resident by the whole 16 digits only, and a partial number finds nobody.
    """
    ids = desa_ids_for(user) if desa_ids is None else set(desa_ids)
    if ids is None:  # every village of the installation
        return is_kecamatan_admin(user)
    return bool(ids) and all(can_reveal_identity(user, desa_id) for desa_id in ids)


def can_write_any(user):
    return is_kecamatan_admin(user) or (_active(user) and user.role == Role.OPERATOR and bool(desa_ids_for(user)))


def ensure_can_write(user, desa_id):
    if not can_write_desa(user, desa_id):
        raise PermissionDenied(_("You may not change data of this village."))


class DesaScopedQuerySet(models.QuerySet):
    """A queryset of rows that belong to one desa through the ``desa`` field."""

    desa_lookup = "desa_id"

    def for_user(self, user):
        ids = desa_ids_for(user)
        if ids is None:
            return self
        return self.filter(**{f"{self.desa_lookup}__in": ids})
