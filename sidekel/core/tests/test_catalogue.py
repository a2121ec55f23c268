"""Bahasa Indonesia everywhere (issue 14 item 9): the .po file is the one source of the
translations, every string of the code is in it and translated, and a browser set to English
still gets Indonesian pages."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sidekel.core.catalogue import entries, untranslated

PACKAGE = Path(__file__).resolve().parents[2]
PO = PACKAGE / "locale" / "id" / "LC_MESSAGES" / "django.po"


def test_every_string_in_the_catalogue_is_translated():
    assert len(entries(PO)) > 500
    assert untranslated(PO) == []


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed (CI installs it)")
def test_every_string_of_the_code_is_in_the_catalogue(tmp_path):
    """Extract the strings of a copy of the code, as `make messages` does: none may be missing
    from the committed catalogue (a string missing there would show in English)."""
    copy = tmp_path / "sidekel"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "data", "tests"))
    (copy / "locale" / "id" / "LC_MESSAGES" / "django.po").unlink()
    subprocess.run([sys.executable, "-m", "django", "makemessages", "-l", "id", "--no-location",
                    "--settings=sidekel.settings"], cwd=copy, check=True, capture_output=True,
                   env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tmp_path), "SIDEKEL_DATA_DIR": str(tmp_path / "d")})
    extracted = {msgid for msgid, _s, _f in entries(copy / "locale" / "id" / "LC_MESSAGES" / "django.po")}
    known = {msgid for msgid, _s, _f in entries(PO)}
    assert sorted(extracted - known) == []


def test_a_browser_set_to_english_gets_indonesian(client, arut_selatan):
    for path in ("/", "/masuk/", "/data/"):
        html = client.get(path, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
        assert "Masuk" in html and ">Log in<" not in html, path
    body = client.get("/api/v1/statistik/hobi/?wilayah=62.01.02", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["detail"].startswith("Kategori statistik hobi tidak dikenal")
