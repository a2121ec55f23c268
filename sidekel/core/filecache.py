"""The cache the processes of `sidekel serve` share: Django's cache in files, culled once a minute.

Django's FileBasedCache lists every file of its folder on each write, to decide whether to remove
some (more than MAX_ENTRIES). Its folder only grows between culls: each data version writes new
keys, and the stored public answers and sessions add theirs; writes come after every edit, and
the listing costs more with every file (measured in docs/benchmarks.md, issue 16 load). Here a
process lists the folder at most once every CULL_SECONDS: the folder may pass MAX_ENTRIES by what
is written in that time, and is then culled as Django culls it.
"""

import time

from django.core.cache.backends.filebased import FileBasedCache

CULL_SECONDS = 60


class FileCache(FileBasedCache):
    _culled_at = None  # time.monotonic() of this process's last cull (shared by its threads' instances)

    def _cull(self):
        now = time.monotonic()
        if FileCache._culled_at is not None and now - FileCache._culled_at < CULL_SECONDS:
            return
        FileCache._culled_at = now
        super()._cull()
