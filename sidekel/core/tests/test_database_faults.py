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
