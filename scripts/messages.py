"""Refresh the Bahasa Indonesia catalogue: extract strings, fill them from translations_id.py, compile.

Run with `make messages` (needs GNU gettext and `pip install polib`, developer tools only).
"""

import os
import subprocess
import sys
from pathlib import Path

import polib

sys.path.insert(0, str(Path(__file__).parent))
from translations_id import ID, PLURALS  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent / "sidekel"
PO = ROOT / "locale" / "id" / "LC_MESSAGES" / "django.po"

subprocess.run(
    [sys.executable, "-m", "django", "makemessages", "-l", "id", "--no-location", "--no-obsolete",
     "--settings=sidekel.settings"],
    cwd=ROOT, check=True, env={**os.environ, "SIDEKEL_DATA_DIR": str(ROOT.parent / "data")},
)
po = polib.pofile(str(PO))
po.metadata["Language"] = "id"
po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
missing = []
for entry in po:
    if entry.msgid_plural:
        forms = PLURALS.get(entry.msgid)
        if forms:
            entry.msgstr_plural = {0: forms[0]}
        else:
            missing.append(entry.msgid)
    elif entry.msgid in ID:
        entry.msgstr = ID[entry.msgid]
    else:
        missing.append(entry.msgid)
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
po.save()
po.save_as_mofile(str(PO.with_suffix(".mo")))
for msgid in missing:
    print(f"untranslated: {msgid!r}")
sys.exit(1 if missing else 0)
