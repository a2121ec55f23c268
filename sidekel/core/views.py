from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import jobs
from .audit import logs_access
from .models import AccessLog, Job
from .publicapi import public_figures
from .scope import can_see_desa


@never_cache
@public_figures("none")
def healthz(request):
    """Liveness and database check for monitoring: 200 when the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means unhealthy
        return JsonResponse({"status": "error", "database": str(exc.__class__.__name__)}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})


# --- the page of a job that makes a file (a book's PDF, a large export) ---------------------------

def _file_job(request, pk):
    """A file job of this user (a download is personal), which they may still have."""
    job = get_object_or_404(Job.objects.select_related("desa"), pk=pk, user=request.user, kind__in=jobs.download_kinds())
    if job.desa_id is not None and not can_see_desa(request.user, job.desa_id):
        raise Http404
    jobs.KINDS[job.kind].may_download(request.user, job)  # a job of no village (several) says who may
    return job


@login_required
def unduhan(request, pk):
    """Progress of the file being made, then its download button."""
    job = jobs.refreshed(_file_job(request, pk))
    if request.htmx and not job.active:
        response = HttpResponse()
        response["HX-Refresh"] = "true"  # finished: reload to show the download button
        return response
    context = {"job": job, "progress": jobs.progress(job), "worker_missing": jobs.waits_for_nobody(job)}
    return render(request, "jobs/_progres.html" if request.htmx else "jobs/unduhan.html", context)


@login_required
@require_POST
def batal(request, pk):
    jobs.cancel(_file_job(request, pk))
    return redirect("jobs:unduhan", pk=pk)


@login_required
@logs_access(AccessLog.Action.EXPORT, lambda request, pk: Job.objects.get(pk=pk),
             detail=lambda request, pk: Job.objects.get(pk=pk).options.get("detail", ""))
def unduhan_berkas(request, pk):
    job = _file_job(request, pk)
    path = jobs.stored_path(job)
    if job.status != Job.Status.DONE or not job.stored_file or not path.exists():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=job.filename,
                        content_type=jobs.KINDS[job.kind].content_type)


# --- the pages of import jobs (penduduk, peta) ------------------------------------------------------

ALREADY_IMPORTED = gettext_lazy("This check has already been imported; here is that import.")


def import_checked(request, check, **options):
    """The import of a checked file for its page: the new job, or the one this check already led
    to (said so)."""
    job, new = jobs.import_checked(check, request.user, **options)
    if not new:
        messages.info(request, ALREADY_IMPORTED)
    return job


def cancel_import(request, job):
    """Cancel an import job and say what became of it; returns the job as it now stands."""
    job = jobs.cancel(job)
    if job.status == Job.Status.CANCELLED:
        messages.info(request, _("The import has been cancelled; nothing was written."))
    elif job.active:
        messages.info(request, _("The import is being cancelled; nothing it wrote will remain."))
    return job


# --- a refused form (CSRF) -----------------------------------------------------------------------

def csrf_failure(request, reason=""):
    """The 403 of a form Django refused (CSRF_FAILURE_VIEW), saying in Indonesian what the likely
    cause is. The one an installer meets is a proxy that does not send ``X-Forwarded-Proto``: the
    browser is on https://, Django believes the request came over http (docs/deploy.md)."""
    import logging

    from django.conf import settings
    from django.middleware.csrf import REASON_BAD_ORIGIN

    origin = request.META.get("HTTP_ORIGIN", "")
    bad_origin = reason.startswith(REASON_BAD_ORIGIN.split("%s")[0])
    if bad_origin and origin.startswith("https://") and not request.is_secure():
        cause = "proxy"
    elif not request.is_secure() and settings.CSRF_COOKIE_SECURE and settings.CSRF_COOKIE_NAME not in request.COOKIES:
        cause = "http"
    else:
        cause = "expired"
    logging.getLogger("sidekel.csrf").warning(
        "CSRF 403 on %s %s: %s (likely cause: %s; Origin %r, secure %s)",
        request.method, request.path, reason, cause, origin, request.is_secure())
    return render(request, "403_csrf.html", {"cause": cause}, status=403)


def code_lookup(request, find, url_name, template, not_found):
    """The box a citizen types a tracking code in (``?kode=``; core.codes): ``find(typed)`` gives
    the code as stored or None; found, to the page ``url_name``, else the box again with
    ``not_found`` (404)."""
    kode = request.GET.get("kode", "")
    error = ""
    if kode:
        found = find(kode)
        if found:
            return redirect(url_name, kode=found)
        error = not_found
    return render(request, template, {"kode": kode, "error": error}, status=404 if error else 200)


def run_action(request, action, success):
    """Run ``action()`` (a service call) for a form's POST: its refusals (ValidationError) become
    error messages for the user, else ``success`` is said."""
    try:
        action()
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.success(request, success)


def url_for_id(name):
    """``pk -> the address of the page `name` of that pk``, for long lists: one reverse for the
    whole list, not one per row."""
    before, after = reverse(name, args=[0]).rsplit("/0/", 1)
    return lambda pk: f"{before}/{pk}/{after}"
