from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from .publicapi import public_figures


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
