"""Form pieces every app uses: dates typed as dd-mm-yyyy, NIK and KK numbers as people type them."""

import copy
import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.forms.renderers import DjangoTemplates
from django.forms.utils import flatatt
from django.utils.formats import localize
from django.utils.html import conditional_escape as escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .nik import normalize_number, validate_nik, validate_nomor_kk

DATE_FORMATS = ["%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y"]
DATE_SHAPE = re.compile(r"^\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\s*$")


def impossible_date(text):
    """True for text written as a date (dd-mm-yyyy) whose day or month does not exist ("31-02-1956").
    Such a date is said to be impossible, not wrongly written (forms and the importer)."""
    match = DATE_SHAPE.match(str(text))
    if not match:
        return False
    day, month, year = map(int, match.groups())
    try:
        datetime.date(year, month, day)
    except ValueError:
        return True
    return False


IMPOSSIBLE_DATE = _("There is no date %(value)s: check the day and the month.")


class TanggalInput(forms.DateInput):
    """A date box that shows and accepts dd-mm-yyyy, and opens the number pad on a phone."""

    def __init__(self, attrs=None):
        super().__init__({"placeholder": "dd-mm-yyyy", "inputmode": "numeric", "autocomplete": "off", **(attrs or {})},
                         format="%d-%m-%Y")


class TanggalField(forms.DateField):
    widget = TanggalInput
    input_formats = DATE_FORMATS
    default_error_messages = {"invalid": _("Write the date as dd-mm-yyyy, e.g. 17-08-1990.")}

    def to_python(self, value):
        if isinstance(value, str) and impossible_date(value):
            raise ValidationError(IMPOSSIBLE_DATE, code="impossible", params={"value": value.strip()})
        return super().to_python(value)


class NomorField(forms.CharField):
    """A NIK or KK number as people type it: spaces, dots and dashes are allowed and taken out
    (``nik.normalize_number``), so the box takes more than 16 characters; the rules of the number
    (``default_validators``) then say what is wrong with the digits."""

    TYPED_LENGTH = 32  # "6201 0212 3456 0001" and worse fit

    def __init__(self, **kwargs):
        kwargs.pop("max_length", None)  # a ModelForm passes the model's 16: the typed text is longer
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_number(value) or self.empty_value

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "maxlength": str(self.TYPED_LENGTH), "inputmode": "numeric",
                "autocomplete": "off"}


class NikField(NomorField):
    default_validators = [validate_nik]


class NomorKKField(NomorField):
    default_validators = [validate_nomor_kk]


class RowChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField whose rows the form has read already (``rows``, a list): the value sent
    is found among them, not asked of the database again."""

    rows = None

    def to_python(self, value):
        if self.rows is None or value in self.empty_values:
            return super().to_python(value)
        key = self.to_field_name or "pk"
        for row in self.rows:
            if str(getattr(row, key)) == str(value):
                return row
        raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})


class ReadAtOnce(ModelChoiceIterator):
    """A ModelChoiceField's choices read in one statement. Django reads them with ``iterator()``,
    which on PostgreSQL opens a cursor on the server: three round trips, for a list (a village's
    RTs) of a few hundred rows at most. Use: ``iterator = ReadAtOnce`` on the field's class."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class QuickSelect(forms.Select):
    """A drop-down list written out in Python, for lists shown on every request (the filter bar).

    QuickFormRenderer already writes any Select without its templates, but from Django's context:
    a dict of attributes for every <option>. This widget writes the options straight from the
    choices. The HTML is the same, less the blank lines.
    """

    def use_required_attribute(self, initial):
        # Django's Select reads the first option to decide; for options read lazily from the
        # database that built the whole list a second time.
        return self.is_required and super().use_required_attribute(initial)

    def __init__(self, attrs=None, choices=()):
        super().__init__(attrs, choices)
        # {language: (choices, [(value as text, escaped value, escaped label)])}: a form's copy of the
        # widget shares this dict (copy.copy), so a code list shared by every form (SharedChoices)
        # has its labels translated and escaped once per language, not on every page.
        self._escaped = {}

    def _options(self):
        choices = self.choices
        language = get_language()
        known = self._escaped.get(language)
        if known is not None and known[0] is choices:
            return known[1]
        options = [(str(v), escape(v), escape(label)) for v, label in choices]
        if isinstance(choices, list):  # a list kept by the field; not a queryset's iterator, read anew each time
            self._escaped[language] = (choices, options)
        return options

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        options = "\n".join(f'<option value="{v}"{" selected" if text in chosen else ""}>{label}</option>'
                             for text, v, label in self._options())
        return mark_safe(f'<select name="{escape(name)}"{flatatt(self.build_attrs(self.attrs, attrs))}>\n'
                         f"{options}\n</select>")


class SharedChoices:
    """For a choice field whose choices are the same on every form (a code list): each form's
    copy of the field shares them. Django copies and re-checks the choices of every choice field
    for every form it makes, then escapes every label again when it draws them (with QuickSelect,
    once per language instead)."""

    def __deepcopy__(self, memo):
        result = copy.copy(self)
        memo[id(self)] = result
        result.widget = copy.copy(self.widget)
        result.widget.attrs = self.widget.attrs.copy()
        result.error_messages = self.error_messages.copy()
        result.validators = self.validators[:]
        return result


class CodeChoiceField(SharedChoices, forms.TypedChoiceField):
    """A TypedChoiceField over a code list, shown with QuickSelect (see SharedChoices)."""

    widget = QuickSelect


# --- drawing widgets ---------------------------------------------------------------------------------

_WIDGETS = "django/forms/widgets/"
_INPUTS = {f"{_WIDGETS}{kind}.html" for kind in (
    "input", "text", "number", "email", "url", "password", "hidden", "date", "datetime", "time", "search", "tel",
    "color", "checkbox")}


def _text(value):
    """A value as ``{{ value }}`` prints it (autoescaped, numbers as the locale writes them)."""
    return escape(value if isinstance(value, str) else localize(value))


def _formatted(value):
    """A value as ``{{ value|stringformat:'s' }}`` prints it."""
    return escape(value if isinstance(value, SafeData) else str(value))


def _attrs(attrs):
    """Django's ``attrs.html``: `` name="value"``, a bare name for True, nothing for False."""
    return "".join(f" {escape(name)}" if value is True else f' {escape(name)}="{_formatted(value)}"'
                   for name, value in attrs.items() if value is not False)


class QuickFormRenderer(DjangoTemplates):
    """Django's form renderer, with the widgets of every form (text, number, date, hidden, checkbox,
    textarea, select) written out in Python: drawn through templates, the 30 fields of the
    resident form took most of the edit page's time (docs/benchmarks.md). Each fast path prints
    exactly what Django's own template prints (core/tests/test_form_renderer.py compares them);
    every other widget is drawn by its template as before. (This renderer, like Django's, reads
    Django's own widget templates before any app's, so an app cannot have overridden the ones
    written out here.)"""

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if widget is not None and template_name in _INPUTS:
            value = widget["value"]
            shown = "" if value is None else f' value="{_formatted(value)}"'
            return f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'
        if widget is not None and template_name == _WIDGETS + "textarea.html":
            value = widget["value"]
            return (f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n'
                    f'{_text(value) if value else ""}</textarea>')
        if widget is not None and template_name == _WIDGETS + "select.html":
            drawn = self._select(widget)
            if drawn is not None:
                return drawn
        return super().render(template_name, context, request)

    @staticmethod
    def _select(widget):
        parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{_text(group_name)}">')
            for option in group_choices:
                if option["template_name"] != _WIDGETS + "select_option.html":
                    return None
                parts.append(f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                             f'{_text(option["label"])}</option>\n')  # the option template's own line end
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return "".join(parts)
