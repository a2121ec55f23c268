"""Issue 14 item 6: API tokens die with a password change or a deactivation, and can be seen and
revoked from the command line and the admin."""

import io
import re

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.management import CommandError, call_command
from django.test import Client

from sidekel.akun.models import ApiToken, User
from sidekel.akun.services import create_user, deactivate_user, issue_token, new_token_key

PASSWORD = "kata-sandi-yang-panjang-2026"


def api_status(token):
    return Client().get("/api/v1/penduduk/?q=budi", HTTP_AUTHORIZATION=f"Bearer {token}").status_code


@pytest.fixture
def op(arut_selatan):
    return create_user("siti.op", role="operator", password=PASSWORD, desa_kode=["62.01.02.2010"], validate=False)


def test_a_new_password_revokes_every_token(op):
    tokens = [issue_token(op), issue_token(op)]
    assert [api_status(t) for t in tokens] == [200, 200]
    user = User.objects.get(pk=op.pk)
    user.set_password("kata-sandi-baru-yang-panjang")
    user.save()
    assert [api_status(t) for t in tokens] == [401, 401]
    assert not ApiToken.objects.filter(revoked_at__isnull=True).exists()
    assert api_status(issue_token(user)) == 200  # a token asked for afterwards works


def test_an_unusable_password_and_djangos_changepassword_revoke_too(op, monkeypatch):
    token = issue_token(op)
    op.set_unusable_password()
    op.save()
    assert api_status(token) == 401
    token = issue_token(op)
    monkeypatch.setattr("getpass.getpass", lambda *_args, **_kw: "kata-sandi-baru-yang-panjang")
    call_command("changepassword", "siti.op", stdout=io.StringIO())
    assert api_status(token) == 401


def test_deactivation_revokes_the_tokens(op):
    token = issue_token(op)
    deactivate_user("siti.op")
    assert ApiToken.objects.get().revoked_at is not None
    User.objects.filter(pk=op.pk).update(is_active=True)  # even if someone switches it back on
    assert api_status(token) == 401


def test_other_saves_keep_the_tokens(op, settings):
    token = issue_token(op)
    op.first_name = "Siti"
    op.save()
    # A login re-hashes the password when the hasher changed: the same password, tokens stay.
    settings.PASSWORD_HASHERS = [f"{__name__}.QuickPBKDF2", "django.contrib.auth.hashers.MD5PasswordHasher"]
    assert Client(REMOTE_ADDR="10.0.0.1").post("/masuk/", {"username": "siti.op", "password": PASSWORD}).status_code == 302
    assert User.objects.get(pk=op.pk).password.startswith("pbkdf2_sha256$1000$")
    assert api_status(token) == 200


class QuickPBKDF2(PBKDF2PasswordHasher):
    iterations = 1000


def test_the_command_lists_and_revokes(op, capsys):
    first, second = issue_token(op), issue_token(op)
    call_command("user", "tokens", "siti.op")
    out = capsys.readouterr().out
    assert f"{first[:8]}…  berlaku" in out and f"{second[:8]}…  berlaku" in out
    call_command("user", "tokens", "siti.op", "--revoke", first[:8])
    out = capsys.readouterr().out
    assert "Token API siti.op yang dicabut: 1." in out
    assert f"{first[:8]}…  dicabut" in out and f"{second[:8]}…  berlaku" in out
    assert (api_status(first), api_status(second)) == (401, 200)
    call_command("user", "tokens", "siti.op", "--revoke")
    assert "Token API siti.op yang dicabut: 1." in capsys.readouterr().out
    assert api_status(second) == 401


def test_no_key_starts_with_a_dash():
    # One key in 64 would; the command line would then read its prefix as an option.
    assert not [key for key in (new_token_key() for _ in range(1000)) if key.startswith("-")]


def test_the_command_refuses_clearly(op, capsys):
    with pytest.raises(CommandError, match="Tidak ada akun orang.lain"):
        call_command("user", "tokens", "orang.lain")
    with pytest.raises(CommandError, match="tidak punya token yang berawalan zzzz"):
        call_command("user", "tokens", "siti.op", "--revoke", "zzzz")
    call_command("user", "tokens", "siti.op")
    assert "Akun siti.op tidak punya token API." in capsys.readouterr().out


def admin_login():
    """The kecamatan administrator with the Django admin's rights, as `sidekel demo` makes them."""
    user = create_user("admin", role="admin-kecamatan", password=PASSWORD, validate=False)
    User.objects.filter(pk=user.pk).update(is_superuser=True)


def test_the_admin_sees_and_revokes_tokens(op):
    token = issue_token(op)
    admin_login()
    admin = Client(REMOTE_ADDR="10.0.0.1")
    assert admin.post("/masuk/", {"username": "admin", "password": PASSWORD}).status_code == 302
    page = admin.get(f"/admin/akun/user/{op.pk}/change/").content.decode()
    assert token[:8] in page and "berlaku" in page
    listing = admin.get("/admin/akun/user/").content.decode()
    assert re.search(r"siti\.op.*?field-valid_tokens\">1<", listing, re.S)
    response = admin.post("/admin/akun/user/", {"action": "revoke_tokens", "_selected_action": [op.pk]}, follow=True)
    assert "Token API dicabut: 1." in response.content.decode()
    assert api_status(token) == 401
    # Every token of the installation, on its own list too, with its holder and state.
    page = admin.get("/admin/akun/apitoken/").content.decode()
    assert token[:8] in page and "siti.op" in page and "dicabut" in page
    again = issue_token(op)
    response = admin.post("/admin/akun/apitoken/", {"action": "revoke",
                                                    "_selected_action": [ApiToken.objects.get(prefix=again[:8]).pk]},
                          follow=True)
    assert "Token API dicabut: 1." in response.content.decode() and api_status(again) == 401


def test_the_admin_password_form_revokes_tokens(op):
    token = issue_token(op)
    admin_login()
    admin = Client(REMOTE_ADDR="10.0.0.1")
    admin.post("/masuk/", {"username": "admin", "password": PASSWORD})
    response = admin.post(f"/admin/akun/user/{op.pk}/password/",
                          {"password1": "kata-sandi-baru-2026-x", "password2": "kata-sandi-baru-2026-x",
                           "usable_password": "true"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert api_status(token) == 401
