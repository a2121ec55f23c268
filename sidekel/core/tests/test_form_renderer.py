"""The form renderer that writes common widgets in Python (core.forms.QuickFormRenderer) prints
exactly what Django's widget templates print: the same fields drawn by both are compared."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.conf import settings
from django.db import connection
from django.forms.renderers import DjangoTemplates
from django.test.utils import CaptureQueriesContext
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from sidekel.core.forms import CodeChoiceField, QuickFormRenderer, ReadAtOnce

ODD = 'a "quoted" <b>bold</b> & \'single\''


class EveryKind(forms.Form):
    text = forms.CharField(initial=ODD, widget=forms.TextInput(attrs={"autocomplete": "off", "data-x": ODD}))
    empty = forms.CharField(required=False)
    number = forms.IntegerField(initial=12345)
    decimal = forms.DecimalField(initial=Decimal("1234.5"))
    email = forms.EmailField(initial="a@b.id")
    url = forms.URLField(required=False, assume_scheme="https")
    password = forms.CharField(widget=forms.PasswordInput(render_value=True), initial="rahasia")
    hidden = forms.IntegerField(widget=forms.HiddenInput, initial=7)
    date = forms.DateField(initial=datetime.date(2026, 12, 6), widget=forms.DateInput(attrs={"type": "date"}))
    moment = forms.DateTimeField(required=False)
    clock = forms.TimeField(initial=datetime.time(7, 30))
    checked = forms.BooleanField(initial=True)
    unchecked = forms.BooleanField(required=False, widget=forms.CheckboxInput(attrs={"disabled": True}))
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), initial=ODD + "\nbaris dua")
    no_notes = forms.CharField(widget=forms.Textarea, required=False)
    safe = forms.CharField(initial=mark_safe("<i>aman</i>"))
    choice = forms.ChoiceField(choices=[("", "---"), (1, "Satu"), (2, ODD), ("3", gettext_lazy("Sex"))], initial=2)
    groups = forms.ChoiceField(choices=[("Buah", [("a", "Apel"), ("b", "Belimbing")]), ("c", "Cabai")], initial="b")
    numbers = forms.TypedChoiceField(choices=[(1000, 1000), (2000, 2500.5)], coerce=int, initial=1000)
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y")], initial=["x", "y"])
    radio = forms.ChoiceField(choices=[("r", "R")], widget=forms.RadioSelect)  # drawn by its template


def drawn(form_class, renderer, **kwargs):
    form = form_class(renderer=renderer, **kwargs)
    return {name: str(form[name]) for name in form.fields}


@pytest.mark.parametrize("data", [None, {"text": ODD + "x", "number": "not a number", "choice": "1",
                                         "groups": "c", "many": ["y"], "checked": "", "notes": "<script>"}])
def test_every_kind_of_widget_is_drawn_as_django_draws_it(data):
    kwargs = {} if data is None else {"data": data}
    quick = drawn(EveryKind, QuickFormRenderer(), **kwargs)
    django = drawn(EveryKind, DjangoTemplates(), **kwargs)
    for name in EveryKind.base_fields:
        assert quick[name] == django[name], name
    assert "&quot;quoted&quot; &lt;b&gt;" in quick["text"]  # the odd text is escaped, not dropped
    if data is None:  # text marked safe is printed as it is, by both
        assert quick["safe"] == '<input type="text" name="safe" value="<i>aman</i>" required id="id_safe">'


def test_it_is_the_renderer_of_every_form():
    assert settings.FORM_RENDERER == "sidekel.core.forms.QuickFormRenderer"


def test_the_resident_form_is_drawn_as_django_draws_it(keluarga_budi):
    from sidekel.penduduk.forms import PendudukForm

    person = keluarga_budi[1]
    quick = drawn(PendudukForm, QuickFormRenderer(), instance=person, desa=person.desa)
    django = drawn(PendudukForm, DjangoTemplates(), instance=person, desa=person.desa)
    assert quick == django
    assert f'<option value="{person.rt_id}" selected>' in quick["rt"]


def test_model_choices_read_at_once_are_the_choices_django_reads(keluarga_budi):
    from sidekel.penduduk.forms import PendudukForm
    from sidekel.wilayah.services import ensure_rt

    person = keluarga_budi[1]
    ensure_rt(person.desa, "002", None, "Sumber Rejeki")
    form = PendudukForm(instance=person, desa=person.desa)
    assert form.fields["rt"].iterator is ReadAtOnce
    with CaptureQueriesContext(connection) as ours_read:
        ours = list(form.fields["rt"].choices)
    form.fields["rt"].iterator = forms.models.ModelChoiceIterator
    with CaptureQueriesContext(connection) as django_read:
        assert ours == list(form.fields["rt"].choices)
    ours_sql = [q["sql"] for q in ours_read.captured_queries]
    # the same statements, but none through a cursor on the server (PostgreSQL: DECLARE ... FOR SELECT)
    assert not any(sql.startswith("DECLARE") for sql in ours_sql)
    assert ours_sql == [sql.split(" FOR ", 1)[1] if sql.startswith("DECLARE") else sql
                        for sql in (q["sql"] for q in django_read.captured_queries)]
    assert ours[0][0] == "" and [label[-6:] for _value, label in ours[1:]] == ["RT 001", "RT 002"]


def test_a_choice_among_rows_read_already_asks_nothing_more(rangda, raja, django_assert_num_queries):
    """RowChoiceField: the value sent is looked up among the form's rows; one not among them is
    refused as Django refuses it, and nothing is asked of the database either way."""
    from sidekel.core.forms import RowChoiceField
    from sidekel.wilayah.models import Desa

    class Pick(forms.Form):
        desa = RowChoiceField(queryset=Desa.objects.filter(pk=rangda.pk), to_field_name="kode", required=False)

    def pick(value):
        form = Pick({"desa": value})
        form.fields["desa"].rows = [rangda]
        with django_assert_num_queries(0):
            return form.is_valid(), form.cleaned_data.get("desa"), form.errors.get("desa")

    assert pick(rangda.kode) == (True, rangda, None)
    assert pick("") == (True, None, None)
    valid, _chosen, errors = pick(raja.kode)  # a village, but not one of the form's
    assert not valid and errors == [Pick.base_fields["desa"].error_messages["invalid_choice"]]


class CodeLists(forms.Form):
    sex = CodeChoiceField(required=False, coerce=int, empty_value=None,
                          choices=[("", gettext_lazy("All")), (1, gettext_lazy("Male")), (2, ODD)])


def test_a_code_list_is_shared_by_every_form_and_drawn_in_the_language_of_the_page():
    """CodeChoiceField: each form's field shares the class's choices (no copy per form), and
    QuickSelect draws their labels escaped once per language, the chosen option marked."""
    from django.utils import translation

    first, second = CodeLists(), CodeLists({"sex": "2"})
    assert first.fields["sex"].choices is second.fields["sex"].choices is CodeLists.base_fields["sex"].choices
    assert first.fields["sex"] is not CodeLists.base_fields["sex"]  # still a field of its own
    drawn = {}
    for language in ("id", "en", "id"):
        with translation.override(language):
            drawn.setdefault(language, []).append((str(first["sex"]), str(second["sex"])))
    (plain_id, chosen_id), again = drawn["id"]
    assert again == (plain_id, chosen_id)
    assert '<option value="" selected>Semua</option>' in plain_id and '<option value="1">Laki-laki</option>' in plain_id
    assert '<option value="" selected>All</option>' in drawn["en"][0][0]
    assert '<option value="">Semua</option>' in chosen_id
    assert '<option value="2" selected>a &quot;quoted&quot; &lt;b&gt;bold&lt;/b&gt; &amp; &#x27;single&#x27;</option>' in chosen_id
    assert plain_id.count(" selected") == chosen_id.count(" selected") == 1
    assert second.is_valid() and second.cleaned_data["sex"] == 2
