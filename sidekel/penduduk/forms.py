"""Forms of the operator screens. They parse and show input; the rules of a valid resident are in
rules.py (the forms call them to show their messages on the fields before anything is saved) and
the services check them again, with what needs the database, when they save."""

from django import forms
from django.db.models.lookups import Exact, GreaterThan, In, LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sidekel.core.forms import (CodeChoiceField, NikField, NomorField, NomorKKField, QuickSelect, ReadAtOnce,
                                RowChoiceField, TanggalField)
from sidekel.core.scope import can_search_nik_prefix
from sidekel.wilayah.models import Desa, Dusun, Rt, Rw, area_options

from . import rules
from .choices import HubunganKeluarga, JenisKelamin, PendidikanKK, Pekerjaan, StatusDasar
from .models import Penduduk, Unindexed, has_trigram_word, name_table, number_query, short_in_one_village
from .services import EDITABLE_FIELDS

DATE_FIELDS = ["tanggal_lahir", "tanggal_perkawinan", "tanggal_perceraian", "tanggal_mulai_tinggal"]


def add_findings(form, findings):
    """Put the errors among rules.py's ``findings`` on the form, on their fields where it has them."""
    for finding in rules.errors(findings):
        form.add_error(finding.field if finding.field in form.fields else None, finding.message)


def apply_errors(form, error):
    """Put a service's ValidationError on the form: on its field where it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class RtChoiceField(forms.ModelChoiceField):
    iterator = ReadAtOnce

    def label_from_instance(self, rt):
        return str(rt)


class PendudukForm(forms.ModelForm):
    """Add or edit one resident. ``desa`` limits the RT choices to that village."""

    reason = forms.CharField(label=_("Reason for the change (optional)"), required=False, max_length=300)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Penduduk
        fields = EDITABLE_FIELDS
        field_classes = {name: TanggalField for name in DATE_FIELDS} | {"rt": RtChoiceField} | {
            name: NikField for name in ("nik", "nik_ayah", "nik_ibu")}

    def __init__(self, *args, desa, **kwargs):
        super().__init__(*args, **kwargs)
        self.desa = desa
        self.fields["rt"].queryset = Rt.objects.filter(desa=desa).select_related("dusun__desa", "rw")
        self.fields["rt"].label = _("RT")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        for name in ("nama", "nik"):
            self.fields[name].widget.attrs["autocomplete"] = "off"

    FIELDSETS = [
        (_("Identity"), ["nik", "nama", "jenis_kelamin", "tempat_lahir", "tanggal_lahir", "agama", "kewarganegaraan",
                         "golongan_darah", "disabilitas", "dapat_membaca_huruf", "akta_lahir"]),
        (_("Family"), ["hubungan_keluarga", "nama_ayah", "nik_ayah", "nama_ibu", "nik_ibu"]),
        (_("Education and work"), ["pendidikan_kk", "pendidikan_sedang", "pekerjaan"]),
        (_("Marriage"), ["status_perkawinan", "perkawinan_tercatat", "akta_perkawinan", "tanggal_perkawinan",
                         "akta_perceraian", "tanggal_perceraian"]),
        (_("Address"), ["rt", "alamat", "tanggal_mulai_tinggal", "status_penduduk"]),
    ]

    def fieldsets(self):
        """[(title, [bound fields])], with fields of no group (a subclass's own) first."""
        grouped = {name for _title, names in self.FIELDSETS for name in names}
        extra = [self[name] for name in self.fields if name not in grouped and name not in ("reason", "version")]
        sets = [(title, [self[n] for n in names if n in self.fields]) for title, names in self.FIELDSETS]
        return ([(_("Event"), extra)] if extra else []) + sets

    def changes(self):
        return {name: self.cleaned_data[name] for name in EDITABLE_FIELDS if name in self.cleaned_data}

    RULE_FIELDS = ("tanggal_lahir", "status_perkawinan", "hubungan_keluarga", *rules.LIFE_DATES)

    def clean(self):
        """rules.resident on the values entered. An edit is not refused for an old fault it does
        not touch (rules.new_errors): the quality checks list those."""
        data = super().clean()
        today = timezone.localdate()
        after = rules.resident({name: data.get(name, getattr(self.instance, name, None)) for name in self.RULE_FIELDS},
                               today)
        before = rules.resident({name: getattr(self.instance, name) for name in self.RULE_FIELDS}, today) \
            if self.instance.pk else []
        add_findings(self, rules.new_errors(after, before))
        return data

    def validate_unique(self):
        """The service checks NIK uniqueness and says where the NIK is registered."""

    def clean_nik(self):
        return self.cleaned_data.get("nik") or None


def alasan_koreksi_field():
    return forms.CharField(
        label=_("Reason for the correction"), required=False, max_length=300,
        help_text=_("Only needed when the date is in a month whose recap the kecamatan has already approved."))


class EventForm(forms.Form):
    tanggal = TanggalField(label=_("Date of the event"))
    alasan_koreksi = alasan_koreksi_field()

    def __init__(self, *args, penduduk=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.penduduk = penduduk
        self.fields["tanggal"].initial = timezone.localdate()
        if penduduk is not None and penduduk.is_living_head_with_family():
            self.fields["kepala_baru"] = forms.ModelChoiceField(
                label=_("New head of the family"),
                queryset=penduduk.other_living_members(),
                help_text=_("%(nama)s is the head of the family; choose who takes over.") % {"nama": penduduk.nama},
            )


    def clean(self):
        data = super().clean()
        if data.get("tanggal") and self.penduduk is not None:
            add_findings(self, rules.event_date(data["tanggal"], self.penduduk.tanggal_lahir, timezone.localdate()))
        return data


class DeathForm(EventForm):
    tempat = forms.CharField(label=_("Place of death"), required=False, max_length=200)
    sebab = forms.CharField(label=_("Cause"), required=False, max_length=200)


class MoveOutForm(EventForm):
    tujuan = forms.CharField(label=_("Moving to (address, village, kabupaten)"), max_length=200)


class MoveInForm(PendudukForm):
    tanggal = TanggalField(label=_("Date of arrival"))
    asal = forms.CharField(label=_("Came from (address, village, kabupaten)"), max_length=200)
    alasan_koreksi = alasan_koreksi_field()

    class Meta(PendudukForm.Meta):
        fields = [f for f in EDITABLE_FIELDS if f != "tanggal_mulai_tinggal"]

    def clean(self):
        data = super().clean()
        if data.get("tanggal"):
            add_findings(self, rules.event_date(data["tanggal"], data.get("tanggal_lahir"), timezone.localdate()))
        return data


class BirthForm(forms.Form):
    nama = forms.CharField(label=_("Baby's name"), max_length=100)
    jenis_kelamin = forms.TypedChoiceField(label=_("Sex"), choices=JenisKelamin.choices, coerce=int)
    tanggal_lahir = TanggalField(label=_("Date of birth"))
    tempat_lahir = forms.CharField(label=_("Place of birth"), max_length=100)
    nik = NikField(label=_("NIK (if already issued)"), required=False, empty_value=None)
    alasan_koreksi = alasan_koreksi_field()

    def __init__(self, *args, keluarga, **kwargs):
        super().__init__(*args, **kwargs)
        members = keluarga.anggota.hidup().filter(deleted_at__isnull=True)
        self.fields["ibu"] = forms.ModelChoiceField(
            label=_("Mother"), required=False, queryset=members.filter(jenis_kelamin=JenisKelamin.PEREMPUAN))
        self.fields["ayah"] = forms.ModelChoiceField(
            label=_("Father"), required=False, queryset=members.filter(jenis_kelamin=JenisKelamin.LAKI_LAKI))
        self.fields["tanggal_lahir"].initial = timezone.localdate()
        self.order_fields(["nama", "jenis_kelamin", "tanggal_lahir", "tempat_lahir", "ibu", "ayah", "nik", "alasan_koreksi"])

    def clean(self):
        data = super().clean()
        if data.get("tanggal_lahir"):
            add_findings(self, rules.birth_date(data["tanggal_lahir"], timezone.localdate()))
        return data


class ChangeHeadForm(forms.Form):
    def __init__(self, *args, keluarga, **kwargs):
        super().__init__(*args, **kwargs)
        kepala = keluarga.kepala
        self.fields["kepala_baru"] = forms.ModelChoiceField(
            label=_("New head of the family"),
            queryset=keluarga.anggota.hidup().filter(deleted_at__isnull=True).exclude(pk=kepala.pk if kepala else None),
        )
        self.fields["hubungan_lama"] = forms.TypedChoiceField(
            label=_("Relationship of the old head from now on"), coerce=int,
            choices=[c for c in HubunganKeluarga.choices if c[0] != HubunganKeluarga.KEPALA_KELUARGA],
        )


class NomorKKForm(forms.Form):
    nomor_kk = NomorKKField(label=_("New KK number"))
    tanggal_terbit = TanggalField(label=_("Issue date"))

    def __init__(self, *args, keluarga=None, **kwargs):
        super().__init__(*args, **kwargs)


class DeleteForm(forms.Form):
    reason = forms.CharField(label=_("Reason for deleting"), max_length=300)


# Sort orders of the resident list: key in the URL -> (field, label).
SORT_OPTIONS = {
    "nama": ("nama", _("Name A-Z")),
    "-nama": ("-nama", _("Name Z-A")),
    "umur": ("-tanggal_lahir", _("Youngest first")),
    "-umur": ("tanggal_lahir", _("Oldest first")),
    "baru": ("-id", _("Newest record first")),
}


class PendudukFilterForm(forms.Form):
    """The search and filter bar of the resident list. Every field is optional."""

    q = forms.CharField(label=_("Name or NIK"), required=False, max_length=100)
    desa = RowChoiceField(label=_("Village"), required=False, queryset=Desa.objects.none(), to_field_name="kode",
                          widget=QuickSelect)
    dusun = forms.ModelChoiceField(label=_("Dusun"), required=False, queryset=Dusun.objects.none(), widget=QuickSelect)
    rw = forms.ModelChoiceField(label=_("RW"), required=False, queryset=Rw.objects.none(), widget=QuickSelect)
    rt = forms.ModelChoiceField(label=_("RT"), required=False, queryset=Rt.objects.none(), widget=QuickSelect)
    status = CodeChoiceField(label=_("Status"), required=False, coerce=int, empty_value=None,
                             choices=[("", _("All"))] + StatusDasar.choices)
    jk = CodeChoiceField(label=_("Sex"), required=False, coerce=int, empty_value=None,
                         choices=[("", _("All"))] + JenisKelamin.choices)
    umur_min = forms.IntegerField(label=_("Age from"), required=False, min_value=0, max_value=150)
    umur_max = forms.IntegerField(label=_("Age to"), required=False, min_value=0, max_value=150)
    pendidikan = CodeChoiceField(label=_("Education"), required=False, coerce=int, empty_value=None,
                                 choices=[("", _("All"))] + PendidikanKK.choices)
    pekerjaan = CodeChoiceField(label=_("Occupation"), required=False, coerce=int, empty_value=None,
                                choices=[("", _("All"))] + Pekerjaan.choices)
    urut = CodeChoiceField(label=_("Sort"), required=False,
                           choices=[(k, v[1]) for k, v in SORT_OPTIONS.items()])

    def __init__(self, data, *, villages, user):
        """``villages``: the villages the user may choose, read already (a list sorted by name)."""
        data = data.copy()
        for key in data:  # no NUL or control character reaches a query (rules.clean_query)
            data.setlist(key, [rules.clean_query(value) for value in data.getlist(key)])
        self.user = user  # decides whether the first digits of a NIK find anyone (models.search)
        data.setdefault("status", str(StatusDasar.HIDUP))
        super().__init__(data)
        self.villages = villages
        self.fields["desa"].choices = _options(self.fields["desa"], villages)  # no second query to show them
        self.fields["desa"].rows = villages  # nor to check the one chosen
        # Dusun/RW/RT lists are only offered once one village is chosen (or the user has one).
        chosen = next((d for d in villages if d.kode == data.get("desa")), None)
        if chosen is None and len(villages) == 1:
            chosen = villages[0]
        self.chosen_desa = chosen
        if chosen is not None:
            # Submitted values are checked against these; the options are read separately below.
            self.fields["dusun"].queryset = Dusun.objects.filter(desa=chosen)
            self.fields["dusun"].label = chosen.sebutan_dusun_tampil
            self.fields["rw"].queryset = Rw.objects.filter(desa=chosen)
            self.fields["rt"].queryset = Rt.objects.filter(desa=chosen)
        # Dusun/RW/RT options are read when the form is shown (not for an htmx page of results).
        for level, name in enumerate(("dusun", "rw", "rt")):
            field = self.fields[name]
            field.choices = lambda field=field, level=level: [("", field.empty_label)] + self.areas()[level]

    def areas(self):
        """(dusun, RW, RT) options of the chosen village, each a list of (id, label); empty
        lists when no village is chosen."""
        if not hasattr(self, "_areas"):
            self._areas = area_options(self.chosen_desa) if self.chosen_desa is not None else ([], [], [])
        return self._areas

    def clean(self):
        data = super().clean()
        low, high = data.get("umur_min"), data.get("umur_max")
        if low is not None and high is not None and low > high:
            self.add_error("umur_max", _("The upper age must not be below the lower age."))
        return data

    def filter(self, qs, walk_names=False):
        """``qs`` narrowed to the filters and the search. ``walk_names``: every filter but the
        village is checked row by row (``Unindexed``), so that a page sorted by name walks the name
        index until it has its rows (the faster way when many residents match)."""
        d = self.cleaned_data
        today = timezone.localdate()

        def where(qs, name, lookup, value):
            if walk_names:
                return qs.filter(LOOKUPS[lookup](Unindexed(name), value))
            return qs.filter(**{f"{name}__{lookup}": value})

        qs = self._village_and_status(qs, where)
        if not walk_names and not d.get("desa") and len(self.villages) > 1:
            # Each village named: an index that starts with the village (the statistics one) is
            # then searched village by village; PostgreSQL would otherwise read it whole.
            qs = qs.filter(desa_id__in=[village.id for village in self.villages])
        for name in ("dusun", "rw"):
            if d.get(name):
                qs = where(qs, "rt_id", "in", Rt.objects.filter(**{name: d[name]}).values("id")) if walk_names \
                    else qs.filter(**{f"rt__{name}": d[name]})
        if d.get("rt"):
            qs = where(qs, "rt_id", "exact", d["rt"].id)
        if d.get("jk") is not None:
            qs = where(qs, "jenis_kelamin", "exact", d["jk"])
        if d.get("umur_min") is not None:
            qs = where(qs, "tanggal_lahir", "lte", _years_before(today, d["umur_min"]))
        if d.get("umur_max") is not None:
            qs = where(qs, "tanggal_lahir", "gt", _years_before(today, d["umur_max"] + 1))
        if d.get("pendidikan") is not None:
            qs = where(qs, "pendidikan_kk", "exact", d["pendidikan"])
        if d.get("pekerjaan") is not None:
            qs = where(qs, "pekerjaan", "exact", d["pekerjaan"])
        return qs.search(d.get("q") or "", user=self.user, desa=self.chosen_desa, walk_names=walk_names)

    def counts_up_to_cap(self):
        """True for a search that may match nearly every resident it covers, which the list counts
        up to a cap and sorts as a filtered list (``views._sorted_by_name``) rather than counting
        every match as it sorts them. The list asks again as each character is typed, and then
        the first digits of a NIK (the first six are the kecamatan's code) and a name's first
        letter or two (words too short for the trigram indexes) match most."""
        text = " ".join((self.cleaned_data.get("q") or "").split())
        number = number_query(text)
        if number is not None:
            return len(number) != 16
        return bool(text) and not has_trigram_word(text)

    def partial_nik_refused(self):
        """True when ``q`` is part of a NIK and the user may look residents up by whole NIKs only
        (``scope.can_search_nik_prefix``): the search finds nobody, and the list says why."""
        number = number_query(self.cleaned_data.get("q") or "")
        desa_ids = None if self.chosen_desa is None else [self.chosen_desa.id]
        return number is not None and len(number) != 16 and not can_search_nik_prefix(self.user, desa_ids)

    def searches_names_only(self):
        """True for a name search with no filter but village and status, sorted by name or by
        newest record: the narrow name table can answer it alone (``filter_names``). Not for one
        or two letters in one village: reading that village's names is faster (``filter``)."""
        d = self.cleaned_data
        text = " ".join((d.get("q") or "").split())
        if not text or number_query(text) is not None or short_in_one_village(text, self.chosen_desa):
            return False
        return self.sort_field().lstrip("-") in ("nama", "id") and not any(
            d.get(name) not in (None, "") for name in self.fields if name not in ("q", "desa", "status", "urut"))

    def filter_names(self):
        """``filter``, when ``searches_names_only``: the matching names (id and name) of the
        narrow table that answers it (``name_table``)."""
        text, one_village = self.cleaned_data["q"], len(self.villages_shown()) == 1
        names = name_table(text, one_village=one_village).objects.for_user(self.user)
        return self._village_and_status(names).matching(text)

    def _village_and_status(self, qs, where=None):
        d = self.cleaned_data
        if d.get("desa"):
            qs = qs.in_village(d["desa"].id)
        if d.get("status") is not None:
            qs = where(qs, "status_dasar", "exact", d["status"]) if where else qs.filter(status_dasar=d["status"])
        return qs

    def is_plain_list(self):
        """True when the list asks for nothing but the living (the default) of one or all villages."""
        d = self.cleaned_data
        return d.get("status") == StatusDasar.HIDUP and not any(
            d.get(name) not in (None, "") for name in self.fields if name not in ("desa", "status", "urut"))

    def villages_shown(self):
        """The ids of the villages the list covers: the one chosen, or all the user may see."""
        chosen = self.cleaned_data.get("desa")
        return [chosen.id] if chosen else [d.id for d in self.villages]

    def sort_field(self):
        return SORT_OPTIONS.get(self.cleaned_data.get("urut") or "nama")[0]


LOOKUPS = {"exact": Exact, "lte": LessThanOrEqual, "gt": GreaterThan, "in": In}


def _options(field, objects):
    """The options of a ModelChoiceField from objects already read. (Django's own way reads them
    again through a server-side cursor, three round trips on PostgreSQL, each time it is shown.)"""
    return [("", field.empty_label)] + [(field.prepare_value(o), field.label_from_instance(o)) for o in objects]


def _years_before(day, years):
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)



class ImportForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (.xlsx, .xls, .ods or .csv)"))
    desa = forms.ModelChoiceField(label=_("Village"), queryset=Desa.objects.none(), to_field_name="kode")
    format = forms.ChoiceField(label=_("Format"), initial="auto", choices=[
        ("auto", _("Recognise from the column names")), ("sidekel", _("Sidekel template")),
        ("opensid", _("OpenSID \"Data Penduduk\""))])
    existing = forms.ChoiceField(label=_("A NIK that is already registered in the village"), initial="skip", choices=[
        ("skip", _("skip the row (keep our data)")), ("update", _("update the resident with the file's values"))])

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["desa"].queryset = villages
        if len(villages) == 1:
            self.fields["desa"].initial = villages[0].kode


# --- families on screen ---------------------------------------------------------------------------

def nomor_kk_field(label=_("Number of the new KK"), required=True, field=NomorKKField):
    """A KK number box: typed with spaces, dots or dashes, cleaned by nik.normalize_number
    (core.forms.NomorField); a new KK's number is checked by the KK number rules."""
    return field(label=label, required=required,
                 help_text=_("16 digits, as on the Kartu Keluarga; spaces are ignored."))


class KKBaruForm(forms.Form):
    """"Buat KK baru": the resident heads a new family."""

    nomor_kk = nomor_kk_field()
    tanggal_terbit = TanggalField(label=_("Issue date"), required=False)
    reason = forms.CharField(label=_("Reason for the change (optional)"), required=False, max_length=300)

    def __init__(self, *args, penduduk=None, **kwargs):
        super().__init__(*args, **kwargs)


class MasukKKForm(forms.Form):
    """"Masukkan ke KK": the family (by its KK number, in the resident's village) and the relationship."""

    nomor_kk = nomor_kk_field(label=_("KK number of the family"), field=NomorField)  # looked up, not issued
    hubungan_keluarga = forms.TypedChoiceField(label=_("Relationship in that family"), coerce=int,
                                               choices=[("", "---------")] + HubunganKeluarga.choices)
    reason = forms.CharField(label=_("Reason for the change (optional)"), required=False, max_length=300)

    def __init__(self, *args, penduduk, families, **kwargs):
        super().__init__(*args, **kwargs)
        self.penduduk, self.families = penduduk, families

    def clean_nomor_kk(self):
        nomor = self.cleaned_data["nomor_kk"]
        keluarga = self.families.filter(desa_id=self.penduduk.desa_id, nomor_kk=nomor).first()
        if keluarga is None:
            raise forms.ValidationError(_("No family of %(desa)s has the KK number %(nomor)s.")
                                        % {"desa": self.penduduk.desa.nama, "nomor": nomor})
        self.keluarga = keluarga
        return nomor


STAYS = ""


class PisahKKForm(forms.Form):
    """Split a family: for each living member but the head, their relationship in the new KK, or
    "stays"; the new KK's number."""

    nomor_kk = nomor_kk_field()
    tanggal_terbit = TanggalField(label=_("Issue date"), required=False)

    def __init__(self, *args, keluarga, **kwargs):
        super().__init__(*args, **kwargs)
        self.keluarga = keluarga
        head = keluarga.kepala
        self.members = list(keluarga.anggota.hidup().filter(deleted_at__isnull=True)
                            .exclude(pk=head.pk if head else None).order_by("hubungan_keluarga", "tanggal_lahir"))
        choices = [(STAYS, _("stays in this KK"))] + HubunganKeluarga.choices
        for p in self.members:
            self.fields[f"anggota_{p.pk}"] = forms.TypedChoiceField(
                label=f"{p.nama} ({p.get_hubungan_keluarga_display()})", required=False, coerce=int,
                empty_value=None, choices=choices)
        self.order_fields([f"anggota_{p.pk}" for p in self.members] + ["nomor_kk", "tanggal_terbit"])

    def member_fields(self):
        return [self[f"anggota_{p.pk}"] for p in self.members]

    def chosen(self):
        """{resident: relationship in the new KK} of the members who move."""
        return {p: self.cleaned_data[f"anggota_{p.pk}"] for p in self.members
                if self.cleaned_data.get(f"anggota_{p.pk}") is not None}

    def clean(self):
        data = super().clean()
        chosen = self.chosen()
        living = len(self.members) + (1 if self.keluarga.kepala else 0)
        add_findings(self, rules.split(len(chosen), living, False, field=None)
                     or rules.family_heads(chosen.values(), field=None))
        return data


class AnggotaDatangForm(forms.ModelForm):
    """One member of a family moving in whole."""

    class Meta:
        model = Penduduk
        fields = ["nama", "nik", "jenis_kelamin", "hubungan_keluarga", "tempat_lahir", "tanggal_lahir", "agama",
                  "status_perkawinan", "pendidikan_kk", "pekerjaan"]
        field_classes = {"tanggal_lahir": TanggalField, "nik": NikField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nik"].validators = []  # the service checks the cleaned NIK (NikField cleans it)
        for name in ("nama", "tempat_lahir"):
            self.fields[name].widget.attrs["autocomplete"] = "off"

    def clean_nik(self):
        return self.cleaned_data.get("nik") or None

    def clean(self):
        data = super().clean()
        add_findings(self, rules.resident({name: data.get(name) for name in ("tanggal_lahir", "status_perkawinan",
                                                                               "hubungan_keluarga")},
                                          timezone.localdate()))
        return data

    def validate_unique(self):
        """The service checks NIK uniqueness and says where the NIK is registered."""

    def _post_clean(self):
        """No model validation here: the service validates the whole resident when it saves."""


AnggotaFormSet = forms.formset_factory(AnggotaDatangForm, extra=2, min_num=1, validate_min=True, max_num=30)


class PindahDatangKeluargaForm(forms.Form):
    """A whole family moving in: its KK, where it lives now, and when and where from it came."""

    nomor_kk = nomor_kk_field(label=_("KK number"))
    tanggal_kk = TanggalField(label=_("KK issue date"), required=False)
    tanggal = TanggalField(label=_("Date of arrival"))
    asal = forms.CharField(label=_("Came from (address, village, kabupaten)"), max_length=200)
    rt = RtChoiceField(label=_("RT"), queryset=Rt.objects.none(), required=False)
    alamat = forms.CharField(label=_("Address"), max_length=200, required=False)
    alasan_koreksi = alasan_koreksi_field()

    def __init__(self, *args, desa, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rt"].queryset = Rt.objects.filter(desa=desa).select_related("dusun__desa", "rw")
        self.fields["tanggal"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        if data.get("tanggal"):
            add_findings(self, rules.event_date(data["tanggal"], None, timezone.localdate()))
        return data


class BatalPeristiwaForm(forms.Form):
    alasan = forms.CharField(label=_("Why was the event recorded by mistake?"), max_length=300,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": _("Give the reason why the event was recorded by mistake.")})

    def __init__(self, *args, penduduk=None, **kwargs):
        super().__init__(*args, **kwargs)
