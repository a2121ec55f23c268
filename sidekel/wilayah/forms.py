from django import forms

from .models import Desa
from .services import PROFIL_FIELDS


class ProfilForm(forms.ModelForm):
    """The public profile of a village, for the kecamatan admin and the village's operator."""

    class Meta:
        model = Desa
        fields = PROFIL_FIELDS
        widgets = {"tentang": forms.Textarea(attrs={"rows": 5})}
