from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Desa, Dusun, Rt, Rw, rw_with_dusun
from .services import PROFIL_FIELDS


class ProfilForm(forms.ModelForm):
    """The public profile of a village, for the kecamatan admin and the village's operator."""

    class Meta:
        model = Desa
        fields = PROFIL_FIELDS
        widgets = {"tentang": forms.Textarea(attrs={"rows": 5})}


class RenameForm(forms.Form):
    """A dusun's new name, or an RW's or RT's new number."""

    nama = forms.CharField(label=_("New name or number"), max_length=100)


def unit_choice_label(unit):
    """How a dusun, RW or RT is named in a list to choose from: an RW with its dusun."""
    if isinstance(unit, Rw):
        return rw_with_dusun(unit.nomor, unit.dusun.nama if unit.dusun_id else None)
    return str(unit)


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return unit_choice_label(obj)


class MergeForm(forms.Form):
    """The unit of the same kind and village that ``unit`` is merged into."""

    ke = UnitChoiceField(label=_("Merge into"), queryset=Dusun.objects.none(), empty_label=_("- choose -"),
                         error_messages={
                             "required": _("Choose the one to merge it into."),
                             "invalid_choice": _("Choose one from the list: another one of the same kind in this village.")})

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        model = type(unit)
        related = {Dusun: ["desa"], Rw: ["desa", "dusun__desa"], Rt: ["desa", "dusun__desa", "rw"]}[model]
        self.fields["ke"].queryset = (model.objects.filter(desa_id=unit.desa_id).exclude(pk=unit.pk)
                                      .select_related(*related))
