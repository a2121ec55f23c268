"""The profile form, one group at a time, built from the catalogue; every value is checked by the
one rule book (potensi.rules), field by field."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .choices import TIDAK, YA, Berlaku, Kelompok, Tipe
from .rules import as_text, clean_value


def field_for(indikator):
    label = indikator.label
    if indikator.tipe == Tipe.YA_TIDAK:
        return forms.ChoiceField(label=label, required=False, choices=[("", "-"), (YA, "Ya"), (TIDAK, "Tidak")])
    if indikator.tipe == Tipe.PILIHAN:
        return forms.ChoiceField(label=label, required=False, choices=[("", "-")] + [(c, c) for c in indikator.pilihan])
    attrs = {"inputmode": "decimal", "autocomplete": "off"} if indikator.tipe == Tipe.ANGKA else {"maxlength": 200}
    return forms.CharField(label=label, required=False, widget=forms.TextInput(attrs=attrs))


class ProfilForm(forms.Form):
    """Fields named by indicator code; ``initial`` from the saved values."""

    sumber = forms.CharField(label=_("Sources of these figures"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)

    def __init__(self, indicators, saved, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for i in indicators:
            self.fields[i.kode] = field_for(i)
            if i.id in saved:
                self.initial[i.kode] = as_text(i, *saved[i.id])

    def clean(self):
        data = super().clean()
        for i in self.indicators:
            try:
                clean_value(i, data.get(i.kode))
            except ValidationError as exc:
                self.add_error(i.kode, exc.messages)
        return data

    def values(self):
        """{kode: raw} of every field on the form (empty clears the value)."""
        return {i.kode: self.cleaned_data.get(i.kode) or "" for i in self.indicators}


class IndikatorForm(forms.Form):
    """A new indicator of the catalogue (the kecamatan admin)."""

    kode = forms.SlugField(label=_("Code"), max_length=40, allow_unicode=False,
                           widget=forms.TextInput(attrs={"pattern": "[a-z0-9.-]+"}))
    kelompok = forms.ChoiceField(label=_("Group"), choices=Kelompok.choices)
    subkelompok = forms.CharField(label=_("Sub-group"), max_length=60)
    nama = forms.CharField(label=_("Name"), max_length=120)
    satuan = forms.CharField(label=_("Unit"), max_length=20, required=False)
    tipe = forms.ChoiceField(label=_("Type"), choices=Tipe.choices)
    minimum = forms.DecimalField(label=_("Smallest value"), required=False, max_digits=16, decimal_places=3)
    maksimum = forms.DecimalField(label=_("Largest value"), required=False, max_digits=16, decimal_places=3)
    desimal = forms.IntegerField(label=_("Decimal places"), min_value=0, max_value=3, initial=0)
    pilihan = forms.CharField(label=_("Choices (one a line)"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    berlaku = forms.ChoiceField(label=_("Applies to"), choices=Berlaku.choices)

    def clean_kode(self):
        return self.cleaned_data["kode"].lower()

    def clean(self):
        data = super().clean()
        data["pilihan"] = [line.strip() for line in (data.get("pilihan") or "").splitlines() if line.strip()]
        if data.get("tipe") == Tipe.PILIHAN and len(data["pilihan"]) < 2:
            self.add_error("pilihan", _("Give at least two choices, one a line."))
        lo, hi = data.get("minimum"), data.get("maksimum")
        if lo is not None and hi is not None and lo > hi:
            self.add_error("maksimum", _("The largest value is smaller than the smallest."))
        return data
