"""Hostile input to the HTML pages. Query parameters: every page of the permission matrix that opens with a GET, as
a persona it opens for, with odd values in the parameters of the page's own search and filter
forms and links, and those its view's module reads from ``request.GET``: one parameter at a time
(the others as the page gave them), then every parameter any view reads, all at once. Bounded
to about 20 requests a page.
Forms: every POST form those pages draw, sent with odd values, one field at a time and all at once.
Whatever the input, never a 500: a bad value gets the page with its message, or a 4xx.

The API has its own run (test_hostile_api.py); a NUL is refused before any view (test there).
"""

import inspect
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.urls import resolve

from .conftest import build_world as build_once  # noqa: F401 (the world, built once for the module)
from .test_permission_matrix import MATRIX

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench"))
from httpbench import post_forms  # noqa: E402 (the benchmarks' reading of a page's POST forms, as a browser sends them)

# What a person may type or paste, or a hand-edited URL may hold.
ODD = [
    "", " ", "0", "-1", "99999999999999999999999", "-99999999999999999999", "1e309", "NaN", "1.5", "0x1F",
    "2026-02-30", "9999-12-31", "0001-01-01", "31/12/2026", "x" * 3000, "'\"><script>alert(1)</script>",
    "%", "_", "\\", "\u202e\u0644\u0627", "\U0001f600", "\x01\x1f", "a\tb\nc", "../../etc/passwd",
    "62.01.02.2001.9999", "62.01",
    # Cursors of a list (base64 of JSON) that do not hold (a sort value, an id): {"x": 1},
    # [["a", 1], 1] and ["", -99999999999999999999].
    "eyJ4IjogMX0", "W1siYSIsIDFdLCAxXQ", "WyIiLCAtOTk5OTk5OTk5OTk5OTk5OTk5OTk5XQ",
]


GET_NAME = re.compile(r"request\.GET(?:\.get|\.getlist)?[(\[]\"(\w+)\"")


def _read_by_views():
    """The query parameters Sidekel's code reads from ``request.GET`` by name, outside forms: all
    of them go to every page at once, since a view may read one its page never links to."""
    root = Path(__file__).resolve().parents[2]
    return sorted({name for path in root.rglob("*.py") if "tests" not in path.parts
                   for name in GET_NAME.findall(path.read_text(encoding="utf-8"))})


READ_BY_VIEWS = _read_by_views()


def _read_by_module_of(path):
    """The names the module of the view at ``path`` reads from ``request.GET`` itself."""
    view = inspect.unwrap(resolve(path).func)
    module = inspect.getmodule(getattr(view, "view_class", view))
    return set(GET_NAME.findall(inspect.getsource(module)))


# Sent in every parameter at once (each page is a request per value: the suite's time is bounded).
ALL_AT_ONCE = ["", "-1", "99999999999999999999999", "1e309", "2026-02-30", "x" * 3000, "'\"><script>alert(1)</script>",
               "\u202e\u0644\u0627\U0001f600\x01", "W1siYSIsIDFdLCAxXQ", "WyIiLCAtOTk5OTk5OTk5OTk5OTk5OTk5OTk5XQ"]


class _Parameters(HTMLParser):
    """The names a page's GET forms send, and the query keys of its links back to itself."""

    def __init__(self, path):
        super().__init__()
        self.path, self.names, self.in_get_form = path, set(), False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.in_get_form = (attrs.get("method") or "get").lower() == "get"
        elif tag in ("input", "select", "textarea") and self.in_get_form and attrs.get("name"):
            if (attrs.get("type") or "").lower() not in ("submit", "button", "file"):
                self.names.add(attrs["name"])
        elif tag == "a" and attrs.get("href"):
            link = urlsplit(attrs["href"])
            if link.path in ("", self.path):
                self.names.update(key for key, _ in parse_qsl(link.query, keep_blank_values=True))

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_get_form = False


def _pages():
    """(name, persona): each GET page once, as the first persona it opens for (a village's
    operator before the kecamatan's admin, whose scope checks differ), public pages as anyone."""
    for name, (method, _path, expected, *_body) in sorted(MATRIX.items()):
        if method != "get" or name.startswith(("api-", "admin:")) or name in ("healthz", "panduan:pdf"):
            continue
        persona = next((p for p in ("anon", "op_a", "admin", "camat", "kades_a") if expected.get(p) == 200), None)
        if persona is not None:
            yield name, persona


PAGES = list(_pages())


def _odd_values(field, count, salt=""):
    """``count`` of the odd values for ``field`` (of the page or form ``salt``): a different few
    for each, so that over the pages every value is sent."""
    start = sum(map(ord, field + salt)) % len(ODD)
    return [ODD[(start + i * 11) % len(ODD)] for i in range(count)]


def test_the_parameters_read_by_views_are_found():
    assert {"desa", "setelah", "tanggal", "halaman"} <= set(READ_BY_VIEWS)
    assert {"setelah", "sebelum"} <= _read_by_module_of("/penduduk/")


@pytest.mark.parametrize("persona", sorted({persona for _name, persona in PAGES}))
def test_no_page_answers_500_to_odd_parameters(client, world, persona):
    """One test per persona (the world is set up once for all its pages); every page is tried
    and every 500 reported, with its URL."""
    if persona != "anon":
        client.force_login(world["users"][persona])
    names = [name for name, as_persona in PAGES if as_persona == persona]
    tried, failures = [], []
    for name in names:
        _odd_parameters(client, world, name, tried, failures)
    assert len(tried) > 10 * len(names)
    assert not failures, f"as {persona}: {len(failures)} of {len(tried)} answered 500:\n" + "\n".join(failures[:30])


def _odd_parameters(client, world, name, tried, failures):
    _method, path, _expected, *_body = MATRIX[name]
    path = path(world)
    base, _, query = path.partition("?")
    given = dict(parse_qsl(query, keep_blank_values=True))
    page = client.get(path)
    if page.status_code != 200:
        failures.append(f"{name}: {path} answered {page.status_code} before any odd parameter")
        return
    found = _Parameters(base)
    if "text/html" in page.get("Content-Type", ""):
        found.feed(page.content.decode())
    fields = sorted((found.names | _read_by_module_of(base) | set(given)) - {"csrfmiddlewaretoken"})

    def send(params, raw=""):
        url = f"{base}?{urlencode(params, doseq=True)}{raw}"
        tried.append(url)
        try:
            status = client.get(url).status_code
        except Exception as exc:  # the test client re-raises a view's exception: a 500 in production
            failures.append(f"{name}: {url[:300]}: {type(exc).__name__}: {exc}"[:600])
            return
        if status >= 500:
            failures.append(f"{name}: {url[:300]}: {status}")

    for field in fields:
        for value in _odd_values(field, 2, base):
            send({**given, field: value})
        send({**given, field: ["1", "2"]})  # the same parameter twice
    for value in ALL_AT_ONCE:
        send({**given, **dict.fromkeys(fields + READ_BY_VIEWS, value)})
    send(given, raw="&" + "&".join(f"{field}=%ff%fe" for field in fields + READ_BY_VIEWS))  # not UTF-8


# Forms not sent: signing out ends the persona's session for the pages after it.
NOT_SENT = ("/keluar/",)


@pytest.mark.parametrize("persona", sorted({persona for _name, persona in PAGES}))
def test_no_form_answers_500_to_odd_values(client, world, persona):
    """Every POST form on the GET pages above (forms that upload files are test_hostile_files.py's),
    sent as drawn but for one field with an odd value
    (each field in turn, hidden ones too), then with every field odd. Each page's submissions are
    undone afterwards (a savepoint), so one page's saves do not change the next page."""
    from django.db import transaction

    if persona != "anon":
        client.force_login(world["users"][persona])
    tried, failures, forms = [], [], 0
    for name in [name for name, as_persona in PAGES if as_persona == persona]:
        path = MATRIX[name][1](world)
        page = client.get(path)
        if page.status_code != 200 or "text/html" not in page.get("Content-Type", ""):
            continue
        for form in post_forms(page.content.decode()):
            action = form["action"] or path
            if form["files"] or urlsplit(action).path in NOT_SENT or not urlsplit(action).path.startswith("/"):
                continue
            forms += 1
            fields = {k: v for k, v in form["fields"].items() if k != "csrfmiddlewaretoken"}
            submissions = [{**fields, field: value} for field in fields for value in _odd_values(field, 1, action)]
            submissions += [dict.fromkeys(fields, value) for value in ALL_AT_ONCE[1:4]]
            with transaction.atomic():
                for data in submissions:
                    tried.append(action)
                    try:
                        status = client.post(action, data).status_code
                    except Exception as exc:  # re-raised by the test client: a 500 in production
                        failures.append(f"{name}: POST {action} {str(data)[:200]}: {type(exc).__name__}: {exc}"[:700])
                        continue
                    if status >= 500:
                        failures.append(f"{name}: POST {action} {str(data)[:200]}: {status}")
                transaction.set_rollback(True)
    assert forms and tried
    assert not failures, f"as {persona}: {len(failures)} of {len(tried)} answered 500:\n" + "\n".join(failures[:30])
