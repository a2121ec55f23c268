"""Every page the permission matrix reaches, opened in Chromium under Sidekel's
Content-Security-Policy (no inline script or style, no eval): not one violation is reported.

Each HTML page of core/tests/test_permission_matrix.py's MATRIX is opened once, as the first of
anon, op_a, camat, admin that may open it (so public, operator, camat and admin pages are all
there, Django's admin included), plus the 403 and 404 pages. Violations are caught twice: the
console message Chromium writes for each, and the page's ``securitypolicyviolation`` events.
"""

import pytest

from sidekel.conftest import login

from .test_permission_matrix import MATRIX

pytestmark = pytest.mark.browser

ORDER = ["anon", "op_a", "camat", "admin"]
NOT_PAGES = (".csv", ".jpg", "/xlsx/", "/berkas/", "/templat/", "/unduh/", "/ekspor/", "/ditolak/", "format=csv")  # files

LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sourceFile || "") + ":" + e.lineNumber);
});
"""


def pages(world, client):
    """{persona: [path, ...]}: each HTML page of the matrix, under the first persona that gets a 200
    (files to download are left out: by name, and by the answer's type to Django's test client)."""
    chosen = {persona: [] for persona in ORDER}
    for name, (method, path, expected, *_body) in sorted(MATRIX.items()):
        path = path(world)
        if method != "get" or path.startswith("/api/") or name == "healthz" or any(p in path for p in NOT_PAGES):
            continue
        persona = next((p for p in ORDER if expected.get(p) == 200), None)
        if persona:
            client.logout()
            if persona != "anon":
                client.force_login(world["users"][persona])
            if client.get(path)["Content-Type"].startswith("text/html"):
                chosen[persona].append(path)
    chosen["op_a"] += ["/buku/kecamatan/", "/tidak-ada/"]  # the 403 and 404 pages, with the layout
    return chosen


def open_all(page, paths, violations):
    for path in paths:
        response = page.go(path)
        page.wait_for_load_state("load")
        assert response.status in (200, 403, 404), (path, response.status)
        assert "script-src 'self'" in response.headers["content-security-policy"], path
        violations += [f"{path}: {v}" for v in page.evaluate("window.__csp")]


def watch(page, violations):
    page.add_init_script(LISTEN)
    page.on("console", lambda m: violations.append(f"console: {m.text}")
            if "Content Security Policy" in m.text else None)


def test_no_page_needs_more_than_the_content_security_policy_allows(open_page, transactional_db, world, client, settings):
    # The camat's and admin's pages, not the two-factor enrolment they would meet first (tested below).
    settings.SIDEKEL_TWO_FACTOR_REQUIRED = False
    chosen = pages(world, client)
    assert all(chosen.values()), chosen
    assert {"/", "/masuk/", "/admin/", "/statistik/"} <= {p for paths in chosen.values() for p in paths}
    violations = []
    for persona in ORDER:
        page = open_page()
        watch(page, violations)
        if persona != "anon":
            login(page, persona, "x")
            assert page.url.endswith("/petugas/") or "/petugas/" in page.url or "/desa/" in page.url, page.url
        open_all(page, chosen[persona], violations)
    assert violations == []


def test_the_two_factor_pages_need_nothing_more(open_page, transactional_db, world, settings):
    """The camat's first login: the enrolment page (QR code, key), then the account page."""
    settings.SIDEKEL_TWO_FACTOR_REQUIRED = True
    violations = []
    page = open_page()
    watch(page, violations)
    login(page, "camat", "x")
    assert "/petugas/" not in page.url, page.url  # held at the enrolment
    assert page.locator("svg").count() >= 1  # the QR code
    violations += [f"{page.url}: {v}" for v in page.evaluate("window.__csp")]
    response = page.go("/petugas/")
    violations += [f"{page.url}: {v}" for v in page.evaluate("window.__csp")]
    assert response.status in (200, 302) and violations == []


def test_a_violation_is_caught(open_page, transactional_db, world):
    """The listeners above do see a violation: an inline style set by a script is refused and reported."""
    page = open_page()
    page.add_init_script(LISTEN)
    console = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    page.go("/masuk/")
    page.evaluate("document.body.setAttribute('style', 'background: red')")
    page.wait_for_function("window.__csp.length > 0")
    assert "style-src" in page.evaluate("window.__csp")[0]
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgb(255, 0, 0)"
    assert any("style" in text for text in console)
