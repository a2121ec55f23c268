"""Operator screens for residents and families.

Every object is fetched through ``for_user`` (so another village's resident is a 404), every
write goes through ``services`` (which re-checks the right to write and records the change), and
every view of personal data goes to the access log.
"""

import io
import uuid
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sidekel.core.audit import log_access, logs_access, seen
from sidekel.core import jobs
from sidekel.core.files import csv_writer, file_download
from sidekel.core.identity import mask_numbers, reveal, shown
from sidekel.core.models import AccessLog, Job, ObjectChange
from sidekel.core.nik import mask
from sidekel.core.paging import keyset_page, rows_in_order
from sidekel.core.views import cancel_import, import_checked, url_for_id
from sidekel.core.xlsx import CONTENT_TYPE as XLSX_TYPE
from sidekel.core.scope import Action, can_reveal_identity, can_write_any, can_write_desa, permits
from sidekel.wilayah.models import Desa, rt_labels, villages_by_id

from . import exporter, importer, rules, services
from .choices import JenisKelamin, StatusDasar
from .forms import (
    AnggotaFormSet,
    BatalPeristiwaForm,
    KKBaruForm,
    MasukKKForm,
    PindahDatangKeluargaForm,
    PisahKKForm,
    BirthForm,
    ChangeHeadForm,
    DeathForm,
    DeleteForm,
    ImportForm,
    MoveInForm,
    MoveOutForm,
    NomorKKForm,
    PendudukFilterForm,
    PendudukForm,
    apply_errors,
)
from .models import Keluarga, Penduduk, Peristiwa, living_count

PAGE_SIZE = 25
COUNT_CAP = 10_000  # a filtered list counts its residents up to this


def _penduduk(request, pk):
    return get_object_or_404(Penduduk.objects.for_user(request.user).select_related("desa", "keluarga", "rt"), pk=pk)


def _keluarga(request, pk):
    return get_object_or_404(Keluarga.objects.for_user(request.user).select_related("desa", "rt"), pk=pk)


def _require_write(request, desa_id):
    if not can_write_desa(request.user, desa_id):
        raise PermissionDenied(_("You may read but not change data of this village."))


def _warn(request, warnings):
    for text in warnings:
        messages.warning(request, text)


def _searched_village(request, **_kwargs):
    """The village a search was limited to (``?desa=<kode>``), or None. (The list names it itself
    when it is one of the user's, read already: ``seen``.)"""
    return Desa.objects.id_of(rules.clean_query(request.GET.get("desa")))


@login_required
def beranda_petugas(request):
    """Where an official lands after logging in: their village, or the list of villages."""
    villages = Desa.objects.for_user(request.user)
    if villages.count() == 1:
        return redirect("penduduk:desa-detail", kode=villages.get().kode)
    return redirect("penduduk:desa-list")


@login_required
@logs_access(AccessLog.Action.SEARCH, find=_searched_village, detail=lambda request: request.GET.urlencode())
def penduduk_list(request):
    form = PendudukFilterForm(request.GET, villages=Desa.objects.rows_for_user(request.user), user=request.user)
    if form.chosen_desa is not None and form.chosen_desa.kode == form.data.get("desa"):
        seen(request, form.chosen_desa.id)  # the village asked for: the access record does not ask again
    page = None
    total, total_exact = 0, False
    if form.is_valid():
        text = form.cleaned_data.get("q") or ""
        names_only = form.searches_names_only()
        if names_only:
            # Sorted, cut and counted in the narrow name table; the page's residents are read after.
            qs, order, fields = form.filter_names(), form.sort_field(), ()
        else:
            qs = form.filter(Penduduk.objects.for_user(request.user))
            (qs, order), fields = qs.search_sorted(text, form.sort_field()), LIST_FIELDS
        cursor = request.GET.get("setelah") or request.GET.get("sebelum")
        # A search's first page counts its matches as it sorts them, unless it may match nearly
        # everyone: then it is counted up to the cap, as a filter is.
        up_to_cap = form.counts_up_to_cap()
        counted = bool(text and not cursor and not up_to_cap)
        if counted:
            total_exact = True
        elif form.is_plain_list():
            # The whole list of the living: each village's count is kept until its data changes.
            total = sum(living_count(form.villages_shown()).values())
            total_exact = True
        else:
            # Counting a whole kabupaten costs more than the page itself: count up to a cap.
            total = qs[: COUNT_CAP + 1].count()
            if not total:
                qs = qs.none()  # nothing matches: the page asks nothing more
            # (A search of names only reads its page from the words of names, a few rows a word.)
            if (not text or up_to_cap) and not names_only and order.lstrip("-") == "nama":
                qs, order = _sorted_by_name(form, request.user, qs, order, total)
        page = keyset_page(qs, order, after=request.GET.get("setelah"), before=request.GET.get("sebelum"),
                           size=PAGE_SIZE, values=fields, count=counted)
        if counted:
            total = page.total
        if names_only:
            page.rows = rows_in_order(Penduduk.objects.for_user(request.user), [row["id"] for row in page.rows],
                                      LIST_FIELDS)
        page.rows = _list_rows(page.rows, form.villages, rt_names=dict(form.areas()[2]))
    context = {
        "form": form, "page": page, "total": total, "total_exact": total_exact, "count_cap": COUNT_CAP, "can_write": can_write_any(request.user),
        "whole_nik_only": form.is_valid() and form.partial_nik_refused(),
        "query_without_cursor": _without(request.GET, "setelah", "sebelum"),
        "export_query": f"desa={form.chosen_desa.kode}" if form.is_valid() and form.chosen_desa else "",
    }
    template = "penduduk/_hasil.html" if request.htmx and request.htmx.target == "hasil" else "penduduk/list.html"
    return render(request, template, context)


def _sorted_by_name(form, user, qs, order, total):
    """A filtered list, or a search counted up to the cap (``counts_up_to_cap``), sorted by name,
    read the cheaper of two ways by how many residents match (``total``, capped): when many do,
    walk the name index and check each resident against the filters until the page is full (about
    PAGE_SIZE x residents / matches rows read); when few do, find them through the filters' index
    and sort them (about ``total`` rows read). The two cost the same near sqrt(PAGE_SIZE x
    residents) matches. Left to itself, the planner guesses from its statistics, and across a
    whole kecamatan it guesses wrong both ways."""
    residents = sum(living_count(form.villages_shown()).values())
    if total * total > PAGE_SIZE * residents:
        return form.filter(Penduduk.objects.for_user(user), walk_names=True), order
    return qs.sorted_apart(order)


# What a row of the resident list shows, read as plain values: a page is drawn without model objects.
LIST_FIELDS = ("nama", "nik", "status_dasar", "jenis_kelamin", "tanggal_lahir", "rt_id", "alamat", "desa_id")


def _list_rows(rows, villages, rt_names):
    """The page's rows (dicts of LIST_FIELDS) as the list shows them: link, masked NIK, status
    other than living, sex, birth date, address and village, so the template only prints.
    ``rt_names`` are the RT labels known already (the chosen village's); others are read."""
    # Any village not among the user's is not expected (the list is scoped), but never a 500.
    villages = villages_by_id({d.id: d for d in villages}, {row["desa_id"] for row in rows})
    unknown = [row["rt_id"] for row in rows if row["rt_id"] and row["rt_id"] not in rt_names]
    addresses = {**rt_names, **rt_labels(unknown, villages)} if unknown else rt_names
    status = dict(StatusDasar.choices)
    detail = url_for_id("penduduk:detail")
    for row in rows:
        born = row["tanggal_lahir"]
        row.update(
            url=detail(row["id"]),
            nik=mask(row["nik"]) or "-",
            status="" if row["status_dasar"] == StatusDasar.HIDUP else status.get(row["status_dasar"], ""),
            jk="L" if row["jenis_kelamin"] == JenisKelamin.LAKI_LAKI else "P",
            lahir=born.strftime("%d-%m-%Y") if born else "",
            alamat=addresses.get(row["rt_id"]) or row["alamat"] or "-",
            desa=villages[row["desa_id"]].nama,
        )
    return rows


def _without(querydict, *names):
    q = querydict.copy()
    for name in names:
        q.pop(name, None)
    return q.urlencode()


@login_required
@logs_access(AccessLog.Action.VIEW, detail=lambda request, pk: "")
def penduduk_detail(request, pk):
    penduduk = seen(request, _penduduk(request, pk))
    context = {
        "p": penduduk,
        "members": penduduk.keluarga.anggota.filter(deleted_at__isnull=True).order_by("hubungan_keluarga", "tanggal_lahir")
        if penduduk.keluarga_id else [],
        "events": _events_of(penduduk),
        "history": _history(penduduk, revealed=False), "revealed": False,
        "can_write": can_write_desa(request.user, penduduk.desa_id),
        "can_reveal": can_reveal_identity(request.user, penduduk.desa_id),
    }
    return render(request, "penduduk/detail.html", context)


def _events_of(penduduk):
    """The resident's events, newest first, each knowing whether "Batalkan peristiwa" can work on it."""
    events = list(Peristiwa.objects.filter(penduduk=penduduk).select_related("desa", "desa_asal_tujuan"))
    latest = next((e for e in events if e.dibatalkan_pada is None), None)
    for e in events:
        e.can_cancel = e is latest and services.cancellable(e)
    return events


def _history(penduduk, revealed):
    """The resident's last 50 recorded changes, each with its readable rows (``_readable_diff``)."""
    history = ObjectChange.objects.filter(
        content_type__app_label="penduduk", content_type__model="penduduk", object_id=penduduk.pk
    )[:50]
    restorable = {services.EDITABLE_ATTNAMES.get(f, f) for f in services.EDITABLE_FIELDS}
    for change in history:
        change.rows = _readable_diff(change, revealed)
        # The undo button only where an undo can work: a change of the data fields. A change of
        # status or family made by an event or a family step is undone there.
        change.can_restore = change.action == ObjectChange.Action.UPDATE and bool(restorable & set(change.before))
        change.shown_reason = change.reason if revealed else mask_numbers(change.reason)
    return history


IDENTITY_FIELDS = {"nik", "nik_ayah", "nik_ibu"}
HIDDEN_FIELDS = {"deleted_at", "version", "updated_at", "created_at"}


def _readable_diff(change, revealed):
    """(label, before, after) rows of a change, with code numbers as their labels and NIKs
    masked unless ``revealed`` (``identity.reveal``)."""
    fields = {f.attname: f for f in Penduduk._meta.concrete_fields}
    rows = []
    for attname, before in change.before.items():
        field = fields.get(attname)
        if field is None or attname in HIDDEN_FIELDS:
            continue
        values = [before, change.after.get(attname)]
        if field.choices:
            labels = dict(field.flatchoices)
            values = [labels.get(v, v) for v in values]
        if attname in IDENTITY_FIELDS:
            values = [shown(v, revealed) if v else v for v in values]
        if field.get_internal_type() == "DateField":
            values = [_dmy(v) for v in values]
        rows.append((field.verbose_name, *values))
    return rows


def _dmy(value):
    return "-".join(reversed(value.split("-"))) if value else value


@login_required
@require_POST
def reveal_nik(request, pk):
    """The logged step that shows the resident's full NIK and KK number, and the change history
    with its numbers in full (swapped into the page out of band)."""
    penduduk = _penduduk(request, pk)
    revealed = reveal(request.user, penduduk.desa_id, obj=penduduk)
    return render(request, "penduduk/_identitas.html", {
        "p": penduduk, "revealed": revealed, "history": _history(penduduk, revealed), "oob": True,
        "can_write": can_write_desa(request.user, penduduk.desa_id)})


def _form_view(request, form, *, save, success, template, title, go_to=None, **context):
    """The one shape of every form screen: on a valid POST run ``save(cleaned_data)`` (a service
    call), show its warnings and ``success(result)``, and go to the result's page (or ``go_to``);
    otherwise show the form with the service's messages on their fields."""
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if isinstance(result, tuple):  # services that register a resident also return warnings
                result, warnings = result
                _warn(request, warnings)
            messages.success(request, success(result))
            return redirect(go_to or result)
    return render(request, template, {"form": form, "title": title, **context})


def _writable_villages(request):
    """The villages whose residents the user may change."""
    villages = Desa.objects.for_user(request.user)
    return villages.filter(id__in=[d.id for d in villages if can_write_desa(request.user, d.id)]).order_by("nama")


def _writable_desa(request, next_name):
    """The village to add to: ?desa=KODE, or the user's only writable village; None to ask."""
    villages = Desa.objects.for_user(request.user)
    if request.GET.get("desa"):
        desa = get_object_or_404(villages, kode=request.GET["desa"])
        _require_write(request, desa.id)
        return desa, None
    writable = list(_writable_villages(request))
    if len(writable) == 1:
        return writable[0], None
    return None, render(request, "penduduk/pilih_desa.html", {"villages": writable, "next": reverse(next_name)})


@login_required
def penduduk_add(request):
    desa, choose = _writable_desa(request, "penduduk:tambah")
    if choose:
        return choose
    form = PendudukForm(request.POST or None, desa=desa)
    return _form_view(
        request, form, template="penduduk/form.html", title=_("Add a resident of %(desa)s") % {"desa": desa}, desa=desa,
        save=lambda d: services.register_penduduk(desa, user=request.user, reason=d["reason"], **form.changes()),
        success=lambda p: _("%(nama)s has been added.") % {"nama": p.nama})


@login_required
def penduduk_edit(request, pk):
    penduduk = _penduduk(request, pk)
    _require_write(request, penduduk.desa_id)
    if request.method != "POST":  # the form shows the recorded NIKs whole, to be corrected
        reveal(request.user, penduduk.desa_id, obj=penduduk, detail="ubah")
    form = PendudukForm(request.POST or None, instance=penduduk, desa=penduduk.desa)
    return _form_view(
        request, form, template="penduduk/form.html", title=_("Edit %(nama)s") % {"nama": penduduk.nama},
        p=penduduk, desa=penduduk.desa,
        save=lambda d: services.update_penduduk(penduduk, user=request.user, changes=form.changes(),
                                                version=d["version"] or 0, reason=d["reason"]),
        success=lambda p: _("The data of %(nama)s has been saved.") % {"nama": p.nama})


@login_required
def penduduk_delete(request, pk):
    penduduk = _penduduk(request, pk)
    _require_write(request, penduduk.desa_id)
    return _form_view(
        request, DeleteForm(request.POST or None), template="penduduk/event_form.html",
        title=_("Delete %(nama)s") % {"nama": penduduk.nama}, p=penduduk, danger=True,
        save=lambda d: services.delete_penduduk(penduduk, user=request.user, reason=d["reason"]),
        success=lambda p: _("%(nama)s has been deleted. The kecamatan administrator can restore the record.")
        % {"nama": p.nama},
        go_to="penduduk:list")  # a deleted resident has no page of their own any more


@login_required
@require_POST
def restore_version(request, pk, change_id):
    penduduk = _penduduk(request, pk)
    _require_write(request, penduduk.desa_id)
    change = get_object_or_404(ObjectChange.objects.for_user(request.user), pk=change_id, object_id=penduduk.pk,
                               content_type__app_label="penduduk", content_type__model="penduduk")
    try:
        _p, warnings = services.restore_change(change, user=request.user)
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    else:
        _warn(request, warnings)
        messages.success(request, _("The earlier values have been restored."))
    return redirect("penduduk:detail", pk=penduduk.pk)


def _event_view(request, pk, form_class, title, record):
    """A guided form that takes a resident out of the village (death, move out)."""
    penduduk = _penduduk(request, pk)
    _require_write(request, penduduk.desa_id)

    def save(data):
        record(penduduk, data)
        return penduduk

    return _form_view(request, form_class(request.POST or None, penduduk=penduduk), template="penduduk/event_form.html",
                      title=title % {"nama": penduduk.nama}, p=penduduk, save=save,
                      success=lambda p: _("The event has been recorded."))


@login_required
def record_death(request, pk):
    return _event_view(request, pk, DeathForm, _("Record the death of %(nama)s"), lambda p, d: services.record_death(
        p, tanggal=d["tanggal"], tempat=d["tempat"], sebab=d["sebab"], kepala_baru=d.get("kepala_baru"), user=request.user,
        alasan_koreksi=d["alasan_koreksi"]))


@login_required
def record_move_out(request, pk):
    return _event_view(request, pk, MoveOutForm, _("Record that %(nama)s moves away"), lambda p, d: services.record_move_out(
        p, tanggal=d["tanggal"], tujuan=d["tujuan"], kepala_baru=d.get("kepala_baru"), user=request.user,
        alasan_koreksi=d["alasan_koreksi"]))


@login_required
def record_move_in(request):
    desa, choose = _writable_desa(request, "penduduk:pindah-datang")
    if choose:
        return choose
    form = MoveInForm(request.POST or None, desa=desa)
    return _form_view(
        request, form, template="penduduk/form.html", desa=desa,
        title=_("Record someone moving into %(desa)s") % {"desa": desa},
        save=lambda d: services.record_move_in(desa, tanggal=d["tanggal"], asal=d["asal"], user=request.user,
                                               alasan_koreksi=d["alasan_koreksi"], **form.changes()),
        success=lambda p: _("%(nama)s has been recorded as moving in.") % {"nama": p.nama})


@login_required
@logs_access(AccessLog.Action.VIEW, detail=lambda request, pk: "")
def keluarga_detail(request, pk):
    keluarga = seen(request, _keluarga(request, pk))
    return render(request, "penduduk/keluarga.html", {
        **_keluarga_numbers(keluarga, revealed=False),
        "can_write": can_write_desa(request.user, keluarga.desa_id),
        "can_reveal": can_reveal_identity(request.user, keluarga.desa_id),
    })


@login_required
@require_POST
def keluarga_reveal(request, pk):
    """The logged step that shows the family's KK numbers and its members' NIKs in full."""
    keluarga = _keluarga(request, pk)
    revealed = reveal(request.user, keluarga.desa_id, obj=keluarga, detail="KK")
    return render(request, "penduduk/_keluarga_nomor.html", _keluarga_numbers(keluarga, revealed))


def _keluarga_numbers(keluarga, revealed):
    """What the family page shows with its numbers: the family, its members, its KK numbers."""
    everyone = keluarga.anggota.filter(deleted_at__isnull=True).order_by("hubungan_keluarga", "tanggal_lahir")
    # A member who died or moved away is shown as such, apart: never as a second head.
    members = [m for m in everyone if m.status_dasar == StatusDasar.HIDUP]
    former = [m for m in everyone if m.status_dasar != StatusDasar.HIDUP]
    return {"k": keluarga, "members": members, "former": former, "riwayat": keluarga.riwayat_nomor.all(),
            "revealed": revealed}


@login_required
def keluarga_add_member(request, pk):
    keluarga = _keluarga(request, pk)
    _require_write(request, keluarga.desa_id)
    form = PendudukForm(request.POST or None, desa=keluarga.desa, initial={"rt": keluarga.rt_id, "alamat": keluarga.alamat})
    return _form_view(
        request, form, template="penduduk/form.html", desa=keluarga.desa, k=keluarga,
        title=_("Add a member to KK %(nomor)s") % {"nomor": mask(keluarga.nomor_kk) or "-"},
        save=lambda d: services.register_penduduk(keluarga.desa, user=request.user, keluarga=keluarga,
                                                  reason=d["reason"], **form.changes()),
        success=lambda p: _("%(nama)s has been added to the family.") % {"nama": p.nama})


def _keluarga_form_view(request, pk, form_class, title, action, success):
    keluarga = _keluarga(request, pk)
    _require_write(request, keluarga.desa_id)
    kepala = keluarga.kepala
    if kepala:
        title = f"{title} · {_('family of %(nama)s') % {'nama': kepala.nama}}"

    def save(data):
        result = action(keluarga, data)
        return keluarga, result[1] if isinstance(result, tuple) else []  # back to the family page

    return _form_view(request, form_class(request.POST or None, keluarga=keluarga), template="penduduk/event_form.html",
                      title=title, k=keluarga, save=save, success=lambda k: success)


@login_required
def keluarga_birth(request, pk):
    return _keluarga_form_view(
        request, pk, BirthForm, _("Record a birth"),
        lambda k, d: services.record_birth(k, user=request.user, nama=d["nama"], jenis_kelamin=d["jenis_kelamin"],
                                           tanggal_lahir=d["tanggal_lahir"], tempat_lahir=d["tempat_lahir"],
                                           ibu=d.get("ibu"), ayah=d.get("ayah"), nik=d["nik"],
                                           alasan_koreksi=d["alasan_koreksi"]),
        _("The birth has been recorded."))


@login_required
def keluarga_change_head(request, pk):
    return _keluarga_form_view(
        request, pk, ChangeHeadForm, _("Change the head of the family"),
        lambda k, d: services.change_head(k, d["kepala_baru"], hubungan_lama=d["hubungan_lama"], user=request.user),
        _("The head of the family has been changed."))


@login_required
def keluarga_nomor_kk(request, pk):
    return _keluarga_form_view(
        request, pk, NomorKKForm, _("Record a newly issued KK"),
        lambda k, d: services.issue_nomor_kk(k, d["nomor_kk"], d["tanggal_terbit"], user=request.user),
        _("The new KK number has been recorded."))


@login_required
def penduduk_kk_baru(request, pk):
    """"Buat KK baru": the resident heads a new family."""
    penduduk = _penduduk(request, pk)
    _require_write(request, penduduk.desa_id)
    return _form_view(
        request, KKBaruForm(request.POST or None), template="penduduk/event_form.html", p=penduduk,
        title=_("New KK for %(nama)s") % {"nama": penduduk.nama},
        intro=_("%(nama)s becomes the head of a new family. Other members can be put into it afterwards.")
        % {"nama": penduduk.nama},
        save=lambda d: services.create_keluarga_for(penduduk, nomor_kk=d["nomor_kk"], tanggal_kk=d["tanggal_terbit"],
                                                     user=request.user, reason=d["reason"]),
        success=lambda k: _("The new KK has been recorded with %(nama)s as its head.") % {"nama": penduduk.nama})


@login_required
def penduduk_masuk_kk(request, pk):
    """"Masukkan ke KK": the resident joins a family of their village."""
    penduduk = _penduduk(request, pk)
    _require_write(request, penduduk.desa_id)
    form = MasukKKForm(request.POST or None, penduduk=penduduk, families=Keluarga.objects.for_user(request.user))
    return _form_view(
        request, form, template="penduduk/event_form.html", p=penduduk,
        title=_("Put %(nama)s into a KK") % {"nama": penduduk.nama},
        save=lambda d: services.join_keluarga(penduduk, form.keluarga, hubungan_keluarga=d["hubungan_keluarga"],
                                              user=request.user, reason=d["reason"]),
        success=lambda p: _("%(nama)s is now a member of the family.") % {"nama": p.nama})


@login_required
def keluarga_pisah(request, pk):
    """Some members of the family form a new KK."""
    keluarga = _keluarga(request, pk)
    _require_write(request, keluarga.desa_id)
    form = PisahKKForm(request.POST or None, keluarga=keluarga)
    return _form_view(
        request, form, template="penduduk/event_form.html", k=keluarga,
        title=_("Split the family"),
        intro=_("For each member who moves to the new KK, choose their relationship there; one of them is its head."),
        save=lambda d: services.split_keluarga(keluarga, form.chosen(), nomor_kk=d["nomor_kk"],
                                               tanggal_kk=d["tanggal_terbit"], user=request.user),
        success=lambda k: _("The new KK has been recorded."))


@login_required
def keluarga_pindah_datang(request):
    """A whole family moves in: one form with the KK, its members, and where it came from."""
    desa, choose = _writable_desa(request, "penduduk:keluarga-pindah-datang")
    if choose:
        return choose
    data = request.POST or None
    if data is not None and "tambah_baris" in data:  # one more member row, nothing checked yet
        data = data.copy()
        data["anggota-TOTAL_FORMS"] = str(min(int(data.get("anggota-TOTAL_FORMS") or 1) + 1, 30))
        form, members = PindahDatangKeluargaForm(data, desa=desa), AnggotaFormSet(data, prefix="anggota")
        return render(request, "penduduk/pindah_keluarga.html", {"form": form, "members": members, "desa": desa,
                                                                 "fresh": True})
    form = PindahDatangKeluargaForm(data, desa=desa)
    members = AnggotaFormSet(data, prefix="anggota")
    if data is not None and form.is_valid() & members.is_valid():
        d = form.cleaned_data
        rows = [f.cleaned_data for f in members.forms if f.has_changed() and f.cleaned_data]
        try:
            keluarga, warnings = services.move_in_keluarga(
                desa, nomor_kk=d["nomor_kk"], tanggal_kk=d["tanggal_kk"], rt=d["rt"], alamat=d["alamat"],
                tanggal=d["tanggal"], asal=d["asal"], members=rows, user=request.user,
                alasan_koreksi=d["alasan_koreksi"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            _warn(request, warnings)
            messages.success(request, _("The family has been recorded as moving in: %(n)d members.") % {"n": len(rows)})
            return redirect(keluarga)
    return render(request, "penduduk/pindah_keluarga.html", {"form": form, "members": members, "desa": desa})


@login_required
def peristiwa_batal(request, pk, event_id):
    """"Batalkan peristiwa (salah catat)": a birth, death, move in or move out recorded by mistake."""
    penduduk = _penduduk(request, pk)
    _require_write(request, penduduk.desa_id)
    event = get_object_or_404(Peristiwa.objects.for_user(request.user), pk=event_id, penduduk=penduduk)
    if event.jenis in services.LEAVING:
        go_to = penduduk.get_absolute_url()
    else:  # a resident born or moved in by mistake is deleted: back to their family or the list
        go_to = penduduk.keluarga.get_absolute_url() if penduduk.keluarga_id else reverse("penduduk:list")
    return _form_view(
        request, BatalPeristiwaForm(request.POST or None), template="penduduk/event_form.html", p=penduduk,
        danger=True, go_to=go_to,
        title=_("Cancel the event (recorded by mistake): %(event)s · %(nama)s") % {"event": event, "nama": penduduk.nama},
        intro=_("The event stays in the history, marked as cancelled. %(what)s")
        % {"what": _("%(nama)s lives in the village again; a head of the family who was replaced is head again.")
           % {"nama": penduduk.nama} if event.jenis in services.LEAVING else
           _("%(nama)s was never a resident: the record is deleted as entered by mistake.") % {"nama": penduduk.nama}},
        save=lambda d: services.cancel_peristiwa(event, alasan=d["alasan"], user=request.user),
        success=lambda p: _("The event has been cancelled."))


@login_required
def deleted_list(request):
    """Soft-deleted residents, for the kecamatan administrator to restore."""
    if not permits(request.user, Action.RESTORE):
        raise PermissionDenied(_("Only the kecamatan administrator sees deleted residents."))
    rows = Penduduk.objects.deleted().select_related("desa").order_by("-deleted_at")[:200]
    return render(request, "penduduk/terhapus.html", {"rows": rows})


@login_required
@require_POST
def undelete(request, pk):
    if not permits(request.user, Action.RESTORE):
        raise PermissionDenied(_("Only the kecamatan administrator can restore deleted residents."))
    penduduk = get_object_or_404(Penduduk.objects.deleted(), pk=pk)
    try:
        services.undelete_penduduk(penduduk, user=request.user)
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
        return redirect("penduduk:terhapus")
    messages.success(request, format_html(_("{} has been restored."), penduduk.nama))
    return redirect("penduduk:detail", pk=penduduk.pk)



# --- import and export ----------------------------------------------------------------------------

@login_required
def import_start(request):
    villages = _writable_villages(request)
    if not villages.exists():
        raise PermissionDenied(_("Your account may not import residents."))
    form = ImportForm(request.POST or None, request.FILES or None, villages=villages)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        _require_write(request, d["desa"].id)
        job = jobs.start_upload("import-penduduk", d["desa"], request.user, d["file"], format=d["format"],
                                existing=d["existing"], dry_run=True)
        return redirect("penduduk:impor-detail", pk=job.pk)
    recent = Job.objects.for_user(request.user).filter(kind="import-penduduk").select_related("desa")[:10]
    return render(request, "penduduk/impor.html", {"form": form, "recent": recent})


def _job(request, pk):
    return get_object_or_404(Job.objects.for_user(request.user).select_related("desa"), pk=pk, kind="import-penduduk")


FINDINGS_PER_PAGE = 100


@login_required
def import_detail(request, pk):
    job = jobs.refreshed(_job(request, pk))
    if request.htmx and not job.active:
        # The polling fragment found the job finished: reload the whole page to show the report.
        response = HttpResponse()
        response["HX-Refresh"] = "true"
        return response
    context = {"job": job, "progress": jobs.progress(job), "worker_missing": jobs.waits_for_nobody(job),
               "can_write": can_write_desa(request.user, job.desa_id)}
    if request.htmx:
        return render(request, "penduduk/_impor_progres.html", context)
    if job.status == Job.Status.DONE and job.result:
        context.update(_import_findings(request, job.result))
    return render(request, "penduduk/impor_detail.html", context)


def _finding_filter(request, result):
    """The report's filter from the query: (kind code or "", "ditolak"/"peringatan"/"")."""
    kinds = {group["kind"] for group in result.get("kinds", [])}
    kind = request.GET.get("jenis", "")
    status = request.GET.get("status", "")
    return (kind if kind in kinds else ""), (status if status in ("ditolak", "peringatan") else "")


def _filtered_findings(result, kind, status):
    problems = result.get("problems", [])
    if not kind and not status:
        return problems
    error = {"ditolak": True, "peringatan": False}.get(status)
    return [p for p in problems
            if (not kind or p.get("kind", "") == kind) and (error is None or p["error"] == error)]


def _import_findings(request, result):
    """The report's findings for the page: the summary by kind, the filters, one page of findings
    (a person of another village named only to whoever may see that village)."""
    kind, status = _finding_filter(request, result)
    page = Paginator(_filtered_findings(result, kind, status), FINDINGS_PER_PAGE).get_page(request.GET.get("halaman"))
    may_see = _may_see(request.user)
    groups = [{**g, "label": importer.kind_label(g["kind"]), "more": g["rows"] > len(g["examples"]),
               "status": "ditolak" if g["error"] else "peringatan"} for g in result.get("kinds", [])]
    findings = [{**p, "label": importer.kind_label(p.get("kind")), "text": importer.described(p, may_see)}
                for p in page.object_list]
    query = {"jenis": kind, "status": status}
    return {"groups": groups, "page": page, "findings": findings, "jenis": kind, "status": status,
            "filter_query": "&".join(f"{k}={v}" for k, v in query.items() if v),
            "kind_choices": sorted({(g["kind"], str(g["label"])) for g in groups}, key=lambda c: c[1]),
            "problems_kept": len(result.get("problems", [])), "problem_count": result.get("problem_count", 0),
            "warning_count": result.get("problem_count", 0) - result.get("error_count", 0)}


def _may_see(user):
    """may_see(desa id): may ``user`` see that village's residents (asked once per village)."""
    answers = {}

    def may_see(desa_id):
        if desa_id not in answers:
            answers[desa_id] = permits(user, Action.VIEW, desa_id)
        return answers[desa_id]
    return may_see


@login_required
def import_report(request, pk):
    """Every finding of a check or import as a CSV file (numbers masked, as on the page)."""
    job = _job(request, pk)
    if job.status != Job.Status.DONE or not job.result:
        raise Http404(_("This job has no report."))
    may_see = _may_see(request.user)

    def write(f):
        text = io.TextIOWrapper(f, encoding="utf-8-sig", newline="")
        csv_writer(text).writerows(importer.finding_rows(job.result.get("problems", []),
                                                         lambda p: mask_numbers(importer.described(p, may_see))))
        text.detach()

    return file_download(write, f"{Path(job.filename).stem}-laporan.csv", "text/csv; charset=utf-8")


@login_required
@require_POST
def import_commit(request, pk):
    """Write what the dry run accepted: a new job on the same file, no longer a dry run."""
    dry = _job(request, pk)
    _require_write(request, dry.desa_id)
    if dry.status != Job.Status.DONE or not dry.options.get("dry_run"):
        raise PermissionDenied(_("Only a finished check can be imported."))
    job = import_checked(request, dry, rows=dry.result["rows"],
                         dusun_map=importer.dusun_map_from(request.POST, dry.result))
    return redirect("penduduk:impor-detail", pk=job.pk)


@login_required
@require_POST
def import_cancel(request, pk):
    job = _job(request, pk)
    _require_write(request, job.desa_id)
    job = cancel_import(request, job)
    return redirect("penduduk:impor-detail", pk=job.pk)


@login_required
def import_refused_rows(request, pk):
    """The refused rows of the file, with a column saying what is wrong, to fix and import again.
    The worker prepared the file when it checked (``importer.import_work``)."""
    job = _job(request, pk)
    _require_write(request, job.desa_id)
    path = importer.refused_rows_path(job)
    if not job.stored_file or not path.exists():
        raise Http404(_("The file of refused rows is no longer kept; check the file again."))
    # The file holds the rows as uploaded, full NIK and KK numbers included.
    reveal(request.user, job.desa_id, obj=job, detail=f"baris ditolak {job.filename}"[:500],
           action=AccessLog.Action.EXPORT)
    return FileResponse(path.open("rb"), as_attachment=True, filename=f"{Path(job.filename).stem}-ditolak.xlsx",
                        content_type=XLSX_TYPE)


@login_required
def import_template(request):
    """Sidekel's empty template with its sheet of codes."""
    return file_download(lambda f: exporter.write_xlsx(Penduduk.objects.none(), f, template="sidekel"),
                         "templat-penduduk-sidekel.xlsx", XLSX_TYPE)


@login_required
def export(request):
    """Residents of the chosen village (or every village in scope) as .csv (streamed now) or .xlsx
    (made by the worker: the next page shows its progress and the download).

    NIK and KK numbers are masked unless the user may see them and asks (``identitas=lengkap``).
    """
    villages = Desa.objects.for_user(request.user)
    kode = request.GET.get("desa")
    if kode:
        villages = villages.filter(kode=kode)
        if not villages.exists():
            raise Http404
    kind = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    template = "opensid" if request.GET.get("templat") == "opensid" else "sidekel"
    full = request.GET.get("identitas") == "lengkap" and all(can_reveal_identity(request.user, d.id) for d in villages)
    detail = f"{kind} {template} {'lengkap' if full else 'disamarkan'} {request.GET.urlencode()}"
    name = f"penduduk-{kode or 'semua'}-{timezone.localdate():%Y%m%d}.{kind}"
    desa = villages[0] if kode or len(villages) == 1 else None  # None: several villages, a kecamatan-wide job
    if kind == "xlsx":
        job = Job.objects.create(
            kind=exporter.EXPORT_KIND, desa=desa, user=request.user, filename=name,
            stored_file=f"ekspor-{uuid.uuid4().hex}.xlsx",
            options={"desa": kode, "template": template, "full": full, "detail": detail[:500],
                     "judul": _("Residents of %(area)s") % {"area": desa or _("every village")},
                     "keterangan": "Excel, " + (_("full NIK and KK numbers") if full else _("NIK and KK numbers masked")),
                     "back": reverse("penduduk:list") + (f"?desa={kode}" if kode else "")})
        jobs.start(job)
        return redirect("jobs:unduhan", pk=job.pk)
    log_access(request.user, AccessLog.Action.EXPORT, desa_id=desa.id if desa else None, detail=detail)
    response = StreamingHttpResponse(exporter.csv_chunks(exporter.export_queryset(request.user, kode), template, full),
                                     content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
