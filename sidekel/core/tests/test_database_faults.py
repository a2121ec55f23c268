"""The database out of reach or the disk full (issue 16 item 5): a 503 page or a clear message in
Bahasa Indonesia, never a 500 or a traceback. The errors are real ones: a connection to a database
that cannot be opened (a SQLite file in a folder that does not exist, a PostgreSQL port nobody
listens on). The whole-server version, with PostgreSQL cut and restored under load through a TCP
proxy and the disk full under an import, is ``bench/faults.py``.
"""

import errno
import socket

import pytest
from django.db import DatabaseError, OperationalError, connection
from django.db.backends.postgresql.base import DatabaseWrapper as PostgresWrapper
from django.db.backends.sqlite3.base import DatabaseWrapper as SqliteWrapper
from django.test import RequestFactory
from django.utils.log import log_response

from sidekel.core import busy


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def unreachable(engine, tmp_path):
    """The error Django raises when the database cannot be reached."""
    if engine == "sqlite":
        wrapper = SqliteWrapper({**connection.settings_dict, "NAME": str(tmp_path / "tidak-ada" / "db.sqlite3"),
                                 "ENGINE": "django.db.backends.sqlite3", "OPTIONS": {}}, alias="offline")
    else:
        wrapper = PostgresWrapper({**connection.settings_dict, "ENGINE": "django.db.backends.postgresql",
                                   "HOST": "127.0.0.1", "PORT": _free_port(), "NAME": "sidekel", "USER": "postgres",
                                   "PASSWORD": "", "OPTIONS": {"connect_timeout": 2}}, alias="offline")
    with pytest.raises(OperationalError) as exc:
        wrapper.ensure_connection()
    return exc.value


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
@pytest.mark.parametrize("path", ["/penduduk/", "/api/v1/penduduk/"])
def test_a_database_out_of_reach_gives_503_in_indonesian(db, engine, path, tmp_path):
    error = unreachable(engine, tmp_path)
    assert busy.is_unavailable(error) and not busy.is_busy(error)
    request = RequestFactory().get(path)
    try:
        raise error
    except OperationalError:
        response = busy.server_error(request)  # as Django calls handler500: inside the except
    assert response.status_code == 503 and response["Retry-After"] and response["Cache-Control"] == "no-store"
    body = response.content.decode()
    assert "Basis data tidak dapat dihubungi" in body


def test_a_wrong_query_is_still_a_500(rf, db):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM tabel_yang_tidak_ada")
    except DatabaseError as exc:
        assert not busy.is_unavailable(exc)
        response = busy.server_error(rf.get("/"))
    assert response.status_code == 500


def test_disk_full_is_recognised_from_the_database_and_the_file_system(tmp_path):
    assert busy.is_disk_full(OSError(errno.ENOSPC, "No space left on device"))
    assert busy.is_disk_full(OSError(errno.EFBIG, "File too large"))  # a size limit (RLIMIT_FSIZE)
    wrapped = OperationalError("database or disk is full")
    assert busy.is_disk_full(wrapped)
    assert not busy.is_disk_full(OSError(errno.ENOENT, "No such file"))
    assert "disk server penuh" in busy.disk_full_message().lower()


def _postgres_through(monkeypatch, port, **env):
    """A connection configured as settings.py configures the site's (``_database()``), to the
    maintenance database of the PostgreSQL server at 127.0.0.1:5432 reached through ``port``."""
    from sidekel import settings as sidekel_settings

    monkeypatch.setenv("SIDEKEL_DATABASE_URL", f"postgres://postgres@127.0.0.1:{port}/postgres")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return PostgresWrapper({**connection.settings_dict, **sidekel_settings._database()}, alias="through_proxy")


def _postgres_or_skip():
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=2).close()
    except OSError:
        pytest.skip("no PostgreSQL server at 127.0.0.1:5432")


def _next_request(wrapper):
    """What Django does for the next request of a thread that keeps its connection: the
    request_started check, then a query."""
    wrapper.close_if_unusable_or_obsolete()
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone()[0]


def test_a_kept_connection_broken_by_a_restart_is_replaced_before_the_next_request(monkeypatch, django_db_blocker):
    """PostgreSQL restarted while a thread of the server was idle: its kept connection (CONN_MAX_AGE)
    is dead. The health check (CONN_HEALTH_CHECKS) finds it so before the next request uses it, and
    that request works on a new connection instead of answering 503."""
    from sidekel.core.tests.tcpproxy import Proxy

    _postgres_or_skip()
    proxy = Proxy(("127.0.0.1", 5432))
    checked = _postgres_through(monkeypatch, proxy.port)
    unchecked = PostgresWrapper({**checked.settings_dict, "CONN_HEALTH_CHECKS": False}, alias="unchecked")
    with django_db_blocker.unblock():  # connections of their own, not the test database's
        try:
            assert checked.settings_dict["CONN_MAX_AGE"] is None and checked.settings_dict["CONN_HEALTH_CHECKS"]
            assert _next_request(checked) == 1 and _next_request(unchecked) == 1
            proxy.cut()  # every connection dropped, as a restart does
            proxy.restore()
            assert _next_request(checked) == 1
            with pytest.raises(OperationalError) as failed:  # what the health check spares the request
                _next_request(unchecked)
            assert busy.is_unavailable(failed.value)
        finally:
            checked.close()
            unchecked.close()
            proxy.cut()


def test_a_database_server_that_does_not_answer_fails_within_the_connect_timeout(monkeypatch, django_db_blocker):
    """A server that takes the connection but never answers (hung, or its network dropping
    packets): the request fails after connect_timeout with the 503 error, it does not hang."""
    import time

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # the kernel completes the handshake; nobody reads or answers
    wrapper = _postgres_through(monkeypatch, silent.getsockname()[1], SIDEKEL_DATABASE_CONNECT_TIMEOUT="2")
    options = wrapper.settings_dict["OPTIONS"]
    assert options["connect_timeout"] == 2 and options["keepalives"] == 1 and options["keepalives_idle"] > 0
    with django_db_blocker.unblock():
        try:
            start = time.monotonic()
            with pytest.raises(OperationalError) as failed:
                wrapper.ensure_connection()
            assert time.monotonic() - start < 10
            assert busy.is_unavailable(failed.value)
        finally:
            silent.close()


def test_a_503_for_an_unreachable_database_is_logged_as_one_line_without_traceback(db, tmp_path, caplog):
    """While PostgreSQL restarts every request fails alike: one warning line each, not Django's
    sixty-line traceback; a real error keeps its traceback."""
    error = unreachable("sqlite", tmp_path)
    request = RequestFactory().get("/penduduk/")
    for exc, handler in ((error, busy.server_error), (ZeroDivisionError("nyata"), busy.server_error)):
        try:
            raise exc
        except Exception as raised:
            response = handler(request)
            log_response("%s: %s", response.reason_phrase, request.path, response=response, request=request,
                         exception=raised)
    from_django = [r for r in caplog.records if r.name == "django.request"]
    assert [(r.status_code, bool(r.exc_info)) for r in from_django] == [(500, True)]
    assert any(r.name == "sidekel.core.busy" and "database unavailable" in r.getMessage() for r in caplog.records)
