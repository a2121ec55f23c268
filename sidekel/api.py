"""The public and authenticated JSON API, /api/v1/. Each app adds its router from its api.py."""

from ninja import NinjaAPI

from sidekel import __version__
from sidekel.wilayah.api import router as wilayah_router

api = NinjaAPI(
    title="Sidekel API",
    version=f"1 ({__version__})",
    description="Data desa dan kelurahan. Data pribadi tidak pernah dibuka untuk umum.",
    urls_namespace="api-v1",
    docs_url=None,
)
api.add_router("/wilayah/", wilayah_router)
