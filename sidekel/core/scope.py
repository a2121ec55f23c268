"""Village scope and permissions: the one place that decides who may see and change what.

**Actions.** What a user may do is one table, ``PERMISSIONS``: for each role, the actions it may
take and where (``ALL`` villages, or its ``OWN``). ``permits(user, action, desa)`` is the one
check; views, the API, services, menus and templates (``{% permits "import" %}``) all ask it, and
the permission matrix's expectations are computed from the same table
(core/tests/test_permission_matrix.py). ``desa`` is a village (or its id); ``None`` asks about the
kecamatan as a whole, which only an ``ALL`` role may act on. ``permits_somewhere`` asks whether
the user may take the action in at least one village (for menus and lists).

| action     | admin kecamatan | camat / staf | operator   | kepala desa / lurah |
| ---------- | --------------- | ------------ | ---------- | ------------------- |
| view       | all             | all          | own        | own                 |
| change     | all             | -            | own        | -                   |
| reveal     | all             | -            | own        | own                 |
| import     | all             | -            | own        | -                   |
| restore    | all             | -            | -          | -                   |
| submit     | -               | -            | own        | own                 |
| approve    | all             | all          | -          | -                   |
| publish    | all             | -            | own        | -                   |
| kecamatan  | all             | all          | -          | -                   |
| sign       | all             | all          | -          | own                 |
| letter     | all             | -            | own        | -                   |
| moderate   | all             | -            | own        | -                   |
| accounts   | all             | -            | -          | -                   |
| catalogue  | all             | -            | -          | -                   |

(reveal: full NIK and KK numbers; restore: deleted residents; submit/approve: the monthly recap
and the yearly village profile, through core.approval; catalogue: the indicators of the profile;
publish: news and the village's public profile; kecamatan: figures of every village side by
side; sign: letters (layanan; a kepala desa signs and revokes); letter: draft letters; moderate: citizens' messages; accounts: unlock a throttled login.) The
public (no login) gets aggregates only, through statistik/publik.py.

**Scope.** Every village-owned model has a direct ``desa`` foreign key and a manager built on
``DesaScopedQuerySet``, so a read is always ``Model.objects.for_user(user)``. Views never filter by
village by hand; a row outside the user's scope simply is not there (404). Services re-check
``ensure_can_write`` inside their transaction.

Who may not see full numbers finds a resident by the whole 16-digit NIK only, never by its first
digits (``can_search_nik_prefix``): a prefix search answered digit by digit gives every full
number back in a few dozen requests.
"""

from django.core.exceptions import PermissionDenied
from django.db import connections, models
from django.db.models import Value
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from sidekel.core.roles import Role


class Action(models.TextChoices):
    VIEW = "view", _("see a village's data")
    CHANGE = "change", _("change residents, families and events")
    REVEAL = "reveal", _("see full NIK and KK numbers")
    IMPORT = "import", _("import a spreadsheet")
    RESTORE = "restore", _("see and restore deleted residents")
    SUBMIT = "submit", _("submit the monthly recap")
    APPROVE = "approve", _("approve the monthly recap")
    PUBLISH = "publish", _("publish news and the village profile")
    KECAMATAN = "kecamatan", _("see every village side by side")
    SIGN = "sign", _("sign letters")
    LETTER = "letter", _("draft letters for residents")
    MODERATE = "moderate", _("moderate citizens' messages")
    ACCOUNTS = "accounts", _("manage accounts")
    BACKUP = "backup", _("see whether the data is backed up")
    CATALOGUE = "catalogue", _("change the catalogue of village indicators")


ALL, OWN = "all", "own"
A = Action
PERMISSIONS = {
    Role.ADMIN_KECAMATAN: {A.VIEW: ALL, A.CHANGE: ALL, A.REVEAL: ALL, A.IMPORT: ALL, A.RESTORE: ALL,
                           A.APPROVE: ALL, A.PUBLISH: ALL, A.KECAMATAN: ALL, A.SIGN: ALL, A.MODERATE: ALL,
                           A.ACCOUNTS: ALL, A.LETTER: ALL, A.BACKUP: ALL, A.CATALOGUE: ALL},
    Role.CAMAT: {A.VIEW: ALL, A.APPROVE: ALL, A.KECAMATAN: ALL, A.SIGN: ALL},
    Role.OPERATOR: {A.VIEW: OWN, A.CHANGE: OWN, A.REVEAL: OWN, A.IMPORT: OWN, A.SUBMIT: OWN, A.PUBLISH: OWN,
                    A.MODERATE: OWN, A.LETTER: OWN},
    Role.KEPALA_DESA: {A.VIEW: OWN, A.REVEAL: OWN, A.SUBMIT: OWN, A.SIGN: OWN},
}


def _active(user):
    return user is not None and user.is_authenticated and user.is_active


def role_of(user):
    """The user's role as the table knows it (a superuser acts as the kecamatan admin); None if inactive."""
    if not _active(user):
        return None
    return Role.ADMIN_KECAMATAN if user.is_superuser else user.role


def scope_of(user, action):
    """ALL, OWN or None: where ``user`` may take ``action``."""
    return PERMISSIONS.get(role_of(user), {}).get(Action(action))


def permits(user, action, desa=None):
    """May ``user`` take ``action`` in village ``desa`` (a Desa or an id; None: the whole kecamatan)?"""
    scope = scope_of(user, action)
    if scope == ALL:
        return True
    if scope != OWN or desa is None:
        return False
    return getattr(desa, "id", desa) in desa_ids_for(user)


def permits_somewhere(user, action):
    """May ``user`` take ``action`` in at least one village (a menu link, a list of villages)?"""
    scope = scope_of(user, action)
    return scope == ALL or (scope == OWN and bool(desa_ids_for(user)))


def ensure_permits(user, action, desa=None):
    """PermissionDenied unless ``user`` may; ``None`` is the system itself (commands, the demo)."""
    if user is not None and not permits(user, action, desa):
        raise PermissionDenied(_("Your role may not %(action)s here.") % {"action": Action(action).label})


def desa_ids_for(user):
    """The ids of the villages ``user`` may read, or None for every village."""
    if not _active(user):
        return set()
    if scope_of(user, Action.VIEW) == ALL:
        return None
    cached = getattr(user, "_sidekel_desa_ids", None)
    if cached is None:
        cached = user._sidekel_desa_ids = {village.id for village in assigned_villages(user)}
    return cached


def assigned_villages(user):
    """The villages ``user`` is assigned to, as rows, read once per user object (a request's
    user): ``desa_ids_for`` takes their ids from them, so a page that shows the villages and
    scopes its queries by them reads them in one statement."""
    rows = getattr(user, "_sidekel_desa_rows", None)
    if rows is None:
        rows = user._sidekel_desa_rows = list(user.desa.all())
    return rows


def can_see_desa(user, desa_id):
    ids = desa_ids_for(user)
    return ids is None or desa_id in ids


def can_write_desa(user, desa_id):
    """May ``user`` change residents of this village? ``None`` is the system itself."""
    return user is None or permits(user, Action.CHANGE, desa_id)


def can_reveal_identity(user, desa_id):
    """May ``user`` see full NIK and KK numbers of this village's residents?"""
    return permits(user, Action.REVEAL, desa_id)


def can_search_nik_prefix(user, desa_ids=None):
    """May ``user`` find residents by the first digits of a NIK (or KK number)? Only who may see
    full numbers in every village the search covers: ``desa_ids``, or all the user's villages.
    Anyone else finds a resident by the whole 16 digits only, and a partial number finds nobody.
    """
    ids = desa_ids_for(user) if desa_ids is None else set(desa_ids)
    if ids is None:  # every village of the installation
        return permits(user, Action.REVEAL)
    return bool(ids) and all(can_reveal_identity(user, desa_id) for desa_id in ids)


def can_write_any(user):
    return permits_somewhere(user, Action.CHANGE)


def ensure_can_write(user, desa_id):
    if not can_write_desa(user, desa_id):
        raise PermissionDenied(_("You may not change data of this village."))


class DesaScopedQuerySet(models.QuerySet):
    """A queryset of rows that belong to one desa through the ``desa`` field."""

    desa_lookup = "desa_id"
    # On PostgreSQL, compare the village as a bigint, the column's type: a GIN index made with
    # btree_gin (penduduk's names) has no comparison across integer types, and a plain number is
    # sent as int4.
    typed_desa_ids = False

    def in_village(self, desa_id):
        """These rows, of one village (compared as the column's type where ``typed_desa_ids``)."""
        if self.typed_desa_ids and connections[self.db].vendor == "postgresql":
            return self.filter(**{self.desa_lookup: Cast(Value(int(desa_id)), models.BigIntegerField())})
        return self.filter(**{self.desa_lookup: desa_id})

    def for_user(self, user):
        ids = desa_ids_for(user)
        if ids is None:
            return self
        if self.typed_desa_ids and len(ids) == 1:  # (a list of several cannot be a GIN index condition anyway)
            return self.in_village(next(iter(ids)))
        return self.filter(**{f"{self.desa_lookup}__in": ids})
