"""The region tree: Provinsi > Kabupaten/Kota > Kecamatan > Desa/Kelurahan > Dusun > RW > RT.

Codes are the Kemendagri dotted strings (``62.01.02.2010``), kept as text. Rows get integer ids so
that a village whose code changes (a kelurahan that becomes a desa) keeps its data.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sidekel.core.scope import DesaScopedQuerySet

from .choices import SEBUTAN_DUSUN_DEFAULT, JenisDesa


class Provinsi(models.Model):
    kode = models.CharField(_("code"), max_length=2, unique=True)
    nama = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = "provinsi"
        verbose_name_plural = "provinsi"
        ordering = ["kode"]

    def __str__(self):
        return self.nama


class Kabupaten(models.Model):
    kode = models.CharField(_("code"), max_length=5, unique=True)
    nama = models.CharField(_("name"), max_length=100)
    provinsi = models.ForeignKey(Provinsi, on_delete=models.PROTECT, related_name="kabupaten")

    class Meta:
        verbose_name = "kabupaten/kota"
        verbose_name_plural = "kabupaten/kota"
        ordering = ["kode"]

    def __str__(self):
        return self.nama


class Kecamatan(models.Model):
    kode = models.CharField(_("code"), max_length=8, unique=True)
    nama = models.CharField(_("name"), max_length=100)
    kabupaten = models.ForeignKey(Kabupaten, on_delete=models.PROTECT, related_name="kecamatan")

    class Meta:
        verbose_name = "kecamatan"
        verbose_name_plural = "kecamatan"
        ordering = ["kode"]

    def __str__(self):
        return self.nama


class DesaQuerySet(models.QuerySet):
    def id_of(self, kode):
        """The id of the village with this code, or None."""
        return self.filter(kode=kode).values_list("id", flat=True).first() if kode else None

    def managed(self):
        """The villages this installation serves (not the rest of Indonesia's reference list)."""
        return self.filter(managed=True)

    def for_user(self, user):
        from sidekel.core.scope import desa_ids_for

        ids = desa_ids_for(user)
        qs = self.managed()
        return qs if ids is None else qs.filter(id__in=ids)

    def rows_for_user(self, user):
        """``for_user``'s villages as a list sorted by name. For a user assigned to villages, the
        rows read with their ids (``scope.assigned_villages``): no second statement."""
        from sidekel.core.scope import assigned_villages, desa_ids_for

        if desa_ids_for(user) is None:
            return list(self.managed().order_by("nama"))
        return sorted((village for village in assigned_villages(user) if village.managed),
                      key=lambda village: (village.nama, village.kode))


def served_ids():
    """The ids of the villages this installation serves: what the worker keeps figures of
    (``versioned.maintain``; one function, so the worker asks once for every app)."""
    return Desa.objects.managed().values_list("id", flat=True)


class Desa(models.Model):
    """A desa, kelurahan or desa adat."""

    kode = models.CharField(_("code"), max_length=13, unique=True)
    nama = models.CharField(_("name"), max_length=100)
    jenis = models.PositiveSmallIntegerField(_("type"), choices=JenisDesa.choices)
    kecamatan = models.ForeignKey(Kecamatan, on_delete=models.PROTECT, related_name="desa")
    managed = models.BooleanField(
        _("served by this installation"),
        default=False,
        help_text=_("Only villages served by this installation hold residents and appear on its pages."),
    )
    sebutan_dusun = models.CharField(
        _("name for a dusun"),
        max_length=30,
        blank=True,
        help_text=_('What this village calls its first subdivision, e.g. "Dusun" or "Lingkungan".'),
    )
    kode_pos = models.CharField(_("postal code"), max_length=5, blank=True)
    # The public profile (portal): the office, not residents. Edited by the kecamatan admin and
    # the village's operator through services.update_profil.
    nama_kepala = models.CharField(_("name of the head (kepala desa / lurah)"), max_length=100, blank=True)
    alamat_kantor = models.CharField(_("office address"), max_length=200, blank=True)
    telepon = models.CharField(_("office telephone"), max_length=30, blank=True)
    email = models.EmailField(_("office e-mail"), blank=True)
    jam_layanan = models.CharField(
        _("office hours"), max_length=200, blank=True, help_text=_("e.g. Monday-Friday 08.00-15.00 WIB"))
    tentang = models.TextField(_("about the village"), max_length=2000, blank=True,
                               help_text=_("A few sentences for the public page. Plain text; a blank line starts a paragraph."))

    objects = DesaQuerySet.as_manager()

    class Meta:
        verbose_name = "desa/kelurahan"
        verbose_name_plural = "desa/kelurahan"
        ordering = ["kode"]

    def __str__(self):
        return f"{self.get_jenis_display()} {self.nama}"

    @property
    def kode_ringkas(self):
        """The code without dots (``6201022010``), as many spreadsheets write it."""
        return self.kode.replace(".", "")

    @property
    def sebutan_kepala(self):
        """What the head of this village is called: Lurah in a kelurahan, Kepala Desa elsewhere."""
        return "Lurah" if self.jenis == JenisDesa.KELURAHAN else "Kepala Desa"

    @property
    def sebutan_dusun_tampil(self):
        return self.sebutan_dusun or SEBUTAN_DUSUN_DEFAULT[self.jenis]


class Dusun(models.Model):
    """First subdivision of a village ("lingkungan" in a kelurahan). Many villages have none."""

    desa = models.ForeignKey(Desa, on_delete=models.PROTECT, related_name="dusun")
    nama = models.CharField(_("name"), max_length=100)

    objects = DesaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "dusun/lingkungan"
        verbose_name_plural = "dusun/lingkungan"
        ordering = ["desa", "nama"]
        constraints = [models.UniqueConstraint(fields=["desa", "nama"], name="dusun_unique_per_desa")]

    def __str__(self):
        return dusun_label(self.desa, self.nama)


class Rw(models.Model):
    desa = models.ForeignKey(Desa, on_delete=models.PROTECT, related_name="rw")
    dusun = models.ForeignKey(Dusun, on_delete=models.PROTECT, null=True, blank=True, related_name="rw")
    nomor = models.CharField(_("number"), max_length=4)

    objects = DesaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "RW"
        verbose_name_plural = "RW"
        ordering = ["desa", "dusun", "nomor"]
        constraints = [
            models.UniqueConstraint(
                fields=["desa", "dusun", "nomor"], condition=Q(dusun__isnull=False), name="rw_unique_in_dusun"
            ),
            models.UniqueConstraint(
                fields=["desa", "nomor"], condition=Q(dusun__isnull=True), name="rw_unique_in_desa"
            ),
        ]

    def __str__(self):
        return rw_label(self.nomor)


class Rt(models.Model):
    """Rukun tetangga: the smallest unit an address points at.

    ``dusun`` is filled even when the RT sits under an RW, so that a village without RW still has
    its RT under a dusun, and a filter by dusun needs no join through RW.
    """

    desa = models.ForeignKey(Desa, on_delete=models.PROTECT, related_name="rt")
    dusun = models.ForeignKey(Dusun, on_delete=models.PROTECT, null=True, blank=True, related_name="rt")
    rw = models.ForeignKey(Rw, on_delete=models.PROTECT, null=True, blank=True, related_name="rt")
    nomor = models.CharField(_("number"), max_length=4)

    objects = DesaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "RT"
        verbose_name_plural = "RT"
        ordering = ["desa", "dusun", "rw", "nomor"]
        # One constraint per shape of village: RT under an RW, RT directly under a dusun, RT
        # directly under the village.
        constraints = [
            models.UniqueConstraint(fields=["rw", "nomor"], condition=Q(rw__isnull=False), name="rt_unique_in_rw"),
            models.UniqueConstraint(
                fields=["dusun", "nomor"],
                condition=Q(rw__isnull=True, dusun__isnull=False),
                name="rt_unique_in_dusun",
            ),
            models.UniqueConstraint(
                fields=["desa", "nomor"], condition=Q(rw__isnull=True, dusun__isnull=True), name="rt_unique_in_desa"
            ),
        ]

    def __str__(self):
        return rt_label(str(self.dusun) if self.dusun_id else None, self.rw.nomor if self.rw_id else None, self.nomor)


# --- how dusun, RW and RT are written -------------------------------------------------------------
# One rule each, for the models' __str__ and for lists that read plain values (no model objects).

def dusun_label(desa, nama):
    """"Dusun Melati" (or "Lingkungan Melati": what the village calls its dusun)."""
    return f"{desa.sebutan_dusun_tampil} {nama}"


def rw_label(nomor):
    return f"RW {nomor}"


def rw_with_dusun(nomor, dusun_nama):
    """"RW 001 · Mekar Sari": an RW in a list of the whole village's RWs, where several dusun
    may each have an RW 001."""
    return f"{rw_label(nomor)} · {dusun_nama}" if dusun_nama else rw_label(nomor)


def rt_label(dusun, rw_nomor, nomor):
    """"Dusun Melati / RW 002 / RT 003", leaving out the levels the RT has not. ``dusun`` is the
    dusun's label (dusun_label) or None."""
    parts = [dusun] if dusun else []
    if rw_nomor:
        parts.append(rw_label(rw_nomor))
    parts.append(f"RT {nomor}")
    return " / ".join(parts)


def area_options(desa):
    """The dusun, RW and RT of a village as three lists of (id, label), in the order their
    drop-down lists show them. The resident list's filter bar shows them on every page, so they
    are kept until any data changes (three plain queries, no model objects, to make them again)."""
    from sidekel.core.versioned import cached_until_any_change

    def compute():
        dusun = [(pk, dusun_label(desa, nama))
                 for pk, nama in Dusun.objects.filter(desa=desa).order_by("nama").values_list("id", "nama")]
        rw = [(pk, rw_with_dusun(nomor, dusun_nama)) for pk, nomor, dusun_nama in
              Rw.objects.filter(desa=desa).order_by("dusun__nama", "nomor").values_list("id", "nomor", "dusun__nama")]
        rt = [(pk, rt_label(dusun_label(desa, dusun_nama) if dusun_nama else None, rw_nomor, nomor))
              for pk, dusun_nama, rw_nomor, nomor in Rt.objects.filter(desa=desa)
              .order_by("dusun__nama", "rw__dusun__nama", "rw__nomor", "nomor")
              .values_list("id", "dusun__nama", "rw__nomor", "nomor")]
        return dusun, rw, rt

    return cached_until_any_change(f"wilayah-v2:{desa.id}", compute)


def villages_by_id(known, ids):
    """{desa id: Desa} with every id of ``ids``: those in ``known`` (villages read already, by
    id) and the others read here, in one query."""
    missing = set(ids) - known.keys()
    return {**known, **Desa.objects.in_bulk(missing)} if missing else known


def rt_labels(rt_ids, villages):
    """{rt id: label} for these RTs, in one query; ``villages`` is {desa id: Desa} of the ones
    already read (any other is read here)."""
    rows = list(Rt.objects.filter(id__in=set(rt_ids)).order_by().values_list("id", "desa_id", "dusun__nama", "rw__nomor", "nomor"))
    villages = villages_by_id(villages, {row[1] for row in rows})
    return {pk: rt_label(dusun_label(villages[desa_id], dusun_nama) if dusun_nama else None, rw_nomor, nomor)
            for pk, desa_id, dusun_nama, rw_nomor, nomor in rows}


class KualitasHarian(models.Model):
    """A village's data-quality score on one day (``penduduk/kualitas.py`` defines it).

    One row per village per day: written whenever the score is computed, the last computation of
    the day wins. ``sidekel kualitas hitung`` (cron) writes every village; the rows draw the trend.
    """

    desa = models.ForeignKey(Desa, on_delete=models.CASCADE, related_name="+")
    tanggal = models.DateField(_("date"))
    skor = models.FloatField(_("quality score"), null=True, help_text="None when the village has no residents.")
    penduduk = models.PositiveIntegerField(default=0, help_text="Living residents checked.")
    bermasalah = models.PositiveIntegerField(default=0, help_text="Living residents with at least one error finding.")
    jumlah = models.JSONField(default=dict, help_text="Findings per check: {code: count}.")
    kelengkapan = models.FloatField(_("required fields filled (%)"), null=True)
    dihitung_pada = models.DateTimeField(auto_now=True)

    objects = DesaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "kualitas harian"
        verbose_name_plural = "kualitas harian"
        ordering = ["desa", "tanggal"]
        constraints = [models.UniqueConstraint(fields=["desa", "tanggal"], name="kualitas_one_per_desa_per_day")]

    def __str__(self):
        return f"{self.desa} {self.tanggal}: {self.skor}"
