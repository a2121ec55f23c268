"""Issue 16 item 4: two-factor sign-in (TOTP with django-otp, one-time backup codes), required for
the kecamatan admin and the camat, optional for operators and kepala desa; wrong codes counted by
the login throttle."""

import re
import time

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from sidekel.akun.models import FailedLogin, LoginThrottle
from sidekel.akun.services import create_user
from sidekel.core.models import ObjectChange

pytestmark = pytest.mark.two_factor
PASSWORD = "kata-sandi-yang-panjang-2026"
RANGDA = "62.01.02.2010"


def totp(device, steps_ahead=0):
    """The code the person's app shows, computed from the device's key as an app does."""
    clock = TOTP(device.bin_key, device.step, device.t0, device.digits)
    clock.time = time.time() + steps_ahead * device.step
    return f"{clock.token():06d}"


def log_in(client, username, password=PASSWORD, next_url=""):
    url = "/masuk/" + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"username": username, "password": password})


def enrol(client):
    """Scan and confirm on the enrolment page; the backup codes the page shows once."""
    page = client.get("/akun/dua-langkah/").content.decode()
    device = TOTPDevice.objects.get(confirmed=False)
    secret = re.search(r'class="mono secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    assert __import__("base64").b32decode(secret) == device.bin_key  # the key typed by hand is the scanned one
    html = client.post("/akun/dua-langkah/", {"code": totp(device)}).content.decode()
    return re.findall(r"<li>(\d{4} \d{4})</li>", html)


@pytest.fixture
def admin(arut_selatan):
    return create_user("admin.kec", role="admin-kecamatan", password=PASSWORD)


@pytest.fixture
def operator(arut_selatan):
    return create_user("op.rangda", role="operator", password=PASSWORD, desa_kode=[RANGDA])


@pytest.mark.parametrize("role", ["admin-kecamatan", "camat"])
def test_admin_and_camat_reach_nothing_but_enrolment_until_enrolled(client, arut_selatan, role):
    create_user("pejabat", role=role, password=PASSWORD)
    response = log_in(client, "pejabat", next_url="/desa/")
    assert response["Location"] == "/akun/dua-langkah/?next=%2Fdesa%2F"
    for path in ["/desa/", "/penduduk/", "/akun/", "/akun/sandi/", "/admin/", "/masuk/kode/", "/"]:
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/akun/dua-langkah/"), path
    page = client.get("/akun/dua-langkah/").content.decode()
    assert "<svg" in page and "wajib" in page  # the QR code, drawn in the page (no CDN, no image service)
    device = TOTPDevice.objects.get(user__username="pejabat")
    # A wrong code: a clear message, nothing turned on.
    wrong = f"{(int(totp(device)) + 1) % 10**6:06d}"
    html = client.post("/akun/dua-langkah/", {"code": wrong}).content.decode()
    assert "Kode itu tidak cocok" in html
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get("/desa/").status_code == 302
    codes = enrol(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get("/desa/").status_code == 200  # this session gave the code at enrolment
    change = ObjectChange.objects.get(object_id=device.pk, reason="two-factor sign-in turned on")
    assert "key" not in change.after  # the secret never goes into the audit log


def test_login_with_the_apps_code_after_the_password(client, admin):
    log_in(client, "admin.kec")
    enrol(client)
    client.post("/keluar/")
    response = log_in(client, "admin.kec", next_url="/desa/")
    assert response["Location"] == "/masuk/kode/?next=%2Fdesa%2F"
    # Until the code is given: only the code page (enrolling a new phone is no way around it).
    for path in ["/desa/", "/akun/dua-langkah/", "/akun/", "/admin/"]:
        assert client.get(path)["Location"].startswith("/masuk/kode/"), path
    device = TOTPDevice.objects.get(user=admin, confirmed=True)
    response = client.post("/masuk/kode/?next=/desa/", {"code": totp(device, steps_ahead=1), "next": "/desa/"})
    assert response["Location"] == "/desa/"
    assert client.get("/desa/").status_code == 200
    # The completed login starts the account's count at this address again from nothing.
    assert LoginThrottle.objects.get(username="admin.kec", address="127.0.0.1").failures == 0


def test_a_wrong_code_is_refused_clearly_and_counted_with_wrong_passwords(client, admin, settings):
    log_in(client, "admin.kec")
    enrol(client)
    client.post("/keluar/")
    log_in(client, "admin.kec")  # the right password: counted until the code proves right
    for _ in range(4):
        html = client.post("/masuk/kode/", {"code": "000000"}).content.decode()
        assert "Kode salah, atau kode cadangan yang sudah dipakai" in html
    assert FailedLogin.objects.filter(username="admin.kec").count() == 4
    # 1 password + 4 codes = SIDEKEL_LOGIN_ATTEMPTS: the next attempt waits, whatever it is.
    device = TOTPDevice.objects.get(user=admin, confirmed=True)
    html = client.post("/masuk/kode/", {"code": totp(device, steps_ahead=1)}).content.decode()
    assert "Terlalu banyak percobaan; coba lagi dalam 2 detik" in html
    assert client.get("/desa/").status_code == 302
    # Knowing the password buys no fresh guesses: a new login is slowed by the same count.
    client.post("/keluar/")
    html = log_in(client, "admin.kec").content.decode()
    assert "Terlalu banyak percobaan" in html


def test_a_backup_code_works_once(client, admin):
    log_in(client, "admin.kec")
    codes = enrol(client)
    client.post("/keluar/")
    log_in(client, "admin.kec")
    response = client.post("/masuk/kode/", {"code": codes[3]}, follow=True)
    assert response.redirect_chain[-1][0] == "/desa/"
    assert "kode cadangan; tersisa 9" in response.content.decode()
    assert StaticToken.objects.filter(device__user=admin).count() == 9
    client.post("/keluar/")
    log_in(client, "admin.kec")
    html = client.post("/masuk/kode/", {"code": codes[3]}).content.decode()
    assert "Kode salah, atau kode cadangan yang sudah dipakai" in html
    assert client.get("/desa/").status_code == 302
    assert client.post("/masuk/kode/", {"code": codes[4].replace(" ", "-")}).status_code == 302  # as written down


def test_operator_may_turn_it_on_and_off(client, operator):
    response = log_in(client, "op.rangda")
    assert response.status_code == 302 and "dua-langkah" not in response["Location"]
    assert client.get("/desa/", follow=True).status_code == 200  # no second factor asked
    page = client.get("/akun/").content.decode()
    assert "Verifikasi dua langkah" in page and "nonaktif" in page
    assert len(enrol(client)) == 10
    client.post("/keluar/")
    assert log_in(client, "op.rangda")["Location"].startswith("/masuk/kode/")  # now asked at every login
    device = TOTPDevice.objects.get(user=operator, confirmed=True)
    client.post("/masuk/kode/", {"code": totp(device, steps_ahead=1)})
    assert '<span class="badge ok">aktif</span>' in client.get("/akun/").content.decode()
    html = client.post("/akun/dua-langkah/matikan/", {"password": "salah"}).content.decode()
    assert "Kata sandi tidak benar" in html and TOTPDevice.objects.filter(user=operator).exists()
    response = client.post("/akun/dua-langkah/matikan/", {"password": PASSWORD})
    assert response["Location"] == "/akun/"
    assert not TOTPDevice.objects.filter(user=operator).exists()
    assert not StaticToken.objects.filter(device__user=operator).exists()
    client.post("/keluar/")
    assert "kode" not in log_in(client, "op.rangda")["Location"]


def test_admin_cannot_turn_it_off(client, admin):
    log_in(client, "admin.kec")
    enrol(client)
    assert "tidak dapat dimatikan" in client.get("/akun/").content.decode()
    assert client.post("/akun/dua-langkah/matikan/", {"password": PASSWORD}).status_code == 403
    assert TOTPDevice.objects.filter(user=admin, confirmed=True).exists()


def test_moving_to_a_new_phone_replaces_the_old_one(client, admin):
    log_in(client, "admin.kec")
    first_codes = enrol(client)
    old = TOTPDevice.objects.get(user=admin, confirmed=True)
    new_codes = enrol(client)
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    assert set(first_codes).isdisjoint(new_codes)
    assert StaticToken.objects.filter(device__user=admin).count() == 10


def test_the_api_token_is_separate_from_the_session(client, admin):
    """A token is not a session: the API's login stays the password alone (issue 16: unchanged)."""
    log_in(client, "admin.kec")
    enrol(client)
    response = Client().post("/api/v1/auth/token", {"username": "admin.kec", "password": PASSWORD},
                             content_type="application/json")
    assert response.status_code == 200 and response.json()["token"]


@pytest.mark.django_db
def test_whether_an_account_has_a_second_factor_follows_its_devices(rangda, django_assert_num_queries):
    """Asked on each request of a session without one: remembered, and forgotten when a device of
    the account is saved or deleted."""
    from django_otp.plugins.otp_static.models import StaticDevice

    from sidekel.akun import services

    user = create_user("op_2fa", role="operator", password="x", desa_kode=[rangda.kode], validate=False)
    assert not services.has_two_factor(user)
    with django_assert_num_queries(0):
        assert not services.has_two_factor(user)
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=False)
    assert not services.has_two_factor(user)  # not confirmed yet
    device.confirmed = True
    device.save()
    assert services.has_two_factor(user)
    device.delete()
    assert not services.has_two_factor(user)
    StaticDevice.objects.create(user=user, name="codes", confirmed=True)
    assert services.has_two_factor(user)
    StaticDevice.objects.filter(user=user).delete()
    assert not services.has_two_factor(user)
