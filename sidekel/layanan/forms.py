from django import forms
from django.utils.translation import gettext_lazy as _

from sidekel.core.forms import TanggalField

from .choices import JenisIsian


class SuratForm(forms.Form):
    """The type's extra fields and the purpose; ``services.clean_isian`` has the rules."""

    keperluan = forms.CharField(label=_("Purpose"), max_length=200, required=False)

    def __init__(self, jenis, *args, keperluan_wajib=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.jenis = jenis
        if keperluan_wajib:  # a resident asking online says what for; the operator may leave it out
            self.fields["keperluan"].required = True
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


class TolakForm(forms.Form):
    alasan = forms.CharField(label=_("Reason for refusal (the resident reads it)"), max_length=300,
                             widget=forms.Textarea({"rows": 3}))


class MasukForm(forms.Form):
    """A resident signs in with their NIK and the PIN the village office gave them."""

    nik = forms.CharField(label=_("NIK (16 digits)"), max_length=30,
                          widget=forms.TextInput({"inputmode": "numeric", "autocomplete": "username"}))
    pin = forms.CharField(label=_("PIN from the village office (8 digits)"), max_length=20,
                          widget=forms.PasswordInput({"inputmode": "numeric", "autocomplete": "current-password"}))

    def clean_nik(self):
        nik = "".join(c for c in self.cleaned_data["nik"] if c.isdigit())
        if len(nik) != 16:
            raise forms.ValidationError(_("A NIK has 16 digits, as on the KTP or the KK."))
        return nik

    def clean_pin(self):
        from .services import PIN_DIGITS

        pin = "".join(c for c in self.cleaned_data["pin"] if c.isdigit())
        if len(pin) != PIN_DIGITS:
            raise forms.ValidationError(_("The PIN has %(n)d digits.") % {"n": PIN_DIGITS})
        return pin
