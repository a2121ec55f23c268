"""Potensi SDM (human resources): counted from the residents on the profile's reference date.

Never typed: every figure comes from ``statistik.services`` (the figures of any area on any date,
cached per village data version), so it agrees with the statistics pages. Frozen into
``Profil.sdm`` when the profile is submitted and again when it is approved.
"""

from django.utils.translation import gettext as _

from sidekel.statistik import services as statistik

# (slug of statistik.choices.KATEGORI, its heading in the profile)
TABLES = [("umur", "Struktur umur"), ("pendidikan", "Pendidikan"), ("pekerjaan", "Mata pencaharian"),
          ("agama", "Agama dan kepercayaan"), ("kewarganegaraan", "Kewarganegaraan"), ("disabilitas", "Disabilitas")]
SUMMARY = ["jumlah", "laki_laki", "perempuan", "keluarga", "anak", "produktif", "lansia"]


def hitung_sdm(desa, tanggal):
    """{"tanggal", "ringkasan": {...}, "tabel": [{"slug", "judul", "baris": [...]}]} for the village on ``tanggal``."""
    ringkasan = statistik.summary([desa.id], tanggal)[desa.id]
    tabel = []
    for slug, judul in TABLES:
        rows = [r.as_dict() for r in statistik.tabulate([desa.id], slug, tanggal)]
        tabel.append({"slug": slug, "judul": judul, "baris": [r for r in rows if r["jumlah"]]})
    return {"tanggal": tanggal.isoformat(), "ringkasan": {k: ringkasan[k] for k in SUMMARY}, "tabel": tabel}


def summary_labels():
    return {"jumlah": _("Residents"), "laki_laki": _("Male"), "perempuan": _("Female"), "keluarga": _("Families (KK)"),
            "anak": _("Aged 0-14"), "produktif": _("Aged 15-64"), "lansia": _("Aged 65 and over")}
