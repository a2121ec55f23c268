"""Issue 14 item 6: the client address behind a proxy is the one the trusted proxy added.

A client may send any X-Forwarded-For it likes; nginx appends the address it was connected from.
``core.audit.client_ip`` takes the entry SIDEKEL_TRUSTED_PROXY_HOPS places from the right, for the
audit, the access log, the public API's rate limit and the login throttle alike.
"""

import pytest
from django.test import Client, RequestFactory

from sidekel.akun.models import LoginThrottle
from sidekel.akun.services import create_user
from sidekel.core.audit import client_ip
from sidekel.core.models import AccessLog

NGINX = "127.0.0.1"


def ip(forwarded=None, remote=NGINX):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_ip(RequestFactory().get("/", REMOTE_ADDR=remote, **extra))


def test_without_a_proxy_the_header_is_ignored(settings):
    settings.SIDEKEL_TRUST_X_FORWARDED_FOR = False
    assert ip("6.6.6.6", remote="203.0.113.7") == "203.0.113.7"


@pytest.mark.parametrize("hops,forwarded,expected", [
    (1, "203.0.113.7", "203.0.113.7"),                      # nginx added the visitor's address
    (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),             # the visitor's own header is ignored
    (1, "6.6.6.6,1.1.1.1 , 203.0.113.7", "203.0.113.7"),
    (1, "10.0.0.1, 2001:db8::7", "2001:db8::7"),
    (2, "6.6.6.6, 203.0.113.7, 10.9.9.9", "203.0.113.7"),   # a load balancer in front of nginx
    (2, "203.0.113.7", NGINX),                              # shorter than the chain: not through it
    (1, "", NGINX),
    (1, "6.6.6.6, bukan-alamat", NGINX),                    # never a value the audit cannot store
    (1, "6.6.6.6, 203.0.113.7:4431", NGINX),
])
def test_behind_the_proxy_the_right_most_trusted_entry_counts(settings, hops, forwarded, expected):
    settings.SIDEKEL_TRUST_X_FORWARDED_FOR = True
    settings.SIDEKEL_TRUSTED_PROXY_HOPS = hops
    assert ip(forwarded) == expected


def test_a_forged_header_neither_escapes_the_throttle_nor_enters_the_logs(settings, arut_selatan):
    settings.SIDEKEL_TRUST_X_FORWARDED_FOR = True
    create_user("admin", role="admin-kecamatan", password="kata-sandi-yang-panjang-2026", validate=False)
    # An attacker at 203.0.113.66 sends a new made-up address (the admin's office one too) each time.
    for i, forged in enumerate(["10.20.0.1", "1.2.3.4", "5.6.7.8", "9.9.9.9", "10.20.0.1", "8.8.8.8"]):
        html = Client(REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=f"{forged}, 203.0.113.66").post(
            "/masuk/", {"username": "admin", "password": "salah"}).content.decode()
        assert ("Terlalu banyak percobaan" in html) == (i == 5)
    assert list(LoginThrottle.objects.exclude(address="*").values_list("address", "failures")) == [("203.0.113.66", 5)]
    # The admin logs in from the office through the same proxy; the access log holds the real address.
    client = Client(REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="6.6.6.6, 10.20.0.1")
    response = client.post("/masuk/", {"username": "admin", "password": "kata-sandi-yang-panjang-2026"})
    assert response.status_code == 302
    client.get("/penduduk/?q=budi")
    assert list(AccessLog.objects.values_list("ip", flat=True)) == ["10.20.0.1"]
