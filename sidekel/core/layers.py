"""The apps' layers (docs/architecture.md): core <- akun <- wilayah <- penduduk <- the rest.

An app imports only apps of a lower layer, or of its own layer at the top as long as no two of
them import each other. ``core/tests/test_layers.py`` checks the source against this table; a
second process that runs an app's code (``core/worker.py``) sets up only the apps of that app's
layer and below.
"""

LAYER = {"core": 0, "akun": 1, "wilayah": 2, "penduduk": 3, "buku": 4, "statistik": 4, "portal": 4, "aspirasi": 4,
         "pendidikan": 4, "peta": 4, "layanan": 4, "potensi": 5, "panduan": 5}
