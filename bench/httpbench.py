"""What bench/load.py and bench/faults.py share: a browser-like HTTP client (cookies, CSRF, forms),
`sidekel serve` started on a free port, and commands run inside an installation."""

import gzip
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, environment, sidekel  # noqa: E402,F401 (sidekel and environment: for faults.py too)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def shell(env, code, timeout=600, root=ROOT):
    """Run ``code`` in `sidekel shell` (the code of the checkout at ``root``); its last printed line, read as JSON."""
    done = subprocess.run(sidekel("shell", "--no-imports", "-c", code), env=environment(env, root), cwd=root, capture_output=True,
                          text=True, timeout=timeout)
    if done.returncode:
        raise RuntimeError(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


class Server:
    """`sidekel serve --no-worker` on a free port of 127.0.0.1, until ``stop()``; with ``worker``,
    `sidekel serve` with its background worker, as in production. ``root``: the checkout whose
    code it runs.

    Its log (stderr) goes to a file, never to a pipe: nobody reads a pipe while the bench runs, and
    once the 64 KB of a pipe are full every thread of the server that logs (a warning, a 503's
    traceback) blocks on the write, holding the logging lock, and the whole server hangs."""

    def __init__(self, env, workers=None, threads=4, extra=(), worker=False, root=ROOT):
        self.port = free_port()
        args = ["serve", "--bind", f"127.0.0.1:{self.port}", "--threads", str(threads), *extra]
        if not worker:
            args.insert(1, "--no-worker")
        if workers:
            args += ["--workers", str(workers)]
        self.log = tempfile.NamedTemporaryFile("w+", prefix="sidekel-serve-", suffix=".log", delete=False)
        self.process = subprocess.Popen(sidekel(*args), env=environment(env, root), cwd=root, stdout=subprocess.DEVNULL,
                                        stderr=self.log, text=True, start_new_session=True)
        self.wait_ready()

    def log_text(self):
        with open(self.log.name, encoding="utf-8", errors="replace") as log:
            return log.read()

    def log_lines(self, word):
        """How many lines of the server's log hold ``word``."""
        return sum(word in line for line in self.log_text().splitlines())

    def wait_ready(self, seconds=120):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("sidekel serve stopped: " + self.log_text()[-3000:])
            try:
                if Client(self.port, timeout=5).get("/healthz").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError("sidekel serve did not answer /healthz: " + self.log_text()[-3000:])

    def kill(self, sig):
        os.killpg(self.process.pid, sig)
        self.process.wait(30)
        self.remove_log()

    def remove_log(self):
        self.log.close()
        if os.path.exists(self.log.name):
            os.unlink(self.log.name)

    def stop(self):
        if self.process.poll() is None:
            import signal

            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.remove_log()


class Response:
    """An answer; ``status_code`` and ``content`` (unzipped) as in Django's test client, so helpers
    written for that client (bench/list_search.py's) read these too."""

    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    @property
    def status_code(self):
        return self.status

    @property
    def content(self):
        return gzip.decompress(self.body) if self.headers.get("content-encoding") == "gzip" else self.body

    @property
    def text(self):
        return self.content.decode("utf-8", "replace")


class Client:
    """One person's browser: a keep-alive connection, the cookies the server set, CSRF on forms;
    ``headers`` go with every request (e.g. a browser's Accept-Encoding)."""

    IDLE = 1.5  # seconds: gunicorn closes a keep-alive connection idle for 2 s; never reuse one near that

    def __init__(self, port, timeout=60, headers=None):
        self.port, self.timeout = port, timeout
        self.headers = dict(headers or {})
        self.cookies = {}
        self.connection = None
        self.used = 0.0

    def request(self, method, path, body=None, headers=None):
        headers = {**self.headers, **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.connection is not None and time.monotonic() - self.used > self.IDLE:
            self.close()
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            try:
                self.connection.request(method, path, body=body, headers=headers)
                raw = self.connection.getresponse()
                data = raw.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as exc:
                # A keep-alive connection the server closed between requests: open a new one, once
                # (a POST only when it could not have been sent: a broken pipe while sending).
                self.connection.close()
                self.connection = None
                if attempt == 2 or (method != "GET" and not isinstance(exc, BrokenPipeError)):
                    raise
        self.used = time.monotonic()
        for name, value in raw.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        if raw.getheader("Connection", "").lower() == "close":
            self.connection.close()
            self.connection = None
        return Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, data)

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def post(self, path, fields, headers=None):
        fields = dict(fields)
        fields.setdefault("csrfmiddlewaretoken", self.cookies.get("csrftoken", ""))
        return self.request("POST", path, body=urlencode(fields, doseq=True), headers={
            **(headers or {}), "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://127.0.0.1:{self.port}{path}", "Origin": f"http://127.0.0.1:{self.port}"})

    def json(self, method, path, payload, token):
        return self.request(method, path, body=json.dumps(payload), headers={
            "Content-Type": "application/json", "Authorization": f"Bearer {token}"})

    def login(self, username, password):
        self.get("/masuk/")
        response = self.post("/masuk/", {"username": username, "password": password})
        if response.status != 302:
            raise OSError(f"login of {username}: {response.status} {response.text[:300]}")
        return response

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None


class FormFields(HTMLParser):
    """The page's POST forms, each as a browser would send it untouched: {"action", "fields": {name:
    value}, "files": whether it uploads a file}. Fields outside a POST form (a GET search form's,
    say) belong to none; a select with no option sends nothing, one with none selected its first."""

    def __init__(self):
        super().__init__()
        self.forms, self.form, self.select, self.textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            method = (a.get("method") or "").lower()
            self.form = {"action": a.get("action") or "", "fields": {},
                         "files": "multipart" in (a.get("enctype") or "")} if method == "post" else None
            if self.form is not None:
                self.forms.append(self.form)
        if self.form is None:
            return
        fields = self.form["fields"]
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind == "file":
                self.form["files"] = True
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    fields[name] = a.get("value", "on")
            elif kind not in ("submit", "button", "image", "reset"):
                fields[name] = a.get("value") or ""
        elif tag == "select" and name:
            self.select = name
            fields.setdefault(name, None)
        elif tag == "option" and self.select:
            if "selected" in a or fields.get(self.select) is None:
                fields[self.select] = a.get("value", "")
        elif tag == "textarea" and name:
            self.textarea = name
            fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            if self.form is not None and self.form["fields"].get(self.select, "") is None:
                del self.form["fields"][self.select]  # no option: a browser sends nothing
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea and self.form is not None:
            self.form["fields"][self.textarea] += data


def post_forms(html):
    """The POST forms of ``html`` (``FormFields``)."""
    parser = FormFields()
    parser.feed(html)
    return parser.forms


def form_fields(html, having):
    """The fields of the first POST form holding a field named ``having``."""
    return next((dict(form["fields"]) for form in post_forms(html) if having in form["fields"]), None)


def filled_form(client, path, having, changes):
    """The fields of the POST form holding ``having`` on the page at ``path``, as the server sent
    them, with ``changes`` over them: what a person posts back after editing a few fields (None
    when the page does not answer 200 or has no such form)."""
    page = client.get(path)
    fields = form_fields(page.text, having) if page.status == 200 else None
    if fields is not None:
        fields.update(changes)
    return fields


def percentile(values, fraction):
    values = sorted(values)
    if not values:
        return 0.0
    return values[min(len(values) - 1, max(0, int(round(fraction * len(values))) - 1))]


LOCKED = re.compile(r"database is locked|database table is locked", re.I)
