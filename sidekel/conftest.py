import datetime
import os

import pytest

from sidekel.penduduk.tests.factories import adult
from sidekel.penduduk import services
from sidekel.penduduk.choices import HubunganKeluarga, JenisKelamin, Pekerjaan, PendidikanKK, StatusPerkawinan
from sidekel.wilayah.models import Desa
from sidekel.wilayah.services import ensure_rt, load_wilayah

ARUT_SELATAN = "62.01.02"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite the suite's database is a file, as in production (WAL, a busy timeout), not
    Django's shared in-memory one. There the browser tests' live server shared the test thread's
    very connection (its requests ran inside the test's transactions), and every other connection
    (the worker's own threads) was refused a lock at once instead of waiting for it, so an
    import's index rebuild failed whenever the worker's figures thread read at that moment.
    SIDEKEL_TEST_DATABASE_NAME still names another file."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3" and not db.get("TEST", {}).get("NAME"):
        db.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("database") / "test.sqlite3")


@pytest.fixture
def arut_selatan(db):
    """Kecamatan Arut Selatan and its 20 villages, served by this installation."""
    load_wilayah(kode=ARUT_SELATAN, manage=True)
    from sidekel.wilayah.models import Kecamatan

    return Kecamatan.objects.get(kode=ARUT_SELATAN)


TEST_SETTINGS = {"PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
                 "SECRET_KEY": os.environ.get("SIDEKEL_TEST_SECRET_KEY", "sidekel-test-secret-key"),
                 "SIDEKEL_JOBS_INLINE": True}


@pytest.fixture(scope="module")
def built_once(request, django_db_setup, django_db_blocker, tmp_path_factory):
    """What the test module's ``build_once()`` writes (a demo kecamatan, a world of accounts),
    written once for all the module's tests instead of once for each: it stays in a transaction
    that each test starts from as a savepoint (so a test's own writes roll back before the next)
    and that is rolled back after the module. Tests reach it through ``once``. For tests of one
    process only: a browser test's server reads committed data, so it builds its own.
    A test of such a module that does not ask for ``once`` still sees the data, if it runs after
    one that did."""
    from django.core.cache import cache
    from django.db import transaction
    from django.test.utils import override_settings

    data_dir = tmp_path_factory.mktemp("once") / "data"
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer._from_testcase = True  # as Django's own test transactions: durable blocks may nest in it
        outer.__enter__()
        try:
            with override_settings(**TEST_SETTINGS, DATA_DIR=data_dir):
                cache.clear()
                built = request.module.build_once()
            yield built, data_dir
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            cache.clear()


@pytest.fixture
def once(built_once, db, settings):
    """The module's ``build_once()`` result (a copy: a test may change its objects), with the
    files it wrote in the data folder."""
    import copy

    built, data_dir = built_once
    settings.DATA_DIR = data_dir
    return copy.deepcopy(built)


@pytest.fixture(autouse=True)
def test_settings(settings, tmp_path):
    """Argon2 is slow on purpose: tests that are not about hashing use a fast hasher. Jobs run
    inline, and uploads go to a fresh folder per test. The secret key is the same on every machine
    (SIDEKEL_TEST_SECRET_KEY changes it): the privacy engine's draws are keyed by it, and a run
    must not pass on one clone and fail on the next."""
    from django.core.cache import cache

    from sidekel.core.publicapi import reset_rate_limit

    cache.clear()  # figures are cached per data version, and a rolled-back test may reuse ids
    reset_rate_limit()  # every test's client starts with a full bucket, as with a fresh server
    for name, value in TEST_SETTINGS.items():
        setattr(settings, name, value)
    settings.DATA_DIR = tmp_path / "data"


@pytest.fixture(autouse=True)
def verified_logins(request):
    """A login in a test (``client.force_login``, ``client.login``, the login page in the browser)
    gives a session whose second factor is verified, as after the code step: an account that must
    have one gets an authenticator-app device. Tests marked ``two_factor`` go through the real step.
    """
    if request.node.get_closest_marker("two_factor"):
        yield
        return
    from django.contrib.auth.signals import user_logged_in
    from django_otp import DEVICE_ID_SESSION_KEY

    from sidekel.akun import services as akun

    def verify(sender, request, user, **kwargs):
        from django_otp import devices_for_user
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = next(iter(devices_for_user(user)), None)
        if device is None and akun.requires_two_factor(user):
            device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        if device is not None:
            request.session[DEVICE_ID_SESSION_KEY] = device.persistent_id

    user_logged_in.connect(verify, dispatch_uid="sidekel-test-verified-logins")
    yield
    user_logged_in.disconnect(dispatch_uid="sidekel-test-verified-logins")


@pytest.fixture
def rangda(arut_selatan):
    return Desa.objects.get(kode="62.01.02.2010")


@pytest.fixture
def raja(arut_selatan):
    return Desa.objects.get(kode="62.01.02.1007")


@pytest.fixture
def keluarga_budi(rangda):
    """A family in Desa Rangda: Budi (head, NIK ...0001), his wife Siti and son Andi."""
    return make_keluarga_budi(rangda)


def make_keluarga_budi(rangda):
    """``keluarga_budi`` outside a fixture: (keluarga, budi, siti, andi)."""
    rt = ensure_rt(rangda, "001", None, "Sumber Rejeki")
    keluarga = services.create_keluarga(rangda, nomor_kk="6201021501200001", tanggal_kk=datetime.date(2020, 1, 15), rt=rt,
                                        alamat="RT 001 Sumber Rejeki")
    budi, _ = services.register_penduduk(rangda, keluarga=keluarga, nik="6201021203850001", **adult())
    siti, _ = services.register_penduduk(
        rangda, keluarga=keluarga, nik="6201026507870001",
        **adult(nama="Siti Aminah", jenis_kelamin=JenisKelamin.PEREMPUAN, tanggal_lahir=datetime.date(1987, 7, 25),
                pekerjaan=Pekerjaan.MENGURUS_RUMAH_TANGGA, hubungan_keluarga=HubunganKeluarga.ISTRI))
    andi, _ = services.register_penduduk(
        rangda, keluarga=keluarga, nik="6201020909100001",
        **adult(nama="Andi", tanggal_lahir=datetime.date(2010, 9, 9), pendidikan_kk=PendidikanKK.TAMAT_SD,
                pekerjaan=Pekerjaan.PELAJAR_MAHASISWA, status_perkawinan=StatusPerkawinan.BELUM_KAWIN,
                hubungan_keluarga=HubunganKeluarga.ANAK))
    return keluarga, budi, siti, andi


# --- real browser ------------------------------------------------------------------------------
# Debian's Chromium driven by Playwright. Screenshots land in test-artifacts/screens/ so a person
# can look at every screen the tests walk through.

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
SCREENS = __import__("pathlib").Path(__file__).resolve().parent.parent / "test-artifacts" / "screens"
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="session")
def browser():
    import os

    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium package")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test
    # itself are still synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser, live_server):
    """open_page(viewport=LAPTOP) -> a fresh page whose .go(path) opens live_server URLs."""
    contexts = []

    def factory(viewport=LAPTOP):
        context = browser.new_context(viewport=viewport, locale="id-ID")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.go = lambda path: page.goto(live_server.url + path)
        return page

    yield factory
    for context in contexts:
        context.close()


def settled(page):
    """Wait until the page shown is complete: loaded (its stylesheets and images too) and no htmx
    request in flight (htmx marks the element that asked with ``htmx-request`` until the answer is
    in). Our pages fetch nothing else by themselves but the map's layers (peta.js, waited for by
    its own tests). Playwright's "networkidle" would also do, but it waits for half a second of
    silence after the last request: a minute of the suite's walks over every page."""
    page.wait_for_load_state("load")
    page.wait_for_function("() => !document.querySelector('.htmx-request')")


def screenshot(page, name):
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)


def login(page, username, password):
    page.go("/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()


# What every page must do at 1366 px and at 360 px: no sideways scroll of the page itself; a table
# wider than its place scrolls inside a box the keyboard can reach (tabindex=0) and a screen reader
# names (role=region and a label); axe-core finds nothing serious or critical.
LAYOUT_SCRIPT = """() => {
  const problems = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > doc.clientWidth) problems.push(`the page scrolls sideways by ${doc.scrollWidth - doc.clientWidth}px`);
  for (const table of document.querySelectorAll('main table')) {
    let box = table.parentElement;
    while (box && box !== document.body && !['auto', 'scroll'].includes(getComputedStyle(box).overflowX)) box = box.parentElement;
    const scrolls = box && box !== document.body;
    const where = table.querySelector('caption')?.textContent.trim() || table.className || 'table';
    if (!scrolls && table.getBoundingClientRect().right > doc.clientWidth + 1)
      problems.push(`${where}: runs off the screen`);
    if (scrolls && box.scrollWidth > box.clientWidth + 1) {
      if (box.getAttribute('tabindex') !== '0') problems.push(`${where}: its scroll box is not reachable by keyboard`);
      if (box.getAttribute('role') !== 'region' || !(box.getAttribute('aria-label') || box.getAttribute('aria-labelledby')))
        problems.push(`${where}: its scroll box has no role=region and label`);
    }
  }
  for (const cell of document.querySelectorAll('main td.total, main th.total')) {
    const r = cell.getBoundingClientRect();
    if (r.width && (r.left < -1 || r.right > doc.clientWidth + 1)) {
      const box = cell.closest('[role=region]')?.getBoundingClientRect();
      if (!box || r.left < box.left - 1 || r.right > box.right + 1) { problems.push(`a total (${cell.textContent.trim()}) is off-screen`); break; }
    }
  }
  for (const button of document.querySelectorAll('main .button, main button')) {
    const r = button.getBoundingClientRect();
    if (r.width && (r.left < -1 || r.right > doc.clientWidth + 1)) { problems.push(`button "${button.textContent.trim()}" is off-screen`); break; }
  }
  return problems;
}"""


def layout_problems(page, axe=None):
    """What is wrong with the page shown (see LAYOUT_SCRIPT), and axe's serious or critical findings."""
    problems = page.evaluate(LAYOUT_SCRIPT)
    if axe is not None:
        results = axe.run(page)
        problems += [f"axe {v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:3]]}"
                     for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    return problems
