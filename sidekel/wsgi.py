import os
import sys

from django.core.wsgi import get_wsgi_application

# Each server process runs several threads (gunicorn's gthread) that take turns holding Python's
# lock. A request waiting for the database gets it back only when the thread drawing another page
# lets go, by default after 5 ms: a page that asks PostgreSQL ten questions could wait that long
# after each one. Half a millisecond keeps such waits short; what it costs in switches is small
# beside a request (docs/benchmarks.md, issue 16 load).
GIL_SWITCH_SECONDS = 0.0005
sys.setswitchinterval(GIL_SWITCH_SECONDS)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sidekel.settings")
application = get_wsgi_application()
