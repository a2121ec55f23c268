"""Village scope: the one place that decides which villages a user may see.

Every village-owned model has a direct ``desa`` foreign key and a manager built on
``DesaScopedQuerySet``, so a read is always ``Model.objects.for_user(user)``. Views never filter by
village by hand.
"""

from django.db import models

from sidekel.akun.choices import KECAMATAN_ROLES


def desa_ids_for(user):
    """The ids of the villages ``user`` may see, or None for every village."""
    if user is None or not user.is_authenticated or not user.is_active:
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


class DesaScopedQuerySet(models.QuerySet):
    """A queryset of rows that belong to one desa through the ``desa`` field."""

    desa_lookup = "desa_id"

    def for_user(self, user):
        ids = desa_ids_for(user)
        if ids is None:
            return self
        return self.filter(**{f"{self.desa_lookup}__in": ids})
