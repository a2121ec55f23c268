from django import forms
from django.utils.translation import gettext_lazy as _

from sidekel.core.forms import TanggalField

from .choices import JenisIsian


class SuratForm(forms.Form):
    """The type's extra fields and the purpose; ``services.clean_isian`` has the rules."""

    keperluan = forms.CharField(label=_("Purpose"), max_length=200, required=False)

    def __init__(self, jenis, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.jenis = jenis
        for field in jenis.isian:
            label = field.get("label", field["nama"]) + (" *" if field.get("wajib") else "")
            if field["jenis"] == JenisIsian.PILIHAN:
                self.fields[field["nama"]] = forms.ChoiceField(
                    label=label, required=False, choices=[("", "---")] + [(c, c) for c in field.get("pilihan", [])])
            elif field["jenis"] == JenisIsian.TANGGAL:
                self.fields[field["nama"]] = forms.CharField(label=label, required=False,
                                                             widget=TanggalField.widget())
            else:
                self.fields[field["nama"]] = forms.CharField(
                    label=label, required=False, max_length=500,
                    widget=forms.TextInput({"inputmode": "numeric"}) if field["jenis"] == JenisIsian.ANGKA else None)

    def isian(self):
        return {f["nama"]: self.cleaned_data.get(f["nama"], "") for f in self.jenis.isian}


class CabutForm(forms.Form):
    alasan = forms.CharField(label=_("Reason for revocation"), max_length=300,
                             widget=forms.Textarea({"rows": 3}))
