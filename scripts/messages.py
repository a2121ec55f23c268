"""Refresh the Bahasa Indonesia catalogue: extract every string into django.po, keeping the
translations it has, then compile django.mo and list what is still untranslated.

The .po file is the one source of the translations: translate a new string there (by hand, or in
Poedit or Weblate), then run `make messages` again. Needs GNU gettext (`apt-get install gettext`).
Exit status 1 while a string is untranslated or fuzzy.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "sidekel"
PO = ROOT / "locale" / "id" / "LC_MESSAGES" / "django.po"

subprocess.run(
    [sys.executable, "-m", "django", "makemessages", "-l", "id", "--no-location", "--no-obsolete",
     "--settings=sidekel.settings"],
    cwd=ROOT, check=True, env={**os.environ, "SIDEKEL_DATA_DIR": str(ROOT.parent / "data")},
)
subprocess.run(["msgfmt", "--check-format", "-o", str(PO.with_suffix(".mo")), str(PO)], check=True)
sys.path.insert(0, str(ROOT.parent))
from sidekel.core.catalogue import untranslated  # noqa: E402

missing = untranslated(PO)
for msgid in missing:
    print(f"untranslated: {msgid!r}")
sys.exit(1 if missing else 0)
