"""The public and authenticated JSON API, /api/v1/. Each app adds its router from its api.py."""

from django.db import OperationalError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.parser import Parser
from ninja.errors import AuthenticationError, HttpError, ValidationError

from sidekel import __version__
from sidekel.akun.api import router as auth_router
from sidekel.aspirasi.api import router as aspirasi_router
from sidekel.core.busy import RETRY_AFTER, is_busy, is_unavailable, unavailable_response
from sidekel.core.busy import message as busy_message
from sidekel.core.security import nul_message
from sidekel.pendidikan.api import private_router as pendidikan_router
from sidekel.pendidikan.api import router as sekolah_router
from sidekel.layanan.api import router as surat_router
from sidekel.layanan.api import verifikasi_router
from sidekel.penduduk.api import router as penduduk_router
from sidekel.peta.api import router as peta_router
from sidekel.potensi.api import router as potensi_router
from sidekel.statistik.api import data_router
from sidekel.statistik.api import router as statistik_router
from sidekel.statistik.api import wilayah_router


class NulInBody(ValueError):
    pass


def _holds_nul(data):
    if isinstance(data, str):
        return "\x00" in data
    if isinstance(data, dict):
        return any(_holds_nul(key) or _holds_nul(value) for key, value in data.items())
    if isinstance(data, list):
        return any(_holds_nul(item) for item in data)
    return False


class JsonParser(Parser):
    """JSON as ninja reads it, refusing a NUL character ("\\u0000") anywhere in it: PostgreSQL holds
    none (core/security.py refuses one in the URL)."""

    def parse_body(self, request):
        data = super().parse_body(request)
        if _holds_nul(data):
            raise NulInBody
        return data


api = NinjaAPI(
    parser=JsonParser(),
    title="Sidekel API",
    version=f"1 ({__version__})",
    description="Data desa dan kelurahan. Data pribadi tidak pernah dibuka untuk umum.",
    urls_namespace="api-v1",
    docs_url=None,
)
api.add_router("/auth/", auth_router)
api.add_router("/wilayah/", wilayah_router)
api.add_router("/penduduk/", penduduk_router)
api.add_router("/statistik/", statistik_router)
api.add_router("/data/", data_router)
api.add_router("/aspirasi/", aspirasi_router)
api.add_router("/sekolah/", sekolah_router)
api.add_router("/pendidikan/", pendidikan_router)
api.add_router("/peta/", peta_router)
api.add_router("/surat/", surat_router)
api.add_router("/verifikasi/", verifikasi_router)
api.add_router("/potensi/", potensi_router)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(OperationalError)
def database_busy(request, exc):
    """The database lock was held too long by another write, or the database is out of reach: 503,
    nothing written (core/busy.py)."""
    if is_unavailable(exc):
        return unavailable_response(request)
    if not is_busy(exc):
        raise exc
    response = api.create_response(request, {"detail": busy_message()}, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    return response


@api.exception_handler(AuthenticationError)
def unauthorized(request, exc):
    return api.create_response(
        request, {"detail": _("Log in first: send a valid token as Authorization: Bearer <token>.")}, status=401)


@api.exception_handler(HttpError)
def refused(request, exc):
    """django-ninja's own refusals, with its English words for a body it could not read said in Indonesian."""
    message = str(exc)
    if exc.status_code == 400 and isinstance(exc.__cause__, NulInBody):
        message = nul_message()
    elif exc.status_code == 400 and message.startswith("Cannot parse request body"):
        message = _("The request body could not be read: send JSON.")
    return api.create_response(request, {"detail": message}, status=exc.status_code)


@api.exception_handler(ValidationError)
def invalid_input(request, exc):
    """Input that does not fit the schema (wrong type, missing field): say where, in Indonesian."""
    errors = {}
    for error in exc.errors:
        field = ".".join(str(part) for part in error.get("loc", ())[1:]) or "body"
        errors.setdefault(field, []).append(_("invalid value (%(type)s)") % {"type": error.get("type", "?")})
    return api.create_response(
        request, {"detail": _("The data sent is not valid."), "errors": errors}, status=422)
