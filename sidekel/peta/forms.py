import json

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sidekel.core.forms import QuickSelect

from .choices import Lapisan
from .models import Kategori


class FiturForm(forms.Form):
    """A shape drawn on the map (the map fills ``geometri``; it can also be pasted as GeoJSON)."""

    lapisan = forms.ChoiceField(label=gettext_lazy("Layer"), choices=Lapisan.choices, initial=Lapisan.TEMPAT,
                                widget=QuickSelect)
    nama = forms.CharField(label=gettext_lazy("Name"), max_length=120, required=False)
    kategori = forms.ModelChoiceField(label=gettext_lazy("Category"), queryset=Kategori.objects.all(), required=False,
                                      widget=QuickSelect)
    keterangan = forms.CharField(label=gettext_lazy("Description"), max_length=300, required=False)
    publik = forms.BooleanField(label=gettext_lazy("Show on the public map"), required=False, initial=True)
    geometri = forms.CharField(label=gettext_lazy("Geometry (GeoJSON)"), widget=forms.Textarea(attrs={"rows": 3}),
                               help_text=gettext_lazy("Filled in when you draw on the map; or paste a GeoJSON geometry."))

    def clean_geometri(self):
        text = self.cleaned_data["geometri"].strip()
        try:
            value = json.loads(text)
        except ValueError as exc:
            raise forms.ValidationError(_("Draw the shape on the map first (the geometry is not GeoJSON).")) from exc
        if isinstance(value, dict) and value.get("type") == "Feature":
            value = value.get("geometry")
        if not isinstance(value, dict):
            raise forms.ValidationError(_("Draw the shape on the map first (the geometry is not GeoJSON)."))
        return value


IMPORT_LAYERS = [(Lapisan.BATAS, gettext_lazy("Village boundary")), (Lapisan.DUSUN, gettext_lazy("Dusun areas")),
                 (Lapisan.RW, gettext_lazy("RW areas")), (Lapisan.RT, gettext_lazy("RT areas")),
                 (Lapisan.TEMPAT, gettext_lazy("Places")), (Lapisan.GARIS, gettext_lazy("Lines (roads, rivers)")),
                 (Lapisan.AREA, gettext_lazy("Areas (land, hazard zones)"))]


class ImporForm(forms.Form):
    berkas = forms.FileField(label=gettext_lazy("File"), help_text=gettext_lazy(
        "GeoJSON, KML/KMZ, GPX, or a shapefile zipped with its .shp, .shx, .dbf and .prj."))
    lapisan = forms.ChoiceField(label=gettext_lazy("Layer"), choices=IMPORT_LAYERS)
    publik = forms.BooleanField(label=gettext_lazy("Show on the public map"), required=False, initial=True)
    uji = forms.BooleanField(label=gettext_lazy("Check only (dry run): list what would be refused, save nothing"),
                             required=False, initial=True)

    def clean_berkas(self):
        from .formats import MAX_GEO_BYTES

        upload = self.cleaned_data["berkas"]
        if upload.size > MAX_GEO_BYTES:  # refused before it is kept: the form's answer, no job
            raise forms.ValidationError(_("The file is larger than %(limit)d MB.") % {"limit": MAX_GEO_BYTES // 2**20})
        return upload


class FotoForm(forms.Form):
    """A place's photo: a new one, or taking the old one away."""

    foto = forms.FileField(label=gettext_lazy("Photo (JPEG or PNG, at most 8 MB)"), required=False,
                           help_text=gettext_lazy("Resized to 960 px; the camera's details and GPS position are removed."),
                           widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}))
    hapus = forms.BooleanField(label=gettext_lazy("Remove the photo"), required=False)

    def clean(self):
        data = super().clean()
        if not data.get("foto") and not data.get("hapus"):
            raise forms.ValidationError(_("Choose a photo, or tick 'Remove the photo'."))
        return data


class LokasiForm(forms.Form):
    keluarga = forms.IntegerField(widget=forms.HiddenInput)
    lon = forms.FloatField(label=gettext_lazy("Longitude"))
    lat = forms.FloatField(label=gettext_lazy("Latitude"))
