import time

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from .choices import Jenis, Privasi, Status
from .models import Kategori

SALT = "aspirasi-form"


class KirimForm(forms.Form):
    """The public form. ``situs`` is a honeypot (hidden from people); ``mulai`` is the signed time
    the form was opened (a form sent within seconds is a robot's)."""

    tujuan = forms.ChoiceField(label=_("To"))
    jenis = forms.ChoiceField(label=_("Kind"), choices=Jenis.choices, widget=forms.RadioSelect, initial=Jenis.ASPIRASI)
    kategori = forms.ModelChoiceField(label=_("Category"), queryset=Kategori.objects.filter(aktif=True),
                                      empty_label=None)
    judul = forms.CharField(label=_("Title"), max_length=150)
    isi = forms.CharField(label=_("Your message"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6}),
                          help_text=_("At most 4,000 characters."))
    tempat = forms.CharField(label=_("Place (dusun, RT), optional"), max_length=100, required=False)
    foto1 = forms.FileField(label=_("Photos (JPEG or PNG, at most 5 MB each), optional"), required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}))
    foto2 = forms.FileField(label=_("Photo 2, optional"), required=False, widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}))
    foto3 = forms.FileField(label=_("Photo 3, optional"), required=False, widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}))
    nama = forms.CharField(label=_("Your name, optional"), max_length=100, required=False)
    kontak = forms.CharField(label=_("Phone or e-mail, optional (never shown to the public)"), max_length=100,
                             required=False)
    privasi = forms.ChoiceField(label=_("Who may see your report?"), choices=Privasi.choices, widget=forms.RadioSelect,
                                initial=Privasi.ANONIM)
    situs = forms.CharField(label=_("Leave this field empty"), required=False)
    mulai = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, tujuan_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tujuan"].choices = tujuan_choices
        if not self.is_bound:
            self.initial["mulai"] = signing.dumps(time.time(), salt=SALT)

    def seconds_open(self):
        """Seconds since the form was opened, or None if the stamp is missing or forged."""
        try:
            return time.time() - float(signing.loads(self.data.get("mulai", ""), salt=SALT))
        except (signing.BadSignature, TypeError, ValueError):
            return None


class VerifikasiForm(forms.Form):
    judul_publik = forms.CharField(label=_("Public title"), max_length=150)
    isi_publik = forms.CharField(label=_("Public text (remove names, numbers and addresses)"), max_length=4000,
                                 widget=forms.Textarea(attrs={"rows": 5}))
    catatan = forms.CharField(label=_("Note"), max_length=2000, required=False)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    catatan = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    diteruskan_ke = forms.CharField(label=_("Forwarded to (when forwarding)"), max_length=150, required=False)
    nomor_lapor = forms.CharField(label=_("SP4N-LAPOR! tracking number, if any"), max_length=40, required=False)

    def __init__(self, *args, aspirasi=None, **kwargs):
        super().__init__(*args, **kwargs)
        from .choices import NEXT

        nexts = NEXT[Status(aspirasi.status)] if aspirasi else []
        self.fields["status"].choices = [(s.value, s.label) for s in nexts if s != Status.DIVERIFIKASI]


class TanggapanForm(forms.Form):
    isi = forms.CharField(label=_("Answer"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))


class BalasForm(forms.Form):
    isi = forms.CharField(label=_("Add to your report"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class NilaiForm(forms.Form):
    nilai = forms.TypedChoiceField(label=_("How was your report handled?"), coerce=int,
                                   choices=[(i, str(i)) for i in range(1, 6)], widget=forms.RadioSelect)


class SembunyikanForm(forms.Form):
    alasan = forms.CharField(label=_("Reason for hiding"), max_length=300)


class GabungForm(forms.Form):
    ke = forms.CharField(label=_("Tracking code of the report to keep"), max_length=20)
