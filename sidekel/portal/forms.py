from django import forms
from django.utils.translation import gettext_lazy as _

from sidekel.core.forms import DATE_FORMATS

from .models import Berita


class BeritaForm(forms.ModelForm):
    """The light editor: title, text (plain text, a blank line starts a paragraph), image, publish date."""

    desa = forms.ChoiceField(label=_("Published by"))
    gambar_baru = forms.ImageField(label=_("Image (JPEG or PNG, resized to 960 px)"), required=False)
    hapus_gambar = forms.BooleanField(label=_("Remove the image"), required=False)
    tanggal_terbit = forms.DateTimeField(
        label=_("Publish date"), input_formats=[f"{d} %H:%M" for d in DATE_FORMATS] + DATE_FORMATS,
        widget=forms.DateTimeInput(format="%d-%m-%Y %H:%M", attrs={"placeholder": "dd-mm-yyyy hh:mm"}),
        help_text=_("The item shows from this moment on. Write dd-mm-yyyy hh:mm."))

    class Meta:
        model = Berita
        fields = ["jenis", "judul", "isi", "keterangan_gambar", "tanggal_terbit", "diterbitkan"]
        widgets = {"isi": forms.Textarea(attrs={"rows": 10})}
        help_texts = {"isi": _("Plain text. A blank line starts a paragraph; lines starting with \"- \" make a list; "
                               "web addresses become links. HTML is shown as text.")}

    def __init__(self, *args, desa_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["desa"].choices = desa_choices
        self.order_fields(["desa", "jenis", "judul", "isi", "gambar_baru", "keterangan_gambar", "hapus_gambar",
                           "tanggal_terbit", "diterbitkan"])
