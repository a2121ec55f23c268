import gc
import os
import sys

from django.core.wsgi import get_wsgi_application

# Each server process runs several threads (gunicorn's gthread) that take turns holding Python's
# lock. A request waiting for the database gets it back only when the thread drawing another page
# lets go, by default after 5 ms: a page that asks PostgreSQL ten questions could wait that long
# after each one. Half a millisecond keeps such waits short; the extra switches cost little beside
# a request (docs/benchmarks.md, issue 16 load).
GIL_SWITCH_SECONDS = 0.0005
sys.setswitchinterval(GIL_SWITCH_SECONDS)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sidekel.settings")
application = get_wsgi_application()


def _freeze_what_is_loaded():
    """Load every view now and keep what is loaded out of Python's garbage collector: modules,
    models, URLs and templates live as long as the process, yet each full collection walked all
    of them while every thread of the process waited; it now walks only what requests made since
    (measured in docs/benchmarks.md, issue 16 load)."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # imports every app's views, forms and APIs
    gc.collect()
    gc.freeze()


_freeze_what_is_loaded()
