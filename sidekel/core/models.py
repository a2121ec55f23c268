"""Audit tables shared by every app: changes to personal data and access to it."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .scope import DesaScopedQuerySet


class LogEntry(models.Model):
    """What both logs record: when, in which village, by whom, from where.

    ``username`` is kept beside the user key, so the entry still names the person after the
    account is deactivated or renamed.
    """

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    desa = models.ForeignKey("wilayah.Desa", on_delete=models.PROTECT, null=True, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    username = models.CharField(_("by"), max_length=150)
    ip = models.GenericIPAddressField(null=True)

    objects = DesaScopedQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-at", "-id"]


class ObjectChange(LogEntry):
    """One create, update, delete or restore of a record, with its values before and after."""

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")
        RESTORE = "restore", _("restored")

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.BigIntegerField()
    object_repr = models.CharField(max_length=200)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)
    request_id = models.UUIDField(null=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta(LogEntry.Meta):
        verbose_name = _("change")
        verbose_name_plural = _("change history")
        indexes = [
            models.Index(fields=["content_type", "object_id", "-at"], name="change_by_object"),
            models.Index(fields=["desa", "-at"], name="change_by_desa"),
            # The newest change of a village: the version of its data that cached figures follow.
            models.Index(fields=["desa", "id"], name="change_version_by_desa"),
        ]


class AccessLog(LogEntry):
    """Someone viewed, searched, exported or revealed personal data (UU PDP Pasal 31)."""

    class Action(models.TextChoices):
        VIEW = "view", _("viewed")
        SEARCH = "search", _("searched")
        EXPORT = "export", _("exported")
        REVEAL = "reveal", _("revealed NIK/KK")

    action = models.CharField(max_length=10, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, related_name="+")
    object_id = models.BigIntegerField(null=True)
    detail = models.CharField(max_length=500, blank=True)

    class Meta(LogEntry.Meta):
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")


class Job(models.Model):
    """A long task (an import, a PDF, a large export) that the worker process runs while the user
    watches its progress (``core.jobs``).

    Progress lives in a small file beside the upload, because the task's own database transaction
    may hold SQLite's write lock until it ends.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("running")
        DONE = "done", _("finished")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled")

    kind = models.CharField(max_length=40)
    # None: a kecamatan-wide job (seen only by those who see every village)
    desa = models.ForeignKey("wilayah.Desa", on_delete=models.PROTECT, null=True, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True)
    finished_at = models.DateTimeField(null=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    filename = models.CharField(max_length=255)
    stored_file = models.CharField(max_length=255)
    options = models.JSONField(default=dict)
    result = models.JSONField(default=dict)
    message = models.TextField(blank=True)

    objects = DesaScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    @property
    def active(self):
        """Waiting for the worker or running: not yet ended."""
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class DataVersion(models.Model):
    """One row: a number that goes up after every committed write of audited data.

    The whole-answer cache of public pages (``core.pagecache``) keeps an answer under this
    version: reading it is one query by primary key, and any change of residents, news or a
    village's profile makes every stored answer old at once. ``token`` is random, made when the
    row is made, so a rebuilt database (``sidekel demo --reset``) never matches an old answer.
    """

    token = models.CharField(max_length=32)
    number = models.BigIntegerField(default=0)
    # The number as of the worker's last round (``versioned.publish``): while a worker runs, the
    # public answers are kept under it, so they are made again once a round, not after each write.
    published = models.BigIntegerField(default=0)


class Sequence(models.Model):
    """One counter of ``core.numbering``: the last value handed out under ``key``.

    Any app that numbers things (letters, receipts) keeps its counters here, one row per key, e.g.
    ``surat:62.01.02.2010:2026`` (per village and year) or ``surat:62.01.02.2010:2026:sktm``.
    """

    key = models.CharField(max_length=200, unique=True)
    value = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = "urutan nomor"
        verbose_name_plural = "urutan nomor"

    def __str__(self):
        return f"{self.key}: {self.value}"


class StoredFigure(models.Model):
    """A result kept until the data it comes from changes (``core.versioned``): one village's figures
    (``owner`` is the village's id) or a drawing of a kecamatan's public tables (``owner`` 0, the
    kecamatan in the key). One row per key and owner, replaced when its version moves on.

    ``value`` is the result as pickled by Python: written and read by Sidekel only, like Django's
    own database cache."""

    owner = models.IntegerField()
    key = models.CharField(max_length=200)
    version = models.CharField(max_length=64)
    value = models.BinaryField()
    made_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "owner"], name="core_storedfigure_key_owner")]


class FigureVersion(models.Model):
    """Per village: the data version (its newest audited change) at which the worker last made its
    maintained figures, and the day they are for (ages move on at midnight)."""

    desa_id = models.IntegerField(primary_key=True)
    version = models.BigIntegerField()
    day = models.DateField()
