"""The operator's guide at /bantuan/: its contents, each section, and its PDF. Public: it holds
no personal data, and the part about logging in is read before logging in."""

import uuid

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from sidekel.core import jobs
from sidekel.core.publicapi import public_figures
from sidekel.core.models import Job

from . import guide, pdf


def _pdf_ready():
    path = pdf.cached()
    return path if path.exists() else None


@public_figures("none")
def index(request):
    """The contents: every section with its subheadings, and the PDF."""
    return render(request, "panduan/index.html", {"sections": guide.sections(), "pdf": _pdf_ready()})


@public_figures("none")
def section(request, slug):
    current = guide.section(slug)
    if current is None:
        raise Http404
    sections = guide.sections()
    return render(request, "panduan/section.html", {
        "section": current, "body": current.html(), "sections": sections,
        "previous": sections[current.number - 2] if current.number > 1 else None,
        "next": sections[current.number] if current.number < len(sections) else None,
    })


@public_figures("none")
def pdf_file(request):
    """The guide's PDF, once made; before that, the contents, which offer to make it."""
    path = _pdf_ready()
    if path is None:
        return index(request)
    return FileResponse(path.open("rb"), as_attachment=True, filename=pdf.filename(), content_type="application/pdf")


@login_required
@require_POST
def pdf_make(request):
    """Make the PDF in the background (the first time for this version of the guide)."""
    if _pdf_ready():
        return redirect("panduan:pdf")
    job = Job.objects.create(
        kind=pdf.JOB_KIND, desa=None, user=request.user, filename=pdf.filename(),
        stored_file=f"panduan-{uuid.uuid4().hex}.pdf",
        options={"judul": pdf.TITLE, "keterangan": "PDF, A4", "detail": "panduan pdf", "back": "/bantuan/"})
    jobs.start(job)
    return redirect("jobs:unduhan", pk=job.pk)
