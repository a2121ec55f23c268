"""Issue 16 item 4: sessions that end after idle time, password rules shown, `sidekel user
reset-password` forcing a change, and a throttled login unlocked by the admin."""

import io
import time

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from sidekel.akun import services
from sidekel.akun.middleware import LAST_SEEN
from sidekel.akun.models import LoginThrottle, User
from sidekel.akun.services import create_user, issue_token, user_for_token
from sidekel.core.models import ObjectChange

PASSWORD = "kata-sandi-yang-panjang-2026"
RANGDA = "62.01.02.2010"


@pytest.fixture
def operator(arut_selatan):
    return create_user("op.rangda", role="operator", password=PASSWORD, desa_kode=[RANGDA])


def _set_last_seen(client, seconds_ago):
    session = client.session
    session[LAST_SEEN] = int(time.time()) - seconds_ago
    session.save()


def test_an_idle_session_ends_and_the_login_page_says_why(client, operator, settings):
    assert settings.SIDEKEL_SESSION_IDLE_MINUTES == 30
    client.post("/masuk/", {"username": "op.rangda", "password": PASSWORD})
    assert client.get("/penduduk/").status_code == 200
    _set_last_seen(client, 29 * 60)  # still within the limit: the request goes through
    assert client.get("/penduduk/").status_code == 200
    _set_last_seen(client, 31 * 60)
    response = client.get("/penduduk/")
    assert response.status_code == 302 and response["Location"].startswith("/masuk/?next=")
    html = client.get(response["Location"]).content.decode()
    assert "Sesi Anda berakhir karena tidak aktif." in html
    assert "Sesi Anda berakhir" not in client.get("/masuk/").content.decode()  # said once
    assert client.get("/penduduk/").status_code == 302  # logged out for good


def test_the_session_is_saved_at_most_once_a_minute(client, operator):
    """Remembering the last request costs one session write a minute, not one per request."""
    client.post("/masuk/", {"username": "op.rangda", "password": PASSWORD})
    seen = client.session[LAST_SEEN]
    for _ in range(3):
        client.get("/penduduk/")
    assert client.session[LAST_SEEN] == seen
    assert client.session.get_expiry_age() == 30 * 60 + 3600  # the cookie outlives the limit by an hour
    _set_last_seen(client, 61)
    client.get("/penduduk/")
    assert client.session[LAST_SEEN] >= int(time.time()) - 1


def test_idle_expiry_can_be_turned_off(client, operator, settings):
    settings.SIDEKEL_SESSION_IDLE_MINUTES = 0
    client.post("/masuk/", {"username": "op.rangda", "password": PASSWORD})
    _set_last_seen(client, 24 * 3600)
    assert client.get("/penduduk/").status_code == 200


@pytest.mark.parametrize("path,form_field", [("/akun/sandi/", "old_password")])
def test_the_password_rules_are_shown_in_indonesian_when_choosing_one(client, operator, path, form_field):
    client.force_login(operator)
    html = client.get(path).content.decode()
    assert form_field in html
    for rule in ["Kata sandi Anda harus memuat setidaknya 8 karakter.", "Sandi anda tidak bisa sepenuhnya numerik."]:
        assert rule in html
    response = client.post(path, {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"})
    assert response.status_code == 200 and "seluruhnya terdiri dari angka" in response.content.decode()
    assert User.objects.get(pk=operator.pk).check_password(PASSWORD)
    response = client.post(path, {"old_password": PASSWORD, "new_password1": "baru-dan-panjang-2027",
                                  "new_password2": "baru-dan-panjang-2027"})
    assert response["Location"] == "/akun/"
    assert User.objects.get(pk=operator.pk).check_password("baru-dan-panjang-2027")
    assert client.get("/akun/").status_code == 200  # the session survives its own password change


def test_reset_password_gives_a_one_time_password_that_must_be_changed(client, operator, capsys):
    token = issue_token(operator)
    call_command("user", "reset-password", "op.rangda")
    out = capsys.readouterr().out
    one_time = out.split("Kata sandi sekali pakai: ")[1].split()[0]
    assert "wajib memilih kata sandi baru" in out
    operator.refresh_from_db()
    assert operator.must_change_password and operator.check_password(one_time)
    assert user_for_token(token) is None  # the old password's API tokens are revoked
    change = ObjectChange.objects.get(object_id=operator.pk, reason="password reset")
    assert "password" not in change.after and "password" not in change.before  # never the hash
    assert change.after["must_change_password"] is True

    response = client.post("/masuk/?next=/penduduk/", {"username": "op.rangda", "password": one_time})
    assert response["Location"] == "/akun/sandi/?next=%2Fpenduduk%2F"
    for path in ["/penduduk/", "/akun/", "/desa/"]:
        assert client.get(path)["Location"].startswith("/akun/sandi/"), path
    html = client.get("/akun/sandi/").content.decode()
    assert "Kata sandi Anda direset" in html and "old_password" not in html  # they just typed it
    assert "Kata sandi Anda harus memuat setidaknya 8 karakter." in html  # the rules, in Indonesian
    response = client.post("/akun/sandi/", {"new_password1": "pilihan-saya-sendiri-9", "new_password2": "pilihan-saya-sendiri-9",
                                            "next": "/penduduk/"})
    assert response["Location"] == "/penduduk/"
    operator.refresh_from_db()
    assert not operator.must_change_password and operator.check_password("pilihan-saya-sendiri-9")
    assert client.get("/penduduk/").status_code == 200


def test_reset_password_from_stdin_is_validated_and_unknown_accounts_refused(operator, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("pendek\n"))
    with pytest.raises(CommandError, match="terlalu pendek"):
        call_command("user", "reset-password", "op.rangda", "--password-stdin")
    assert not User.objects.get(pk=operator.pk).must_change_password
    with pytest.raises(CommandError, match="Tidak ada akun siapa"):
        call_command("user", "reset-password", "siapa")


@pytest.mark.two_factor
def test_reset_with_two_factor_removes_a_lost_phone(client, arut_selatan, capsys):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    admin = create_user("admin.kec", role="admin-kecamatan", password=PASSWORD)
    TOTPDevice.objects.create(user=admin, name="ponsel hilang", confirmed=True)
    call_command("user", "reset-password", "admin.kec", "--two-factor")
    one_time = capsys.readouterr().out.split("Kata sandi sekali pakai: ")[1].split()[0]
    assert not TOTPDevice.objects.filter(user=admin).exists()
    # The admin enrols again first, then chooses a password.
    assert client.post("/masuk/", {"username": "admin.kec", "password": one_time})["Location"] == "/akun/dua-langkah/"


def _lock_out(username, address="10.9.8.7"):
    guesser = Client(REMOTE_ADDR=address)
    for _ in range(6):
        guesser.post("/masuk/", {"username": username, "password": "salah"})
    return guesser


def test_a_throttled_login_is_unlocked_from_the_command_line(operator, capsys):
    guesser = _lock_out("op.rangda")
    assert services.is_locked("op.rangda")
    call_command("user", "list")
    assert "login menunggu" in capsys.readouterr().out
    call_command("user", "unlock", "op.rangda")
    assert "Kunci login op.rangda dibuka (2 hitungan" in capsys.readouterr().out  # its address and any new one
    assert not services.is_locked("op.rangda")
    assert not LoginThrottle.objects.filter(username="op.rangda", failures__gt=0).exists()
    assert guesser.post("/masuk/", {"username": "op.rangda", "password": PASSWORD}).status_code == 302
    assert ObjectChange.objects.filter(reason="login unlocked").count() == 2
    call_command("user", "unlock", "op.rangda")
    assert "tidak punya login gagal" in capsys.readouterr().out


def test_the_admin_unlocks_a_login_from_the_account_list(client, operator, arut_selatan):
    admin = create_user("admin.kec", role="admin-kecamatan", password=PASSWORD)
    User.objects.filter(pk=admin.pk).update(is_superuser=True)
    _lock_out("op.rangda")
    client.force_login(User.objects.get(pk=admin.pk))
    page = client.get("/admin/akun/user/").content.decode()
    assert "Buka kunci login akun terpilih" in page and "Login menunggu" in page
    response = client.post("/admin/akun/user/", {"action": "unlock", "_selected_action": [operator.pk]}, follow=True)
    assert "Kunci login dibuka: 2 hitungan percobaan gagal dihapus." in response.content.decode()
    assert not services.is_locked("op.rangda")
    change = ObjectChange.objects.filter(reason="login unlocked").first()
    assert change.username == "admin.kec" and change.after == {"failures": 0, "wait_until": None}


def test_only_the_kecamatan_admin_may_unlock(operator):
    from django.core.exceptions import PermissionDenied

    _lock_out("op.rangda")
    with pytest.raises(PermissionDenied):
        services.unlock("op.rangda", by=operator)
    assert services.is_locked("op.rangda")
