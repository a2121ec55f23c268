"""The layers of docs/architecture.md, checked on the source: core <- akun <- wilayah <- penduduk <-
the rest. An app imports only apps below it (or beside it, for the apps of the top layer, as long
as no two of them import each other). Tests, migrations and the project's own modules (settings,
urls, api, cli) may import anything."""

import ast
from collections import defaultdict
from pathlib import Path

from django.conf import settings

from sidekel.core.layers import LAYER
from sidekel.core.worker import apps_for

PACKAGE = Path(__file__).resolve().parents[2]


def imports_between_apps():
    """{(importing app, imported app): [file:line]} over the apps' own modules."""
    found = defaultdict(list)
    for app in LAYER:
        for path in (PACKAGE / app).rglob("*.py"):
            parts = path.relative_to(PACKAGE / app).parts
            if "tests" in parts or "migrations" in parts:
                continue
            tree = ast.parse(path.read_text("utf-8"))
            for node in ast.walk(tree):
                names = []
                if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    names = [node.module]
                elif isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                for name in names:
                    bits = name.split(".")
                    if len(bits) > 1 and bits[0] == "sidekel" and bits[1] in LAYER and bits[1] != app:
                        found[(app, bits[1])].append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    return found


def test_apps_import_only_the_layers_below_them():
    upward = {pair: where for pair, where in imports_between_apps().items() if LAYER[pair[1]] > LAYER[pair[0]]}
    assert not upward, f"imports of a higher layer: {upward}"


def test_no_two_apps_import_each_other():
    found = imports_between_apps()
    cycles = sorted({tuple(sorted(pair)) for pair in found if (pair[1], pair[0]) in found})
    assert not cycles, {pair: found[pair] + found[(pair[1], pair[0])] for pair in cycles}


def test_every_app_has_its_layer():
    assert sorted(app.split(".")[1] for app in settings.INSTALLED_APPS if app.startswith("sidekel.")) == sorted(LAYER)


def test_a_second_process_sets_up_the_layers_its_code_stands_on():
    """The import's checkers (penduduk) load core, akun, wilayah and penduduk with the framework's
    apps, not the rest; code of the top layers gets every app of the layers below it."""
    framework = [app for app in settings.INSTALLED_APPS if not app.startswith("sidekel.")]
    assert apps_for("sidekel.penduduk.importer._row_batches_of_file", settings.INSTALLED_APPS) == framework + [
        "sidekel.core", "sidekel.akun", "sidekel.wilayah", "sidekel.penduduk"]
    # The audit log (core) names akun's user and wilayah's village: those load with core.
    assert apps_for("sidekel.core.xlsx_reader.anything", settings.INSTALLED_APPS) == framework + [
        "sidekel.core", "sidekel.akun", "sidekel.wilayah"]
    for app, layer in LAYER.items():
        loaded = {name.split(".")[1] for name in apps_for(f"sidekel.{app}.module.function", settings.INSTALLED_APPS)
                  if name.startswith("sidekel.")}
        assert loaded == {other for other, below in LAYER.items() if below <= max(layer, LAYER["wilayah"])}, app
    assert apps_for("json.loads", settings.INSTALLED_APPS) == list(settings.INSTALLED_APPS)


def our_apps_loaded():
    """Run in a child process (below): the labels of our apps it set up."""
    from django.apps import apps

    yield sorted(config.label for config in apps.get_app_configs() if config.name.startswith("sidekel."))


def test_a_child_process_loads_only_those_apps():
    from sidekel.core.worker import in_child

    with in_child("sidekel.core.tests.test_layers.our_apps_loaded") as items:
        assert list(items) == [["akun", "core", "wilayah"]]


def test_core_imports_no_app():
    assert not [pair for pair in imports_between_apps() if pair[0] == "core"]


def test_setting_django_up_loads_no_heavy_library():
    """Every process sets Django up (the CLI, the worker, an import's second process, each web
    worker), and the apps' ready() import the modules that declare jobs and panels. fpdf2, Faker
    and shapely (with numpy) take longer to import than the rest of the apps: each is loaded only
    where a PDF is made, a demo built or a geometry read, so those processes start sooner."""
    import os
    import subprocess
    import sys

    heavy = ["faker", "fpdf", "numpy", "shapely"]
    script = ("import os, sys, django; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'sidekel.settings'); "
              f"django.setup(); print(sorted({{m.split('.')[0] for m in sys.modules}} & set({heavy!r})))")
    found = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONPATH": str(PACKAGE.parent)}).stdout.strip()
    assert found == "[]"
