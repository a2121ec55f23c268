"""Forms of the school screens. They only shape the input: the rules are in ``rules`` and the
checks that need the database (NPSN already used, RT of the village) in ``services``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sidekel.penduduk.forms import RtChoiceField, apply_errors  # noqa: F401 (re-exported for the views)
from sidekel.wilayah.models import Rt

from . import rules
from .choices import KELAS, KONDISI, Jenjang, Kementerian, StatusSekolah


class SekolahForm(forms.Form):
    npsn = forms.CharField(label="NPSN", max_length=20, help_text=_("8 digits, from Dapodik or EMIS."))
    nama = forms.CharField(label=_("Name"), max_length=150)
    jenjang = forms.ChoiceField(label=_("Level"), choices=Jenjang.choices)
    status = forms.ChoiceField(label=_("Status"), choices=StatusSekolah.choices)
    kementerian = forms.ChoiceField(label=_("Ministry"), choices=Kementerian.choices)
    alamat = forms.CharField(label=_("Address"), max_length=200, required=False)
    rt = RtChoiceField(label=_("Dusun / RW / RT"), queryset=Rt.objects.none(), required=False)
    lintang = forms.CharField(label=_("Latitude"), required=False, help_text=_("For example -2.6812 (optional)."))
    bujur = forms.CharField(label=_("Longitude"), required=False, help_text=_("For example 111.6273 (optional)."))
    kepala_nama = forms.CharField(label=_("Head of school"), max_length=100, required=False)
    kepala_telepon = forms.CharField(label=_("Head's telephone"), max_length=20, required=False)

    def __init__(self, *args, desa, sekolah=None, **kwargs):
        if sekolah is not None and not args and "initial" not in kwargs:
            kwargs["initial"] = {f: getattr(sekolah, f) for f in self.base_fields if f != "rt"} | {"rt": sekolah.rt_id}
        super().__init__(*args, **kwargs)
        self.fields["rt"].queryset = Rt.objects.filter(desa=desa).select_related("dusun__desa", "rw")

    def clean_npsn(self):
        return rules.clean_npsn(self.cleaned_data["npsn"])


class DataForm(forms.Form):
    """One school year of a school: a pair of fields (L, P) per grade of its level."""

    tahun_ajaran = forms.CharField(label=_("School year"), max_length=9, help_text=_("For example 2025/2026."))
    guru = forms.IntegerField(label=_("Teachers"), min_value=0, max_value=rules.MAX_GURU)

    def __init__(self, *args, sekolah, **kwargs):
        super().__init__(*args, **kwargs)
        self.kelas = KELAS[Jenjang(sekolah.jenjang)]
        self.grade_rows = []
        for kelas in self.kelas:
            pair = []
            for sex, label in (("l", _("men")), ("p", _("women"))):
                name = rules.field_name(kelas, sex)
                self.fields[name] = forms.IntegerField(label=f"{kelas} · {label}", min_value=0,
                                                       max_value=rules.MAX_MURID_KELAS, initial=0)
                pair.append(name)
            self.grade_rows.append((kelas, pair))
        for field, label in KONDISI:
            self.fields[field] = forms.IntegerField(label=_("Classrooms: %(kondisi)s") % {"kondisi": label},
                                                    min_value=0, max_value=rules.MAX_RUANG, initial=0)

    def grades(self):
        return [(kelas, [self[name] for name in names]) for kelas, names in self.grade_rows]

    def clean_tahun_ajaran(self):
        return rules.clean_tahun_ajaran(self.cleaned_data["tahun_ajaran"])

    def values(self):
        d = self.cleaned_data
        return {"murid": {kelas: [d[names[0]], d[names[1]]] for kelas, names in self.grade_rows},
                **{f: d[f] for f in ("guru", "ruang_baik", "ruang_rusak_ringan", "ruang_rusak_berat")}}

    @staticmethod
    def initial_from(row):
        initial = {"tahun_ajaran": row.tahun_ajaran, "guru": row.guru, "ruang_baik": row.ruang_baik,
                   "ruang_rusak_ringan": row.ruang_rusak_ringan, "ruang_rusak_berat": row.ruang_rusak_berat}
        for kelas, pair in row.murid.items():
            initial[rules.field_name(kelas, "l")], initial[rules.field_name(kelas, "p")] = pair
        return initial


class UnitForm(forms.Form):
    """The part of a village whose out-of-school children are listed."""

    bagian = forms.ChoiceField(label=_("Part of the village"), required=False)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bagian"].choices = choices


class ImportForm(forms.Form):
    """A file of schools or of a school year's figures for one village; it is checked first (a dry run)."""

    desa = forms.ModelChoiceField(label=_("Village"), queryset=None, empty_label=None)
    jenis = forms.ChoiceField(label=_("The file holds"), choices=[("sekolah", _("schools")),
                                                                 ("data", _("a school year's figures"))])
    berkas = forms.FileField(label=_("File (XLSX, ODS or CSV)"))

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["desa"].queryset = villages
