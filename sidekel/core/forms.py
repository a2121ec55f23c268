"""Form pieces every app uses: dates typed as dd-mm-yyyy."""

from django import forms
from django.utils.translation import gettext_lazy as _

DATE_FORMATS = ["%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y"]


class TanggalInput(forms.DateInput):
    """A date box that shows and accepts dd-mm-yyyy, and opens the number pad on a phone."""

    def __init__(self, attrs=None):
        super().__init__({"placeholder": "dd-mm-yyyy", "inputmode": "numeric", "autocomplete": "off", **(attrs or {})},
                         format="%d-%m-%Y")


class TanggalField(forms.DateField):
    widget = TanggalInput
    input_formats = DATE_FORMATS
    default_error_messages = {"invalid": _("Write the date as dd-mm-yyyy, e.g. 17-08-1990.")}
