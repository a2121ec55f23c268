"""The open-data catalogue: every dataset Sidekel publishes, defined once, here.

Both faces of the catalogue read this module: the JSON API (``/api/v1/data/``, in
``statistik/api.py``) and the public pages and files under ``/data/`` (``portal/opendata.py``).
Add, rename or describe a dataset here and both change together; do not copy the list anywhere
else. Every figure of every dataset comes from ``statistik.publik`` (the one public read path).

Every dataset is an aggregate (counts of people), never a list of persons, and is published
under CC BY 4.0. ``table`` says which published table it is: a category of
``choices.KATEGORI`` (also at ``/api/v1/statistik/<kategori>/``), ``keluarga`` (families by
size), ``peristiwa`` (monthly events), ``aspirasi-bulanan`` (citizens' reports per month), or one of the two kecamatan-wide lists (VILLAGES: each
village's headline figures; ALL_VILLAGES: every village's tables in one file).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .choices import KATEGORI

LICENCE = "CC-BY-4.0"
LICENCE_TITLE = "Creative Commons Attribution 4.0 International"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"


@dataclass(frozen=True)
class Dataset:
    slug: str  # as in URLs: /data/<slug>/ and /api/v1/data/<slug>/
    title: object
    description: object
    table: str  # what statistik.publik publishes: a KATEGORI slug, "keluarga", "peristiwa", VILLAGES, ALL_VILLAGES
    licence: str = LICENCE
    period: object = _("Today's figures (updated with every change of the village's data), and the last day of "
                       "each past month")

    @property
    def kategori(self):
        """The statistics category (a slug of choices.KATEGORI), or None."""
        return self.table if self.table in KATEGORI else None

    @property
    def kecamatan_only(self):
        """Published as one file for the kecamatan, not one per village."""
        return self.table in (VILLAGES, ALL_VILLAGES) or self.potensi is not None

    @property
    def potensi(self):
        """The group of the village profile (potensi wilayah) this dataset publishes, or None."""
        return self.table.removeprefix(POTENSI) if self.table.startswith(POTENSI) else None


VILLAGES, ALL_VILLAGES = "desa-kelurahan", "semua-desa"
ASPIRASI = "aspirasi-bulanan"  # citizens' reports per month (statistik.publik.aspirasi_monthly)
POTENSI = "potensi-"  # + a group of potensi.choices.Kelompok: every village's approved profile values
POTENSI_PERIOD = _("Each year whose village profile the kecamatan has approved")


DATASETS = {d.slug: d for d in [
    Dataset("desa-kelurahan", _("Villages and their population"),
            _("The desa and kelurahan of the kecamatan with their official codes (Kemendagri) and their number of "
              "living residents and families today."), VILLAGES),
    Dataset("penduduk-jenis-kelamin", _("Population by sex"),
            _("Living residents by sex, for the kecamatan and each village, today and at the end of each past month."), "jenis-kelamin"),
    Dataset("penduduk-umur", _("Population by five-year age group"),
            _("Living residents by age on the chosen date in five-year groups (0-4 ... 75+) and sex: the data of "
              "a population pyramid."), "umur"),
    Dataset("penduduk-kelompok-umur", _("Population in programme age groups"),
            _("Living residents under five, of school age, of working age and elderly, by sex. The groups "
              "overlap."), "kelompok-umur"),
    Dataset("penduduk-pendidikan", _("Population by education completed"),
            _("Living residents by the highest education completed as written on the family card (KK), by sex."),
            "pendidikan"),
    Dataset("penduduk-pendidikan-sedang", _("Population by education in progress"),
            _("Living residents by the schooling they are following now, by sex."), "pendidikan-sedang"),
    Dataset("partisipasi-sekolah", _("School participation"),
            _("Living residents aged 7-12, 13-15, 16-18 and 19-23 in school and not in school, by sex: the counts "
              "of the school participation rate (APS); the other ages in one row."), "partisipasi-sekolah"),
    Dataset("penduduk-pendidikan-dewasa", _("Education completed, aged 25 and over"),
            _("Living residents aged 25 and over by the highest education completed (KK), by sex; the younger "
              "residents in one row."), "pendidikan-dewasa"),
    Dataset("penduduk-pekerjaan", _("Population by occupation"),
            _("Living residents by occupation (SIAK code list), by sex."), "pekerjaan"),
    Dataset("penduduk-agama", _("Population by religion"),
            _("Living residents by religion, by sex."), "agama"),
    Dataset("penduduk-status-perkawinan", _("Population by marital status"),
            _("Living residents by marital status, by sex."), "status-perkawinan"),
    Dataset("penduduk-kewarganegaraan", _("Population by citizenship"),
            _("Living residents by citizenship, by sex."), "kewarganegaraan"),
    Dataset("penduduk-golongan-darah", _("Population by blood type"),
            _("Living residents by blood type, by sex."), "golongan-darah"),
    Dataset("penduduk-disabilitas", _("Population by disability"),
            _("Living residents by type of disability, by sex."), "disabilitas"),
    Dataset("penduduk-status-penduduk", _("Population by resident status"),
            _("Living residents by resident status (permanent or temporary), by sex."), "status-penduduk"),
    Dataset("keluarga", _("Families by number of members"),
            _("Families (Kartu Keluarga) by the number of their members living in the village."), "keluarga"),
    Dataset("peristiwa-bulanan", _("Monthly population events"),
            _("Births, deaths, moves in and moves out per month, for the last 12 months."), "peristiwa",
            period=_("The last 12 months")),
    Dataset(ASPIRASI, _("Citizens' suggestions and complaints per month"),
            _("Reports sent by citizens (saran dan masukan) per month by kind and category, the median days to a "
              "first answer and the share answered on time. Reports hidden as spam and merged duplicates are not "
              "counted; no report's text or sender is in it."), ASPIRASI, period=_("The last 12 months")),
    Dataset("potensi-sda", _("Village profiles: natural resources"),
            _("Each village's land use, crops, plantations, forests, livestock, fisheries, minerals, water and "
              "tourism as approved by the kecamatan: one row per village, indicator and year."), POTENSI + "sda",
            period=POTENSI_PERIOD),
    Dataset("potensi-kelembagaan", _("Village profiles: institutions"),
            _("Each village's government and community institutions (BPD, LPM, PKK, Karang Taruna, RT/RW, koperasi, "
              "BUMDes, adat, security) as approved by the kecamatan: one row per village, indicator and year."),
            POTENSI + "kelembagaan", period=POTENSI_PERIOD),
    Dataset("potensi-prasarana", _("Village profiles: infrastructure and facilities"),
            _("Each village's roads, bridges, water, sanitation, irrigation, power, telecommunication, markets, "
              "health, worship, sports and education facilities as approved by the kecamatan: one row per village, "
              "indicator and year."), POTENSI + "prasarana", period=POTENSI_PERIOD),
    Dataset(ALL_VILLAGES, _("All villages together"),
            _("Every population table of every village in one file: one row per village per code."), ALL_VILLAGES),
]}
