"""Accounts from the command line, login with throttling, Argon2."""

import io

import pytest
from django.contrib.auth.hashers import make_password
from django.core.management import CommandError, call_command

from sidekel.akun.models import User
from sidekel.akun.services import create_user


def test_argon2_is_the_password_hasher_of_the_installation(settings):
    from sidekel import settings as project_settings

    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS  # undo the tests' fast hasher
    assert make_password("kata-sandi").startswith("argon2$")


def test_user_add_list_deactivate(arut_selatan, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("kata-sandi-yang-panjang-2026\n"))
    call_command("user", "add", "siti.op", "--role", "operator", "--desa", "62.01.02.2010", "62.01.02.1007",
                 "--password-stdin", "--name", "Siti Operator")
    user = User.objects.get(username="siti.op")
    assert user.check_password("kata-sandi-yang-panjang-2026") and user.role == "operator"
    assert sorted(user.desa.values_list("kode", flat=True)) == ["62.01.02.1007", "62.01.02.2010"]
    assert "siti.op dibuat" in capsys.readouterr().out
    call_command("user", "list")
    assert "62.01.02.1007, 62.01.02.2010" in capsys.readouterr().out
    call_command("user", "deactivate", "siti.op")
    assert not User.objects.get(username="siti.op").is_active


@pytest.mark.parametrize("args,message", [
    (["op", "--role", "operator"], "paling sedikit satu desa"),
    (["op", "--role", "operator", "--desa", "62.01.01.2001"], "tidak dilayani"),
    (["op", "--role", "camat"], "terlalu pendek"),  # Django's password validators speak Indonesian too
])
def test_user_add_refuses_with_a_clear_message(arut_selatan, monkeypatch, args, message):
    monkeypatch.setattr("sys.stdin", io.StringIO("pendek\n" if "camat" in args else "kata-sandi-yang-panjang-2026\n"))
    with pytest.raises(CommandError, match=message):
        call_command("user", "add", *args, "--password-stdin")
    assert not User.objects.exists()


def test_login_page_throttles_guessing(client, arut_selatan):
    create_user("op", role="camat", password="kata-sandi-yang-panjang-2026")
    for _ in range(5):  # SIDEKEL_LOGIN_ATTEMPTS
        html = client.post("/masuk/", {"username": "op", "password": "salah"}).content.decode()
        assert "salah" in html
    html = client.post("/masuk/", {"username": "op", "password": "kata-sandi-yang-panjang-2026"}).content.decode()
    assert "Terlalu banyak percobaan; coba lagi dalam 2 detik" in html


def test_login_then_lands_on_the_village_list(client, arut_selatan):
    create_user("camat", role="camat", password="kata-sandi-yang-panjang-2026")
    response = client.post("/masuk/", {"username": "camat", "password": "kata-sandi-yang-panjang-2026"}, follow=True)
    assert response.redirect_chain[-1][0] == "/desa/"
    assert "Mendawai Seberang" in response.content.decode()
