from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sidekel.core.forms import QuickSelect, TanggalField
from sidekel.wilayah.forms import UnitChoiceField
from sidekel.wilayah.models import Dusun, Rt, Rw, area_options


class PilihanForm(forms.Form):
    """What a statistics page shows: on which date, and for which part of a village."""

    tanggal = TanggalField(label=_("On date"), required=False)
    dusun = forms.ModelChoiceField(label=_("Dusun"), queryset=Dusun.objects.none(), required=False, empty_label=_("All"),
                                   widget=QuickSelect)
    rw = UnitChoiceField(label="RW", queryset=Rw.objects.none(), required=False, empty_label=_("All"),
                          widget=QuickSelect)  # "RW 001 · Melati"
    rt = forms.ModelChoiceField(label="RT", queryset=Rt.objects.none(), required=False, empty_label=_("All"),
                                widget=QuickSelect)

    def __init__(self, data, desa=None):
        super().__init__(data)
        if desa is None:
            for name in ("dusun", "rw", "rt"):
                del self.fields[name]
            return
        self.fields["dusun"].label = desa.sebutan_dusun_tampil
        # Submitted values are checked against these; the options come from the village's kept lists
        # (wilayah.models.area_options, as on the resident list), with no query per option.
        self.fields["dusun"].queryset = Dusun.objects.filter(desa=desa)
        self.fields["rw"].queryset = Rw.objects.filter(desa=desa)
        self.fields["rt"].queryset = Rt.objects.filter(desa=desa)
        options = area_options(desa)
        if not options[0]:
            del self.fields["dusun"]
        for level, name in enumerate(("dusun", "rw", "rt")):
            if name in self.fields:
                field = self.fields[name]
                field.choices = [("", field.empty_label)] + options[level]

    def clean_tanggal(self):
        tanggal = self.cleaned_data["tanggal"]
        if tanggal and tanggal > timezone.localdate():
            raise forms.ValidationError(_("Figures exist up to today; choose today or an earlier date."))
        return tanggal

    def choice(self):
        """(date, Unit or None) from valid input; today and the whole area for anything invalid."""
        from .services import Unit

        data = self.cleaned_data if self.is_valid() else {}
        for level in ("rt", "rw", "dusun"):
            if data.get(level):
                return data.get("tanggal") or timezone.localdate(), Unit(level, data[level].id)
        return data.get("tanggal") or timezone.localdate(), None
