"""Kependudukan: residents, families (KK), households and population events.

Fields follow SIAK and the Buku Induk Penduduk (Permendagri 47/2016). Code lists are in
``choices.py``. Every row carries a direct ``desa`` key and is read through ``for_user``.
Writes go through ``services.py``: that is where NIK rules, peristiwa and invariants are kept.
"""

import datetime
from contextlib import contextmanager

from django.core.exceptions import EmptyResultSet
from django.db import connections, models
from django.db.models import Q, Value
from django.db.models.functions import Concat
from django.db.models.lookups import GreaterThanOrEqual, LessThan
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sidekel.core import backup
from sidekel.core.nik import normalize_number, validate_nik, validate_nomor_kk
from sidekel.core.paging import plain_fields
from sidekel.core.scope import DesaScopedQuerySet, can_search_nik_prefix

from .choices import (
    Agama,
    DapatMembacaHuruf,
    Disabilitas,
    GolonganDarah,
    HubunganKeluarga,
    HubunganRumahTangga,
    JenisKelamin,
    JenisPeristiwa,
    Kewarganegaraan,
    PendidikanKK,
    PendidikanSedang,
    Pekerjaan,
    StatusDasar,
    StatusPenduduk,
    StatusPerkawinan,
)


class Timestamped(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


@contextmanager
def residents_inserted_in_bulk(adding):
    """Inside one transaction that inserts ``adding`` residents in bulk: keep the name search
    (``NameIndex``) and the residents' indexes up to date at the least cost; yield whether the
    table's indexes are being rebuilt (``core.bulk.indexes_built_after_insert``: a load that at
    least doubles the table, during which PostgreSQL readers of the table wait).

    On SQLite, the row triggers that copy each new resident into NameIndex and on into the words
    of names (NameWord) cost most of an import's time: they are dropped for the transaction and
    the new rows are copied in a few statements at the end, many times faster. They come back as
    migrations 0008 and 0012 made them, and a rollback restores them too. PostgreSQL's triggers
    copy a whole statement's rows (a COPY batch) at once, so they stay; NameIndex's trigram index
    is rebuilt at the end when the load doubles the table, like the residents' own indexes. The
    words of the new names are written at the end there too, in one statement in key order
    (migration 0012's POSTGRES_LATER and POSTGRES_NOW), so that each part of their key is
    written once rather than once a batch.
    """
    from importlib import import_module

    from sidekel.core.bulk import indexes_built_after_insert

    names = import_module("sidekel.penduduk.migrations.0008_name_index")
    words = import_module("sidekel.penduduk.migrations.0012_name_words")
    with indexes_built_after_insert(Penduduk, adding) as rebuilt, \
            indexes_built_after_insert(NameIndex, adding), _names_indexed_at_the_end(names.FILL, words):
        yield rebuilt


@contextmanager
def _names_indexed_at_the_end(fill, words, using="default"):
    """SQLite: the insert triggers of migrations 0008 and 0012 dropped, then at the end the new
    residents copied into NameIndex with ``fill`` (0008's INSERT ... SELECT) and their names'
    words into NameWord and Word (``words``: migration 0012). PostgreSQL: the words only, with
    the statements of that migration (its insert trigger notes the ids meanwhile)."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('sidekel.words_later', true)")
            outer = cursor.fetchone()[0] == "on"  # a load inside another: the outer one writes the words
            for sql in [] if outer else words.POSTGRES_LATER:
                cursor.execute(sql)
        yield
        with connection.cursor() as cursor:
            for sql in [] if outer else words.POSTGRES_NOW:
                cursor.execute(sql)
        return
    if connection.vendor != "sqlite":
        yield
        return
    triggers = ["penduduk_nameindex_insert", "penduduk_nameword_insert"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name IN (%s, %s)", triggers)
        definitions = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM penduduk_penduduk")
        last_id = cursor.fetchone()[0]
        for name in triggers:
            cursor.execute(f"DROP TRIGGER {name}")
    yield
    with connection.cursor() as cursor:
        # Rows inserted meanwhile are not in NameIndex, so its update and delete triggers found
        # nothing to change for them; they are copied now with their final values.
        cursor.execute(f"{fill} WHERE id > %s", [last_id])
        for sql in words.SQLITE_FILL:
            cursor.execute(sql, [last_id] if "%s" in sql else None)
        for sql in definitions:
            cursor.execute(sql)


# A restore (core/backup.py) loads residents like a large import, and leaves the name index to the triggers.
backup.loaded_in_bulk("penduduk.penduduk", residents_inserted_in_bulk)
backup.derived("penduduk.nameindex")
backup.derived("penduduk.nameword")
backup.derived("penduduk.word")


class NameKey(models.Func):
    """A name with case and spaces ignored (``"Siti  aminah"`` = ``"SITI AMINAH"``), in SQL.

    The literals are in the template, not parameters, so a query's expression is the same text as
    the index ``penduduk_by_lahir_nama`` and both databases use that index for it.
    """

    template = "REPLACE(LOWER(%(expressions)s), ' ', '')"
    output_field = models.CharField()


class Unindexed(models.Func):
    """A column's value that SQLite may not look up in an index (unary ``+``): a filter on it is
    checked row by row, so that the query walks the index of its ORDER BY instead
    (``PendudukFilterForm.filter``). On PostgreSQL it is the column itself: that planner
    estimates the matches from its statistics and walks the name index by itself when many
    match, while an expression it cannot estimate would make it guess one row and sort."""

    template = "%(expressions)s"

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="(+%(expressions)s)", **extra_context)


def index_hidden(field):
    """The text of ``field`` as an expression no index holds, on either database (the text with
    "" appended): a sort or a filter on it reads each row instead of asking an index of the
    field, where the index would cost more than it saves (``sorted_apart``; one or two letters,
    which a trigram index cannot look up)."""
    return Concat(field, Value(""))


def umur_pada(tanggal_lahir, pada):
    """Age in whole years on the date ``pada``."""
    return pada.year - tanggal_lahir.year - ((pada.month, pada.day) < (tanggal_lahir.month, tanggal_lahir.day))


class Alamat(models.Model):
    """An address inside a village, down to the RT where the village has RTs."""

    rt = models.ForeignKey("wilayah.Rt", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    alamat = models.CharField(_("address"), max_length=200, blank=True)

    class Meta:
        abstract = True


class Keluarga(Timestamped, Alamat):
    """A family as on one Kartu Keluarga.

    The KK number changes each time a new KK is issued, so it is not a key: the row keeps its id
    and every number it has had is in ``NomorKK``. The head is the member whose
    ``hubungan_keluarga`` is Kepala Keluarga.
    """

    desa = models.ForeignKey("wilayah.Desa", on_delete=models.PROTECT, related_name="+")
    nomor_kk = models.CharField(
        _("KK number"), max_length=16, null=True, blank=True, unique=True, validators=[validate_nomor_kk]
    )
    tanggal_kk = models.DateField(_("KK issue date"), null=True, blank=True)

    objects = DesaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "keluarga"
        verbose_name_plural = "keluarga"
        indexes = [models.Index(fields=["desa", "nomor_kk"])]

    def __str__(self):
        return f"KK {self.nomor_kk or '-'}"

    def get_absolute_url(self):
        return reverse("penduduk:keluarga", args=[self.pk])

    @property
    def kepala(self):
        return self.anggota.filter(
            hubungan_keluarga=HubunganKeluarga.KEPALA_KELUARGA, status_dasar=StatusDasar.HIDUP
        ).first()


class NomorKK(models.Model):
    """Every KK number a family has had, newest last."""

    desa = models.ForeignKey("wilayah.Desa", on_delete=models.PROTECT, related_name="+")
    keluarga = models.ForeignKey(Keluarga, on_delete=models.CASCADE, related_name="riwayat_nomor")
    nomor = models.CharField(_("KK number"), max_length=16, validators=[validate_nomor_kk])
    tanggal_terbit = models.DateField(_("issue date"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = DesaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("KK number history")
        verbose_name_plural = _("KK number history")
        ordering = ["keluarga", "id"]
        indexes = [models.Index(fields=["nomor"])]

    def __str__(self):
        return self.nomor


class RumahTangga(Timestamped, Alamat):
    """A household: the people who live and eat under one roof, possibly several KK."""

    desa = models.ForeignKey("wilayah.Desa", on_delete=models.PROTECT, related_name="+")
    nomor = models.CharField(_("household number"), max_length=30, blank=True)

    objects = DesaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "rumah tangga"
        verbose_name_plural = "rumah tangga"

    def __str__(self):
        return f"Rumah tangga {self.nomor or self.pk}"


TRIGRAM = 3  # the shortest text the trigram indexes of names can look up


def name_fragment(text):
    """What a name search looks for: spaces collapsed, and no % or _ (names hold none, so they
    are dropped rather than escaped)."""
    return " ".join(text.replace("%", "").replace("_", "").split())


def name_fragments(text):
    """The words of a name search: a resident matches when their name contains every one
    ("hari manul" finds "Hariyanto Manullang")."""
    return name_fragment(text).split()


def has_trigram_word(text):
    """Whether a word of the name search ``text`` is long enough (TRIGRAM letters) for the trigram
    indexes of names and of their words."""
    return any(len(fragment) >= TRIGRAM for fragment in name_fragments(text))


def short_in_one_village(text, desa):
    """Words of one or two letters only (too short for the trigram indexes: ``has_trigram_word``)
    searched within the one village ``desa``: that village's own rows are read rather than the
    name table."""
    return desa is not None and not has_trigram_word(text)


def number_query(text):
    """The digits of a search for a number (a NIK or part of one, typed with or without spaces,
    dots or dashes: nik.normalize_number), or None when ``text`` is looked for among the names."""
    digits = normalize_number(text)
    return digits if digits and digits.isascii() and digits.isdigit() else None


class PendudukQuerySet(DesaScopedQuerySet):
    def for_user(self, user):
        """Residents ``user`` may see; soft-deleted ones are only in ``deleted()``."""
        return super().for_user(user).filter(deleted_at__isnull=True)

    def deleted(self):
        return self.filter(deleted_at__isnull=False)

    def hidup(self):
        """Residents who live in their village now."""
        return self.filter(status_dasar=StatusDasar.HIDUP)

    def search(self, text, *, user, desa=None, walk_names=False):
        """Residents whose name contains ``text``, or, for a number (digits, spaces allowed), whose
        NIK is that number: the whole 16 digits for anyone, the first digits only for ``user``s who
        may see full numbers (``scope.can_search_nik_prefix``). A partial number from anyone else
        finds nobody, and is not looked for among the names either.

        ``walk_names``: the first digits of a NIK are checked row by row (``Unindexed``), and so
        are words of one or two letters in every village, so that a page sorted by name walks the
        name index (``PendudukFilterForm.filter``).

        ``desa``: the one village the query is limited to, if it is. The table ``name_table``
        picks is then asked for that village's matches only; for one or two letters (too short
        for the trigram indexes) the village's own rows are read instead of every name of the
        installation.
        """
        text = " ".join(text.split())
        if not text:
            return self
        number = number_query(text)
        if number is not None:
            if len(number) == 16:
                return self.filter(nik=number)
            if not can_search_nik_prefix(user, None if desa is None else [desa.id]):
                return self.none()
            # A range on the unique index: fast on both databases, unlike LIKE 'x%'.
            if walk_names:
                return self.filter(GreaterThanOrEqual(Unindexed("nik"), number), LessThan(Unindexed("nik"), number + ":"))
            return self.filter(nik__gte=number, nik__lt=number + ":")
        if short_in_one_village(text, desa) or (walk_names and not has_trigram_word(text)):
            qs = self
            for fragment in name_fragments(text):
                qs = qs.filter(nama__icontains=fragment)
            return qs
        names = gathering_table(text, one_village=desa is not None, using=self.db).objects.using(self.db)
        names = names if desa is None else names.in_village(desa.id)
        return self.filter(id__in=names.matching(text).values("id"))

    def search_sorted(self, text, order):
        """The queryset and sort for a page of ``search(text)`` results sorted by ``order``. On
        PostgreSQL, a name search sorted by name would walk the whole name index in order (the
        planner overestimates the matches, which may also lie far apart in name order); sorting
        by a copy of the name hides that index, so the trigram index finds the matches and they
        are sorted in memory. (Words of one or two letters match most names: the list decides for
        them by their count, ``views._sorted_by_name``.)"""
        text = " ".join(text.split())
        if number_query(text) is None and has_trigram_word(text) and order.lstrip("-") == "nama" \
                and connections[self.db].vendor == "postgresql":
            return self.sorted_apart(order)
        return self, order

    def sorted_apart(self, order):
        """The queryset and ``order`` (by name) with the name index hidden from the sort: the
        database finds the rows through the filters' indexes, then sorts them."""
        return self.annotate(nama_urut=index_hidden("nama")), order.replace("nama", "nama_urut")


class Penduduk(Timestamped, Alamat):
    """A resident, with the fields of the Buku Induk Penduduk and the KK."""

    # desa and keluarga need no index of their own: the composite indexes below start with them,
    # and every index costs time on each of a million inserts.
    desa = models.ForeignKey("wilayah.Desa", on_delete=models.PROTECT, related_name="+", db_index=False)
    nik = models.CharField("NIK", max_length=16, null=True, blank=True, unique=True, validators=[validate_nik])
    nama = models.CharField(_("full name"), max_length=100)
    jenis_kelamin = models.PositiveSmallIntegerField(_("sex"), choices=JenisKelamin.choices)
    tempat_lahir = models.CharField(_("place of birth"), max_length=100, blank=True)
    tanggal_lahir = models.DateField(_("date of birth"))
    agama = models.PositiveSmallIntegerField(_("religion"), choices=Agama.choices)
    pendidikan_kk = models.PositiveSmallIntegerField(_("last education"), choices=PendidikanKK.choices)
    pendidikan_sedang = models.PositiveSmallIntegerField(
        _("current schooling"), choices=PendidikanSedang.choices, null=True, blank=True
    )
    pekerjaan = models.PositiveSmallIntegerField(_("occupation"), choices=Pekerjaan.choices)
    status_perkawinan = models.PositiveSmallIntegerField(_("marital status"), choices=StatusPerkawinan.choices)
    perkawinan_tercatat = models.BooleanField(
        _("marriage/divorce registered"), default=False, help_text=_("Kawin Tercatat / Cerai Hidup Tercatat")
    )
    akta_perkawinan = models.CharField(_("marriage certificate number"), max_length=40, blank=True)
    tanggal_perkawinan = models.DateField(_("date of marriage"), null=True, blank=True)
    akta_perceraian = models.CharField(_("divorce certificate number"), max_length=40, blank=True)
    tanggal_perceraian = models.DateField(_("date of divorce"), null=True, blank=True)
    akta_lahir = models.CharField(_("birth certificate number"), max_length=40, blank=True)
    kewarganegaraan = models.PositiveSmallIntegerField(
        _("citizenship"), choices=Kewarganegaraan.choices, default=Kewarganegaraan.WNI
    )
    golongan_darah = models.PositiveSmallIntegerField(
        _("blood type"), choices=GolonganDarah.choices, null=True, blank=True
    )
    disabilitas = models.PositiveSmallIntegerField(_("disability"), choices=Disabilitas.choices, null=True, blank=True)
    nama_ayah = models.CharField(_("father's name"), max_length=100, blank=True)
    nik_ayah = models.CharField(_("father's NIK"), max_length=16, blank=True, validators=[validate_nik])
    nama_ibu = models.CharField(_("mother's name"), max_length=100, blank=True)
    nik_ibu = models.CharField(_("mother's NIK"), max_length=16, blank=True, validators=[validate_nik])
    dapat_membaca_huruf = models.CharField(
        _("can read"), max_length=3, choices=DapatMembacaHuruf.choices, blank=True
    )
    keluarga = models.ForeignKey(
        Keluarga, on_delete=models.PROTECT, null=True, blank=True, related_name="anggota", db_index=False
    )
    hubungan_keluarga = models.PositiveSmallIntegerField(
        _("relationship in the family"), choices=HubunganKeluarga.choices
    )
    rumah_tangga = models.ForeignKey(
        RumahTangga, on_delete=models.PROTECT, null=True, blank=True, related_name="anggota"
    )
    hubungan_rumah_tangga = models.PositiveSmallIntegerField(
        _("relationship in the household"), choices=HubunganRumahTangga.choices, null=True, blank=True
    )
    tanggal_mulai_tinggal = models.DateField(_("living here since"), null=True, blank=True)
    status_penduduk = models.PositiveSmallIntegerField(
        _("resident type"), choices=StatusPenduduk.choices, default=StatusPenduduk.TETAP
    )
    status_dasar = models.PositiveSmallIntegerField(
        _("life status"), choices=StatusDasar.choices, default=StatusDasar.HIDUP
    )
    version = models.PositiveIntegerField(default=1, help_text="Raised on every save; refuses a stale edit.")
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = PendudukQuerySet.as_manager()

    class Meta:
        verbose_name = "penduduk"
        verbose_name_plural = "penduduk"
        indexes = [
            # Starts like the list's filters; the rest lets statistics count a village's residents
            # from the index alone (about half the time of reading the table rows).
            models.Index(fields=["desa", "status_dasar", "deleted_at", "jenis_kelamin", "tanggal_lahir", "pekerjaan",
                                 "pendidikan_kk", "pendidikan_sedang", "agama", "status_perkawinan", "kewarganegaraan",
                                 "golongan_darah", "disabilitas", "status_penduduk", "keluarga", "rt"],
                         name="penduduk_statistik"),
            models.Index(fields=["desa", "nama"], name="penduduk_by_desa_nama"),
            # The first digits of a NIK searched in one village (the list asks for each prefix as
            # it is typed): the unique index of NIKs alone would walk every village's residents.
            # With status and deletion, a count of the matches reads the index alone.
            models.Index(fields=["desa", "nik", "status_dasar", "deleted_at"], name="penduduk_by_desa_nik"),
            models.Index(fields=["nama"], name="penduduk_by_nama"),
            models.Index(fields=["desa", "tanggal_lahir"], name="penduduk_by_desa_lahir"),
            models.Index(fields=["keluarga", "hubungan_keluarga"], name="penduduk_by_keluarga"),
            # Likely duplicates: same birth date and name (kualitas.py); one seek per resident.
            models.Index("tanggal_lahir", NameKey("nama"), name="penduduk_by_lahir_nama"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["keluarga"],
                condition=Q(hubungan_keluarga=HubunganKeluarga.KEPALA_KELUARGA, status_dasar=StatusDasar.HIDUP),
                name="penduduk_one_head_per_keluarga",
            ),
        ]

    def __str__(self):
        return self.nama

    def get_absolute_url(self):
        return reverse("penduduk:detail", args=[self.pk])

    def other_living_members(self):
        """The other living, not deleted members of this resident's family."""
        if self.keluarga_id is None:
            return Penduduk.objects.none()
        return self.keluarga.anggota.hidup().filter(deleted_at__isnull=True).exclude(pk=self.pk)

    def is_living_head_with_family(self):
        """Head of a family that has other living members (who must get a new head)."""
        return (
            self.hubungan_keluarga == HubunganKeluarga.KEPALA_KELUARGA
            and self.status_dasar == StatusDasar.HIDUP
            and self.other_living_members().exists()
        )

    def umur(self, pada=None):
        """Age in whole years on ``pada`` (default today)."""
        return umur_pada(self.tanggal_lahir, pada or datetime.date.today())


class NameIndexQuerySet(DesaScopedQuerySet):
    typed_desa_ids = True  # the trigram index of (village, name) on PostgreSQL (migration 0010)

    def for_user(self, user):
        """The names of the residents ``user`` may see (as ``Penduduk.objects.for_user``)."""
        return super().for_user(user).filter(deleted_at__isnull=True)

    def matching(self, text):
        """Names that contain every word of ``text`` (``name_fragments``), case ignored: in one
        village on PostgreSQL through the trigram index of (village, name) of migration 0010;
        otherwise (words of one or two letters, ``name_table``) each name checked in turn."""
        # A word of one or two letters has no trigram for PostgreSQL's index to look up: it would
        # read the whole index and then recheck every name. Such words check each name instead.
        qs = self.alias(nama_unindexed=index_hidden("nama"))
        hide_short = connections[self.db].vendor == "postgresql"
        for fragment in name_fragments(text):
            short = hide_short and len(fragment) < TRIGRAM
            qs = qs.filter(**{"nama_unindexed__icontains" if short else "nama__icontains": fragment})
        return qs


def reads_words(text, *, one_village, using="default"):
    """Whether a name search for ``text`` reads the words of names (``NameWord``): always across
    villages (a word of one or two letters too: the short list of words is checked word by word,
    and the rows of the few words that hold a rare pair of letters are all there is to read); in
    one village, on SQLite, for a word long enough for the words' trigram index. In one village
    PostgreSQL reads the name table instead: its trigram index of (village, name) (migration
    0010) finds that village's matches alone, where the words' rows of a common word are every
    village's. SQLite has no such index; its words beat reading each of the village's names
    (migration 0013). (Words of one or two letters in one village read that village's residents:
    ``short_in_one_village``.)"""
    if not one_village:
        return bool(name_fragments(text))
    return has_trigram_word(text) and connections[using].vendor == "sqlite"


def name_table(text, *, one_village, using="default"):
    """The narrow table a list of the names matching ``text`` is read from, sorted and counted:
    the words of names when ``reads_words``, else the name table. Both have the id and name of
    each resident, their village, status and deletion, a ``for_user`` and a ``matching``."""
    return NameWord if reads_words(text, one_village=one_village, using=using) else NameIndex


def gathering_table(text, *, one_village, using="default"):
    """The narrow table every match of ``text`` is gathered from (a search with a filter or sorted
    other than by name, a full count): ``name_table``'s, except for one or two letters that most
    words hold (``few_words_hold``), whose words' rows would be most of the words' rows: each name
    of the name table is checked once instead."""
    table = name_table(text, one_village=one_village, using=using)
    if table is NameWord and not has_trigram_word(text) and not few_words_hold(text, using=using):
        return NameIndex
    return table


class RowIdField(models.BigIntegerField):
    """A 64-bit primary key that SQLite keeps as the table's rowid (declared ``integer``, not
    ``bigint``): a row is then found by id in one B-tree search, not two."""

    def db_type(self, connection):
        return "integer" if connection.vendor == "sqlite" else super().db_type(connection)


class NameIndex(models.Model):
    """Each resident's village, name and status, and nothing else: what the words of names
    (``NameWord``) are kept from, and what a name search reads that does not read the words (one
    village on PostgreSQL, through the trigram index of (village, name); one or two letters
    across villages, each name checked in turn: the table is narrow and stays in memory). The
    rows are the residents' own (same id), copied by the database's triggers on every insert,
    change and delete (migration 0008), so no write path has to remember them.
    """

    id = RowIdField(primary_key=True)
    desa = models.ForeignKey("wilayah.Desa", on_delete=models.DO_NOTHING, related_name="+", db_index=False,
                             db_constraint=False)
    nama = models.CharField(max_length=100)
    status_dasar = models.PositiveSmallIntegerField()
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = NameIndexQuerySet.as_manager()

    def __str__(self):
        return self.nama


class NameWordQuerySet(DesaScopedQuerySet):
    fragment = None  # the word of a search looked up in the list of words (``matching``)

    def _clone(self):
        clone = super()._clone()
        clone.fragment = self.fragment
        return clone

    def for_user(self, user):
        """The words of the names of the residents ``user`` may see (as ``NameIndex``)."""
        return super().for_user(user).filter(deleted_at__isnull=True)

    def matching(self, text):
        """Each resident (id and name, once) whose name contains every word of ``text``: the
        longest word is looked up in the list of words (``Word``), whose trigram index finds the
        few hundred words that hold it (``words_holding``); the rows of those words give the residents (of one
        village, when filtered so: the village is checked on the key's rows), and their names
        are checked for the other words."""
        fragments = name_fragments(text)
        if not fragments:
            return self
        longest = max(fragments, key=len)
        qs = self.filter(word__in=words_holding(longest, using=self.db))
        qs.fragment = longest
        fragments.remove(longest)
        for fragment in fragments:
            qs = qs.filter(nama__icontains=fragment)
        return qs.distinct()

    def keyset_rows(self, ordering, fields, limit):
        """For ``core.paging.keyset_page``: the first ``limit`` rows (dicts of ``fields``) in
        ``ordering``, read as the first rows of each word, then the first of those. A word's rows
        lie in name order in the key, and a resident on the page is among the first ``limit``
        rows of one of their words, so the page reads a few rows a word, not every match.
        SQLite does this by itself (it leaves a value of an IN list once its rows can no longer
        reach the page); PostgreSQL is asked for it: each word joined to its first rows (LATERAL)."""
        qs = self.order_by(*ordering).values(*fields)
        if self.fragment is None or not plain_fields(self.model, fields) or connections[self.db].vendor != "postgresql":
            return list(qs[:limit])
        words, words_params = words_holding(self.fragment, using=self.db).query.sql_with_params()
        first = qs.filter(word=RawSQL("w.word", ()))
        first.query.distinct = False  # one word's rows are each a different resident
        try:
            inner, params = first[:limit].query.sql_with_params()
        except EmptyResultSet:  # none(): nothing to read
            return []
        qn = connections[self.db].ops.quote_name
        order = ", ".join(f"x.{qn(f.lstrip('-'))} {'DESC' if f.startswith('-') else 'ASC'}" for f in ordering)
        sql = (f"SELECT DISTINCT {', '.join(f'x.{qn(f)}' for f in fields)} FROM ({words}) w "
               f"CROSS JOIN LATERAL ({inner}) x ORDER BY {order} LIMIT {int(limit)}")
        with connections[self.db].cursor() as cursor:
            cursor.execute(sql, (*words_params, *params))
            return [dict(zip(fields, row)) for row in cursor.fetchall()]

    def keyset_count(self):
        """For ``core.paging.keyset_page``: how many residents these rows are (a resident has a
        row for each word of their name that holds the search's word)."""
        qs = self.order_by()
        qs.query.distinct = False
        return qs.aggregate(n=models.Count("id", distinct=True))["n"]

    def count(self):
        """How many residents ``matching`` found, as ``keyset_count``, also when sliced (a count
        up to a cap): each once, however many words of their name hold the search's word.

        Up to a cap, the first rows are read, twice as many as the cap: their residents number
        more than the cap (the usual case for a common word), or they are every row there is,
        else the residents are counted in full. Asked for its residents up to the cap directly,
        PostgreSQL would first gather every row of every word to make each resident distinct."""
        if not self.query.distinct:
            return super().count()
        low, high = self.query.low_mark, self.query.high_mark
        whole = self._chain()
        whole.query.clear_limits()
        if high is None:
            return max(0, whole.keyset_count() - low)
        rows = whole.order_by().values("id")
        rows.query.distinct = False
        first = rows[: 2 * high].aggregate(residents=models.Count("id", distinct=True), rows=models.Count("id"))
        residents = first["residents"] if first["residents"] >= high or first["rows"] < 2 * high else whole.keyset_count()
        return max(0, min(residents, high) - low)


def words_holding(fragment, using="default"):
    """The words of names (``Word``) that contain ``fragment``, case ignored, as a subquery: for
    three letters or more, on SQLite through the FTS5 trigram table (a phrase of that tokenizer
    is a substring, and the index alone answers it), on PostgreSQL through the trigram index;
    for one or two letters, which have no trigram to look up, by checking each word."""
    if len(fragment) < TRIGRAM:
        words = Word.objects.using(using).alias(word_unindexed=index_hidden("word"))
        return words.filter(word_unindexed__icontains=fragment).values("word")
    if connections[using].vendor == "sqlite":
        return RawSQL("SELECT word FROM penduduk_word WHERE id IN "
                      "(SELECT rowid FROM penduduk_word_fts WHERE penduduk_word_fts MATCH %s)",
                      ['"' + fragment.replace('"', '""') + '"'])
    return Word.objects.using(using).filter(word__icontains=fragment).values("word")


def few_words_hold(text, using="default"):
    """Whether few of the words of names (one in FEW_WORDS or fewer) hold the longest word of the
    name search ``text``: then the rows of those words are few, where a common pair of letters is
    held by most words and their rows are most of the words' rows."""
    fragments = name_fragments(text)
    if not fragments:
        return False
    holding = Q(word__in=words_holding(max(fragments, key=len), using=using))
    counts = Word.objects.using(using).aggregate(holding=models.Count("word", filter=holding), words=models.Count("word"))
    return counts["holding"] * FEW_WORDS <= counts["words"]


FEW_WORDS = 20


class NameWord(models.Model):
    """One word of one resident's name (words are what lies between spaces), with the name, id,
    village, status and deletion of the resident: a row for each distinct word of each name.

    A fragment of a search holds no space, so a name contains it exactly when one of the name's
    words does. A search across villages finds the words that hold its fragment in the short list
    of distinct words (``Word``), then reads their residents from this table's primary key, which
    holds every column the search needs. The database keeps both tables equal to the name table
    (``NameIndex``) through its triggers (migration 0012); nothing writes them otherwise.

    ``id`` is the resident's id, not this row's: a resident has a row for each word of their
    name. The row's key is (word, nama, id). Migration 0012 makes both tables in SQL, each
    database its own way (on SQLite the key is the table; on PostgreSQL it holds every column)."""

    pk = models.CompositePrimaryKey("word", "nama", "id")
    word = models.CharField(max_length=100)
    nama = models.CharField(max_length=100)
    id = models.BigIntegerField()
    desa = models.ForeignKey("wilayah.Desa", on_delete=models.DO_NOTHING, related_name="+", db_index=False,
                             db_constraint=False)
    status_dasar = models.PositiveSmallIntegerField()
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = NameWordQuerySet.as_manager()

    def __str__(self):
        return self.word


class Word(models.Model):
    """Each word that is in at least one resident's name, once (see ``NameWord``)."""

    word = models.CharField(max_length=100, primary_key=True)

    def __str__(self):
        return self.word


# The tables the database fills from the residents' names: a bulk load analyzes them with the residents.
NAME_TABLES = (NameIndex, NameWord, Word)


class PeristiwaQuerySet(DesaScopedQuerySet):
    def berlaku(self):
        """Events in force: not cancelled as recorded by mistake. Every count of the population
        on a past date, every book and every monthly figure reads these only."""
        return self.filter(dibatalkan_pada__isnull=True)


class Peristiwa(models.Model):
    """A population event: birth, death, move in, move out, missing, gone.

    Every change of a resident's status dasar or village is recorded here by a service, so the
    population of any village on any past date follows from today's count minus later events.
    An event recorded by mistake is not deleted but cancelled (``dibatalkan_pada``, with its
    reason): the history shows both, and the counts read the events in force (``berlaku``).
    """

    desa = models.ForeignKey("wilayah.Desa", on_delete=models.PROTECT, related_name="+")
    penduduk = models.ForeignKey(Penduduk, on_delete=models.PROTECT, related_name="peristiwa")
    jenis = models.PositiveSmallIntegerField(_("event"), choices=JenisPeristiwa.choices)
    tanggal = models.DateField(_("date"))
    tempat = models.CharField(_("place"), max_length=200, blank=True)
    asal_tujuan = models.CharField(
        _("origin or destination"), max_length=200, blank=True, help_text=_("Where they came from or went to.")
    )
    desa_asal_tujuan = models.ForeignKey(
        "wilayah.Desa",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The other village, for a move between villages of this installation."),
    )
    sebab = models.CharField(_("cause"), max_length=200, blank=True)
    keterangan = models.TextField(_("notes"), blank=True)
    koreksi = models.BooleanField(
        _("correction"), default=False,
        help_text=_("Recorded after the month's rekapitulasi was approved; the approved figures stay as they were."),
    )
    alasan_koreksi = models.CharField(_("reason for the correction"), max_length=300, blank=True)
    rt = models.ForeignKey(
        "wilayah.Rt", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text=_("The resident's RT in this village at the time, so figures per dusun/RW/RT hold for past dates."),
    )
    kepala_baru = models.ForeignKey(
        Penduduk, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text=_("The member who became head of the family because of this event."),
    )
    hubungan_kepala_baru = models.PositiveSmallIntegerField(
        _("relationship of the new head before"), choices=HubunganKeluarga.choices, null=True, blank=True
    )
    dibatalkan_pada = models.DateTimeField(_("cancelled"), null=True, blank=True)
    alasan_batal = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = PeristiwaQuerySet.as_manager()

    class Meta:
        verbose_name = "peristiwa"
        verbose_name_plural = "peristiwa"
        ordering = ["-tanggal", "-id"]
        indexes = [models.Index(fields=["desa", "tanggal", "jenis"], name="peristiwa_by_desa_tanggal")]

    def __str__(self):
        return f"{self.get_jenis_display()} {self.tanggal:%d-%m-%Y}"


def living_count(desa_ids):
    """{desa_id: living residents not deleted} (the resident list's default), kept per data version."""
    from sidekel.core.versioned import cached

    def count(desa_id):
        return Penduduk.objects.filter(desa_id=desa_id, deleted_at__isnull=True, status_dasar=StatusDasar.HIDUP).count()

    return cached(list(desa_ids), "hidup", count)
